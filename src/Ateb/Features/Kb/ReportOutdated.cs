using Ateb.Features.Agents;
using Ateb.Features.Audit;
using Ateb.Infrastructure.Data;
using Ateb.Infrastructure.Text;
using Ateb.Infrastructure.Web;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Ateb.Features.Kb;

/// <summary>
/// "This is outdated", from an agent (POST /api/v1/kb/articles/{id}/outdated) or a help-center reader (the form under
/// every public article): counted, dated the first time, audited with the comment. The owner sees it in the outdated
/// list until an agent clears it (PATCH with clearOutdated).
/// </summary>
internal sealed class ReportOutdated(AtebDb db, TimeProvider clock)
{
    /// <summary>The audit entry's author when a reader reported it (no account); the workspace shows it in the agent's language.</summary>
    public const string Reader = "help-center-reader";

    public async Task<Results<Ok<KbArticleResponse>, ProblemHttpResult>> HandleAsync(Guid articleId, string? comment, Actor? actor, CancellationToken ct)
    {
        var check = new Check().Text("comment", comment, 2000);
        if (!check.Ok)
        {
            return check.Problem();
        }
        var article = await db.KbArticles.Include(a => a.Translations).FirstOrDefaultAsync(a => a.Id == articleId, ct);
        if (article is null)
        {
            return Problems.NotFound("article");
        }
        var now = clock.GetUtcNow();
        article.OutdatedReports++;
        article.OutdatedSince ??= now;
        var note = string.IsNullOrWhiteSpace(comment) ? null : comment.Trim();
        db.AuditEntries.Add(actor is not null
            ? AuditEntry.For(actor, "kb_article", articleId, "reported_outdated", now, "comment", null, note)
            : new AuditEntry
            {
                EntityType = "kb_article", EntityId = articleId, ActorName = Reader, Action = "reported_outdated", Field = "comment",
                NewValue = note is null ? null : Truncate.ToLength(note, 1000), At = now,
            });
        await db.SaveChangesAsync(ct);
        return TypedResults.Ok(KbFeature.ToResponse(article));
    }
}
