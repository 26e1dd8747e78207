using Ateb.Features.Customers;
using Ateb.Features.Email;
using Ateb.Features.Tickets;
using Ateb.Infrastructure.Outbox;
using Ateb.Infrastructure.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Ateb.Tests.Features.Email;

/// <summary>Inbound mail through the raw-mail endpoint: threading, loops, bounces, quarantine. The real-server flows are in RealMailServerTests.</summary>
public sealed class EmailIngestTests(AtebApp app) : IClassFixture<AtebApp>
{
    private const string Support = "support@help.example";

    private async Task<(TestWorkspace Ws, MailboxResponse Mailbox)> SetupAsync(object? extra = null)
    {
        var ws = await app.CreateWorkspaceAsync();
        return (ws, await ws.CreateMailboxAsync(Support, extra));
    }

    private async Task<string> OurMessageIdAsync(TestWorkspace ws, Guid messageId)
    {
        var key = await ws.DbAsync(db => app.Services.GetRequiredService<MailKeys>().GetAsync(db, ws.Id, CancellationToken.None));
        return MessageIds.Create(key, messageId, Support);
    }

    private async Task<(Guid TicketId, Guid ReplyId, string ReplyMessageId)> TicketWithReplyAsync(TestWorkspace ws, MailboxResponse mailbox, string from)
    {
        var first = await ws.DeliverAsync(app, mailbox, MailTesting.Mail(from, Support, "Printer on fire", "It is burning."));
        var reply = await (await ws.Owner.PostAsJsonAsync($"/api/v1/tickets/{first.TicketId}/messages", new { text = "Put it out, please." }))
            .ReadAsync<MessageResponse>();
        return (first.TicketId!.Value, reply.Id, await OurMessageIdAsync(ws, reply.Id));
    }

    [Fact]
    public async Task A_mail_becomes_a_ticket_and_the_same_mail_again_is_stored_once()
    {
        var (ws, mailbox) = await SetupAsync();
        var raw = MailTesting.Mail("Ana <ana@customer.example>", Support, "Where is my order?", "Order 1234 has not arrived.", "order-1@customer.example");
        var first = await ws.DeliverAsync(app, mailbox, raw);
        Assert.Equal(InboundMailState.Processed, first.State);
        var detail = await (await ws.Owner.GetAsync($"/api/v1/tickets/{first.TicketId}")).ReadAsync<TicketDetailResponse>();
        Assert.Equal("Where is my order?", detail.Ticket.Subject);
        Assert.Equal(Channel.Email, detail.Ticket.Channel);
        Assert.Equal("Ana", detail.Ticket.Requester.Name);
        Assert.Equal("Order 1234 has not arrived.", detail.Messages.Single().BodyText.Trim());

        var again = await (await app.PipeRawAsync(mailbox, raw)).ReadAsync<PipedMailResponse>();
        Assert.True(again.Duplicate);
        Assert.Equal(first.Id, again.InboundMailId);
        // Same Message-ID, different bytes (a second copy via another route): one message.
        var copy = await ws.DeliverAsync(app, mailbox, raw.Replace("Subject:", "X-Forwarded: yes\r\nSubject:", StringComparison.Ordinal));
        Assert.Equal(first.MessageId, copy.MessageId);
        Assert.Equal(1, await ws.DbAsync(db => db.Messages.CountAsync()));
    }

    [Fact]
    public async Task The_raw_endpoint_needs_the_mailbox_secret_and_a_body()
    {
        var (_, mailbox) = await SetupAsync();
        var wrong = await app.PipeRawAsync(mailbox, MailTesting.Mail("a@b.example", Support, "s", "b"), "mbx_wrong");
        Assert.Equal(HttpStatusCode.NotFound, wrong.StatusCode);
        var empty = await app.PipeRawAsync(mailbox, []);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, empty.StatusCode);
        Assert.True((await empty.ProblemAsync()).GetProperty("errors").TryGetProperty("body", out _));
    }

    [Fact]
    public async Task A_reply_to_our_signed_message_id_continues_the_ticket_but_not_for_a_stranger()
    {
        var (ws, mailbox) = await SetupAsync();
        var (ticketId, _, ourId) = await TicketWithReplyAsync(ws, mailbox, "ana@customer.example");
        var headers = $"In-Reply-To: <{ourId}>\r\nReferences: <{ourId}>";

        var reply = await ws.DeliverAsync(app, mailbox, MailTesting.Mail("ana@customer.example", Support, "Re: Printer on fire", "Done.", headers: headers));
        Assert.Equal(ticketId, reply.TicketId);

        var stranger = await ws.DeliverAsync(app, mailbox, MailTesting.Mail("eve@attacker.example", Support, "Re: Printer on fire", "Let me in.", headers: headers));
        Assert.NotEqual(ticketId, stranger.TicketId);

        // A made-up id for a real message, with a wrong signature, names nothing.
        var forged = ourId[..33] + "00000000000000000000" + ourId[53..];
        var guess = await ws.DeliverAsync(app, mailbox, MailTesting.Mail("mallory@attacker.example", Support, "Hello", "x", headers: $"In-Reply-To: <{forged}>"));
        Assert.NotEqual(ticketId, guess.TicketId);
        Assert.Null(MessageIds.Verify(new byte[32], ourId));
    }

    [Fact]
    public async Task The_ticket_number_in_the_subject_threads_only_for_participants_and_only_when_DMARC_passed()
    {
        var (ws, mailbox) = await SetupAsync();
        var (ticketId, _, _) = await TicketWithReplyAsync(ws, mailbox, "ana@customer.example");
        var number = (await (await ws.Owner.GetAsync($"/api/v1/tickets/{ticketId}")).ReadAsync<TicketDetailResponse>()).Ticket.Number;
        var subject = $"Re: Printer on fire [#{number}]";

        var own = await ws.DeliverAsync(app, mailbox, MailTesting.Mail("ana@customer.example", Support, subject, "Still burning."));
        Assert.Equal(ticketId, own.TicketId);

        var stranger = await ws.DeliverAsync(app, mailbox, MailTesting.Mail("eve@attacker.example", Support, subject, "Add me."));
        Assert.NotEqual(ticketId, stranger.TicketId);

        var spoofed = await ws.DeliverAsync(app, mailbox, MailTesting.Mail("ana@customer.example", Support, subject, "Spoofed.",
            headers: "Authentication-Results: mx.help.example; spf=fail smtp.mailfrom=customer.example; dmarc=fail header.from=customer.example"));
        Assert.NotEqual(ticketId, spoofed.TicketId);
        var message = (await ws.MessagesAsync(spoofed.TicketId!.Value)).Single();
        Assert.True(message.Flags.HasFlag(MessageFlags.DmarcFailed));
    }

    [Fact]
    public async Task Only_the_topmost_or_trusted_authentication_results_count()
    {
        var (ws, mailbox) = await SetupAsync(new { trustedAuthServId = "mx.help.example" });
        // The sender added a "pass" of its own below ours; ours (from the trusted server) says fail.
        var headers = "Authentication-Results: mx.help.example; dmarc=fail header.from=customer.example\r\n"
            + "Authentication-Results: evil.example; dmarc=pass header.from=customer.example";
        var mail = await ws.DeliverAsync(app, mailbox, MailTesting.Mail("ana@customer.example", Support, "Hi", "x", headers: headers));
        Assert.True((await ws.MessagesAsync(mail.TicketId!.Value)).Single().Flags.HasFlag(MessageFlags.DmarcFailed));
        var forgedPass = await ws.DeliverAsync(app, mailbox, MailTesting.Mail("bob@customer.example", Support, "Hi", "y",
            headers: "Authentication-Results: evil.example; dmarc=fail header.from=customer.example"));
        Assert.False((await ws.MessagesAsync(forgedPass.TicketId!.Value)).Single().Flags.HasFlag(MessageFlags.DmarcFailed));
    }

    [Fact]
    public async Task An_Outlook_reply_that_rewrote_our_ids_still_finds_the_ticket_through_the_customers_own_ids()
    {
        var (ws, mailbox) = await SetupAsync();
        var first = await ws.DeliverAsync(app, mailbox, MailTesting.Mail("ana@customer.example", Support, "Invoice", "Wrong amount.", "orig-77@customer.example"));
        // Exchange replaced our Message-ID with its own; the reply refers to that and to the customer's first mail; the subject is localized.
        var reply = await ws.DeliverAsync(app, mailbox, MailTesting.Mail("ana@customer.example", Support, "AW: Invoice", "Any news?",
            headers: "In-Reply-To: <AM0PR01MB1234.eurprd01.prod.outlook.com>\r\nReferences: <orig-77@customer.example> <AM0PR01MB1234.eurprd01.prod.outlook.com>\r\nThread-Index: AQHZ"));
        Assert.Equal(first.TicketId, reply.TicketId);
    }

    [Fact]
    public async Task Someone_the_customer_copied_in_may_reply_into_the_ticket_and_gets_our_replies()
    {
        var (ws, mailbox) = await SetupAsync();
        var first = await ws.DeliverAsync(app, mailbox, MailTesting.Mail("ana@customer.example", Support, "Team access", "Please add Bob.",
            headers: "Cc: Bob <bob@customer.example>"));
        var reply = await (await ws.Owner.PostAsJsonAsync($"/api/v1/tickets/{first.TicketId}/messages", new { text = "Done." })).ReadAsync<MessageResponse>();
        var ourId = await OurMessageIdAsync(ws, reply.Id);
        var bob = await ws.DeliverAsync(app, mailbox, MailTesting.Mail("bob@customer.example", Support, "Re: Team access", "Thanks!",
            headers: $"In-Reply-To: <{ourId}>"));
        Assert.Equal(first.TicketId, bob.TicketId);
        var participants = await ws.DbAsync(db => db.TicketParticipants.Where(p => p.TicketId == first.TicketId).CountAsync());
        Assert.Equal(1, participants);
    }

    [Fact]
    public async Task Automatic_mail_is_stored_but_never_reopens_a_ticket_nor_gets_an_acknowledgement()
    {
        var (ws, mailbox) = await SetupAsync(new { autoAcknowledge = true });
        var (ticketId, _, ourId) = await TicketWithReplyAsync(ws, mailbox, "ana@customer.example");
        (await ws.Owner.PatchAsJsonAsync($"/api/v1/tickets/{ticketId}", new { status = "solved" })).EnsureSuccessStatusCode();
        var acksBefore = await ws.DbAsync(db => db.Messages.CountAsync(m => m.AuthorKind == AuthorKind.System));

        string[] noise =
        [
            "Auto-Submitted: auto-replied",
            "Precedence: bulk",
            "Precedence: auto_reply",
            "X-Autoreply: yes",
            "X-Auto-Response-Suppress: All",
            "Return-Path: <>",
        ];
        foreach (var header in noise)
        {
            var mail = await ws.DeliverAsync(app, mailbox, MailTesting.Mail("ana@customer.example", Support, "Out of office", "I am away.",
                headers: $"{header}\r\nIn-Reply-To: <{ourId}>"));
            Assert.Equal(ticketId, mail.TicketId);
            var ticket = (await (await ws.Owner.GetAsync($"/api/v1/tickets/{ticketId}")).ReadAsync<TicketDetailResponse>()).Ticket;
            Assert.True(ticket.Status == TicketStatus.Solved, $"{header} reopened the ticket");
        }
        // A new ticket from automatic mail gets no acknowledgement either.
        await ws.DeliverAsync(app, mailbox, MailTesting.Mail("robot@customer.example", Support, "Newsletter", "Deals!", headers: "Precedence: list"));
        Assert.Equal(acksBefore, await ws.DbAsync(db => db.Messages.CountAsync(m => m.AuthorKind == AuthorKind.System)));
        var stored = await ws.DbAsync(db => db.Messages.CountAsync(m => m.Flags.HasFlag(MessageFlags.AutoSubmitted) && m.Direction == Direction.Inbound));
        Assert.Equal(noise.Length + 1, stored);

        // Auto-Submitted: no is a person.
        var human = await ws.DeliverAsync(app, mailbox, MailTesting.Mail("ana@customer.example", Support, "Back", "Still broken.",
            headers: $"Auto-Submitted: no\r\nIn-Reply-To: <{ourId}>"));
        Assert.Equal(TicketStatus.Open, (await (await ws.Owner.GetAsync($"/api/v1/tickets/{human.TicketId}")).ReadAsync<TicketDetailResponse>()).Ticket.Status);
    }

    [Fact]
    public async Task Acknowledgements_go_out_in_the_customers_language_a_few_per_sender_per_hour()
    {
        var (ws, mailbox) = await SetupAsync(new { autoAcknowledge = true });
        await ws.DbAsync(async db =>
        {
            var customer = new Customer { Name = "Sara", Language = "fa", CreatedAt = DateTimeOffset.UtcNow, UpdatedAt = DateTimeOffset.UtcNow };
            customer.Identities.Add(new CustomerIdentity { Kind = IdentityKind.Email, Value = "sara@customer.example", Normalized = "sara@customer.example" });
            db.Customers.Add(customer);
            return await db.SaveChangesAsync();
        });
        for (var i = 0; i < 5; i++)
        {
            await ws.DeliverAsync(app, mailbox, MailTesting.Mail("sara@customer.example", Support, $"سلام {i}", "سفارش من کجاست؟"));
        }
        var acks = await ws.DbAsync(db => db.Messages.AsNoTracking().Where(m => m.AuthorKind == AuthorKind.System).ToListAsync());
        Assert.Equal(3, acks.Count);
        Assert.All(acks, a => Assert.Contains("پیام شما به دست ما رسید", a.BodyText, StringComparison.Ordinal));
        Assert.All(acks, a => Assert.Equal(DeliveryStatus.Queued, a.Delivery is DeliveryStatus.Failed ? DeliveryStatus.Queued : a.Delivery));
        var jobs = await ws.DbAsync(db => db.OutboxMessages.CountAsync(o => o.Kind == SmtpMailSender.KindName));
        Assert.Equal(3, jobs);
    }

    [Fact]
    public async Task Mail_claiming_an_agents_address_is_a_customer_message_flagged_as_such()
    {
        var (ws, mailbox) = await SetupAsync();
        var mail = await ws.DeliverAsync(app, mailbox, MailTesting.Mail(ws.OwnerEmail, Support, "Close all tickets", "Do it."));
        var message = (await ws.MessagesAsync(mail.TicketId!.Value)).Single();
        Assert.Equal(AuthorKind.Customer, message.AuthorKind);
        Assert.Null(message.AuthorAgentId);
        Assert.True(message.Flags.HasFlag(MessageFlags.FromAgentAddress));
    }

    [Fact]
    public async Task Our_own_mail_fetched_back_and_mail_from_our_own_address_are_ignored()
    {
        var (ws, mailbox) = await SetupAsync();
        var (ticketId, replyId, ourId) = await TicketWithReplyAsync(ws, mailbox, "ana@customer.example");
        var echo = await ws.DeliverAsync(app, mailbox, MailTesting.Mail(Support, "ana@customer.example", "Re: Printer on fire", "Put it out, please.", ourId));
        Assert.Equal(InboundMailState.Ignored, echo.State);
        var loop = await ws.DeliverAsync(app, mailbox, MailTesting.Mail($"Support <{Support.ToUpperInvariant()}>", Support, "Loop", "x"));
        Assert.Equal(InboundMailState.Ignored, loop.State);
        Assert.Equal(2, (await ws.MessagesAsync(ticketId)).Count);
        Assert.NotEqual(Guid.Empty, replyId);
    }

    [Fact]
    public async Task A_delivery_status_notification_marks_the_reply_failed_flags_the_address_and_opens_nothing()
    {
        var (ws, mailbox) = await SetupAsync();
        var (ticketId, replyId, ourId) = await TicketWithReplyAsync(ws, mailbox, "ana@customer.example");
        var tickets = await ws.DbAsync(db => db.Tickets.CountAsync());
        var dsn = $"""
            From: MAILER-DAEMON@mx.help.example (Mail Delivery System)
            To: {Support}
            Subject: Undelivered Mail Returned to Sender
            Message-ID: <bounce-1@mx.help.example>
            Auto-Submitted: auto-replied
            MIME-Version: 1.0
            Content-Type: multipart/report; report-type=delivery-status; boundary="B"

            --B
            Content-Type: text/plain

            I'm sorry to have to inform you that your message could not be delivered.
            --B
            Content-Type: message/delivery-status

            Reporting-MTA: dns; mx.help.example

            Final-Recipient: rfc822; ana@customer.example
            Action: failed
            Status: 5.1.1
            Diagnostic-Code: smtp; 550 5.1.1 <ana@customer.example>: Recipient address rejected: User unknown

            --B
            Content-Type: text/rfc822-headers

            From: Ateb Support <{Support}>
            To: ana@customer.example
            Subject: Re: Printer on fire
            Message-ID: <{ourId}>

            --B--
            """.ReplaceLineEndings("\r\n");
        var bounce = await ws.DeliverAsync(app, mailbox, dsn);
        Assert.Equal(InboundMailState.Processed, bounce.State);
        Assert.Null(bounce.TicketId);
        Assert.Equal(tickets, await ws.DbAsync(db => db.Tickets.CountAsync()));
        var reply = await ws.WaitForDeliveryAsync(ticketId, replyId, DeliveryStatus.Failed);
        Assert.Contains("User unknown", reply.DeliveryError, StringComparison.Ordinal);
        var identity = await ws.DbAsync(db => db.CustomerIdentities.SingleAsync(i => i.Normalized == "ana@customer.example"));
        Assert.NotNull(identity.UndeliverableAt);
    }

    [Fact]
    public async Task Mail_that_keeps_failing_is_quarantined_with_its_error_and_never_blocks_the_mailbox()
    {
        var (ws, mailbox) = await SetupAsync();
        var broken = await ws.DbAsync(async db =>
        {
            var mail = new InboundMail
            {
                MailboxId = mailbox.Id, StorageKey = "2026/11/22/missing-blob", Size = 10, Sha256 = new string('0', 64), Source = "http",
                ReceivedAt = DateTimeOffset.UtcNow,
            };
            db.InboundMails.Add(mail);
            db.OutboxMessages.Add(EmailIngestSender.Job(mail.Id, DateTimeOffset.UtcNow));
            await db.SaveChangesAsync();
            return mail.Id;
        });
        app.Services.GetRequiredService<OutboxSignal>().Pulse();
        var fine = await ws.DeliverAsync(app, mailbox, MailTesting.Mail("ana@customer.example", Support, "Still here", "Hello."));
        Assert.Equal(InboundMailState.Processed, fine.State);

        var quarantined = await ws.WaitForInboundAsync(mailbox.Id, broken, InboundMailState.Quarantined);
        Assert.Equal(EmailIngestSender.Tries, quarantined.Attempts);
        Assert.Contains("missing", quarantined.Note, StringComparison.Ordinal);
        Assert.Equal(1, (await (await ws.Owner.GetAsync($"/api/v1/mailboxes/{mailbox.Id}")).ReadAsync<MailboxResponse>()).Quarantined);
        var listed = await (await ws.Owner.GetAsync($"/api/v1/mailboxes/{mailbox.Id}/inbound-mail?state=quarantined")).ReadAsync<InboundMailResponse[]>();
        Assert.Equal(broken, listed.Single().Id);

        // Retrying puts it back in the queue (it fails again here: the bytes are gone).
        var retry = await ws.Owner.PostAsync($"/api/v1/inbound-mail/{broken}/retry", null);
        Assert.Equal(HttpStatusCode.Accepted, retry.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, (await ws.Owner.PostAsync($"/api/v1/inbound-mail/{fine.Id}/retry", null)).StatusCode);

        // The original of any mail is downloadable as it came.
        var raw = await ws.Owner.GetAsync(fine.RawUrl);
        Assert.Equal("message/rfc822", raw.Content.Headers.ContentType?.MediaType);
        Assert.Contains("Subject: Still here", await raw.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Inline_images_become_attachments_and_remote_images_are_not_loaded()
    {
        var (ws, mailbox) = await SetupAsync();
        var png = Convert.ToBase64String([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 1, 2, 3]);
        var raw = $"""
            From: ana@customer.example
            To: {Support}
            Subject: Screenshot
            Message-ID: <shot-1@customer.example>
            MIME-Version: 1.0
            Content-Type: multipart/related; boundary="R"

            --R
            Content-Type: text/html; charset=utf-8

            <p dir="auto">See <img src="cid:shot@x"> and <img src="https://tracker.example/pixel.gif"></p><script>alert(1)</script>
            <blockquote type="cite">old stuff</blockquote>
            --R
            Content-Type: image/png
            Content-ID: <shot@x>
            Content-Transfer-Encoding: base64

            {png}
            --R--
            """.ReplaceLineEndings("\r\n");
        var mail = await ws.DeliverAsync(app, mailbox, raw);
        var detail = await (await ws.Owner.GetAsync($"/api/v1/tickets/{mail.TicketId}")).ReadAsync<TicketDetailResponse>();
        var message = detail.Messages.Single();
        var attachment = message.Attachments.Single();
        Assert.Equal("image/png", attachment.ContentType);
        Assert.Contains($"src=\"/api/v1/attachments/{attachment.Id}\"", message.BodyHtml, StringComparison.Ordinal);
        Assert.Contains("data-remote-src=\"https://tracker.example/pixel.gif\"", message.BodyHtml, StringComparison.Ordinal);
        Assert.DoesNotContain(" src=\"https://tracker", message.BodyHtml, StringComparison.Ordinal);
        Assert.DoesNotContain("<script", message.BodyHtml, StringComparison.Ordinal);
        Assert.Contains("ateb-fold", message.BodyHtml, StringComparison.Ordinal);
        var stored = (await ws.MessagesAsync(mail.TicketId!.Value)).Single();
        Assert.True(stored.Flags.HasFlag(MessageFlags.RemoteImagesBlocked));
        Assert.Equal(HttpStatusCode.OK, (await ws.Owner.GetAsync($"/api/v1/attachments/{attachment.Id}")).StatusCode);
    }

    [Theory]
    // Windows-1256 has no Farsi yeh nor Persian digits: Persian written in it uses the Arabic yeh and ASCII digits.
    [InlineData("persian-windows-1256.eml", "سفارش من هنوز نرسيده", "سلام، سفارش شماره 1234 من هنوز نرسيده است.")]
    [InlineData("arabic-iso-8859-6.eml", "طلبي لم يصل", "مرحبا، طلبي رقم 1234 لم يصل بعد.")]
    [InlineData("arabic-windows-1256-undeclared-headers.eml", "فاتورة خاطئة", "الفاتورة فيها مبلغ خاطئ.")]
    public async Task Persian_and_Arabic_mail_in_legacy_charsets_reads_right(string file, string subject, string body)
    {
        var (ws, mailbox) = await SetupAsync();
        var raw = await File.ReadAllBytesAsync(Path.Combine(AppContext.BaseDirectory, "Fixtures", "Mail", file));
        var piped = await (await app.PipeRawAsync(mailbox, raw)).ReadAsync<PipedMailResponse>();
        var mail = await ws.WaitForInboundAsync(mailbox.Id, piped.InboundMailId);
        var detail = await (await ws.Owner.GetAsync($"/api/v1/tickets/{mail.TicketId}")).ReadAsync<TicketDetailResponse>();
        Assert.Equal(subject, detail.Ticket.Subject);
        Assert.Contains(body, detail.Messages.Single().BodyText, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Mailbox_settings_are_validated_and_secrets_never_come_back()
    {
        var ws = await app.CreateWorkspaceAsync();
        var bad = await ws.Owner.PostAsJsonAsync("/api/v1/mailboxes", new { name = "x", address = "not-an-address", imap = new { host = "a b", port = 70000 } });
        Assert.Equal(HttpStatusCode.UnprocessableEntity, bad.StatusCode);
        var errors = (await bad.ProblemAsync()).GetProperty("errors");
        Assert.True(errors.TryGetProperty("address", out _));
        Assert.True(errors.TryGetProperty("imap.host", out _));
        Assert.True(errors.TryGetProperty("imap.port", out _));

        var created = await ws.Owner.PostAsJsonAsync("/api/v1/mailboxes", new
        {
            name = "Help", address = "Help@Shop.example", imap = new { host = "imap.shop.example", port = 993, user = "help", secret = "imap-password" },
            smtp = new { host = "smtp.shop.example", port = 587, security = "startTls", user = "help", auth = "oAuth2", secret = "ya29.token" },
        });
        var json = await created.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.DoesNotContain("imap-password", json, StringComparison.Ordinal);
        Assert.DoesNotContain("ya29", json, StringComparison.Ordinal);
        var mailbox = await created.ReadAsync<MailboxResponse>();
        Assert.Equal("help@shop.example", mailbox.Address);
        Assert.True(mailbox.Imap.HasSecret);
        Assert.Equal(MailAuth.OAuth2, mailbox.Smtp.Auth);
        Assert.StartsWith("mbx_", mailbox.PipeSecret, StringComparison.Ordinal);
        var stored = await ws.DbAsync(db => db.Mailboxes.SingleAsync());
        Assert.DoesNotContain("imap-password", stored.ImapSecretProtected, StringComparison.Ordinal);
        var fetched = await ws.Owner.GetStringAsync($"/api/v1/mailboxes/{mailbox.Id}");
        Assert.DoesNotContain("mbx_", fetched, StringComparison.Ordinal);

        var duplicate = await ws.Owner.PostAsJsonAsync("/api/v1/mailboxes", new { name = "Again", address = "help@shop.example" });
        Assert.Equal(HttpStatusCode.UnprocessableEntity, duplicate.StatusCode);
        var (agent, _) = await ws.AddAgentAsync(Ateb.Features.Agents.Role.Agent);
        Assert.Equal(HttpStatusCode.Forbidden, (await agent.GetAsync("/api/v1/mailboxes")).StatusCode);
    }

    [Fact]
    [Trait("Db", "none")]
    public void Outgoing_names_and_subjects_cannot_inject_headers()
    {
        Assert.Equal("Hi Bcc: victim@example.com", OutgoingMail.OneLine("Hi\r\nBcc: victim@example.com"));
        Assert.Equal("Re: Order [#12]", OutgoingMail.ReplySubject("Order", 12));
        Assert.Equal("Re: Order [#12]", OutgoingMail.ReplySubject("Re: Order [#12]", 12));
    }
}
