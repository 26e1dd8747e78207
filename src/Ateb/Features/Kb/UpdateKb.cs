using Ateb.Features.Agents;
using Ateb.Features.Audit;
using Ateb.Infrastructure.Data;
using Ateb.Infrastructure.Web;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Ateb.Features.Kb;

/// <summary>PATCH an article: absent fields stay, null clears (category, owner, review-by).</summary>
public sealed record UpdateKbArticleRequest(Optional<Guid?> CategoryId, Optional<KbArticleKind?> Kind, Optional<bool?> IsInternal, Optional<Guid?> OwnerId,
    Optional<DateOnly?> ReviewBy, bool? ClearOutdated);

/// <summary>PATCH a category: position, parent, and names (each given language replaced; others kept).</summary>
public sealed record UpdateKbCategoryRequest(Optional<Guid?> ParentId, int? Position, KbNameInput[]? Names);

internal static class UpdateKb
{
    public static void MapKbUpdates(this RouteGroupBuilder kb)
    {
        kb.MapPatch("/articles/{id:guid}", UpdateArticleAsync).RequireAuthorization(Policies.Agent);
        kb.MapDelete("/articles/{id:guid}", DeleteArticleAsync).RequireAuthorization(Policies.Agent);
        kb.MapPatch("/categories/{id:guid}", UpdateCategoryAsync).RequireAuthorization(Policies.Agent);
        kb.MapDelete("/categories/{id:guid}", DeleteCategoryAsync).RequireAuthorization(Policies.Agent);
    }

    internal static async Task<Results<Ok<KbArticleResponse>, ProblemHttpResult>> UpdateArticleAsync(Guid id, UpdateKbArticleRequest body, Actor actor, AtebDb db,
        Search.SearchIndex search, Infrastructure.Outbox.OutboxSignal outbox, TimeProvider clock, CancellationToken ct)
    {
        var article = await db.KbArticles.Include(a => a.Translations).FirstOrDefaultAsync(a => a.Id == id, ct);
        if (article is null)
        {
            return Problems.NotFound("article");
        }
        var check = new Check();
        if (body.CategoryId is { IsSet: true, Value: { } category } && !await db.KbCategories.AnyAsync(c => c.Id == category, ct))
        {
            check.Add("categoryId", "is not a category of this knowledge base.");
        }
        if (body.OwnerId is { IsSet: true, Value: { } owner } && !await db.Memberships.AnyAsync(m => m.Id == owner && m.Active, ct))
        {
            check.Add("ownerId", "is not an agent of this workspace.");
        }
        if (!check.Ok)
        {
            return check.Problem();
        }
        var visibilityChanged = body.IsInternal is { IsSet: true, Value: { } @internal } && @internal != article.IsInternal;
        article.CategoryId = body.CategoryId.IsSet ? body.CategoryId.Value : article.CategoryId;
        article.Kind = body.Kind is { IsSet: true, Value: { } kind } ? kind : article.Kind;
        article.IsInternal = body.IsInternal is { IsSet: true, Value: { } isInternal } ? isInternal : article.IsInternal;
        article.OwnerId = body.OwnerId.IsSet ? body.OwnerId.Value : article.OwnerId;
        article.ReviewBy = body.ReviewBy.IsSet ? body.ReviewBy.Value : article.ReviewBy;
        if (body.ClearOutdated == true)
        {
            article.OutdatedReports = 0;
            article.OutdatedSince = null;
        }
        article.UpdatedAt = clock.GetUtcNow();
        if (visibilityChanged)
        {
            // Internal or public changes who may find each translation: re-index them all.
            article.Translations.ForEach(t => search.QueueArticle(t.Id));
        }
        db.AuditEntries.Add(AuditEntry.For(actor, "kb_article", id, "updated", article.UpdatedAt));
        await db.SaveChangesAsync(ct);
        outbox.Pulse(Search.SearchIndex.KindName);
        return TypedResults.Ok(KbFeature.ToResponse(article));
    }

    internal static async Task<Results<NoContent, ProblemHttpResult>> DeleteArticleAsync(Guid id, Actor actor, AtebDb db, Search.SearchIndex search,
        Infrastructure.Outbox.OutboxSignal outbox, TimeProvider clock, CancellationToken ct)
    {
        var article = await db.KbArticles.Include(a => a.Translations).FirstOrDefaultAsync(a => a.Id == id, ct);
        if (article is null)
        {
            return Problems.NotFound("article");
        }
        // The search jobs find the translations gone and drop their documents.
        article.Translations.ForEach(t => search.QueueArticle(t.Id));
        db.KbArticles.Remove(article);
        db.AuditEntries.Add(AuditEntry.For(actor, "kb_article", id, "deleted", clock.GetUtcNow()));
        await db.SaveChangesAsync(ct);
        outbox.Pulse(Search.SearchIndex.KindName);
        return TypedResults.NoContent();
    }

    internal static async Task<Results<Ok<KbCategoryResponse>, ProblemHttpResult>> UpdateCategoryAsync(Guid id, UpdateKbCategoryRequest body, Actor actor,
        AtebDb db, TimeProvider clock, CancellationToken ct)
    {
        var category = await db.KbCategories.Include(c => c.Names).FirstOrDefaultAsync(c => c.Id == id, ct);
        if (category is null)
        {
            return Problems.NotFound("category");
        }
        var check = new Check();
        KbFeature.ValidateNames(check, body.Names);
        if (body.ParentId is { IsSet: true, Value: { } parent }
            && (parent == id || !await db.KbCategories.AnyAsync(c => c.Id == parent && c.ParentId == null, ct)
                || await db.KbCategories.AnyAsync(c => c.ParentId == id, ct)))
        {
            check.Add("parentId", "must be another top-level category, and a category with sections cannot become a section.");
        }
        if (!check.Ok)
        {
            return check.Problem();
        }
        category.ParentId = body.ParentId.IsSet ? body.ParentId.Value : category.ParentId;
        category.Position = body.Position ?? category.Position;
        foreach (var name in body.Names ?? [])
        {
            var language = KbFeature.Language(name.Language)!;
            if (category.Names.FirstOrDefault(n => n.Language == language) is { } existing)
            {
                existing.Name = name.Name!.Trim();
                existing.Description = name.Description?.Trim();
            }
            else
            {
                var added = new KbCategoryName { CategoryId = id, Language = language, Name = name.Name!.Trim(), Description = name.Description?.Trim() };
                category.Names.Add(added);
                db.Add(added);
            }
        }
        db.AuditEntries.Add(AuditEntry.For(actor, "kb_category", id, "updated", clock.GetUtcNow()));
        await db.SaveChangesAsync(ct);
        return TypedResults.Ok(KbFeature.ToResponse(category));
    }

    internal static async Task<Results<NoContent, ProblemHttpResult>> DeleteCategoryAsync(Guid id, Actor actor, AtebDb db, TimeProvider clock, CancellationToken ct)
    {
        var category = await db.KbCategories.FirstOrDefaultAsync(c => c.Id == id, ct);
        if (category is null)
        {
            return Problems.NotFound("category");
        }
        if (await db.KbCategories.AnyAsync(c => c.ParentId == id, ct) || await db.KbArticles.AnyAsync(a => a.CategoryId == id, ct))
        {
            return Problems.Conflict("The category still has sections or articles; move or delete them first.");
        }
        db.KbCategories.Remove(category);
        db.AuditEntries.Add(AuditEntry.For(actor, "kb_category", id, "deleted", clock.GetUtcNow()));
        await db.SaveChangesAsync(ct);
        return TypedResults.NoContent();
    }
}
