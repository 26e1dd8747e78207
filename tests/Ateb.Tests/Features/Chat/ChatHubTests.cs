using Ateb.Features.Agents;
using Ateb.Features.Chat;
using Ateb.Features.Tickets;
using Ateb.Tests.Testing;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.EntityFrameworkCore;

namespace Ateb.Tests.Features.Chat;

/// <summary>The chat hubs end to end with the real .NET SignalR client: visitor and agents, routing, marks, resync, authorization.</summary>
public sealed class ChatHubTests(ChatApp app) : IClassFixture<ChatApp>
{
    private static async Task<(AgentClient Agent, VisitorClient Visitor, ChatDetail Chat)> AcceptedChatAsync(ChatApp app, TestWorkspace ws, string text = "Hello, my order is late")
    {
        var (client, seat) = await ws.AddAgentAsync(Role.Agent);
        var agent = await ChatTesting.AgentAsync(app, client, seat);
        var visitor = await ChatTesting.VisitorAsync(app, ws);
        await visitor.HelloAsync();
        var sent = await visitor.SendAsync(text);
        var offer = await agent.Offers.NextAsync(o => o.ConversationId == sent.Conversation.Id);
        var detail = await agent.Connection.InvokeAsync<ChatDetail>("Accept", offer.ConversationId);
        return (agent, visitor, detail);
    }

    [Fact]
    public async Task A_visitor_message_is_offered_accepted_answered_read_and_ended_with_a_rating()
    {
        var ws = await app.CreateWorkspaceAsync();
        var (agent, visitor, chat) = await AcceptedChatAsync(app, ws);
        await using var _ = agent;
        await using var __ = visitor;

        Assert.Equal(ChatState.Active, chat.Chat.State);
        var first = Assert.Single(chat.Messages, m => m.Author == ChatAuthor.Visitor);
        Assert.Equal("Hello, my order is late", first.Text);
        Assert.Equal("https://shop.example/cart", chat.Chat.PageUrl);
        var active = await visitor.Conversations.NextAsync(c => c.State == ChatState.Active);
        Assert.NotNull(active.AgentName);
        await visitor.Messages.NextAsync(m => m.Author == ChatAuthor.System); // "... joined the chat."

        var reply = await agent.SendAsync(chat.Chat.Id, "Sorry about that! Let me look.");
        var received = await visitor.Messages.NextAsync(m => m.Author == ChatAuthor.Agent);
        Assert.Equal(reply.Id, received.Id);
        Assert.Equal("Sorry about that! Let me look.", received.Text);

        // A note never reaches the visitor.
        var note = await agent.SendAsync(chat.Chat.Id, "Checking with the warehouse", note: true);
        Assert.True(note.IsNote);

        await visitor.Connection.InvokeAsync("Marks", new MarkRequest(reply.Id, reply.Id));
        var marks = await agent.Marks.NextAsync(m => m.ReadUpTo == reply.Id);
        Assert.Equal(ChatAuthor.Visitor, marks.By);

        await agent.Connection.InvokeAsync("Typing", chat.Chat.Id, true);
        Assert.True((await visitor.Typing.NextAsync()).IsTyping);

        var ended = await visitor.Connection.InvokeAsync<ChatConversationView>("End");
        Assert.Equal(ChatState.Ended, ended.State);
        Assert.Equal(ChatState.Ended, (await agent.Chats.NextAsync(c => c.Id == chat.Chat.Id && c.State == ChatState.Ended)).State);
        await visitor.Connection.InvokeAsync("Rate", new RateRequest(5, "Quick and kind"));

        var (ticket, conversation, notes) = await ws.DbAsync(async db => (
            await db.Tickets.FirstAsync(t => t.Id == db.ChatConversations.First(c => c.Id == chat.Chat.Id).TicketId),
            await db.ChatConversations.FirstAsync(c => c.Id == chat.Chat.Id),
            await db.Messages.CountAsync(m => !m.IsPublic)));
        Assert.Equal(Channel.Chat, ticket.Channel);
        Assert.Equal(TicketStatus.Solved, ticket.Status);
        Assert.Equal(agent.SeatId, ticket.AssigneeId);
        Assert.Equal(5, conversation.Rating);
        Assert.Equal(1, notes);
        Assert.False(visitor.Messages.TryTake(out var leaked) && leaked.IsNote, "a note reached the visitor");
    }

    [Fact]
    public async Task The_holding_agent_gets_each_visitor_message_once_even_after_opening_the_chat_it_accepted()
    {
        var ws = await app.CreateWorkspaceAsync();
        var (agent, visitor, chat) = await AcceptedChatAsync(app, ws);
        await using var _ = agent;
        await using var __ = visitor;
        // A client that accepts and then opens the chat (a reload) is in the holder's group and may be in the chat's.
        await agent.Connection.InvokeAsync<ChatDetail>("Open", chat.Chat.Id, null);
        var sent = new List<Guid>();
        for (var i = 1; i <= 3; i++)
        {
            sent.Add((await visitor.SendAsync($"line {i}")).Message.Id);
        }
        var last = (await visitor.SendAsync("that is all")).Message.Id;
        sent.Add(last);
        var received = new List<Guid>();
        while (received.LastOrDefault() != last)
        {
            received.Add((await agent.Messages.NextAsync(m => m.Author == ChatAuthor.Visitor && m.Id != chat.Messages[0].Id)).Id);
        }
        Assert.Equal(sent, received);
        // A colleague who opens it hears it too, once.
        var (c2, s2) = await ws.AddAgentAsync(Role.Agent);
        await using var colleague = await ChatTesting.AgentAsync(app, c2, s2);
        await colleague.Connection.InvokeAsync<ChatDetail>("Open", chat.Chat.Id, null);
        var more = (await visitor.SendAsync("one more")).Message.Id;
        Assert.Equal(more, (await colleague.Messages.NextAsync(m => m.Author == ChatAuthor.Visitor)).Id);
        Assert.Equal(more, (await agent.Messages.NextAsync(m => m.Author == ChatAuthor.Visitor)).Id);
        var end = (await visitor.SendAsync("bye")).Message.Id;
        Assert.Equal(end, (await colleague.Messages.NextAsync(m => m.Author == ChatAuthor.Visitor)).Id);
        Assert.Equal(end, (await agent.Messages.NextAsync(m => m.Author == ChatAuthor.Visitor)).Id);
    }

    [Fact]
    public async Task A_resend_with_the_same_client_id_stores_one_message_and_resync_returns_exactly_what_followed()
    {
        var ws = await app.CreateWorkspaceAsync();
        var (agent, visitor, chat) = await AcceptedChatAsync(app, ws);
        await using var _ = agent;
        await using var __ = visitor;

        var once = await visitor.SendAsync("Are you there?", clientId: "client-1");
        var twice = await visitor.SendAsync("Are you there?", clientId: "client-1");
        Assert.Equal(once.Message.Id, twice.Message.Id);
        Assert.Equal("client-1", twice.Message.ClientId);

        var a = await agent.SendAsync(chat.Chat.Id, "one");
        var b = await agent.SendAsync(chat.Chat.Id, "two");
        var c = await agent.SendAsync(chat.Chat.Id, "three");

        // A new connection (a page load, a new tab) resyncing from the last message it saw.
        await using var again = await ChatTesting.VisitorAsync(app, ws, visitor.Token);
        var sync = await again.HelloAsync(a.Id);
        Assert.Equal([b.Id, c.Id], sync.Messages.Select(m => m.Id).ToArray());
        var all = await again.HelloAsync();
        Assert.Equal(1, all.Messages.Count(m => m.Text == "Are you there?"));
        Assert.Equal(all.Messages.OrderBy(m => m.CreatedAt).ThenBy(m => m.Id).Select(m => m.Id), all.Messages.Select(m => m.Id));
        Assert.DoesNotContain(all.Messages, m => m.IsNote);
    }

    [Fact]
    public async Task Concurrent_resends_of_one_client_id_from_two_tabs_store_one_message_that_the_agent_hears_once()
    {
        var ws = await app.CreateWorkspaceAsync();
        var (agent, visitor, chat) = await AcceptedChatAsync(app, ws);
        await using var _ = agent;
        await using var __ = visitor;
        await using var tab = await ChatTesting.VisitorAsync(app, ws, visitor.Token);
        await tab.HelloAsync();

        // The chat desk looks the client id up once; racing sends both miss it and the unique index decides.
        for (var i = 0; i < 5; i++)
        {
            var results = await Task.WhenAll(visitor.SendAsync($"line {i}", $"race-{i}"), tab.SendAsync($"line {i}", $"race-{i}"));
            Assert.Equal(results[0].Message.Id, results[1].Message.Id);
            Assert.Equal($"race-{i}", results[1].Message.ClientId);
        }
        var last = (await visitor.SendAsync("the end", "race-end")).Message.Id;

        var heard = new List<ChatMessageView>();
        while (heard.LastOrDefault()?.Id != last)
        {
            heard.Add(await agent.Messages.NextAsync(m => m.ClientId?.StartsWith("race-", StringComparison.Ordinal) == true));
        }
        Assert.Equal(["line 0", "line 1", "line 2", "line 3", "line 4", "the end"], heard.Select(m => m.Text).ToArray());
        var stored = await ws.DbAsync(db => db.Messages.Where(m => m.ExternalId != null && m.ExternalId.EndsWith(":race-0")).CountAsync());
        Assert.Equal(1, stored);
        var sync = await tab.HelloAsync();
        Assert.Equal(6, sync.Messages.Count(m => m.ClientId?.StartsWith("race-", StringComparison.Ordinal) == true));
        Assert.Equal(ChatState.Active, sync.Conversation!.State);
        Assert.Equal(chat.Chat.Id, sync.Conversation.Id);
    }

    [Fact]
    public async Task What_a_send_answers_and_broadcasts_equals_what_a_resync_reads_back()
    {
        var ws = await app.CreateWorkspaceAsync();
        var (agent, visitor, chat) = await AcceptedChatAsync(app, ws);
        await using var _ = agent;
        await using var __ = visitor;

        var fromVisitor = await visitor.SendAsync("Is it shipped?", "v-1");
        var toAgent = await agent.Messages.NextAsync(m => m.Id == fromVisitor.Message.Id);
        var reply = await agent.SendAsync(chat.Chat.Id, "It left this morning.");
        var toVisitor = await visitor.Messages.NextAsync(m => m.Id == reply.Id);

        // The send built these from what it stored, without reading back: they must match the stored rows exactly.
        var visitorView = (await visitor.HelloAsync()).Messages.ToDictionary(m => m.Id);
        var agentView = (await agent.Connection.InvokeAsync<ChatDetail>("Open", chat.Chat.Id, null)).Messages.ToDictionary(m => m.Id);
        AssertSame(visitorView[fromVisitor.Message.Id], fromVisitor.Message);
        AssertSame(agentView[fromVisitor.Message.Id], toAgent);
        AssertSame(agentView[reply.Id], reply);
        AssertSame(visitorView[reply.Id], toVisitor);
        Assert.Equal(ChatAuthor.Agent, toVisitor.Author);
        Assert.False(string.IsNullOrEmpty(toVisitor.AuthorName));
        Assert.DoesNotContain(' ', toVisitor.AuthorName); // the visitor sees the agent's first name only

        var number = await ws.DbAsync(db => db.Tickets.Where(t => t.Id == db.ChatConversations.First(c => c.Id == chat.Chat.Id).TicketId).Select(t => t.Number).FirstAsync());
        Assert.Equal(number, fromVisitor.Conversation.Number);
        Assert.Equal(ChatState.Active, fromVisitor.Conversation.State);
        Assert.False(string.IsNullOrEmpty(fromVisitor.Conversation.AgentName));
        Assert.StartsWith(fromVisitor.Conversation.AgentName, chat.Chat.AgentName, StringComparison.Ordinal);

        static void AssertSame(ChatMessageView stored, ChatMessageView sent)
        {
            Assert.Equal(stored.Id, sent.Id);
            Assert.Equal(stored.ConversationId, sent.ConversationId);
            Assert.Equal(stored.ClientId, sent.ClientId);
            Assert.Equal(stored.Author, sent.Author);
            Assert.Equal(stored.AuthorName, sent.AuthorName);
            Assert.Equal(stored.Text, sent.Text);
            Assert.Equal(stored.IsNote, sent.IsNote);
            Assert.Equal(stored.CreatedAt, sent.CreatedAt);
            Assert.Equal(stored.Attachments.Length, sent.Attachments.Length);
        }
    }

    [Fact]
    public async Task With_no_agent_online_chat_is_offline_and_the_send_says_so()
    {
        var ws = await app.CreateWorkspaceAsync();
        await using var visitor = await ChatTesting.VisitorAsync(app, ws);
        var hello = await visitor.HelloAsync();
        Assert.Equal(ChatAvailability.NoAgents, hello.Availability.State);
        var error = await Assert.ThrowsAsync<HubException>(() => visitor.SendAsync("hello?"));
        Assert.Contains("chat_offline", error.Message, StringComparison.Ordinal);
        Assert.Equal(0, await ws.CountAsync<ChatConversation>());
    }

    [Fact]
    public async Task Nothing_works_before_hello_and_a_token_opens_only_its_own_workspace()
    {
        var a = await app.CreateWorkspaceAsync();
        var b = await app.CreateWorkspaceAsync();
        await using var stranger = await ChatTesting.VisitorAsync(app, a);
        var early = await Assert.ThrowsAsync<HubException>(() => stranger.SendAsync("hi"));
        Assert.Contains("unauthenticated", early.Message, StringComparison.Ordinal);

        var bad = await Assert.ThrowsAsync<HubException>(() => stranger.Connection.InvokeAsync<VisitorSync>("Hello", new HelloRequest("forged", null, null)));
        Assert.Contains("unauthenticated", bad.Message, StringComparison.Ordinal);

        // A's visitor token on B's widget.
        var (_, tokenA) = await ChatTesting.NewVisitorAsync(app, a);
        await using var crossing = await ChatTesting.VisitorAsync(app, b, tokenA);
        var crossed = await Assert.ThrowsAsync<HubException>(() => crossing.HelloAsync());
        Assert.Contains("forbidden", crossed.Message, StringComparison.Ordinal);

        // B's agent cannot open, accept or write into A's chat.
        var (agentA, visitorA, chatA) = await AcceptedChatAsync(app, a);
        await using var _ = agentA;
        await using var __ = visitorA;
        var (clientB, seatB) = await b.AddAgentAsync(Role.Agent);
        await using var agentB = await ChatTesting.AgentAsync(app, clientB, seatB);
        foreach (var call in new Func<Task>[]
        {
            () => agentB.Connection.InvokeAsync<ChatDetail>("Open", chatA.Chat.Id, null),
            () => agentB.Connection.InvokeAsync<ChatDetail>("Accept", chatA.Chat.Id),
            () => agentB.SendAsync(chatA.Chat.Id, "hijack"),
        })
        {
            var refused = await Assert.ThrowsAsync<HubException>(call);
            Assert.Contains("not_found", refused.Message, StringComparison.Ordinal);
        }
        Assert.Equal(0, await a.DbAsync(db => db.Messages.CountAsync(m => m.BodyText == "hijack")));

        // A second visitor of A never sees the first one's conversation.
        await using var other = await ChatTesting.VisitorAsync(app, a);
        var sync = await other.HelloAsync();
        Assert.Null(sync.Conversation);
        Assert.Empty(sync.Messages);
    }

    [Fact]
    public async Task An_offer_not_accepted_in_time_moves_to_the_next_agent()
    {
        var ws = await app.CreateWorkspaceAsync();
        await ws.DbAsync(async db =>
        {
            db.ChatSettings.Add(new ChatSettings { OfferSeconds = 1 });
            return await db.SaveChangesAsync();
        });
        var (c1, s1) = await ws.AddAgentAsync(Role.Agent);
        var (c2, s2) = await ws.AddAgentAsync(Role.Agent);
        await using var one = await ChatTesting.AgentAsync(app, c1, s1);
        await using var two = await ChatTesting.AgentAsync(app, c2, s2);
        await using var visitor = await ChatTesting.VisitorAsync(app, ws);
        await visitor.HelloAsync();
        var sent = await visitor.SendAsync("Anyone?");

        // Whoever got it lets it lapse; the other one gets it next.
        var (lapsed, next) = await OfferedFirstAsync(one, two, sent.Conversation.Id);
        Assert.Equal(sent.Conversation.Id, await lapsed.Withdrawn.NextAsync());
        var offer = await next.Offers.NextAsync(o => o.ConversationId == sent.Conversation.Id);
        var detail = await next.Connection.InvokeAsync<ChatDetail>("Accept", offer.ConversationId);
        Assert.Equal(next.SeatId, detail.Chat.AgentId);
    }

    private static async Task<(AgentClient Lapsed, AgentClient Next)> OfferedFirstAsync(AgentClient one, AgentClient two, Guid chat)
    {
        for (var i = 0; i < 150; i++)
        {
            foreach (var (agent, other) in new[] { (one, two), (two, one) })
            {
                if ((await agent.Connection.InvokeAsync<AgentSync>("Hello")).Offers.Any(o => o.ConversationId == chat))
                {
                    return (agent, other);
                }
            }
            await Task.Delay(100);
        }
        throw new TimeoutException("The chat was offered to nobody.");
    }

    [Fact]
    public async Task An_agent_who_disconnects_frees_the_chat_for_another_and_the_visitor_is_told()
    {
        var ws = await app.CreateWorkspaceAsync();
        var (agent, visitor, chat) = await AcceptedChatAsync(app, ws);
        await using var __ = visitor;
        var (c2, s2) = await ws.AddAgentAsync(Role.Agent);
        await using var second = await ChatTesting.AgentAsync(app, c2, s2);

        await agent.DisposeAsync(); // the laptop closes
        var offer = await second.Offers.NextAsync(o => o.ConversationId == chat.Chat.Id, seconds: 20);
        Assert.Equal(chat.Chat.Id, offer.ConversationId);
        await visitor.Messages.NextAsync(m => m.Author == ChatAuthor.System && m.Text.Contains("disconnected", StringComparison.Ordinal));
        var back = await visitor.Conversations.NextAsync(c => c.State is ChatState.Queued or ChatState.Offered);
        Assert.Equal(1, back.QueuePosition);
    }

    [Fact]
    public async Task Waiting_visitors_see_their_place_and_an_estimate_from_recent_handle_times()
    {
        var ws = await app.CreateWorkspaceAsync();
        await ws.DbAsync(async db =>
        {
            db.ChatSettings.Add(new ChatSettings { MaxChatsPerAgent = 1 });
            return await db.SaveChangesAsync();
        });
        var (agent, first, chat) = await AcceptedChatAsync(app, ws);
        await using var _ = agent;
        await using var __ = first;
        // The desk's history: chats of 4 and 6 minutes.
        await ws.DbAsync(async db =>
        {
            var ticket = await db.Tickets.FirstAsync();
            var visitor = await db.ChatVisitors.FirstAsync();
            var now = DateTimeOffset.UtcNow;
            foreach (var minutes in new[] { 4, 6 })
            {
                var t = new Ticket { Number = 1000 + minutes, Subject = "old", Channel = Channel.Chat, RequesterId = ticket.RequesterId, CreatedAt = now };
                db.Tickets.Add(t);
                db.ChatConversations.Add(new ChatConversation
                {
                    TicketId = t.Id, VisitorId = visitor.Id, State = ChatState.Ended, QueuedAt = now.AddHours(-1), CreatedAt = now.AddHours(-1),
                    AcceptedAt = now.AddHours(-1), EndedAt = now.AddHours(-1).AddMinutes(minutes),
                });
            }
            return await db.SaveChangesAsync();
        });

        await using var second = await ChatTesting.VisitorAsync(app, ws);
        await second.HelloAsync();
        var waiting = (await second.SendAsync("me too")).Conversation;
        Assert.Equal(ChatState.Queued, waiting.State);
        Assert.Equal(1, waiting.QueuePosition);
        Assert.Equal(300, waiting.EstimatedWaitSeconds); // 1 x 5 minutes / (1 agent x 1 chat)

        await using var third = await ChatTesting.VisitorAsync(app, ws);
        await third.HelloAsync();
        var behind = (await third.SendAsync("and me")).Conversation;
        Assert.Equal(2, behind.QueuePosition);
        Assert.Equal(600, behind.EstimatedWaitSeconds);

        // The first chat ends: the agent is free and takes the second visitor; the third moves up.
        await agent.Connection.InvokeAsync<ChatSummary>("End", chat.Chat.Id);
        await agent.Offers.NextAsync(o => o.ConversationId == waiting.Id);
        await agent.Connection.InvokeAsync<ChatDetail>("Accept", waiting.Id);
        var moved = await third.Conversations.NextAsync(c => c.QueuePosition == 1);
        Assert.Equal(ChatState.Queued, moved.State);
        // What the queue's move told them is what they read for themselves: place, estimate, ticket.
        var own = (await third.HelloAsync()).Conversation!;
        Assert.Equal(own with { EstimatedWaitSeconds = moved.EstimatedWaitSeconds }, moved);
        Assert.NotNull(moved.EstimatedWaitSeconds);
    }

    [Fact]
    public async Task Sends_are_rate_limited_per_connection_and_long_texts_refused()
    {
        var ws = await app.CreateWorkspaceAsync();
        var (agent, visitor, _) = await AcceptedChatAsync(app, ws);
        await using var __ = agent;
        await using var ___ = visitor;
        var tooLong = await Assert.ThrowsAsync<HubException>(() => visitor.SendAsync(new string('x', 5001)));
        Assert.Contains("too_long", tooLong.Message, StringComparison.Ordinal);
        HubException? limited = null;
        for (var i = 0; i < 12 && limited is null; i++)
        {
            try
            {
                await visitor.SendAsync($"spam {i}");
            }
            catch (HubException e)
            {
                limited = e;
            }
        }
        Assert.NotNull(limited);
        Assert.Contains("rate_limited", limited!.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_chat_transferred_to_a_colleague_is_offered_to_them_with_the_note()
    {
        var ws = await app.CreateWorkspaceAsync();
        var (agent, visitor, chat) = await AcceptedChatAsync(app, ws);
        await using var _ = agent;
        await using var __ = visitor;
        var (c2, s2) = await ws.AddAgentAsync(Role.Agent);
        await using var colleague = await ChatTesting.AgentAsync(app, c2, s2);
        var moved = await agent.Connection.InvokeAsync<ChatSummary>("Transfer", chat.Chat.Id, new TransferRequest(s2, null, "VIP, wants a refund"));
        Assert.Equal(ChatState.Offered, moved.State);
        var offer = await colleague.Offers.NextAsync(o => o.ConversationId == chat.Chat.Id);
        var taken = await colleague.Connection.InvokeAsync<ChatDetail>("Accept", offer.ConversationId);
        Assert.Equal(s2, taken.Chat.AgentId);
        Assert.Contains(taken.Messages, m => m.IsNote && m.Text == "VIP, wants a refund");
        Assert.DoesNotContain(taken.Messages.Where(m => m.IsNote), m => m.Author == ChatAuthor.Visitor);
    }
}
