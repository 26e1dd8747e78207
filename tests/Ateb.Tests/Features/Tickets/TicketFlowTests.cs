using Ateb.Features.Agents;
using Ateb.Features.Tickets;

namespace Ateb.Tests.Features.Tickets;

public sealed class TicketFlowTests(AtebApp app) : IClassFixture<AtebApp>
{
    [Fact]
    public async Task Create_reply_note_assign_solve_list_and_merge_work_through_the_api()
    {
        var ws = await app.CreateWorkspaceAsync();
        var (agent, agentId) = await ws.AddAgentAsync(Role.Agent);

        var created = await (await ws.Owner.PostAsJsonAsync("/api/v1/tickets", new
        {
            subject = "Order 1245 has not arrived",
            requester = new { email = "Maryam@Example.IR", name = "مریم کریمی" },
            message = new { text = "سلام، سفارش من هنوز نرسیده است." },
            tags = new[] { "Shipping", "shipping", "vip" },
        })).ReadAsync<TicketResponse>();
        Assert.Equal(TicketStatus.New, created.Status);
        Assert.Equal("maryam@example.ir", created.Requester.Email);
        Assert.Equal(["shipping", "vip"], created.Tags);

        var reply = await agent.PostAsJsonAsync($"/api/v1/tickets/{created.Id}/messages", new { text = "We are on it.", isPublic = true });
        Assert.Equal(HttpStatusCode.Created, reply.StatusCode);
        var note = await agent.PostAsJsonAsync($"/api/v1/tickets/{created.Id}/messages", new { text = "Courier says Tuesday.", isPublic = false });
        Assert.Equal(HttpStatusCode.Created, note.StatusCode);

        var assigned = await (await agent.PatchAsJsonAsync($"/api/v1/tickets/{created.Id}", new { assigneeId = agentId })).ReadAsync<TicketResponse>();
        Assert.Equal(agentId, assigned.AssigneeId);
        Assert.Equal(TicketStatus.Open, assigned.Status);
        Assert.NotNull(assigned.FirstAgentReplyAt);

        var solved = await (await agent.PatchAsJsonAsync($"/api/v1/tickets/{created.Id}", new { status = "solved" })).ReadAsync<TicketResponse>();
        Assert.Equal(TicketStatus.Solved, solved.Status);
        Assert.NotNull(solved.SolvedAt);

        var detail = await (await agent.GetAsync($"/api/v1/tickets/{created.Id}")).ReadAsync<TicketDetailResponse>();
        Assert.Equal(3, detail.Messages.Length);
        Assert.Contains(detail.Messages, m => !m.IsPublic && m.Direction == Direction.Internal);
        Assert.Equal("سلام، سفارش من هنوز نرسیده است.", detail.Messages[0].BodyText);

        var mine = await (await agent.GetAsync("/api/v1/tickets?assignee=me&status=solved")).ReadAsync<TicketPage>();
        Assert.Equal(created.Id, Assert.Single(mine.Items).Id);

        var other = await (await ws.Owner.PostAsJsonAsync("/api/v1/tickets", new
        {
            subject = "Also: where is my order?", requester = new { email = "maryam@example.ir" }, message = new { text = "Any news?" },
        })).ReadAsync<TicketResponse>();
        Assert.Equal(created.Requester.Id, other.Requester.Id);
        var merged = await (await agent.PostAsJsonAsync($"/api/v1/tickets/{other.Id}/merge", new { targetTicketId = created.Id })).ReadAsync<TicketResponse>();
        Assert.Equal(created.Id, merged.Id);

        var source = await (await agent.GetAsync($"/api/v1/tickets/{other.Id}")).ReadAsync<TicketDetailResponse>();
        Assert.Equal(TicketStatus.Closed, source.Ticket.Status);
        Assert.Equal(created.Id, source.Ticket.MergedIntoId);
        Assert.Empty(source.Messages);
        Assert.Contains(source.Links, l => l.Kind == "merged_into" && l.TicketId == created.Id);
        var target = await (await agent.GetAsync($"/api/v1/tickets/{created.Id}")).ReadAsync<TicketDetailResponse>();
        Assert.Equal(4, target.Messages.Length);

        var audit = await (await agent.GetAsync($"/api/v1/tickets/{created.Id}/audit")).ReadAsync<AuditEntryResponse[]>();
        Assert.Contains(audit, a => a.Field == "assigneeId" && a.NewValue == agentId.ToString() && a.ActorName == "Agent Agent");
        Assert.Contains(audit, a => a.Field == "status" && a.OldValue == "open" && a.NewValue == "solved");
        Assert.Contains(audit, a => a.Action == "merged_from");
        var sourceAudit = await (await agent.GetAsync($"/api/v1/tickets/{other.Id}/audit")).ReadAsync<AuditEntryResponse[]>();
        Assert.Contains(sourceAudit, a => a.Action == "merged_into");
    }

    [Fact]
    public async Task Ticket_numbers_are_per_workspace_and_never_repeat_under_concurrency()
    {
        var one = await app.CreateWorkspaceAsync();
        var two = await app.CreateWorkspaceAsync();
        var creates = Enumerable.Range(0, 20).Select(i => (i % 2 == 0 ? one : two).Owner.PostAsJsonAsync("/api/v1/tickets",
            new { subject = $"Ticket {i}", requester = new { name = "Someone" } }));
        var tickets = await Task.WhenAll((await Task.WhenAll(creates)).Select(r => r.ReadAsync<TicketResponse>()));
        var ofOne = (await (await one.Owner.GetAsync("/api/v1/tickets?limit=100")).ReadAsync<TicketPage>()).Items.Select(t => t.Number).Order();
        Assert.Equal(Enumerable.Range(1, 10).Select(i => (long)i), ofOne);
        Assert.Equal(20, tickets.Select(t => t.Id).Distinct().Count());
    }

    [Fact]
    public async Task Keyset_pagination_walks_every_ticket_once_and_filters_combine()
    {
        var ws = await app.CreateWorkspaceAsync();
        for (var i = 0; i < 7; i++)
        {
            await ws.Owner.PostAsJsonAsync("/api/v1/tickets", new { subject = i % 2 == 0 ? $"Refund {i}" : $"Login {i}", requester = new { name = "C" }, tags = i % 3 == 0 ? new[] { "billing" } : null });
        }
        var seen = new List<long>();
        string? cursor = null;
        do
        {
            var page = await (await ws.Owner.GetAsync("/api/v1/tickets?limit=3" + (cursor is null ? "" : "&cursor=" + cursor))).ReadAsync<TicketPage>();
            seen.AddRange(page.Items.Select(t => t.Number));
            cursor = page.NextCursor;
        }
        while (cursor is not null);
        Assert.Equal([7, 6, 5, 4, 3, 2, 1], seen);

        var refunds = await (await ws.Owner.GetAsync("/api/v1/tickets?q=refund&tag=billing")).ReadAsync<TicketPage>();
        Assert.Equal([7, 1], refunds.Items.Select(t => t.Number));
        var byNumber = await (await ws.Owner.GetAsync("/api/v1/tickets?q=%234")).ReadAsync<TicketPage>();
        Assert.Equal(4, Assert.Single(byNumber.Items).Number);
        var percent = await (await ws.Owner.GetAsync("/api/v1/tickets?q=%25")).ReadAsync<TicketPage>();
        Assert.Empty(percent.Items);
    }

    [Fact]
    public async Task Stale_if_match_gets_409_and_the_first_write_survives()
    {
        var ws = await app.CreateWorkspaceAsync();
        var ticket = await (await ws.Owner.PostAsJsonAsync("/api/v1/tickets", new { subject = "Original", requester = new { name = "C" } })).ReadAsync<TicketResponse>();
        var read = await ws.Owner.GetAsync($"/api/v1/tickets/{ticket.Id}");
        var etag = read.Headers.ETag!.Tag;

        var first = new HttpRequestMessage(HttpMethod.Patch, $"/api/v1/tickets/{ticket.Id}") { Content = JsonContent.Create(new { subject = "First" }) };
        first.Headers.TryAddWithoutValidation("If-Match", etag);
        Assert.Equal(HttpStatusCode.OK, (await ws.Owner.SendAsync(first)).StatusCode);

        var second = new HttpRequestMessage(HttpMethod.Patch, $"/api/v1/tickets/{ticket.Id}") { Content = JsonContent.Create(new { subject = "Second" }) };
        second.Headers.TryAddWithoutValidation("If-Match", etag);
        var conflict = await ws.Owner.SendAsync(second);
        Assert.Equal(HttpStatusCode.Conflict, conflict.StatusCode);
        Assert.Equal("application/problem+json", conflict.Content.Headers.ContentType?.MediaType);

        var after = await (await ws.Owner.GetAsync($"/api/v1/tickets/{ticket.Id}")).ReadAsync<TicketDetailResponse>();
        Assert.Equal("First", after.Ticket.Subject);
    }

    [Fact]
    public async Task Concurrent_patches_without_if_match_never_lose_a_write_silently()
    {
        var ws = await app.CreateWorkspaceAsync();
        var ticket = await (await ws.Owner.PostAsJsonAsync("/api/v1/tickets", new { subject = "Race", requester = new { name = "C" } })).ReadAsync<TicketResponse>();
        var responses = await Task.WhenAll(Enumerable.Range(0, 10).Select(i =>
            ws.Owner.PatchAsJsonAsync($"/api/v1/tickets/{ticket.Id}", new { tags = new[] { $"t{i}" } })));
        Assert.All(responses, r => Assert.Contains(r.StatusCode, new[] { HttpStatusCode.OK, HttpStatusCode.Conflict }));
        var final = await (await ws.Owner.GetAsync($"/api/v1/tickets/{ticket.Id}")).ReadAsync<TicketDetailResponse>();
        var successes = responses.Count(r => r.StatusCode == HttpStatusCode.OK);
        Assert.Equal(1 + successes, final.Ticket.Version - 1);
    }

    [Fact]
    public async Task Status_moves_follow_the_transition_table()
    {
        var ws = await app.CreateWorkspaceAsync();
        var ticket = await (await ws.Owner.PostAsJsonAsync("/api/v1/tickets", new { subject = "Flow", requester = new { name = "C" } })).ReadAsync<TicketResponse>();
        Assert.Equal(HttpStatusCode.Conflict, (await ws.Owner.PatchAsJsonAsync($"/api/v1/tickets/{ticket.Id}", new { status = "closed" })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await ws.Owner.PatchAsJsonAsync($"/api/v1/tickets/{ticket.Id}", new { status = "solved" })).StatusCode);
        var reopened = await (await ws.Owner.PatchAsJsonAsync($"/api/v1/tickets/{ticket.Id}", new { status = "open" })).ReadAsync<TicketResponse>();
        Assert.NotNull(reopened.ReopenedAt);
        Assert.Null(reopened.SolvedAt);
        await ws.Owner.PatchAsJsonAsync($"/api/v1/tickets/{ticket.Id}", new { status = "solved" });
        Assert.Equal(HttpStatusCode.OK, (await ws.Owner.PatchAsJsonAsync($"/api/v1/tickets/{ticket.Id}", new { status = "closed" })).StatusCode);
        var reply = await ws.Owner.PostAsJsonAsync($"/api/v1/tickets/{ticket.Id}/messages", new { text = "late" });
        Assert.Equal(HttpStatusCode.Conflict, reply.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, (await ws.Owner.PatchAsJsonAsync($"/api/v1/tickets/{ticket.Id}", new { status = "open" })).StatusCode);
    }

    [Fact]
    public async Task Light_agents_read_and_write_internal_notes_only()
    {
        var ws = await app.CreateWorkspaceAsync();
        var (light, _) = await ws.AddAgentAsync(Role.LightAgent);
        var ticket = await (await ws.Owner.PostAsJsonAsync("/api/v1/tickets", new { subject = "Ask a colleague", requester = new { name = "C" } })).ReadAsync<TicketResponse>();

        Assert.Equal(HttpStatusCode.OK, (await light.GetAsync($"/api/v1/tickets/{ticket.Id}")).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await light.PostAsJsonAsync($"/api/v1/tickets/{ticket.Id}/messages", new { text = "FYI: known bug", isPublic = false })).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await light.PostAsJsonAsync($"/api/v1/tickets/{ticket.Id}/messages", new { text = "Hello customer" })).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await light.PatchAsJsonAsync($"/api/v1/tickets/{ticket.Id}", new { status = "solved" })).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await light.PostAsJsonAsync("/api/v1/tickets", new { subject = "x", requester = new { name = "C" } })).StatusCode);
        var messages = (await (await light.GetAsync($"/api/v1/tickets/{ticket.Id}")).ReadAsync<TicketDetailResponse>()).Messages;
        Assert.Single(messages);
    }

    [Fact]
    public async Task Attachments_are_stored_under_generated_keys_and_downloaded_safely()
    {
        var ws = await app.CreateWorkspaceAsync();
        var svg = "<svg xmlns='http://www.w3.org/2000/svg' onload='alert(1)'/>"u8.ToArray();
        var ticket = await (await ws.Owner.PostAsJsonAsync("/api/v1/tickets", new
        {
            subject = "Screenshot", requester = new { name = "C" },
            message = new { text = "see attached", attachments = new[] { new { fileName = "../../etc/\u202Egnp.svg", contentType = "image/svg+xml", contentBase64 = Convert.ToBase64String(svg) } } },
        })).ReadAsync<TicketResponse>();
        var detail = await (await ws.Owner.GetAsync($"/api/v1/tickets/{ticket.Id}")).ReadAsync<TicketDetailResponse>();
        var attachment = Assert.Single(detail.Messages[0].Attachments);
        Assert.Equal("gnp.svg", attachment.FileName);
        var key = await ws.DbAsync(db => Task.FromResult(db.Attachments.Single().StorageKey));
        Assert.DoesNotContain("svg", key, StringComparison.Ordinal);

        var download = await ws.Owner.GetAsync(attachment.Url);
        Assert.Equal(HttpStatusCode.OK, download.StatusCode);
        Assert.Equal("application/octet-stream", download.Content.Headers.ContentType?.MediaType);
        Assert.Equal("attachment", download.Content.Headers.ContentDisposition?.DispositionType);
        Assert.Equal("nosniff", download.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.Equal(svg, await download.Content.ReadAsByteArrayAsync());
    }
}
