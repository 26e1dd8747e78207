using Ateb.Features.Email;
using Ateb.Features.Email.Pages;
using Microsoft.EntityFrameworkCore;

namespace Ateb.Tests.Features.Email;

public sealed class MailboxFormTests(AtebApp app) : IClassFixture<AtebApp>
{
    [Fact]
    public void Empty_secret_fields_keep_the_stored_secrets_and_cleared_text_fields_remove_their_values()
    {
        var form = new MailboxForm
        {
            Name = "  Support ", Address = " help@example.com ", FromName = null, ImapHost = null, ImapUser = "", ImapSecret = "",
            ImapFolder = " ", SmtpHost = "smtp.example.com", SmtpSecret = " pass with spaces ",
        };

        var request = form.ToRequest();

        Assert.Equal("Support", request.Name);
        Assert.Equal("help@example.com", request.Address);
        Assert.Equal("", request.FromName);
        Assert.Equal("", request.Imap!.Host);
        Assert.Equal("", request.Imap.User);
        Assert.Null(request.Imap.Secret);
        Assert.Null(request.ImapFolder);
        Assert.Equal(" pass with spaces ", request.Smtp!.Secret);
        Assert.Null(request.OAuth!.ClientSecret);
        Assert.Null(request.OAuth.RefreshToken);
        Assert.Equal("", request.OAuth.TokenEndpoint);
    }

    [Fact]
    public async Task Saving_the_form_unchanged_keeps_secrets_and_the_fetch_position()
    {
        var ws = await app.CreateWorkspaceAsync();
        var created = await (await ws.Owner.PostAsJsonAsync("/api/v1/mailboxes", new
        {
            name = "Support", address = "support@example.com", fromName = "Example", imap = new { host = "imap.example.com", port = 993, user = "support", secret = "imap-pass" },
            smtp = new { host = "smtp.example.com", port = 587, user = "support", secret = "smtp-pass" }, trustedAuthServId = "mx.example.com",
        }, Json.Options)).ReadAsync<MailboxResponse>();
        await ws.DbAsync(db => db.Mailboxes.Where(m => m.Id == created.Id).ExecuteUpdateAsync(s => s.SetProperty(m => m.LastUid, 42u).SetProperty(m => m.UidValidity, 7u)));
        var before = await ws.DbAsync(db => db.Mailboxes.AsNoTracking().SingleAsync(m => m.Id == created.Id));

        var form = MailboxForm.From(created);
        var saved = await (await ws.Owner.PatchAsJsonAsync($"/api/v1/mailboxes/{created.Id}", form.ToRequest(), Json.Options)).ReadAsync<MailboxResponse>();

        var after = await ws.DbAsync(db => db.Mailboxes.AsNoTracking().SingleAsync(m => m.Id == created.Id));
        Assert.Equal((42u, (uint?)7u), (after.LastUid, after.UidValidity));
        Assert.Equal(before.ImapSecretProtected, after.ImapSecretProtected);
        Assert.Equal(before.SmtpSecretProtected, after.SmtpSecretProtected);
        Assert.Equal((created.Name, created.Address, created.FromName, created.Imap, created.Smtp, created.ImapFolder, created.TrustedAuthServId, created.OAuth),
            (saved.Name, saved.Address, saved.FromName, saved.Imap, saved.Smtp, saved.ImapFolder, saved.TrustedAuthServId, saved.OAuth));
    }

    [Theory]
    [InlineData(false, "boom", "imap.example.com", true, MailboxHealth.Disabled)]
    [InlineData(true, "boom", "imap.example.com", true, MailboxHealth.Failing)]
    [InlineData(true, null, null, false, MailboxHealth.PipeOnly)]
    [InlineData(true, null, "imap.example.com", false, MailboxHealth.Waiting)]
    [InlineData(true, null, "imap.example.com", true, MailboxHealth.Working)]
    public void A_mailbox_at_a_glance(bool enabled, string? lastError, string? imapHost, bool polled, MailboxHealth expected)
    {
        var server = new MailServerResponse(imapHost, 993, MailSecurity.Auto, null, MailAuth.Password, false);
        var mailbox = new MailboxResponse(Guid.NewGuid(), "Support", "s@example.com", null, enabled, server, "INBOX", server with { Host = null }, false, null,
            "/pipe", polled ? DateTimeOffset.UtcNow : null, lastError, null, 0, DateTimeOffset.UtcNow, null, new MailOAuthResponse(null, null, false, null));

        Assert.Equal(expected, MailboxHealths.Of(mailbox));
    }
}
