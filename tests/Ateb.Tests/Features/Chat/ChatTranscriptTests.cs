using Ateb.Features.Agents;
using Ateb.Features.Chat;
using Ateb.Tests.Features.Email;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.EntityFrameworkCore;

namespace Ateb.Tests.Features.Chat;

/// <summary>"Email me this chat" through the real Postfix and Dovecot that ./test.sh starts.</summary>
[Collection(RealMailServers.Name)]
public sealed class ChatTranscriptTests(ChatApp app) : IClassFixture<ChatApp>
{
    [Fact]
    public async Task The_visitor_gets_the_chat_transcript_by_email_once_per_few_minutes()
    {
        await app.WithRawDbAsync(db => db.Mailboxes.IgnoreQueryFilters().ExecuteUpdateAsync(s => s.SetProperty(m => m.Enabled, false)));
        await RealMailServers.EmptyInboxAsync("customer");
        var ws = await app.CreateWorkspaceAsync();
        await ws.CreateMailboxAsync($"support@{RealMailServers.Domain}", new
        {
            imap = new { host = "127.0.0.1", port = RealMailServers.ImapPort, security = "none", user = $"support@{RealMailServers.Domain}", secret = RealMailServers.Password },
            smtp = new { host = "127.0.0.1", port = RealMailServers.SmtpPort, security = "none" },
        });
        var (client, seat) = await ws.AddAgentAsync(Role.Agent);
        await using var agent = await ChatTesting.AgentAsync(app, client, seat);
        await using var visitor = await ChatTesting.VisitorAsync(app, ws);
        await visitor.HelloAsync();
        var sent = await visitor.SendAsync("Ble mae fy archeb?");
        await agent.Offers.NextAsync(o => o.ConversationId == sent.Conversation.Id);
        await agent.Connection.InvokeAsync<ChatDetail>("Accept", sent.Conversation.Id);
        await agent.SendAsync(sent.Conversation.Id, "Mae ar ei ffordd, yn cyrraedd yfory.");
        await agent.SendAsync(sent.Conversation.Id, "secret internal remark", note: true);

        var address = $"customer@{RealMailServers.Domain}";
        await visitor.Connection.InvokeAsync("Transcript", new TranscriptRequest(address));
        var again = await Assert.ThrowsAsync<HubException>(() => visitor.Connection.InvokeAsync("Transcript", new TranscriptRequest(address)));
        Assert.Contains("rate_limited", again.Message, StringComparison.Ordinal);
        var bad = await Assert.ThrowsAsync<HubException>(() => visitor.Connection.InvokeAsync("Transcript", new TranscriptRequest("not an address")));
        Assert.Contains("invalid", bad.Message, StringComparison.Ordinal);

        var mail = await RealMailServers.WaitForMailAsync("customer", m => m.Subject?.Contains("transcript", StringComparison.Ordinal) == true);
        Assert.Contains("Ble mae fy archeb?", mail.TextBody, StringComparison.Ordinal);
        Assert.Contains("Mae ar ei ffordd, yn cyrraedd yfory.", mail.TextBody, StringComparison.Ordinal);
        Assert.DoesNotContain("secret internal remark", mail.TextBody, StringComparison.Ordinal);
        Assert.Equal("auto-generated", mail.Headers["Auto-Submitted"]);
    }
}
