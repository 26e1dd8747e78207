using Ateb.Features.Agents;
using Ateb.Features.Chat;
using Ateb.Tests.Testing;
using Microsoft.AspNetCore.SignalR.Client;

namespace Ateb.Tests.Features.Chat;

/// <summary>Accepting a chat while the visitor keeps writing (both move the chat's ticket) still takes it.</summary>
public sealed class ChatAcceptRaceTests(ChatApp app) : IClassFixture<ChatApp>
{
    [Fact]
    public async Task An_offer_accepted_while_the_visitor_writes_is_taken_and_every_line_is_kept()
    {
        var ws = await app.CreateWorkspaceAsync();
        var (client, seat) = await ws.AddAgentAsync(Role.Agent);
        await using var agent = await ChatTesting.AgentAsync(app, client, seat);
        for (var round = 0; round < 6; round++)
        {
            await using var visitor = await ChatTesting.VisitorAsync(app, ws);
            await visitor.HelloAsync();
            var first = await visitor.SendAsync($"Round {round}: hello");
            var offer = await agent.Offers.NextAsync(o => o.ConversationId == first.Conversation.Id);
            var lines = Task.Run(async () =>
            {
                for (var i = 0; i < 8; i++)
                {
                    await visitor.SendAsync($"Round {round}: line {i}");
                }
            });
            var detail = await agent.Connection.InvokeAsync<ChatDetail>("Accept", offer.ConversationId);
            await lines;
            Assert.Equal(ChatState.Active, detail.Chat.State);
            var all = await agent.Connection.InvokeAsync<ChatDetail>("Open", offer.ConversationId, (Guid?)null);
            Assert.Equal(9, all.Messages.Count(m => m.Author == ChatAuthor.Visitor));
            await agent.Connection.InvokeAsync<ChatSummary>("End", offer.ConversationId);
        }
    }
}
