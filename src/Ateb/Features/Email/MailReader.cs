using System.Text;
using System.Text.RegularExpressions;
using MimeKit;
using MimeKit.Cryptography;
using MimeKit.Tnef;

namespace Ateb.Features.Email;

internal sealed record MailAttachment(string FileName, string ContentType, string? ContentId, bool Inline, byte[] Content);

internal sealed record BounceRecipient(string Address, string Action, string? Status, string? Diagnostic)
{
    public bool Failed => Action.Equals("failed", StringComparison.OrdinalIgnoreCase) || Status?.StartsWith('5') == true;
}

/// <summary>A delivery status notification (RFC 3464), or a non-standard bounce we recognized.</summary>
internal sealed record BounceReport(IReadOnlyList<string> OriginalMessageIds, IReadOnlyList<BounceRecipient> Recipients)
{
    public bool Failed => Recipients.Count == 0 || Recipients.Any(r => r.Failed);

    public string Reason => Recipients.Count == 0
        ? "The receiving server returned the message."
        : string.Join("; ", Recipients.Where(r => r.Failed).Select(r => $"{r.Address}: {r.Status} {r.Diagnostic}".Trim()));
}

/// <summary>What Ateb needs from one received mail, whatever shape, charset or brokenness it arrived in.</summary>
internal sealed record ParsedMail(
    string MessageId,
    bool HasMessageId,
    string? FromAddress,
    string? FromName,
    IReadOnlyList<MailboxAddress> To,
    IReadOnlyList<MailboxAddress> Cc,
    string? Subject,
    string? Text,
    string? Html,
    IReadOnlyList<MailAttachment> Attachments,
    string? InReplyTo,
    IReadOnlyList<string> References,
    string? AutoSubmittedReason,
    BounceReport? Bounce,
    bool DmarcFailed,
    string? Language,
    DateTimeOffset? Date);

/// <summary>
/// Reads raw mail with MimeKit into a ParsedMail. Never throws for malformed input: broken charsets decode lossily,
/// missing headers become nulls, and every part that is not the body becomes an attachment.
/// </summary>
internal static partial class MailReader
{
    public static readonly ParserOptions Options = CreateOptions();

    private static ParserOptions CreateOptions()
    {
        // windows-125x, iso-8859-x, koi8-r, gb2312, iso-2022-jp...: not in .NET by default.
        Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
        var options = ParserOptions.Default.Clone();
        // Undeclared 8-bit headers are tried as UTF-8 first; what is not UTF-8 is read as windows-1252 rather than failing.
        options.CharsetEncoding = Encoding.GetEncoding(1252);
        options.MaxMimeDepth = 64;
        return options;
    }

    public static ParsedMail Read(byte[] raw, string? trustedAuthServId = null) => Read(Parse(raw), Sha256(raw), trustedAuthServId);

    /// <summary>
    /// Parses any bytes into a message: junk before the headers is skipped, and what cannot be parsed at all becomes a plain-text
    /// message of those bytes. Headers in raw 8-bit without a declared charset are read in the charset the parts declare.
    /// </summary>
    public static MimeMessage Parse(byte[] raw)
    {
        var message = TryLoad(raw, 0, Options) ?? TryLoad(raw, HeaderStart(raw), Options) ?? Fallback(raw);
        if (UndeclaredCharset(message) is { } charset)
        {
            var options = Options.Clone();
            options.CharsetEncoding = charset;
            message = TryLoad(raw, 0, options) ?? TryLoad(raw, HeaderStart(raw), options) ?? message;
        }
        return message;
    }

    private static readonly System.Buffers.SearchValues<byte> HeaderNameBytes =
        System.Buffers.SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-"u8);

    private static MimeMessage? TryLoad(byte[] raw, int offset, ParserOptions options)
    {
        if (offset < 0 || offset >= raw.Length)
        {
            return null;
        }
        try
        {
            using var stream = new MemoryStream(raw, offset, raw.Length - offset, writable: false);
            return MimeMessage.Load(options, stream);
        }
        catch (FormatException)
        {
            return null;
        }
    }

    /// <summary>Where the first line that looks like a header ("Name: value") starts, after some junk line; -1 if none.</summary>
    private static int HeaderStart(byte[] raw)
    {
        for (var i = 0; i < Math.Min(raw.Length, 64 * 1024); i++)
        {
            if (raw[i] != '\n')
            {
                continue;
            }
            var start = i + 1;
            var colon = Array.IndexOf(raw, (byte)':', start, Math.Min(80, raw.Length - start));
            if (colon > start && raw.AsSpan(start, colon - start).IndexOfAnyExcept(HeaderNameBytes) < 0)
            {
                return start;
            }
        }
        return -1;
    }

    private static MimeMessage Fallback(byte[] raw)
    {
        var message = new MimeMessage();
        var text = new TextPart("plain");
        text.SetText(Encoding.UTF8, IsUtf8(raw) ? Encoding.UTF8.GetString(raw) : Encoding.Latin1.GetString(raw));
        message.Body = text;
        return message;
    }

    /// <summary>The charset the parts declare, when some header has raw 8-bit bytes that are not UTF-8; else null.</summary>
    private static Encoding? UndeclaredCharset(MimeMessage message)
    {
        var undeclared = message.Headers.Any(h => Has8BitNotUtf8(h.RawValue))
            || message.BodyParts.Any(p => p.Headers.Any(h => (h.Id is HeaderId.ContentType or HeaderId.ContentDisposition) && Has8BitNotUtf8(h.RawValue)));
        if (!undeclared)
        {
            return null;
        }
        var declared = message.BodyParts.OfType<TextPart>().Select(p => p.ContentType.Charset)
            .Append(message.Body?.ContentType.Charset)
            .FirstOrDefault(c => c is not null && CharsetEncoding(c) is not null);
        return declared is null ? null : CharsetEncoding(declared);
    }

    private static bool Has8BitNotUtf8(byte[] raw) => raw.Any(b => b >= 0x80) && !IsUtf8(raw);

    public static string Sha256(ReadOnlySpan<byte> raw) => Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(raw));

    public static ParsedMail Read(MimeMessage message, string sha256, string? trustedAuthServId)
    {
        var from = message.From.Mailboxes.FirstOrDefault() ?? message.Sender ?? message.ReplyTo.Mailboxes.FirstOrDefault();
        var fromAddress = from?.Address;
        if (string.IsNullOrWhiteSpace(fromAddress) && ReturnPath(message) is { Length: > 0 } returnPath)
        {
            fromAddress = returnPath;
        }
        var (text, html, attachments) = Bodies(message);
        var subject = message.Subject;
        var fromName = from?.Name;
        var messageId = message.MessageId?.Trim();
        var hasId = !string.IsNullOrEmpty(messageId);
        return new ParsedMail(
            MessageId: hasId ? messageId! : "sha256:" + sha256,
            HasMessageId: hasId,
            FromAddress: string.IsNullOrWhiteSpace(fromAddress) ? null : fromAddress.Trim(),
            FromName: string.IsNullOrWhiteSpace(fromName) ? null : fromName.Trim(),
            To: [.. message.To.Mailboxes],
            Cc: [.. message.Cc.Mailboxes],
            Subject: subject,
            Text: text,
            Html: html,
            Attachments: attachments,
            InReplyTo: message.InReplyTo,
            References: [.. message.References],
            AutoSubmittedReason: AutoSubmitted(message, fromAddress),
            Bounce: Bounce(message, fromAddress),
            DmarcFailed: DmarcFailed(message, trustedAuthServId),
            Language: Language(message),
            Date: message.Date == DateTimeOffset.MinValue ? null : message.Date);
    }

    private static bool IsUtf8(byte[] bytes)
    {
        try
        {
            _ = new UTF8Encoding(false, true).GetString(bytes);
            return true;
        }
        catch (DecoderFallbackException)
        {
            return false;
        }
    }

    private static Encoding? CharsetEncoding(string charset)
    {
        try
        {
            var encoding = Encoding.GetEncoding(charset);
            return encoding.CodePage is 65001 or 20127 ? null : encoding;
        }
        catch (ArgumentException)
        {
            return null;
        }
    }

    private static (string? Text, string? Html, List<MailAttachment> Attachments) Bodies(MimeMessage message)
    {
        var textPart = FindBody(message.Body, "plain");
        var htmlPart = FindBody(message.Body, "html");
        var text = textPart is null ? null : Decode(textPart);
        var html = htmlPart is null ? null : Decode(htmlPart);
        var attachments = new List<MailAttachment>();
        var n = 0;
        foreach (var entity in message.BodyParts)
        {
            if (ReferenceEquals(entity, textPart) || ReferenceEquals(entity, htmlPart))
            {
                continue;
            }
            switch (entity)
            {
                case TnefPart tnef:
                    // winmail.dat: its files become attachments, and its body stands in when the mail had none.
                    foreach (var inner in SafeTnef(tnef))
                    {
                        if (inner is TextPart { IsAttachment: false } body && (body.IsPlain || body.IsHtml))
                        {
                            if (body.IsHtml && html is null)
                            {
                                html = Decode(body);
                                continue;
                            }
                            if (body.IsPlain && text is null)
                            {
                                text = Decode(body);
                                continue;
                            }
                        }
                        attachments.Add(ToAttachment(inner, ++n));
                    }
                    attachments.Add(ToAttachment(tnef, ++n));
                    break;
                case MessagePart attached:
                    attachments.Add(new MailAttachment(AttachedMessageName(attached, ++n), "message/rfc822", attached.ContentId, false, WriteMessage(attached)));
                    break;
                case MimePart part:
                    attachments.Add(ToAttachment(part, ++n));
                    break;
            }
        }
        if (text is null && html is null && message.Body is Multipart { Count: 0, Preamble: { Length: > 0 } preamble })
        {
            // A multipart whose boundary never matches: everything is in the preamble; better shown than lost.
            text = preamble.Trim();
        }
        return (text, html, attachments);
    }

    /// <summary>The first text/{subtype} that is not an attachment, preferring the alternative of that kind.</summary>
    private static TextPart? FindBody(MimeEntity? entity, string subtype)
    {
        switch (entity)
        {
            case TextPart text when !text.IsAttachment && text.ContentType.IsMimeType("text", subtype):
                return text;
            case MultipartAlternative alternative:
                // The last alternative of the wanted kind is the richest one.
                for (var i = alternative.Count - 1; i >= 0; i--)
                {
                    if (FindBody(alternative[i], subtype) is { } found)
                    {
                        return found;
                    }
                }
                return null;
            case MultipartRelated related:
                return FindBody(related.Root, subtype);
            case MultipartReport report when report.Count > 0:
                return FindBody(report[0], subtype);
            case Multipart multipart:
                foreach (var child in multipart)
                {
                    if (child is MessagePart or TnefPart)
                    {
                        continue;
                    }
                    if (FindBody(child, subtype) is { } found)
                    {
                        return found;
                    }
                }
                return null;
            default:
                return null;
        }
    }

    /// <summary>Decodes with the declared charset; an unknown or wrong one degrades to a lossy decode, never an exception.</summary>
    private static string Decode(TextPart part)
    {
        try
        {
            return part.Text;
        }
        catch (Exception e) when (e is ArgumentException or NotSupportedException or DecoderFallbackException or FormatException)
        {
            using var buffer = new MemoryStream();
            part.Content?.DecodeTo(buffer);
            return Encoding.Latin1.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
        }
    }

    private static IEnumerable<MimeEntity> SafeTnef(TnefPart tnef)
    {
        try
        {
            return [.. tnef.ExtractAttachments()];
        }
        catch (Exception e) when (e is TnefException or FormatException or ArgumentException or IOException or InvalidOperationException or NotSupportedException)
        {
            // A corrupt winmail.dat stays downloadable as itself.
            return [];
        }
    }

    private static MailAttachment ToAttachment(MimeEntity entity, int n)
    {
        if (entity is MessagePart message)
        {
            return new MailAttachment(AttachedMessageName(message, n), "message/rfc822", message.ContentId, false, WriteMessage(message));
        }
        var part = (MimePart)entity;
        using var buffer = new MemoryStream();
        try
        {
            part.Content?.DecodeTo(buffer);
        }
        catch (Exception e) when (e is FormatException or InvalidOperationException or IOException)
        {
            // Keep what decoded; the raw original is always downloadable.
        }
        var type = part.ContentType.MimeType.ToLowerInvariant();
        var name = part.FileName;
        if (string.IsNullOrWhiteSpace(name) && type is "message/delivery-status" or "message/disposition-notification" or "text/rfc822-headers")
        {
            name = type.Replace('/', '-') + ".txt";
        }
        if (string.IsNullOrWhiteSpace(name))
        {
            name = $"attachment-{n}" + (MimeTypes.TryGetExtension(type, out var extension) ? extension : ".bin");
        }
        var inline = part.ContentDisposition?.Disposition?.Equals(ContentDisposition.Inline, StringComparison.OrdinalIgnoreCase) == true
            || (part.ContentDisposition is null && part.ContentId is not null);
        return new MailAttachment(name, type, part.ContentId, inline, buffer.ToArray());
    }

    private static string AttachedMessageName(MessagePart part, int n)
    {
        var subject = part.Message?.Subject;
        return (string.IsNullOrWhiteSpace(subject) ? $"message-{n}" : subject.Trim()) + ".eml";
    }

    private static byte[] WriteMessage(MessagePart part)
    {
        using var buffer = new MemoryStream();
        part.Message?.WriteTo(buffer);
        return buffer.ToArray();
    }

    private static string? ReturnPath(MimeMessage message)
    {
        var value = message.Headers[HeaderId.ReturnPath];
        return value?.Trim().Trim('<', '>').Trim();
    }
}
