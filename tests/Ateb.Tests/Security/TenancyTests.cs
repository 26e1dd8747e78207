using System.Text.RegularExpressions;
using Ateb.Features.Agents;
using Ateb.Features.Customers;
using Ateb.Features.Tickets;
using Ateb.Features.Webhooks;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Ateb.Tests.Security;

/// <summary>
/// Built from the route table, so a new endpoint is covered the day it is added: every route with an id, called
/// by every role of workspace A with ids that belong to workspace B, must answer 404 (or 403 where the role may
/// not act at all) and must leave B untouched.
/// </summary>
public sealed partial class TenancyTests(AtebApp app) : IClassFixture<AtebApp>
{
    private sealed record Foreign(Guid Ticket, Guid OtherTicket, Guid Customer, Guid Agent, Guid Team, Guid Organization, Guid Attachment, Guid Token, Guid Webhook, Guid Mailbox, Guid InboundMail, Guid Article, Guid Category,
        Guid OtherCustomer, Guid SavedView, Guid CannedResponse, Guid Chat);

    private async Task<Foreign> SeedVictimAsync(TestWorkspace victim)
    {
        var upload = new { fileName = "secret.txt", contentType = "text/plain", contentBase64 = Convert.ToBase64String("secret"u8.ToArray()) };
        var ticket = await (await victim.Owner.PostAsJsonAsync("/api/v1/tickets", new
        {
            subject = "Victim ticket", requester = new { email = "victim@example.com" }, message = new { text = "private", attachments = new[] { upload } },
        })).ReadAsync<TicketResponse>();
        var other = await (await victim.Owner.PostAsJsonAsync("/api/v1/tickets", new { subject = "Victim 2", requester = new { name = "V" } })).ReadAsync<TicketResponse>();
        var (_, agentId) = await victim.AddAgentAsync(Role.Agent);
        var team = await (await victim.Owner.PostAsJsonAsync("/api/v1/teams", new { name = "Victims" })).ReadAsync<Ateb.Features.Teams.TeamResponse>();
        var org = await (await victim.Owner.PostAsJsonAsync("/api/v1/organizations", new { name = "Victim Org" })).ReadAsync<Ateb.Features.Organizations.OrganizationResponse>();
        var detail = await (await victim.Owner.GetAsync($"/api/v1/tickets/{ticket.Id}")).ReadAsync<TicketDetailResponse>();
        var token = await (await (await victim.SignInAsync()).PostAsJsonAsync("/api/v1/tokens", new { name = "victim" })).ReadAsync<Ateb.Features.Tokens.TokenResponse>();
        var hook = await (await victim.Owner.PostAsJsonAsync("/api/v1/webhooks", new { url = "http://127.0.0.1:9/hook" })).ReadAsync<WebhookResponse>();
        var mailbox = await (await victim.Owner.PostAsJsonAsync("/api/v1/mailboxes", new { name = "Victim", address = "help@victim.example" }))
            .ReadAsync<Ateb.Features.Email.MailboxResponse>();
        var piped = await victim.DeliverAsync(app, mailbox, MailTesting.Mail("v@victim.example", "help@victim.example", "Victim mail", "hi"));
        var category = await (await victim.Owner.PostAsJsonAsync("/api/v1/kb/categories", new { names = new[] { new { language = "en", name = "Victim" } } }))
            .ReadAsync<Ateb.Features.Kb.KbCategoryResponse>();
        var article = await (await victim.Owner.PostAsJsonAsync("/api/v1/kb/articles", new
        {
            categoryId = category.Id,
            translation = new { language = "en", title = "Victim article", markdown = "secret steps", publish = true },
        })).ReadAsync<Ateb.Features.Kb.KbArticleResponse>();
        var view = await (await victim.Owner.PostAsJsonAsync("/api/v1/views/saved", new { name = "Victim view", filters = new { status = "open" } }))
            .ReadAsync<Ateb.Features.Views.SavedViewResponse>();
        var canned = await (await victim.Owner.PostAsJsonAsync("/api/v1/canned-responses", new { title = "Victim reply", shortcut = "victim", friendly = "Hi {{customer.first_name}}" }))
            .ReadAsync<Ateb.Features.CannedResponses.CannedResponseResponse>();
        // A chat on the second ticket, ended (so the chat router, which requeues live chats of absent agents, leaves it be).
        var chat = await victim.DbAsync(async db =>
        {
            var visitor = new Ateb.Features.Chat.ChatVisitor { CustomerId = other.Requester.Id, Name = "V", CreatedAt = DateTimeOffset.UtcNow, LastSeenAt = DateTimeOffset.UtcNow };
            db.ChatVisitors.Add(visitor);
            var conversation = new Ateb.Features.Chat.ChatConversation
            {
                TicketId = other.Id, VisitorId = visitor.Id, State = Ateb.Features.Chat.ChatState.Ended, AgentId = agentId,
                QueuedAt = DateTimeOffset.UtcNow, AcceptedAt = DateTimeOffset.UtcNow, EndedAt = DateTimeOffset.UtcNow, CreatedAt = DateTimeOffset.UtcNow,
            };
            db.ChatConversations.Add(conversation);
            await db.SaveChangesAsync();
            return conversation.Id;
        });
        return new Foreign(ticket.Id, other.Id, ticket.Requester.Id, agentId, team.Id, org.Id, detail.Messages[0].Attachments[0].Id, token.Id, hook.Id,
            mailbox.Id, piped.Id, article.Id, category.Id, other.Requester.Id, view.Id, canned.Id, chat);
    }

    [Fact]
    public async Task Every_route_with_an_id_answers_404_for_another_workspaces_ids_as_every_role()
    {
        var victim = await app.CreateWorkspaceAsync();
        var foreign = await SeedVictimAsync(victim);
        var attacker = await app.CreateWorkspaceAsync();
        var clients = new Dictionary<string, HttpClient> { ["owner"] = attacker.Owner };
        foreach (var role in new[] { Role.Admin, Role.Agent, Role.LightAgent })
        {
            clients[role.ToWire()] = (await attacker.AddAgentAsync(role)).Client;
        }
        var before = await SnapshotAsync(victim);

        var routes = ApiRoutes().Where(r => r.Pattern.Contains('{')).ToList();
        Assert.True(routes.Count >= 12, $"only {routes.Count} routes with ids found");
        var failures = new List<string>();
        foreach (var (method, pattern) in routes)
        {
            // A file of the victim's article is named, not numbered: the article's id decides.
            var url = IdSegment().Replace(pattern, m => m.Groups[1].Value switch
            {
                "language" => "en",
                "name" => "victim.png",
                var name => IdFor(name, pattern, foreign).ToString(),
            });
            foreach (var (role, client) in clients)
            {
                using var request = new HttpRequestMessage(new HttpMethod(method), url) { Content = JsonContent.Create(BodyFor(pattern, foreign)) };
                var response = await client.SendAsync(request);
                if (response.StatusCode is not (HttpStatusCode.NotFound or HttpStatusCode.Forbidden))
                {
                    failures.Add($"{method} {url} as {role}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
                }
                if (response.StatusCode == HttpStatusCode.Forbidden && role is "owner" or "admin")
                {
                    failures.Add($"{method} {url} as {role}: 403 leaks that the route exists for a role that may act; expected 404");
                }
            }
        }
        Assert.Empty(failures);
        Assert.Equal(before, await SnapshotAsync(victim));
    }

    [Fact]
    public async Task Ids_of_another_workspace_in_the_body_are_not_found()
    {
        var victim = await app.CreateWorkspaceAsync();
        var foreign = await SeedVictimAsync(victim);
        var attacker = await app.CreateWorkspaceAsync();
        var own = await (await attacker.Owner.PostAsJsonAsync("/api/v1/tickets", new { subject = "Mine", requester = new { name = "A" } })).ReadAsync<TicketResponse>();
        var ownCanned = await (await attacker.Owner.PostAsJsonAsync("/api/v1/canned-responses", new { title = "Mine", friendly = "Hello" }))
            .ReadAsync<Ateb.Features.CannedResponses.CannedResponseResponse>();
        var before = await SnapshotAsync(victim);

        var cases = new (HttpMethod Method, string Url, object Body)[]
        {
            (HttpMethod.Post, "/api/v1/tickets", new { subject = "x", requester = new { customerId = foreign.Customer } }),
            (HttpMethod.Post, "/api/v1/tickets", new { subject = "x", requester = new { name = "A" }, assigneeId = foreign.Agent }),
            (HttpMethod.Post, "/api/v1/tickets", new { subject = "x", requester = new { name = "A" }, teamId = foreign.Team }),
            (HttpMethod.Patch, $"/api/v1/tickets/{own.Id}", new { assigneeId = foreign.Agent }),
            (HttpMethod.Patch, $"/api/v1/tickets/{own.Id}", new { teamId = foreign.Team }),
            (HttpMethod.Post, $"/api/v1/tickets/{own.Id}/merge", new { targetTicketId = foreign.Ticket }),
            (HttpMethod.Post, $"/api/v1/tickets/{own.Id}/links", new { ticketId = foreign.Ticket }),
            (HttpMethod.Post, "/api/v1/customers", new { name = "x", organizationId = foreign.Organization }),
            (HttpMethod.Patch, $"/api/v1/customers/{own.Requester.Id}", new { organizationId = foreign.Organization }),
            (HttpMethod.Post, $"/api/v1/customers/{own.Requester.Id}/merge", new { sourceId = foreign.Customer }),
            (HttpMethod.Post, "/api/v1/views/saved", new { name = "x", filters = new { team = foreign.Team } }),
            (HttpMethod.Post, "/api/v1/views/saved", new { name = "x", filters = new { requester = foreign.Customer } }),
            (HttpMethod.Post, "/api/v1/views/saved", new { name = "x", filters = new { assignee = foreign.Agent.ToString() } }),
            (HttpMethod.Post, "/api/v1/canned-responses", new { title = "x", friendly = "y", teamId = foreign.Team }),
            (HttpMethod.Post, $"/api/v1/canned-responses/{ownCanned.Id}/render", new { ticketId = foreign.Ticket }),
            (HttpMethod.Post, "/api/v1/inbound-messages", new { channel = "email", externalId = "z", from = new { kind = "email", value = "victim@example.com" }, text = "hi", threading = "ticket", ticketId = foreign.Ticket }),
        };
        foreach (var (method, url, body) in cases)
        {
            var response = await attacker.Owner.SendAsync(new HttpRequestMessage(method, url) { Content = JsonContent.Create(body) });
            if (url.EndsWith("inbound-messages", StringComparison.Ordinal))
            {
                var received = await response.ReadAsync<ReceivedMessage>();
                Assert.NotEqual(foreign.Ticket, received.TicketId);
                continue;
            }
            Assert.True(response.StatusCode == HttpStatusCode.NotFound, $"{method} {url}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        }
        Assert.Equal(before, await SnapshotAsync(victim));
        var mine = await (await attacker.Owner.GetAsync($"/api/v1/tickets/{own.Id}")).ReadAsync<TicketDetailResponse>();
        Assert.Null(mine.Ticket.AssigneeId);
        Assert.Empty(mine.Links);
        Assert.Empty(await (await attacker.Owner.GetAsync("/api/v1/views/saved")).ReadAsync<Ateb.Features.Views.SavedViewResponse[]>());
        Assert.Equal(0, (await (await attacker.Owner.GetAsync($"/api/v1/canned-responses/{ownCanned.Id}")).ReadAsync<Ateb.Features.CannedResponses.CannedResponseResponse>()).UseCount);
    }

    [Fact]
    public async Task Lists_and_search_never_show_another_workspaces_rows()
    {
        var victim = await app.CreateWorkspaceAsync();
        await SeedVictimAsync(victim);
        var attacker = await app.CreateWorkspaceAsync();
        Assert.Empty((await (await attacker.Owner.GetAsync("/api/v1/tickets?q=victim")).ReadAsync<TicketPage>()).Items);
        Assert.Empty((await (await attacker.Owner.GetAsync("/api/v1/tickets?q=%231")).ReadAsync<TicketPage>()).Items);
        Assert.Empty((await (await attacker.Owner.GetAsync("/api/v1/customers?q=victim")).ReadAsync<CustomerPage>()).Items);
        var agents = await (await attacker.Owner.GetAsync("/api/v1/agents")).ReadAsync<AgentResponse[]>();
        Assert.Single(agents);
        Assert.Empty(await (await attacker.Owner.GetAsync("/api/v1/teams")).ReadAsync<Ateb.Features.Teams.TeamResponse[]>());
        Assert.Empty(await (await attacker.Owner.GetAsync("/api/v1/webhooks")).ReadAsync<WebhookResponse[]>());
        Assert.Single(await (await attacker.Owner.GetAsync("/api/v1/tokens")).ReadAsync<Ateb.Features.Tokens.TokenResponse[]>());
        Assert.Empty(await (await attacker.Owner.GetAsync("/api/v1/views/saved")).ReadAsync<Ateb.Features.Views.SavedViewResponse[]>());
        Assert.Empty(await (await attacker.Owner.GetAsync("/api/v1/canned-responses?q=victim")).ReadAsync<Ateb.Features.CannedResponses.CannedResponseResponse[]>());
    }

    private IEnumerable<(string Method, string Pattern)> ApiRoutes() =>
        app.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.RoutePattern.RawText?.StartsWith("/api/v1", StringComparison.Ordinal) == true)
            // Public doors (the chat widget's, public suggestions) pick their workspace by slug for anyone: not a tenancy boundary.
            .Where(e => e.Metadata.GetMetadata<Ateb.Infrastructure.Web.VisitorEndpoint>() is null)
            .SelectMany(e => (e.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? ["GET"]).Select(m => (m, e.RoutePattern.RawText!)))
            .Distinct();

    private static Guid IdFor(string name, string pattern, Foreign f) => (name, pattern) switch
    {
        ("agentId", _) => f.Agent,
        ("id", var p) when p.Contains("/tickets/", StringComparison.Ordinal) => f.Ticket,
        ("id", var p) when p.Contains("/customers/", StringComparison.Ordinal) => f.Customer,
        ("id", var p) when p.Contains("/agents/", StringComparison.Ordinal) => f.Agent,
        ("id", var p) when p.Contains("/teams/", StringComparison.Ordinal) => f.Team,
        ("id", var p) when p.Contains("/organizations/", StringComparison.Ordinal) => f.Organization,
        ("id", var p) when p.Contains("/chats/", StringComparison.Ordinal) => f.Chat,
        ("id", var p) when p.Contains("/attachments/", StringComparison.Ordinal) => f.Attachment,
        ("id", var p) when p.Contains("/tokens/", StringComparison.Ordinal) => f.Token,
        ("id", var p) when p.Contains("/webhooks/", StringComparison.Ordinal) => f.Webhook,
        ("id", var p) when p.Contains("/mailboxes/", StringComparison.Ordinal) => f.Mailbox,
        ("id", var p) when p.Contains("/inbound-mail/", StringComparison.Ordinal) => f.InboundMail,
        ("id", var p) when p.Contains("/kb/articles/", StringComparison.Ordinal) => f.Article,
        ("id", var p) when p.Contains("/kb/categories/", StringComparison.Ordinal) => f.Category,
        ("id", var p) when p.Contains("/views/saved/", StringComparison.Ordinal) => f.SavedView,
        ("id", var p) when p.Contains("/canned-responses/", StringComparison.Ordinal) => f.CannedResponse,
        _ => throw new InvalidOperationException($"TenancyTests does not know which id to use for {{{name}}} in {pattern}; add it."),
    };

    // A body that would be valid if the ids were ours, so a 404 can only come from the tenancy check.
    private static object BodyFor(string pattern, Foreign f) => pattern switch
    {
        _ when pattern.EndsWith("/messages", StringComparison.Ordinal) => new { text = "intrusion", isPublic = false },
        _ when pattern.EndsWith("/customers/{id:guid}/merge", StringComparison.Ordinal) => new { sourceId = f.OtherCustomer },
        _ when pattern.EndsWith("/merge", StringComparison.Ordinal) => new { targetTicketId = f.OtherTicket },
        _ when pattern.EndsWith("/render", StringComparison.Ordinal) => new { ticketId = f.Ticket },
        _ when pattern.Contains("/customers/", StringComparison.Ordinal) => new { name = "hijacked", notes = "hijacked" },
        _ when pattern.Contains("/views/saved/", StringComparison.Ordinal) => new { name = "hijacked", shared = true },
        _ when pattern.Contains("/canned-responses/", StringComparison.Ordinal) => new { title = "hijacked" },
        _ when pattern.EndsWith("/links", StringComparison.Ordinal) => new { ticketId = f.OtherTicket },
        _ when pattern.EndsWith("/members", StringComparison.Ordinal) => new { agentId = f.Agent },
        _ when pattern.Contains("/agents/", StringComparison.Ordinal) => new { role = "agent" },
        _ when pattern.Contains("/tickets/", StringComparison.Ordinal) => new { subject = "hijacked" },
        _ when pattern.Contains("/translations/", StringComparison.Ordinal) => new { title = "hijacked", markdown = "x", publish = true },
        _ when pattern.Contains("/kb/categories/", StringComparison.Ordinal) => new { position = 9, names = new[] { new { language = "en", name = "hijacked" } } },
        _ when pattern.EndsWith("/outdated", StringComparison.Ordinal) => new { comment = "hijacked" },
        _ when pattern.Contains("/kb/articles/", StringComparison.Ordinal) => new { isInternal = true, clearOutdated = true },
        _ => new { },
    };

    private Task<string> SnapshotAsync(TestWorkspace ws) => ws.DbAsync(async db =>
    {
        var tickets = db.Tickets.OrderBy(t => t.Number).Select(t => t.Subject + t.Status + t.Version + t.AssigneeId).ToList();
        var messages = db.Messages.Count();
        var links = db.TicketLinks.Count();
        var members = db.TeamMembers.Count();
        var roles = db.Memberships.OrderBy(m => m.Id).Select(m => m.Role.ToString() + m.Active).ToList();
        var tokens = db.ApiTokens.Count(t => t.RevokedAt == null);
        var hooks = db.WebhookSubscriptions.Count();
        var mailboxes = db.Mailboxes.OrderBy(m => m.Id).Select(m => m.Name + m.Address + m.PipeSecretHash + m.Enabled).ToList();
        var inbound = db.InboundMails.OrderBy(m => m.Id).Select(m => m.State.ToString()).ToList();
        var articles = db.KbTranslations.OrderBy(t => t.Id).Select(t => t.Title + t.Version + t.State).ToList()
            .Concat(db.KbArticles.OrderBy(a => a.Id).Select(a => a.OutdatedReports.ToString() + a.IsInternal + a.CategoryId).ToList())
            .Concat(db.KbCategories.OrderBy(c => c.Id).Select(c => c.Position.ToString()).ToList());
        var customers = db.Customers.OrderBy(c => c.Id).Select(c => c.Name + c.Notes + c.MergedIntoId + c.OrganizationId).ToList()
            .Concat(db.CustomerIdentities.OrderBy(i => i.Id).Select(i => i.CustomerId.ToString()).ToList())
            .Concat(db.Tickets.OrderBy(t => t.Id).Select(t => t.RequesterId.ToString()).ToList());
        var views = db.SavedViews.OrderBy(v => v.Id).Select(v => v.Name + v.Shared + v.Filters).ToList();
        var canned = db.CannedResponses.OrderBy(c => c.Id).Select(c => c.Title + c.UseCount + c.Friendly).ToList();
        await Task.CompletedTask;
        return $"{string.Join(",", customers)}#{string.Join(",", views)}#{string.Join(",", canned)}#" + string.Join("|", tickets) + $"#{messages}#{links}#{members}#{string.Join(",", roles)}#{tokens}#{hooks}#{string.Join(",", mailboxes)}#{string.Join(",", inbound)}#{string.Join(",", articles)}";
    });

    [GeneratedRegex(@"\{(\w+)(:[^}]*)?\}")]
    private static partial Regex IdSegment();
}
