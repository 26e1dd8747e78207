using Ateb.Components;
using Ateb.Features.Admin;
using Ateb.Features.Agents;
using Ateb.Features.CannedResponses;
using Ateb.Features.Chat;
using Ateb.Features.Customers;
using Ateb.Features.Demo;
using Ateb.Features.Email;
using Ateb.Features.Kb;
using Ateb.Features.Organizations;
using Ateb.Features.Search;
using Ateb.Features.Teams;
using Ateb.Features.Tickets;
using Ateb.Features.Tokens;
using Ateb.Features.Views;
using Ateb.Features.Webhooks;
using Ateb.Features.Workspaces;
using Ateb.Infrastructure.Data;
using Ateb.Infrastructure.Outbox;
using Ateb.Infrastructure.Realtime;
using Ateb.Infrastructure.Storage;
using Ateb.Infrastructure.Web;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using Scalar.AspNetCore;

// --demo is a switch, not a setting: left in, the configuration reader would take the next argument (say --urls) as its value.
var builder = WebApplication.CreateBuilder([.. args.Where(a => a != "--demo")]);
var config = builder.Configuration;
// The workspace's CSS and scripts: from wwwroot when published, from the build's asset manifest when run from a build
// (dotnet run, tests, the benchmark), whatever the working directory and environment.
builder.WebHost.UseStaticWebAssets();
// Quiet defaults that hold wherever Ateb starts (appsettings.json may not be beside it); more specific settings still win.
builder.Logging.AddFilter("Microsoft.EntityFrameworkCore", LogLevel.Warning).AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
if (AdminVerbs.IsVerb(args))
{
    // A verb's stdout is its answer (a token, say); every log line goes to stderr.
    builder.Logging.AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace);
}

builder.Services.AddSingleton(TimeProvider.System);
builder.Services.AddSingleton<LiveEvents>();
builder.Services.AddAtebData(config);
builder.Services.AddAtebStorage(config);
builder.Services.AddAtebOutbox(config);
builder.Services.AddAtebWeb();
builder.Services.AddAtebRateLimits(config);
builder.Services.AddDataProtection().SetApplicationName("Ateb").PersistKeysToDbContext<AtebDb>();
builder.Services.AddAtebAuth(auth => auth.AddApiTokens());
builder.Services.AddOpenApi();
builder.Services.AddHealthChecks().AddDbContextCheck<AtebDb>();

builder.Services.AddWorkspaces();
builder.Services.AddTokens();
builder.Services.AddCustomers();
builder.Services.AddTickets();
builder.Services.AddWebhooks(config);
builder.Services.AddViews();
builder.Services.AddCannedResponses();
builder.Services.AddEmail(config);
builder.Services.AddSearch(config);
builder.Services.AddKb();
builder.Services.AddChat(config);
builder.Services.AddChatSettings();
builder.Services.AddScoped<SeedDemo>();
builder.Services.AddAgentWorkspace();

var app = builder.Build();

if (AdminVerbs.IsVerb(args))
{
    return await AdminVerbs.RunAsync(app.Services, args, Console.Out, Console.Error);
}

await app.Services.MigrateAtebDbAsync();
if (args.Contains("--demo"))
{
    await AdminVerbs.RunAsync(app.Services, ["seed-demo"], Console.Out, Console.Error);
}

app.UseAtebProblems();
app.UseSecurityHeaders();
app.UseAgentLanguages();
app.UseRouting();
app.UseChatCors();
app.UseAuthentication();
app.UseMiddleware<ActorMiddleware>();
app.UseAuthorization();
app.UseRateLimiter();
app.UseAntiforgery();

app.MapOpenApi();
app.MapScalarApiReference();
app.MapHealthChecks("/health");
app.MapAgentWorkspace();
app.MapSetupPage();
app.MapHelpCenter();
app.MapHelpCenterForms();
app.MapChatHubs();

var api = app.MapGroup("/api/v1");
api.MapSignIn();
api.MapWorkspace();
api.MapAgents();
api.MapTeams();
api.MapTokens();
api.MapCustomers();
api.MapOrganizations();
api.MapTickets();
api.MapWebhooks(config);
api.MapViews();
api.MapCannedResponses();
api.MapEmail();
api.MapSearch();
api.MapKb();
api.MapPublicKb();
api.MapChat();
api.MapChatSettings();

app.Lifetime.ApplicationStarted.Register(() => PrintSetupLink(app));
await app.RunAsync();
return 0;

static void PrintSetupLink(WebApplication app)
{
    using var scope = app.Services.CreateScope();
    if (scope.ServiceProvider.GetRequiredService<AtebDb>().Workspaces.Any())
    {
        return;
    }
    var link = app.Services.GetRequiredService<SetupLink>();
    var root = app.Urls.FirstOrDefault() ?? "http://localhost:5080";
    Console.WriteLine($"""

        No workspace yet. Open this one-time link to set up Ateb:

            {root}/setup?token={link.Token}

        (or run: dotnet run --project src/Ateb -- setup --workspace NAME --owner-email E --owner-password P)

        """);
}

public partial class Program;
