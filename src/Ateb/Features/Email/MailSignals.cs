using System.Text;
using System.Text.RegularExpressions;
using MimeKit;
using MimeKit.Cryptography;
using MimeKit.Tnef;

namespace Ateb.Features.Email;

/// <summary>What a mail says about itself beyond its content: automatic or not, a bounce, DMARC, its language.</summary>
internal static partial class MailReader
{
    /// <summary>Why this mail is automatic (RFC 3834 and the de-facto headers), or null for a person's mail.</summary>
    public static string? AutoSubmitted(MimeMessage message, string? fromAddress)
    {
        var headers = message.Headers;
        if (headers["Auto-Submitted"] is { } auto && !auto.Trim().StartsWith("no", StringComparison.OrdinalIgnoreCase))
        {
            return "Auto-Submitted: " + auto.Trim();
        }
        if (headers["Precedence"] is { } precedence
            && precedence.Trim().ToLowerInvariant() is "bulk" or "junk" or "list" or "auto_reply")
        {
            return "Precedence: " + precedence.Trim();
        }
        foreach (var name in new[] { "X-Autoreply", "X-Autorespond", "X-Auto-Response-Suppress", "List-Id" })
        {
            if (headers.Contains(name))
            {
                return name;
            }
        }
        if (headers[HeaderId.ReturnPath] is { } returnPath && returnPath.Trim() is "<>" or "")
        {
            return "Return-Path: <>";
        }
        if (fromAddress is not null && IsMailerDaemon(fromAddress))
        {
            return "From: " + fromAddress;
        }
        return null;
    }

    private static bool IsMailerDaemon(string address)
    {
        var local = address.Split('@')[0].ToLowerInvariant();
        return local is "mailer-daemon" or "postmaster" or "mail-daemon" or "mailerdaemon";
    }

    private static BounceReport? Bounce(MimeMessage message, string? fromAddress)
    {
        if (message.Body is MultipartReport report && report.ReportType?.Equals("delivery-status", StringComparison.OrdinalIgnoreCase) == true)
        {
            var recipients = new List<BounceRecipient>();
            var ids = new List<string>();
            foreach (var part in report)
            {
                switch (part)
                {
                    case MessageDeliveryStatus status:
                        recipients.AddRange(StatusRecipients(status));
                        break;
                    case MessagePart original when original.Message?.MessageId is { Length: > 0 } id:
                        ids.Add(id);
                        break;
                }
            }
            if (ids.Count == 0)
            {
                ids.AddRange(MessageIdsIn(report.ToString()));
            }
            return new BounceReport(ids, recipients);
        }
        var subject = message.Subject ?? "";
        if (fromAddress is not null && IsMailerDaemon(fromAddress) && BounceSubject().IsMatch(subject))
        {
            // A bounce without a report (old or odd servers): the original's Message-ID is somewhere in the text.
            return new BounceReport([.. MessageIdsIn(message.ToString())], []);
        }
        return null;
    }

    private static IEnumerable<BounceRecipient> StatusRecipients(MessageDeliveryStatus status)
    {
        // The first group describes the message; the others one recipient each.
        foreach (var group in status.StatusGroups.Skip(1))
        {
            if ((group["Final-Recipient"] ?? group["Original-Recipient"]) is not { } recipient)
            {
                // A blank group (a stray empty line in the report) names no recipient.
                continue;
            }
            var address = recipient.Contains(';', StringComparison.Ordinal) ? recipient[(recipient.IndexOf(';', StringComparison.Ordinal) + 1)..] : recipient;
            yield return new BounceRecipient(address.Trim().Trim('<', '>'), group["Action"]?.Trim() ?? "unknown",
                group["Status"]?.Trim(), group["Diagnostic-Code"]?.Trim());
        }
    }

    private static IEnumerable<string> MessageIdsIn(string text) =>
        MessageIdHeader().Matches(text).Select(m => m.Groups[1].Value.Trim()).Distinct();

    [GeneratedRegex(@"^Message-ID:\s*<([^>\r\n]{1,500})>", RegexOptions.Multiline | RegexOptions.IgnoreCase, 500)]
    private static partial Regex MessageIdHeader();

    [GeneratedRegex(@"undeliver|returned|delivery (status|fail)|failure notice|could not be delivered|nicht zustellbar", RegexOptions.IgnoreCase, 200)]
    private static partial Regex BounceSubject();

    /// <summary>
    /// True when the receiving server recorded a DMARC failure. Only the topmost Authentication-Results header counts (the
    /// one our own server added; anything below it came with the mail), or the one from the trusted authserv-id.
    /// </summary>
    public static bool DmarcFailed(MimeMessage message, string? trustedAuthServId)
    {
        foreach (var header in message.Headers.Where(h => h.Id == HeaderId.AuthenticationResults))
        {
            if (!AuthenticationResults.TryParse(header.RawValue, out var results))
            {
                continue;
            }
            if (trustedAuthServId is not null
                && !string.Equals(results.AuthenticationServiceIdentifier, trustedAuthServId, StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }
            return results.Results.Any(r => r.Method.Equals("dmarc", StringComparison.OrdinalIgnoreCase)
                && r.Result.Equals("fail", StringComparison.OrdinalIgnoreCase));
        }
        return false;
    }

    private static string? Language(MimeMessage message)
    {
        var value = message.Headers["Content-Language"] ?? message.Body?.Headers["Content-Language"];
        var first = value?.Split(',')[0].Trim();
        return string.IsNullOrEmpty(first) || first.Length > 35 ? null : first;
    }
}
