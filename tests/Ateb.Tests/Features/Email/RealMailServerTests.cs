using System.Net;
using System.Net.Sockets;
using Ateb.Features.Email;
using Ateb.Features.Tickets;
using MailKit;
using MailKit.Net.Imap;
using MailKit.Net.Smtp;
using MailKit.Search;
using MailKit.Security;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MimeKit;

namespace Ateb.Tests.Features.Email;

/// <summary>Ateb with fast mailbox polling, for the real-server tests.</summary>
public sealed class MailServerApp : AtebApp
{
    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Email:RefreshInterval"] = "00:00:00.200",
        ["Outbox:MaxDelay"] = "00:00:02",
    };
}

/// <summary>
/// The whole email loop through real servers started by ./test.sh: Postfix (SMTP) delivering into Dovecot (IMAP). A customer's mail
/// sent through Postfix becomes a ticket, the agent's reply reaches the customer's mailbox with the right threading headers, the
/// customer's answer lands in the same ticket; bounces, a dead SMTP server and a hanging IMAP server are handled.
/// </summary>
[Collection(RealMailServers.Name)]
public sealed class RealMailServerTests(MailServerApp app) : IClassFixture<MailServerApp>
{
    private static string Address(string user) => $"{user}@{RealMailServers.Domain}";

    private async Task<(TestWorkspace Ws, MailboxResponse Mailbox)> SetupAsync(string user, int? smtpPort = null, bool autoAcknowledge = false)
    {
        // Earlier tests' mailboxes read the same server accounts: switch them off so each test sees only its own.
        await app.WithRawDbAsync(db => db.Mailboxes.IgnoreQueryFilters().ExecuteUpdateAsync(s => s.SetProperty(m => m.Enabled, false)));
        await RealMailServers.EmptyInboxAsync(user);
        var ws = await app.CreateWorkspaceAsync();
        var mailbox = await ws.CreateMailboxAsync(Address(user), new
        {
            autoAcknowledge,
            imap = new { host = "127.0.0.1", port = RealMailServers.ImapPort, security = "none", user = Address(user), secret = RealMailServers.Password },
            smtp = new { host = "127.0.0.1", port = smtpPort ?? RealMailServers.SmtpPort, security = "none" },
        });
        return (ws, mailbox);
    }

    [Fact]
    public async Task A_customer_mail_becomes_a_ticket_the_reply_arrives_threaded_and_the_answer_lands_in_the_same_ticket()
    {
        var (ws, mailbox) = await SetupAsync("support", autoAcknowledge: true);
        await RealMailServers.EmptyInboxAsync("customer");
        var first = new MimeMessage();
        first.From.Add(new MailboxAddress("Sara Ahmadi", Address("customer")));
        first.To.Add(MailboxAddress.Parse(mailbox.Address));
        first.Subject = "سفارش من کجاست؟";
        first.Body = new TextPart("plain") { Text = "سلام، سفارش ۱۲۳۴ من هنوز نرسیده است." };
        await RealMailServers.SendAsync(first);

        var ticket = await WaitForTicketAsync(ws, t => t.Subject == "سفارش من کجاست؟");
        Assert.Equal(Channel.Email, ticket.Channel);
        Assert.Equal("Sara Ahmadi", ticket.Requester.Name);

        var reply = await (await ws.Owner.PostAsJsonAsync($"/api/v1/tickets/{ticket.Id}/messages",
            new { text = "سلام سارا، بسته فردا می‌رسد.", attachments = new[] { new { fileName = "رسید.txt", contentType = "text/plain", contentBase64 = Convert.ToBase64String("receipt"u8.ToArray()) } } }))
            .ReadAsync<MessageResponse>();
        Assert.Equal(DeliveryStatus.Queued, reply.Delivery);
        await ws.WaitForDeliveryAsync(ticket.Id, reply.Id, DeliveryStatus.Sent);

        // In the customer's own mailbox: the acknowledgement and the reply, threaded onto the customer's mail.
        var received = await RealMailServers.WaitForMailAsync("customer", m => m.Subject?.Contains("Re:", StringComparison.Ordinal) == true);
        Assert.Equal(first.MessageId, received.InReplyTo);
        Assert.Contains(first.MessageId, received.References);
        Assert.Contains($"[#{ticket.Number}]", received.Subject, StringComparison.Ordinal);
        Assert.Equal(mailbox.Address, received.From.Mailboxes.Single().Address);
        Assert.Contains("dir=\"auto\"", received.HtmlBody, StringComparison.Ordinal);
        Assert.Contains("بسته فردا می‌رسد", received.TextBody, StringComparison.Ordinal);
        Assert.Equal("رسید.txt", received.Attachments.OfType<MimePart>().Single().FileName);
        Assert.Null(received.Headers["Auto-Submitted"]);
        var ack = await RealMailServers.WaitForMailAsync("customer", m => m.Headers["Auto-Submitted"] == "auto-replied");
        Assert.Contains($"[#{ticket.Number}]", ack.Subject, StringComparison.Ordinal);

        // The customer answers from their mail client: same ticket, reopened for the agents.
        var answer = new MimeMessage();
        answer.From.Add(MailboxAddress.Parse(Address("customer")));
        answer.To.Add(MailboxAddress.Parse(mailbox.Address));
        answer.Subject = "Re: " + received.Subject;
        answer.InReplyTo = received.MessageId;
        foreach (var id in received.References.Append(received.MessageId!))
        {
            answer.References.Add(id);
        }
        answer.Body = new TextPart("plain") { Text = "ممنون!\n\n> سلام سارا، بسته فردا می‌رسد." };
        await RealMailServers.SendAsync(answer);
        var messages = await WaitForMessagesAsync(ws, ticket.Id, m => m.Count(x => x.Direction == Direction.Inbound) == 2);
        var last = messages.Last(m => m.Direction == Direction.Inbound);
        Assert.StartsWith("ممنون!", last.BodyText, StringComparison.Ordinal);
        Assert.Equal(1, await ws.DbAsync(db => db.Tickets.CountAsync()));
        // Our own sent mail never came back in as a message.
        Assert.Equal(2, messages.Count(m => m.Direction == Direction.Inbound));
    }

    [Fact]
    public async Task A_bounce_for_an_unknown_recipient_marks_the_reply_failed()
    {
        var (ws, mailbox) = await SetupAsync("support2");
        // A ticket from an address that does not exist (it came in through the pipe, as forwarded mail would).
        var nobody = Address("nobody-" + Guid.NewGuid().ToString("N")[..8]);
        var piped = await ws.DeliverAsync(app, mailbox, MailTesting.Mail(nobody, mailbox.Address, "Call me back", "Please."));
        var reply = await (await ws.Owner.PostAsJsonAsync($"/api/v1/tickets/{piped.TicketId}/messages", new { text = "Calling!" })).ReadAsync<MessageResponse>();
        // Postfix accepts it, Dovecot refuses the recipient, Postfix sends a DSN back to the mailbox, which Ateb fetches.
        var failed = await ws.WaitForDeliveryAsync(piped.TicketId!.Value, reply.Id, DeliveryStatus.Failed, seconds: 90);
        Assert.StartsWith("Bounced:", failed.DeliveryError, StringComparison.Ordinal);
        Assert.Equal(1, await ws.DbAsync(db => db.Tickets.CountAsync()));
        Assert.NotNull((await ws.DbAsync(db => db.CustomerIdentities.SingleAsync(i => i.Normalized == nobody))).UndeliverableAt);
    }

    [Fact]
    public async Task A_reply_the_SMTP_server_refuses_outright_fails_with_its_words()
    {
        var (ws, mailbox) = await SetupAsync("support2");
        // Postfix relays only for its own domain: a customer elsewhere is refused with 554 at RCPT time.
        var piped = await ws.DeliverAsync(app, mailbox, MailTesting.Mail("someone@elsewhere.example", mailbox.Address, "Elsewhere", "Hi."));
        var reply = await (await ws.Owner.PostAsJsonAsync($"/api/v1/tickets/{piped.TicketId}/messages", new { text = "Hello there." })).ReadAsync<MessageResponse>();
        var failed = await ws.WaitForDeliveryAsync(piped.TicketId!.Value, reply.Id, DeliveryStatus.Failed);
        Assert.StartsWith("The mail server refused it: 554", failed.DeliveryError, StringComparison.Ordinal);
        Assert.Equal(1, await ws.DbAsync(db => db.OutboxMessages.CountAsync(o => o.Kind == SmtpMailSender.KindName && o.Attempts == 1)));
    }

    [Fact]
    public async Task With_the_SMTP_server_down_the_reply_waits_and_goes_out_once_it_is_back()
    {
        using var closed = new TcpListener(IPAddress.Loopback, 0);
        closed.Start();
        var deadPort = ((IPEndPoint)closed.LocalEndpoint).Port;
        closed.Stop();
        var (ws, mailbox) = await SetupAsync("support", smtpPort: deadPort);
        await RealMailServers.EmptyInboxAsync("customer2");
        var piped = await ws.DeliverAsync(app, mailbox, MailTesting.Mail(Address("customer2"), mailbox.Address, "Refund", "Where is it?"));
        var reply = await (await ws.Owner.PostAsJsonAsync($"/api/v1/tickets/{piped.TicketId}/messages", new { text = "On its way." })).ReadAsync<MessageResponse>();

        var waiting = await WaitForErrorAsync(ws, piped.TicketId!.Value, reply.Id);
        Assert.Equal(DeliveryStatus.Queued, waiting.Delivery);
        Assert.StartsWith("Retrying:", waiting.DeliveryError, StringComparison.Ordinal);

        (await ws.Owner.PatchAsJsonAsync($"/api/v1/mailboxes/{mailbox.Id}", new { smtp = new { port = RealMailServers.SmtpPort } })).EnsureSuccessStatusCode();
        await ws.WaitForDeliveryAsync(piped.TicketId.Value, reply.Id, DeliveryStatus.Sent);
        var arrived = await RealMailServers.WaitForMailAsync("customer2", m => m.Subject?.Contains("Refund", StringComparison.Ordinal) == true);
        Assert.Equal("<" + arrived.MessageId + ">", "<" + (await EnvelopeIdAsync(ws, reply.Id)) + ">");
    }

    [Fact]
    public async Task A_hanging_mailbox_does_not_delay_the_others_and_resyncs_cause_no_duplicates()
    {
        // A server that accepts connections and never says a word.
        using var silent = new TcpListener(IPAddress.Loopback, 0);
        silent.Start();
        var held = new List<TcpClient>();
        _ = Task.Run(async () =>
        {
            for (var i = 0; i < 20; i++)
            {
                held.Add(await silent.AcceptTcpClientAsync());
            }
        });
        var (ws, mailbox) = await SetupAsync("support");
        var hanging = await ws.CreateMailboxAsync("hanging@" + RealMailServers.Domain, new
        {
            imap = new { host = "127.0.0.1", port = ((IPEndPoint)silent.LocalEndpoint).Port, security = "none", user = "x", secret = "y" },
        });
        Assert.NotNull(hanging);

        await RealMailServers.SendAsync(Simple(Address("customer"), mailbox.Address, "First"));
        await WaitForTicketAsync(ws, t => t.Subject == "First");

        // As if the server had renumbered the folder, and as if we had crashed before remembering the last UID.
        await ws.DbAsync(db => db.Mailboxes.Where(m => m.Id == mailbox.Id)
            .ExecuteUpdateAsync(s => s.SetProperty(m => m.UidValidity, 1u).SetProperty(m => m.LastUid, 0u)));
        await RealMailServers.SendAsync(Simple(Address("customer"), mailbox.Address, "Second"));
        await WaitForTicketAsync(ws, t => t.Subject == "Second");
        await Task.Delay(500);
        var subjects = await ws.DbAsync(db => db.Tickets.Select(t => t.Subject).ToListAsync());
        Assert.Equal(["First", "Second"], subjects.Order());
        var stored = await ws.DbAsync(db => db.InboundMails.CountAsync(m => m.MailboxId == mailbox.Id));
        Assert.Equal(2, stored);
        foreach (var client in held)
        {
            client.Dispose();
        }
    }

    private static MimeMessage Simple(string from, string to, string subject)
    {
        var message = new MimeMessage();
        message.From.Add(MailboxAddress.Parse(from));
        message.To.Add(MailboxAddress.Parse(to));
        message.Subject = subject;
        message.Body = new TextPart("plain") { Text = "Hello." };
        return message;
    }

    private static async Task<TicketResponse> WaitForTicketAsync(TestWorkspace ws, Func<TicketResponse, bool> match)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            var page = await (await ws.Owner.GetAsync("/api/v1/tickets?limit=100")).ReadAsync<TicketPage>();
            if (page.Items.FirstOrDefault(match) is { } found)
            {
                return found;
            }
            Assert.True(DateTime.UtcNow < deadline, "no such ticket: " + string.Join(", ", page.Items.Select(t => t.Subject)));
            await Task.Delay(200);
        }
    }

    private static async Task<MessageResponse[]> WaitForMessagesAsync(TestWorkspace ws, Guid ticketId, Func<MessageResponse[], bool> done)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            var detail = await (await ws.Owner.GetAsync($"/api/v1/tickets/{ticketId}")).ReadAsync<TicketDetailResponse>();
            if (done(detail.Messages))
            {
                return detail.Messages;
            }
            Assert.True(DateTime.UtcNow < deadline, "messages: " + string.Join(" | ", detail.Messages.Select(m => m.Direction + ": " + m.BodyText)));
            await Task.Delay(200);
        }
    }

    private static async Task<MessageResponse> WaitForErrorAsync(TestWorkspace ws, Guid ticketId, Guid messageId)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            var detail = await (await ws.Owner.GetAsync($"/api/v1/tickets/{ticketId}")).ReadAsync<TicketDetailResponse>();
            var message = detail.Messages.Single(m => m.Id == messageId);
            if (message.DeliveryError is not null)
            {
                return message;
            }
            Assert.True(DateTime.UtcNow < deadline, $"no delivery error yet: {message.Delivery}");
            await Task.Delay(100);
        }
    }

    private static Task<string> EnvelopeIdAsync(TestWorkspace ws, Guid messageId) =>
        ws.DbAsync(db => db.MailEnvelopes.Where(e => e.MessageId == messageId).Select(e => e.InternetMessageId).SingleAsync());
}

[CollectionDefinition(RealMailServers.Name, DisableParallelization = true)]
public sealed class RealMailServersCollection;

/// <summary>The Dovecot and Postfix that ./test.sh starts (scripts/mail.sh). Missing servers fail the tests: they are not optional.</summary>
public static class RealMailServers
{
    public const string Name = "real mail servers";

    public static string Domain => Environment.GetEnvironmentVariable("ATEB_TEST_MAIL_DOMAIN") ?? "example.test";

    public static string Password => Environment.GetEnvironmentVariable("ATEB_TEST_MAIL_PASSWORD") ?? "secret";

    public static int ImapPort => Port("ATEB_TEST_IMAP_PORT");

    public static int SmtpPort => Port("ATEB_TEST_SMTP_PORT");

    private static int Port(string variable) => int.TryParse(Environment.GetEnvironmentVariable(variable), out var port)
        ? port
        : throw new InvalidOperationException($"{variable} is not set: the real-mail-server tests need the Dovecot and Postfix that ./test.sh starts (scripts/mail.sh).");

    public static async Task SendAsync(MimeMessage message)
    {
        using var client = new SmtpClient();
        await client.ConnectAsync("127.0.0.1", SmtpPort, SecureSocketOptions.None);
        await client.SendAsync(message);
        await client.DisconnectAsync(true);
    }

    public static async Task<ImapClient> ConnectAsync(string user)
    {
        var client = new ImapClient();
        await client.ConnectAsync("127.0.0.1", ImapPort, SecureSocketOptions.None);
        await client.AuthenticateAsync($"{user}@{Domain}", Password);
        await client.Inbox.OpenAsync(FolderAccess.ReadWrite);
        return client;
    }

    public static async Task EmptyInboxAsync(string user)
    {
        using var client = await ConnectAsync(user);
        var all = await client.Inbox.SearchAsync(SearchQuery.All);
        if (all.Count > 0)
        {
            await client.Inbox.StoreAsync(all, new StoreFlagsRequest(StoreAction.Add, MailKit.MessageFlags.Deleted) { Silent = true });
            await client.Inbox.ExpungeAsync();
        }
        await client.DisconnectAsync(true);
    }

    public static async Task<MimeMessage> WaitForMailAsync(string user, Func<MimeMessage, bool> match, int seconds = 60)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (true)
        {
            using (var client = await ConnectAsync(user))
            {
                foreach (var uid in await client.Inbox.SearchAsync(SearchQuery.All))
                {
                    var message = await client.Inbox.GetMessageAsync(uid);
                    if (match(message))
                    {
                        return message;
                    }
                }
            }
            Assert.True(DateTime.UtcNow < deadline, $"no matching mail arrived for {user}");
            await Task.Delay(250);
        }
    }
}
