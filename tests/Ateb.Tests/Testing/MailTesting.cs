using Ateb.Features.Email;
using Ateb.Features.Tickets;
using Microsoft.EntityFrameworkCore;

namespace Ateb.Tests.Testing;

/// <summary>Mailboxes and raw mail for tests: create a mailbox through the API, pipe mail to it, wait until it is processed.</summary>
public static class MailTesting
{
    public static async Task<MailboxResponse> CreateMailboxAsync(this TestWorkspace ws, string address, object? extra = null)
    {
        var body = new Dictionary<string, object?> { ["name"] = "Support", ["address"] = address, ["fromName"] = "Ateb Support" };
        foreach (var property in extra?.GetType().GetProperties() ?? [])
        {
            body[property.Name] = property.GetValue(extra);
        }
        return await (await ws.Owner.PostAsJsonAsync("/api/v1/mailboxes", body)).ReadAsync<MailboxResponse>();
    }

    public static async Task<HttpResponseMessage> PipeRawAsync(this AtebApp app, MailboxResponse mailbox, string raw, string? secret = null) =>
        await app.PipeRawAsync(mailbox, System.Text.Encoding.UTF8.GetBytes(raw), secret);

    public static async Task<HttpResponseMessage> PipeRawAsync(this AtebApp app, MailboxResponse mailbox, byte[] raw, string? secret = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, mailbox.PipeUrl) { Content = new ByteArrayContent(raw) };
        request.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("message/rfc822");
        request.Headers.Add(MailboxesFeature.PipeSecretHeader, secret ?? mailbox.PipeSecret);
        return await app.CreateClient().SendAsync(request);
    }

    /// <summary>Pipes a mail and waits until it was processed (or quarantined); returns its final row.</summary>
    public static async Task<InboundMailResponse> DeliverAsync(this TestWorkspace ws, AtebApp app, MailboxResponse mailbox, string raw)
    {
        var piped = await (await app.PipeRawAsync(mailbox, raw)).ReadAsync<PipedMailResponse>();
        return await ws.WaitForInboundAsync(mailbox.Id, piped.InboundMailId);
    }

    public static async Task<InboundMailResponse> WaitForInboundAsync(this TestWorkspace ws, Guid mailboxId, Guid inboundId, InboundMailState? until = null)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            var rows = await (await ws.Owner.GetAsync($"/api/v1/mailboxes/{mailboxId}/inbound-mail?limit=500")).ReadAsync<InboundMailResponse[]>();
            var row = rows.FirstOrDefault(r => r.Id == inboundId);
            if (row is not null && (until is null ? row.State != InboundMailState.Pending : row.State == until))
            {
                return row;
            }
            Assert.True(DateTime.UtcNow < deadline, $"inbound mail {inboundId} is still {row?.State}: {row?.Note}");
            await Task.Delay(50);
        }
    }

    /// <summary>Waits until a message's delivery leaves Queued (or reaches the given state).</summary>
    public static async Task<MessageResponse> WaitForDeliveryAsync(this TestWorkspace ws, Guid ticketId, Guid messageId, DeliveryStatus until,
        int seconds = 60)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (true)
        {
            var detail = await (await ws.Owner.GetAsync($"/api/v1/tickets/{ticketId}")).ReadAsync<TicketDetailResponse>();
            var message = detail.Messages.First(m => m.Id == messageId);
            if (message.Delivery == until)
            {
                return message;
            }
            Assert.True(DateTime.UtcNow < deadline, $"message {messageId} is {message.Delivery}: {message.DeliveryError}");
            await Task.Delay(100);
        }
    }

    internal static Task<List<Message>> MessagesAsync(this TestWorkspace ws, Guid ticketId) =>
        ws.DbAsync(db => db.Messages.AsNoTracking().Where(m => m.TicketId == ticketId).OrderBy(m => m.CreatedAt).ToListAsync());

    /// <summary>A minimal RFC 5322 message; extra headers go in as written.</summary>
    public static string Mail(string from, string to, string subject, string body, string? messageId = null, string? headers = null) =>
        $"From: {from}\r\nTo: {to}\r\nSubject: {subject}\r\nDate: Sun, 22 Nov 2026 10:00:00 +0000\r\nMessage-ID: <{messageId ?? Guid.NewGuid().ToString("N") + "@customer.example"}>\r\n"
        + (headers is null ? "" : headers.TrimEnd() + "\r\n")
        + $"MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n{body}\r\n";
}
