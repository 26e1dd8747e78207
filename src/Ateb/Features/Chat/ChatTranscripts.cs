using System.Globalization;
using System.Text;
using System.Text.Json;
using Ateb.Infrastructure.Text;
using Ateb.Features.Email;
using Ateb.Features.Tickets;
using Ateb.Infrastructure.Data;
using Ateb.Infrastructure.Outbox;
using MailKit.Net.Smtp;
using Microsoft.EntityFrameworkCore;
using MimeKit;

namespace Ateb.Features.Chat;

/// <summary>
/// "Email me this chat": the visitor's public messages as a plain-text mail, sent through the outbox (so it survives a
/// restart) from the workspace's first mailbox that can send. At most one request per chat every few minutes.
/// </summary>
internal sealed class ChatTranscriptSender(IServiceScopeFactory scopes) : IOutboxSender
{
    public const string KindName = "chat-transcript";

    public string Kind => KindName;

    public static OutboxMessage Job(Guid chatId, string email, DateTimeOffset now) => new()
    {
        Kind = KindName, Payload = JsonSerializer.Serialize(new { chatId, email }), IdempotencyKey = $"transcript:{chatId:N}:{now.ToUnixTimeSeconds()}",
        CreatedAt = now, NextAttemptAt = now,
    };

    public async Task<SendResult> SendAsync(OutboxMessage job, CancellationToken ct)
    {
        var payload = JsonDocument.Parse(job.Payload).RootElement;
        var chatId = payload.GetProperty("chatId").GetGuid();
        var email = payload.GetProperty("email").GetString()!;
        await using var scope = scopes.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<WorkspaceScope>().Enter(job.WorkspaceId);
        var db = scope.ServiceProvider.GetRequiredService<AtebDb>();
        var chat = await db.ChatConversations.AsNoTracking().FirstOrDefaultAsync(c => c.Id == chatId, ct);
        if (chat is null)
        {
            return SendResult.PermanentFailure("The chat no longer exists.");
        }
        var mailbox = await db.Mailboxes.AsNoTracking().Where(m => m.Enabled && m.SmtpHost != null).OrderBy(m => m.CreatedAt).FirstOrDefaultAsync(ct);
        if (mailbox is null)
        {
            return SendResult.PermanentFailure("No enabled mailbox with an SMTP server to send from.");
        }
        var workspace = await db.Workspaces.AsNoTracking().FirstAsync(w => w.Id == job.WorkspaceId, ct);
        var ticket = await db.Tickets.AsNoTracking().FirstAsync(t => t.Id == chat.TicketId, ct);
        var messages = await db.Messages.AsNoTracking().Where(m => m.TicketId == chat.TicketId && m.IsPublic).OrderBy(m => m.CreatedAt).ThenBy(m => m.Id).ToListAsync(ct);
        var agents = await db.Memberships.AsNoTracking().Select(m => new { m.Id, m.Account!.DisplayName }).ToDictionaryAsync(m => m.Id, m => m.DisplayName, ct);
        var zone = workspace.Zone();
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"{workspace.Name}: chat #{ticket.Number}\n\n");
        foreach (var m in messages)
        {
            var who = m.AuthorKind switch
            {
                AuthorKind.Customer => "You",
                AuthorKind.Agent => m.AuthorAgentId is { } a && agents.TryGetValue(a, out var n) && n.Length > 0 ? ChatDesk.FirstName(n) : workspace.Name,
                _ => workspace.Name,
            };
            var at = TimeZoneInfo.ConvertTime(m.CreatedAt, zone);
            text.Append(CultureInfo.InvariantCulture, $"[{at:yyyy-MM-dd HH:mm}] {who}: {m.BodyText}\n");
            foreach (var file in await db.Attachments.AsNoTracking().Where(x => x.MessageId == m.Id).Select(x => x.FileName).ToListAsync(ct))
            {
                text.Append(CultureInfo.InvariantCulture, $"    (file: {file})\n");
            }
        }
        var mime = new MimeMessage();
        mime.From.Add(new MailboxAddress(mailbox.FromName ?? workspace.Name, mailbox.Address));
        mime.To.Add(MailboxAddress.Parse(email));
        mime.Subject = $"[#{ticket.Number}] {workspace.Name}: chat transcript";
        mime.MessageId = $"transcript.{chatId:N}.{job.Id:N}@{mailbox.Address.Split('@')[^1]}";
        mime.Headers.Add("Auto-Submitted", "auto-generated");
        mime.Body = new TextPart("plain") { Text = text.ToString() };
        try
        {
            using var client = new SmtpClient { Timeout = 30_000 };
            await MailConnections.ConnectAsync(client, mailbox.SmtpHost!, mailbox.SmtpPort, mailbox.SmtpSecurity, ct);
            if (!string.IsNullOrEmpty(mailbox.SmtpUser))
            {
                await MailConnections.SignInAsync(client, scope.ServiceProvider.GetRequiredService<MailCredentials>(), mailbox, smtp: true, ct);
            }
            await client.SendAsync(mime, ct);
            await client.DisconnectAsync(true, ct);
        }
        catch (SmtpCommandException e) when ((int)e.StatusCode >= 500)
        {
            return SendResult.PermanentFailure($"The mail server refused it: {(int)e.StatusCode} {e.Message}");
        }
        catch (Exception e) when (!ct.IsCancellationRequested && e is not OutOfMemoryException)
        {
            return SendResult.Retry($"{e.GetType().Name}: {e.Message}");
        }
        return SendResult.Ok;
    }

    /// <summary>Where a transcript may go: the address asked for, else the one the visitor gave; null when neither is an address.</summary>
    public static string? Recipient(string? asked, string? given) =>
        ContactAddresses.NormalizeEmail(string.IsNullOrWhiteSpace(asked) ? given : asked) is not null
            ? (string.IsNullOrWhiteSpace(asked) ? given : asked)!.Trim()
            : null;
}
