using Ateb.Features.Customers;
using Ateb.Features.Tickets;

namespace Ateb.Tests.Features.Customers;

public sealed class CustomerTests(AtebApp app) : IClassFixture<AtebApp>
{
    [Fact]
    public async Task A_customer_has_many_normalized_identities_and_shows_their_ticket_history()
    {
        var ws = await app.CreateWorkspaceAsync();
        var org = await (await ws.Owner.PostAsJsonAsync("/api/v1/organizations", new { name = "Cwmni Cyf", domains = new[] { "cwmni.cymru" } }))
            .ReadAsync<Ateb.Features.Organizations.OrganizationResponse>();
        var created = await (await ws.Owner.PostAsJsonAsync("/api/v1/customers", new
        {
            name = "Dafydd Jones", emails = new[] { "Dafydd@Cwmni.Cymru" }, phones = new[] { "+44 29 2018 0000", "+۹۸ ۹۱۲ ۱۲۳ ۴۵۶۷" },
            identities = new[] { new { kind = "telegram", value = "123456789" } }, language = "cy", timeZone = "Europe/London",
            organizationId = org.Id, customAttributes = new { plan = "gold", seats = 12 },
        })).ReadAsync<CustomerResponse>();
        Assert.Equal(["dafydd@cwmni.cymru"], created.Emails);
        Assert.Equal(["+442920180000", "+989121234567"], created.Phones);
        Assert.Contains(created.Identities, i => i.Kind == IdentityKind.Telegram && i.Value == "123456789");
        Assert.Equal("gold", created.CustomAttributes.GetProperty("plan").GetString());

        await ws.Owner.PostAsJsonAsync("/api/v1/tickets", new { subject = "Helo", requester = new { email = "DAFYDD@cwmni.cymru" } });
        await ws.Owner.PostAsJsonAsync("/api/v1/inbound-messages", new
        {
            channel = "whats_app", externalId = "wamid.1", from = new { kind = "whats_app", value = "+989121234567" }, text = "hi", threading = "new_ticket",
        });
        await ws.Owner.PostAsJsonAsync("/api/v1/tickets", new { subject = "By phone", requester = new { phone = "00989121234567" } });

        var profile = await (await ws.Owner.GetAsync($"/api/v1/customers/{created.Id}")).ReadAsync<CustomerResponse>();
        Assert.Equal(2, profile.Tickets!.Length);
        Assert.Equal(["By phone", "Helo"], profile.Tickets.Select(t => t.Subject));
    }

    [Fact]
    public async Task A_duplicate_identity_is_a_conflict_and_creates_nothing()
    {
        var ws = await app.CreateWorkspaceAsync();
        await ws.Owner.PostAsJsonAsync("/api/v1/customers", new { name = "One", emails = new[] { "same@example.com" } });
        var again = await ws.Owner.PostAsJsonAsync("/api/v1/customers", new { name = "Two", emails = new[] { "SAME@example.com" } });
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        Assert.Equal(1, await ws.CountAsync<Customer>());
    }

    [Fact]
    public async Task Twenty_parallel_creates_of_the_same_email_make_one_customer()
    {
        var ws = await app.CreateWorkspaceAsync();
        var responses = await Task.WhenAll(Enumerable.Range(0, 20).Select(i =>
            ws.Owner.PostAsJsonAsync("/api/v1/customers", new { name = $"Dup {i}", emails = new[] { "race@example.com" } })));
        Assert.Equal(1, responses.Count(r => r.StatusCode == HttpStatusCode.Created));
        Assert.All(responses.Where(r => r.StatusCode != HttpStatusCode.Created), r => Assert.Equal(HttpStatusCode.Conflict, r.StatusCode));
        Assert.Equal(1, await ws.CountAsync<Customer>());
    }

    [Fact]
    public async Task Customers_are_searchable_by_name_or_identity_and_paged()
    {
        var ws = await app.CreateWorkspaceAsync();
        for (var i = 0; i < 5; i++)
        {
            await ws.Owner.PostAsJsonAsync("/api/v1/customers", new { name = $"Person {i}", emails = new[] { $"p{i}@example.com" } });
        }
        await ws.Owner.PostAsJsonAsync("/api/v1/customers", new { name = "Ahmad_100%", emails = new[] { "ahmad@example.ir" } });
        var byEmail = await (await ws.Owner.GetAsync("/api/v1/customers?q=example.ir")).ReadAsync<CustomerPage>();
        Assert.Equal("Ahmad_100%", Assert.Single(byEmail.Items).Name);
        var literal = await (await ws.Owner.GetAsync("/api/v1/customers?q=_100%25")).ReadAsync<CustomerPage>();
        Assert.Single(literal.Items);
        var names = new List<string>();
        string? cursor = null;
        do
        {
            var page = await (await ws.Owner.GetAsync("/api/v1/customers?limit=2" + (cursor is null ? "" : "&cursor=" + cursor))).ReadAsync<CustomerPage>();
            names.AddRange(page.Items.Select(c => c.Name));
            cursor = page.NextCursor;
        }
        while (cursor is not null);
        Assert.Equal(6, names.Distinct().Count());
    }

    [Theory]
    [InlineData("""{"name":"x","emails":["nope"]}""", "emails[0]")]
    [InlineData("""{"name":"x","phones":["+1"]}""", "phones[0]")]
    [InlineData("""{"name":"x","timeZone":"Mars/Olympus"}""", "timeZone")]
    [InlineData("""{"name":"x","identities":[{"kind":"telegram","value":""}]}""", "identities[0].value")]
    [InlineData("""{"name":"x","customAttributes":[1,2]}""", "customAttributes")]
    public async Task Bad_customer_input_is_a_422_naming_the_field(string body, string field)
    {
        var ws = await app.CreateWorkspaceAsync();
        var response = await ws.Owner.SendJsonAsync(HttpMethod.Post, "/api/v1/customers", body);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.True((await response.ProblemAsync()).GetProperty("errors").TryGetProperty(field, out _), await response.Content.ReadAsStringAsync());
        Assert.Equal(0, await ws.CountAsync<Customer>());
    }
}
