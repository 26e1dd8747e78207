using Ateb.Features.Search;
using Ateb.Infrastructure.Data;
using Ateb.Infrastructure.Web;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace Ateb.Features.Kb;

/// <summary>One suggested article for a visitor; Url is null when the workspace's help center has no address (see <see cref="HelpCenter.ArticleUrlAsync"/>).</summary>
public sealed record PublicKbSuggestion(Guid Id, string Title, string Snippet, string? Url);

/// <summary>
/// The knowledge base's public door for the chat widget: GET /api/v1/public/{workspaceSlug}/kb/suggestions?text=&amp;lang=&amp;limit=,
/// anonymous and rate-limited per address. The same suggestions as the agent composer's (KbFeature.SuggestForAsync), with
/// internal articles left out; drafts are never indexed. Snippets are escaped HTML with &lt;mark&gt;s.
/// </summary>
internal static class PublicKb
{
    public static void MapPublicKb(this IEndpointRouteBuilder api)
    {
        var visitors = api.MapGroup("/public/{workspaceSlug}").WithTags("Public").ForVisitors();
        visitors.MapGet("/kb/suggestions", SuggestAsync).RequireRateLimiting(RateLimits.PublicRead);
    }

    internal static async Task<Results<Ok<PublicKbSuggestion[]>, ProblemHttpResult>> SuggestAsync(string workspaceSlug, string? text, string? lang, int? limit,
        HttpRequest request, AtebDb db, WorkspaceScope scope, ISearchEngine engine, CancellationToken ct)
    {
        var workspace = await db.Workspaces.AsNoTracking().FirstOrDefaultAsync(w => w.Slug == workspaceSlug, ct);
        if (workspace is null)
        {
            return TypedResults.Problem(new ProblemDetails
            {
                Status = StatusCodes.Status404NotFound, Title = "Not found", Detail = "No workspace has that slug.", Type = "https://ateb.dev/problems/not-found",
            });
        }
        scope.Enter(workspace.Id);
        var outcome = await KbFeature.SuggestForAsync(text, lang, limit, db, engine, workspace.Id, includeInternal: false, ct);
        if (outcome.Result is not Ok<KbSearchResult[]> { Value: { } found })
        {
            return (ProblemHttpResult)outcome.Result;
        }
        var root = await HelpCenter.RootAsync(db, workspace, request, ct);
        return TypedResults.Ok(found.Select(r => new PublicKbSuggestion(r.ArticleId, r.Title, r.Snippet, root is null ? null : $"{root}/help/{r.Language}/articles/{r.ArticleId}"))
            .ToArray());
    }
}
