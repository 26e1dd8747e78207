using System.Text;
using Ateb.Features.Customers;
using Ateb.Features.Tickets;

namespace Ateb.Tests.Security;

/// <summary>Every bad input gets a clear 4xx problem naming the field, never a 500, and writes nothing.</summary>
public sealed class BadInputTests(AtebApp app) : IClassFixture<AtebApp>
{
    public static TheoryData<string, string, int, string> BadTicketBodies => new()
    {
        { "malformed JSON", """{"subject": "x", """, 400, "$" },
        { "unknown field", """{"subject":"x","requester":{"name":"A"},"isAdmin":true}""", 400, "$.isAdmin" },
        { "wrong type", """{"subject":42,"requester":{"name":"A"}}""", 400, "$.subject" },
        { "unknown enum", """{"subject":"x","requester":{"name":"A"},"priority":"whenever"}""", 400, "$.priority" },
        { "numeric enum", """{"subject":"x","requester":{"name":"A"},"priority":3}""", 400, "$.priority" },
        { "missing subject", """{"requester":{"name":"A"}}""", 422, "subject" },
        { "oversize subject", "{\"subject\":\"" + new string('s', 501) + "\",\"requester\":{\"name\":\"A\"}}", 422, "subject" },
        { "oversize body", "{\"subject\":\"x\",\"requester\":{\"name\":\"A\"},\"message\":{\"text\":\"" + new string('b', 262_145) + "\"}}", 422, "message.text" },
        { "NUL in subject", """{"subject":"a\u0000b","requester":{"name":"A"}}""", 422, "subject" },
        { "invalid email", """{"subject":"x","requester":{"email":"not-an-email"}}""", 422, "emails[0]" },
        { "email with display name", """{"subject":"x","requester":{"email":"Bob <bob@example.com>"}}""", 422, "emails[0]" },
        { "300-char email", "{\"subject\":\"x\",\"requester\":{\"email\":\"" + new string('a', 290) + "@example.com\"}}", 422, "emails[0]" },
        { "invalid phone", """{"subject":"x","requester":{"phone":"12"}}""", 422, "phones[0]" },
        { "no requester", """{"subject":"x"}""", 422, "requester" },
        { "empty requester", """{"subject":"x","requester":{}}""", 422, "requester" },
        { "too many tags", $$"""{"subject":"x","requester":{"name":"A"},"tags":[{{string.Join(",", Enumerable.Range(0, 51).Select(i => $"\"t{i}\""))}}]}""", 422, "tags" },
        { "tag with space", """{"subject":"x","requester":{"name":"A"},"tags":["two words"]}""", 422, "tags[0]" },
        { "nested custom field", """{"subject":"x","requester":{"name":"A"},"customFields":{"a":{"b":1}}}""", 422, "customFields.a" },
        { "custom field key", """{"subject":"x","requester":{"name":"A"},"customFields":{"bad key!":"v"}}""", 422, "customFields.bad key!" },
        { "null attachment", """{"subject":"x","requester":{"name":"A"},"message":{"text":"t","attachments":[null]}}""", 422, "message.attachments[0]" },
        { "bad attachment", """{"subject":"x","requester":{"name":"A"},"message":{"attachments":[{"fileName":"a.txt","contentBase64":"%%%"}]}}""", 422, "message.attachments[0].contentBase64" },
    };

    [Theory]
    [MemberData(nameof(BadTicketBodies))]
    public async Task Bad_ticket_input_gets_a_problem_naming_the_field_and_writes_nothing(string @case, string body, int status, string field)
    {
        var ws = await app.CreateWorkspaceAsync();
        var response = await ws.Owner.SendJsonAsync(HttpMethod.Post, "/api/v1/tickets", body);
        Assert.True(status == (int)response.StatusCode, $"{@case}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.ProblemAsync();
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), $"{@case}: {problem}");
        Assert.Equal(0, await ws.CountAsync<Ticket>());
        Assert.Equal(0, await ws.CountAsync<Customer>());
    }

    [Fact]
    public async Task A_body_over_the_request_limit_gets_413()
    {
        var ws = await app.CreateWorkspaceAsync();
        var huge = new StringBuilder("""{"subject":"x","requester":{"name":"A"},"message":{"text":""");
        huge.Append('a', 31 * 1024 * 1024).Append("\"}}");
        var response = await ws.Owner.SendJsonAsync(HttpMethod.Post, "/api/v1/tickets", huge.ToString());
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal(0, await ws.CountAsync<Ticket>());
    }

    [Fact]
    public async Task Emoji_zero_width_and_bidi_characters_are_stored_exactly_as_sent()
    {
        var ws = await app.CreateWorkspaceAsync();
        var subject = "Order 🦄🏴󠁧󠁢󠁷󠁬󠁳󠁿 کسب‌وکار \u200B\u202Eevil\u202C شماره ۱۲۳ «ok»";
        var text = "Line 1\r\nمی‌شود\u200D 𝕏 \u2066isolated\u2069";
        var ticket = await (await ws.Owner.PostAsJsonAsync("/api/v1/tickets", new { subject, requester = new { name = "نام\u200Cکاربر 👩🏽‍💻" }, message = new { text } })).ReadAsync<TicketResponse>();
        var detail = await (await ws.Owner.GetAsync($"/api/v1/tickets/{ticket.Id}")).ReadAsync<TicketDetailResponse>();
        Assert.Equal(subject, detail.Ticket.Subject);
        Assert.Equal(text, detail.Messages[0].BodyText);
        Assert.Equal("نام\u200Cکاربر 👩🏽‍💻", detail.Ticket.Requester.Name);
    }

    [Theory]
    [InlineData("/api/v1/tickets?cursor=abc", "cursor")]
    [InlineData("/api/v1/tickets?status=frozen", "status")]
    [InlineData("/api/v1/tickets?assignee=someone", "assignee")]
    [InlineData("/api/v1/customers?cursor=zzz", "cursor")]
    [InlineData("/api/v1/tickets?priority=soon", "priority")]
    [InlineData("/api/v1/tickets?channel=pigeon", "channel")]
    public async Task Bad_query_strings_get_a_problem_naming_the_parameter(string url, string field)
    {
        var ws = await app.CreateWorkspaceAsync();
        var response = await ws.Owner.GetAsync(url);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.True((await response.ProblemAsync()).GetProperty("errors").TryGetProperty(field, out _));
    }

    [Theory]
    [InlineData("PATCH", """{"status":null}""", "status")]
    [InlineData("PATCH", """{"subject":""}""", "subject")]
    [InlineData("PATCH", """{"tags":["ok","not ok"]}""", "tags[1]")]
    public async Task Bad_patches_change_nothing(string method, string body, string field)
    {
        var ws = await app.CreateWorkspaceAsync();
        var ticket = await (await ws.Owner.PostAsJsonAsync("/api/v1/tickets", new { subject = "Keep", requester = new { name = "A" }, tags = new[] { "a" } })).ReadAsync<TicketResponse>();
        var response = await ws.Owner.SendJsonAsync(new HttpMethod(method), $"/api/v1/tickets/{ticket.Id}", body);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.True((await response.ProblemAsync()).GetProperty("errors").TryGetProperty(field, out _));
        var after = await (await ws.Owner.GetAsync($"/api/v1/tickets/{ticket.Id}")).ReadAsync<TicketDetailResponse>();
        Assert.Equal(ticket.Version, after.Ticket.Version);
        Assert.Equal(["a"], after.Ticket.Tags);
    }

    [Fact]
    public async Task Unknown_ids_and_routes_answer_problem_json_404()
    {
        var ws = await app.CreateWorkspaceAsync();
        var response = await ws.Owner.GetAsync($"/api/v1/tickets/{Guid.NewGuid()}");
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(HttpStatusCode.NotFound, (await ws.Owner.GetAsync("/api/v1/tickets/not-a-guid")).StatusCode);
    }

    [Theory]
    [InlineData("/api/v1/tickets?limit=abc", "limit")]
    [InlineData("/api/v1/tickets?team=abc", "team")]
    public async Task Unparseable_query_parameters_are_named(string url, string field)
    {
        var ws = await app.CreateWorkspaceAsync();
        var response = await ws.Owner.GetAsync(url);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.True((await response.ProblemAsync()).GetProperty("errors").TryGetProperty(field, out _), await response.Content.ReadAsStringAsync());
    }

    [Theory]
    [InlineData("""{"name":"   "}""", "name")]
    [InlineData("""{"timeZone":"Pacific Standard Time"}""", "timeZone")]
    [InlineData("""{"timeZone":"Mars/Base"}""", "timeZone")]
    [InlineData("""{"phoneRegion":"XX"}""", "phoneRegion")]
    public async Task Bad_workspace_settings_change_nothing(string body, string field)
    {
        var ws = await app.CreateWorkspaceAsync();
        var response = await ws.Owner.SendJsonAsync(HttpMethod.Patch, "/api/v1/workspace", body);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.True((await response.ProblemAsync()).GetProperty("errors").TryGetProperty(field, out _));
        var ok = await ws.Owner.SendJsonAsync(HttpMethod.Patch, "/api/v1/workspace", """{"timeZone":"Asia/Tehran","phoneRegion":"ir"}""");
        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
    }

    [Fact]
    public async Task Requests_without_credentials_get_401_and_no_data()
    {
        var response = await app.CreateClient().GetAsync("/api/v1/tickets");
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }
}
