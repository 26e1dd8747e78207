using System.Net;
using System.Security.Cryptography;
using System.Text;
using Ateb.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;

namespace Ateb.Features.Workspaces;

/// <summary>The one-time secret in the first-run setup link. It dies with the process or when setup completes.</summary>
internal sealed class SetupLink
{
    public string Token { get; } = Convert.ToHexString(RandomNumberGenerator.GetBytes(16)).ToLowerInvariant();

    public bool Used { get; set; }

    public bool Matches(string? candidate) =>
        !Used && candidate is not null && CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(candidate), Encoding.UTF8.GetBytes(Token));
}

/// <summary>
/// First-run setup: a plain server-rendered form behind the printed link. Once any workspace exists, /setup is 404
/// whatever token is presented (an install wizard left open is how UVdesk was taken over).
/// </summary>
internal static class SetupPage
{
    public static void MapSetupPage(this IEndpointRouteBuilder app)
    {
        app.MapGet("/setup", async (string? token, SetupLink link, AtebDb db, CancellationToken ct) =>
            await db.Workspaces.AnyAsync(ct) || !link.Matches(token)
                ? Results.NotFound()
                : Results.Content(Page(token!, null), "text/html; charset=utf-8")).ExcludeFromDescription();
        app.MapPost("/setup", async (HttpRequest request, SetupLink link, AtebDb db, SetupWorkspace setup, CancellationToken ct) =>
        {
            if (await db.Workspaces.AnyAsync(ct) || !request.HasFormContentType)
            {
                return Results.NotFound();
            }
            var form = await request.ReadFormAsync(ct);
            string? token = form["token"];
            if (!link.Matches(token))
            {
                return Results.NotFound();
            }
            var (result, errors) = await setup.HandleAsync(new SetupWorkspaceRequest(form["workspace"], form["email"], form["password"], form["name"]), ct);
            if (result is null)
            {
                var problem = (Microsoft.AspNetCore.Http.HttpResults.ProblemHttpResult)errors.Problem();
                var messages = ((Microsoft.AspNetCore.Http.HttpValidationProblemDetails)problem.ProblemDetails).Errors
                    .SelectMany(e => e.Value.Select(v => $"{e.Key} {v}"));
                return Results.Content(Page(token!, string.Join(" ", messages)), "text/html; charset=utf-8", statusCode: 422);
            }
            link.Used = true;
            return Results.Content(Done(), "text/html; charset=utf-8");
        }).DisableAntiforgery().ExcludeFromDescription();
    }

    private static string Page(string token, string? error) => $$"""
        <!doctype html><html lang="en" dir="ltr"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
        <title>Set up Ateb</title><style>
        *{box-sizing:border-box}
        body{font-family:system-ui,sans-serif;background:#f5f6f8;margin:0;padding:1rem;display:grid;place-items:center;min-block-size:100vh;color:#1d2330}
        form{background:#fff;padding:clamp(1.25rem,5vw,2rem);border-radius:12px;box-shadow:0 2px 12px #0001;inline-size:min(26rem,100%)}
        label{display:block;margin-block:.8rem .3rem;font-weight:600}input{inline-size:100%;padding:.6rem;border:1px solid #c8ccd4;border-radius:8px;font:inherit}
        input:focus-visible,button:focus-visible{outline:3px solid #1f6feb55;outline-offset:2px}
        button{margin-block-start:1.2rem;inline-size:100%;padding:.7rem;border:0;border-radius:8px;background:#1f6feb;color:#fff;font:inherit;font-weight:600}
        .error{color:#b42318}</style></head><body><form method="post" action="/setup">
        <h1>Welcome to Ateb</h1><p>Create your workspace and its owner account.</p>
        {{(error is null ? "" : $"<p class=\"error\" role=\"alert\">{WebUtility.HtmlEncode(error)}</p>")}}
        <input type="hidden" name="token" value="{{WebUtility.HtmlEncode(token)}}">
        <label for="workspace">Workspace name</label><input id="workspace" name="workspace" required dir="auto" maxlength="200">
        <label for="name">Your name</label><input id="name" name="name" dir="auto" maxlength="200">
        <label for="email">Email</label><input id="email" name="email" type="email" required maxlength="254">
        <label for="password">Password (at least 8 characters)</label><input id="password" name="password" type="password" required minlength="8">
        <button type="submit">Create workspace</button></form></body></html>
        """;

    private static string Done() => """
        <!doctype html><html lang="en"><head><meta charset="utf-8"><title>Ateb is ready</title></head>
        <body style="font-family:system-ui,sans-serif;padding:2rem"><h1>Your workspace is ready.</h1>
        <p><a href="/signin">Sign in to your workspace</a> with the email and password you just chose.</p>
        <p>For the API, create a token with <code>dotnet run --project src/Ateb -- tokens create --email you@example.com --name cli</code>,
        or sign in through <code>POST /api/v1/auth/login</code>. The API is described at <a href="/scalar">/scalar</a>.</p></body></html>
        """;
}
