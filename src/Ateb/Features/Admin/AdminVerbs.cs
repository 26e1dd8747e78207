using Ateb.Features.Agents;
using Ateb.Features.Demo;
using Ateb.Features.Tokens;
using Ateb.Features.Workspaces;
using Ateb.Infrastructure.Data;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace Ateb.Features.Admin;

/// <summary>
/// Verbs of the same binary for scripts and first set-up: setup, tokens create, seed-demo.
/// They run the same handlers as the API against the configured database, then exit.
/// </summary>
internal static class AdminVerbs
{
    public static readonly string[] Names = ["setup", "tokens", "agents", "seed-demo"];

    public static bool IsVerb(string[] args) => args.Length > 0 && Names.Contains(args[0]);

    public static async Task<int> RunAsync(IServiceProvider services, string[] args, TextWriter output, TextWriter errors)
    {
        await services.MigrateAtebDbAsync();
        await using var scope = services.CreateAsyncScope();
        var sp = scope.ServiceProvider;
        var options = Options(args.Skip(args[0] is "tokens" or "agents" ? 2 : 1).ToArray());
        switch (args[0])
        {
            case "setup":
                var (result, check) = await sp.GetRequiredService<SetupWorkspace>().HandleAsync(
                    new SetupWorkspaceRequest(options.GetValueOrDefault("workspace"), options.GetValueOrDefault("owner-email"),
                        options.GetValueOrDefault("owner-password"), options.GetValueOrDefault("owner-name")), CancellationToken.None);
                if (result is null)
                {
                    await errors.WriteLineAsync("setup: " + Describe(check));
                    return 2;
                }
                await output.WriteLineAsync($"{(result.Created ? "Created" : "Already set up:")} workspace {result.WorkspaceId}, owner {options["owner-email"]}");
                return 0;
            case "tokens" when args.Length > 1 && args[1] == "create":
                return await CreateTokenAsync(sp, options, output, errors);
            case "agents" when args.Length > 1 && args[1] == "add":
                return await AddAgentAsync(sp, options, output, errors);
            case "seed-demo":
                var demo = await sp.GetRequiredService<SeedDemo>().HandleAsync(CancellationToken.None);
                await output.WriteLineAsync($"Demo workspace {demo.WorkspaceId}: sign in as {SeedDemo.OwnerEmail} / {SeedDemo.Password}");
                return 0;
            default:
                await errors.WriteLineAsync("usage: setup --workspace NAME --owner-email E --owner-password P | tokens create --email E --name N [--workspace NAME]"
                    + " | agents add --workspace NAME --email E --role light_agent|agent|admin|owner [--password P] [--name N] | seed-demo");
                return 2;
        }
    }

    private static async Task<int> CreateTokenAsync(IServiceProvider sp, Dictionary<string, string> options, TextWriter output, TextWriter errors)
    {
        var db = sp.GetRequiredService<AtebDb>();
        var account = options.TryGetValue("email", out var email) ? await sp.GetRequiredService<UserManager<AgentAccount>>().FindByEmailAsync(email) : null;
        if (account is null || !options.TryGetValue("name", out var name) || string.IsNullOrWhiteSpace(name) || name.Length > 100)
        {
            await errors.WriteLineAsync("tokens create: --email must name an existing agent and --name must be 1 to 100 characters.");
            return 2;
        }
        var seats = await db.Memberships.IgnoreQueryFilters().Where(m => m.AccountId == account.Id && m.Active)
            .Join(db.Workspaces, m => m.WorkspaceId, w => w.Id, (m, w) => new { m.Id, m.WorkspaceId, w.Name, w.Slug }).ToListAsync();
        var wanted = options.GetValueOrDefault("workspace");
        var chosen = wanted is null ? seats : seats.Where(s => s.Name == wanted || s.Slug == wanted).ToList();
        if (chosen.Count != 1)
        {
            await errors.WriteLineAsync(chosen.Count == 0
                ? "tokens create: that agent has no seat in that workspace."
                : "tokens create: the agent belongs to several workspaces; add --workspace NAME (" + string.Join(", ", seats.Select(s => s.Name)) + ").");
            return 2;
        }
        sp.GetRequiredService<WorkspaceScope>().Enter(chosen[0].WorkspaceId);
        var days = options.TryGetValue("expires-days", out var d) && int.TryParse(d, out var parsed) ? parsed : 365;
        var token = await sp.GetRequiredService<CreateToken>().HandleAsync(chosen[0].Id, account.Id, "cli", name, days, CancellationToken.None);
        await output.WriteLineAsync(token.Token);
        return 0;
    }

    /// <summary>The operator's way to give an existing account a seat in another workspace (or create one with a password).</summary>
    private static async Task<int> AddAgentAsync(IServiceProvider sp, Dictionary<string, string> options, TextWriter output, TextWriter errors)
    {
        var db = sp.GetRequiredService<AtebDb>();
        var users = sp.GetRequiredService<UserManager<AgentAccount>>();
        var wanted = options.GetValueOrDefault("workspace");
        var workspace = wanted is null ? null : await db.Workspaces.FirstOrDefaultAsync(w => w.Name == wanted || w.Slug == wanted);
        var role = Roles.FromWire(options.GetValueOrDefault("role") ?? "agent");
        var email = Infrastructure.Text.ContactAddresses.NormalizeEmail(options.GetValueOrDefault("email"));
        if (workspace is null || role is null || email is null)
        {
            await errors.WriteLineAsync("agents add: --workspace must name a workspace, --email must be an address, --role light_agent|agent|admin|owner.");
            return 2;
        }
        var account = await users.FindByEmailAsync(email);
        if (account is null)
        {
            if (!options.TryGetValue("password", out var password))
            {
                await errors.WriteLineAsync("agents add: a new account needs --password.");
                return 2;
            }
            account = new AgentAccount { Email = email, UserName = email, DisplayName = options.GetValueOrDefault("name") ?? email.Split('@')[0], CreatedAt = DateTimeOffset.UtcNow };
            var created = await users.CreateAsync(account, password);
            if (!created.Succeeded)
            {
                await errors.WriteLineAsync("agents add: " + string.Join(" ", created.Errors.Select(e => e.Description)));
                return 2;
            }
        }
        sp.GetRequiredService<WorkspaceScope>().Enter(workspace.Id);
        if (!await db.Memberships.AnyAsync(m => m.AccountId == account.Id))
        {
            db.Memberships.Add(new Membership { AccountId = account.Id, Role = role.Value, CreatedAt = DateTimeOffset.UtcNow });
            await db.SaveChangesAsync();
        }
        await output.WriteLineAsync($"{email} is {role.Value.ToWire()} of {workspace.Name}");
        return 0;
    }

    private static Dictionary<string, string> Options(string[] args)
    {
        var options = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i + 1 < args.Length; i += 2)
        {
            if (args[i].StartsWith("--", StringComparison.Ordinal))
            {
                options[args[i][2..]] = args[i + 1];
            }
        }
        return options;
    }

    private static string Describe(Infrastructure.Web.Check check) =>
        check.Problem().ProblemDetails is Microsoft.AspNetCore.Http.HttpValidationProblemDetails details
            ? string.Join("; ", details.Errors.Select(e => $"{e.Key} {string.Join(" ", e.Value)}"))
            : "invalid input";
}
