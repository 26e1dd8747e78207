using Ateb.Features.Customers;

namespace Ateb.Tests.Features.Customers;

/// <summary>
/// The customer list's q goes through the search engine: the same results on SQLite FTS5 and PostgreSQL (this class runs
/// on both). Names are found in the spellings people type; whole addresses and numbers are found exactly.
/// </summary>
public sealed class CustomerSearchTests(AtebApp app) : IClassFixture<AtebApp>
{
    private static async Task<CustomerResponse> CustomerAsync(TestWorkspace ws, string name, string? email = null, string? phone = null) =>
        await (await ws.Owner.PostAsJsonAsync("/api/v1/customers", new
        {
            name, emails = email is null ? Array.Empty<string>() : [email], phones = phone is null ? Array.Empty<string>() : [phone],
        })).ReadAsync<CustomerResponse>();

    private static async Task<Guid[]> FindAsync(TestWorkspace ws, string q) =>
        [.. (await (await ws.Owner.GetAsync("/api/v1/customers?q=" + Uri.EscapeDataString(q))).ReadAsync<CustomerPage>()).Items.Select(c => c.Id)];

    [Fact]
    public async Task Names_are_found_in_the_spellings_people_type_and_addresses_and_numbers_exactly()
    {
        var ws = await app.CreateWorkspaceAsync();
        var ali = await CustomerAsync(ws, "علی رضایی", "ali@example.ir");
        var alireza = await CustomerAsync(ws, "علیرضا کریمی");
        var fatima = await CustomerAsync(ws, "فاطمة الزهراء", "f.zahra@example.sa");
        var dafydd = await CustomerAsync(ws, "Dafydd ap Gruffydd", "dafydd@example.cymru", "+44 7911 123456");
        var ana = await CustomerAsync(ws, "Ana López", "ana.lopez@shop.example");
        var other = await CustomerAsync(ws, "Ana Shop", "ana.shop@lopez.example");

        // Persian typed on an Arabic keyboard (ي, ك) finds the Persian spelling; a whole word is not a prefix of another.
        Assert.Equal([ali.Id], await FindAsync(ws, "علي رضايي"));
        Assert.Equal([ali.Id], await FindAsync(ws, "علی "));
        Assert.Equal([ali.Id, alireza.Id], (await FindAsync(ws, "علی")).OrderBy(id => id == ali.Id ? 0 : 1));
        // ة and ه, with or without the article.
        Assert.Equal([fatima.Id], await FindAsync(ws, "فاطمه زهراء"));
        // Welsh: a mutated name finds its radical («Ddafydd» after «i», «Nafydd» would be nasal).
        Assert.Equal([dafydd.Id], await FindAsync(ws, "Ddafydd "));
        Assert.Equal([dafydd.Id], await FindAsync(ws, "ddafydd gruffydd"));
        // Folded Latin: «lopez» finds «López».
        Assert.Contains(ana.Id, await FindAsync(ws, "lopez "));

        // A whole address finds exactly its customer, in any case; the same words in another address do not.
        Assert.Equal([ana.Id], await FindAsync(ws, "ANA.LOPEZ@shop.example"));
        Assert.Equal([other.Id], await FindAsync(ws, "ana.shop@lopez.example"));
        // A phone number in any format: international with 00, national with its trunk 0 as typed, its last digits.
        Assert.Equal([dafydd.Id], await FindAsync(ws, "0044 7911 123456"));
        Assert.Equal([dafydd.Id], await FindAsync(ws, "07911123456"));
        Assert.Equal([dafydd.Id], await FindAsync(ws, "+44 7911"));

        // Nothing that is not there.
        Assert.Empty(await FindAsync(ws, "حسین "));
        Assert.Empty(await FindAsync(ws, "07911 999999"));
        Assert.Empty(await FindAsync(ws, "nobody@example.ir"));
    }

    [Fact]
    public async Task A_changed_name_is_found_after_its_index_job_and_the_old_one_is_not()
    {
        var ws = await app.CreateWorkspaceAsync();
        var customer = await CustomerAsync(ws, "Gwenllian Jones");
        Assert.Equal([customer.Id], await FindAsync(ws, "gwenllian "));
        (await ws.Owner.PatchAsJsonAsync($"/api/v1/customers/{customer.Id}", new { name = "Nia Roberts" })).EnsureSuccessStatusCode();
        var deadline = DateTime.UtcNow.AddSeconds(15);
        while ((await FindAsync(ws, "nia ")).Length == 0 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(100);
        }
        Assert.Equal([customer.Id], await FindAsync(ws, "nia roberts"));
        Assert.Empty(await FindAsync(ws, "gwenllian "));
    }
}
