using Ateb.Features.Agents;
using Ateb.Features.Audit;
using Ateb.Features.Search;
using Ateb.Features.Tickets;
using Ateb.Infrastructure.Data;
using Ateb.Infrastructure.Outbox;
using Ateb.Infrastructure.Search;
using Ateb.Infrastructure.Web;
using Markdig;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Ateb.Features.Kb;

/// <summary>
/// The knowledge base under /api/v1/kb: categories and sections, articles and FAQ entries with a translation per language,
/// drafts and publishing, revisions, review dates, "outdated" reports, articles from a solved ticket's answer, and search.
/// </summary>
internal static partial class KbFeature
{
    private static readonly MarkdownPipeline Markdown = new MarkdownPipelineBuilder().UseAdvancedExtensions().DisableHtml().Build();

    public static IServiceCollection AddKb(this IServiceCollection services)
    {
        services.AddScoped<UploadKbFile>();
        services.AddScoped<ReportOutdated>();
        services.AddScoped<SubmitContactForm>();
        return services;
    }

    public static void MapKb(this IEndpointRouteBuilder api)
    {
        var kb = api.MapGroup("/kb").WithTags("Knowledge base").RequireAuthorization(Policies.Member);
        kb.MapGet("/categories", ListCategoriesAsync);
        kb.MapPost("/categories", CreateCategoryAsync).RequireAuthorization(Policies.Agent);
        kb.MapPost("/articles", CreateArticleAsync).RequireAuthorization(Policies.Agent);
        kb.MapPost("/articles/from-ticket", FromTicketAsync).RequireAuthorization(Policies.Agent);
        kb.MapGet("/articles", ListAsync);
        kb.MapGet("/articles/{id:guid}", GetAsync);
        kb.MapPut("/articles/{id:guid}/translations/{language}", SaveTranslationAsync).RequireAuthorization(Policies.Agent);
        kb.MapGet("/articles/{id:guid}/translations/{language}/revisions", RevisionsAsync);
        kb.MapPost("/articles/{id:guid}/outdated", OutdatedAsync);
        kb.MapGet("/search", SearchAsync);
        kb.MapGet("/suggestions", SuggestAsync);
        kb.MapKbUpdates();
        kb.MapKbFiles();
    }

    internal static async Task<KbCategoryResponse[]> ListCategoriesAsync(AtebDb db, CancellationToken ct) =>
        [.. (await db.KbCategories.AsNoTracking().Include(c => c.Names).OrderBy(c => c.Position).ToListAsync(ct)).Select(ToResponse)];

    internal static async Task<Results<Created<KbCategoryResponse>, ProblemHttpResult>> CreateCategoryAsync(KbCategoryRequest body, Actor actor, AtebDb db,
        TimeProvider clock, CancellationToken ct)
    {
        var check = new Check().When(body.Names is not { Length: > 0 }, "names", "needs at least one { language, name }.");
        ValidateNames(check, body.Names);
        if (body.ParentId is { } parent && !await db.KbCategories.AnyAsync(c => c.Id == parent && c.ParentId == null, ct))
        {
            check.Add("parentId", "must be a category of this knowledge base (sections go one level deep).");
        }
        if (!check.Ok)
        {
            return check.Problem();
        }
        var category = new KbCategory { ParentId = body.ParentId, Position = body.Position ?? 0, CreatedAt = clock.GetUtcNow() };
        category.Names.AddRange(body.Names!.DistinctBy(n => Language(n.Language)).Select(n => new KbCategoryName
        {
            CategoryId = category.Id, Language = Language(n.Language)!, Name = n.Name!.Trim(), Description = n.Description?.Trim(),
        }));
        db.KbCategories.Add(category);
        db.AuditEntries.Add(AuditEntry.For(actor, "kb_category", category.Id, "created", category.CreatedAt));
        await db.SaveChangesAsync(ct);
        return TypedResults.Created($"/api/v1/kb/categories/{category.Id}", ToResponse(category));
    }

    internal static async Task<Results<Created<KbArticleResponse>, ProblemHttpResult>> CreateArticleAsync(CreateKbArticleRequest body, Actor actor, AtebDb db,
        SearchIndex search, OutboxSignal outbox, TimeProvider clock, CancellationToken ct)
    {
        var check = new Check().When(body.Translation is null, "translation", "is required: { language, title, markdown }.");
        ValidateTranslation(check, "translation.", body.Translation, requireLanguage: true);
        await ValidateReferencesAsync(check, db, body.CategoryId, body.OwnerId, ct);
        if (!check.Ok)
        {
            return check.Problem();
        }
        var now = clock.GetUtcNow();
        var article = new KbArticle
        {
            CategoryId = body.CategoryId, Kind = body.Kind ?? KbArticleKind.Article, IsInternal = body.IsInternal ?? false, OwnerId = body.OwnerId ?? actor.MembershipId,
            ReviewBy = body.ReviewBy, CreatedAt = now, UpdatedAt = now,
        };
        db.KbArticles.Add(article);
        AddTranslation(db, search, article, Language(body.Translation!.Language)!, body.Translation, actor, now);
        db.AuditEntries.Add(AuditEntry.For(actor, "kb_article", article.Id, "created", now));
        await db.SaveChangesAsync(ct);
        outbox.Pulse(SearchIndex.KindName);
        return TypedResults.Created($"/api/v1/kb/articles/{article.Id}", ToResponse(article));
    }

    /// <summary>A draft article from a ticket's answer (the given message, else the last public agent reply), linked to the ticket.</summary>
    internal static async Task<Results<Created<KbArticleResponse>, ProblemHttpResult>> FromTicketAsync(KbArticleFromTicketRequest body, Actor actor, AtebDb db,
        SearchIndex search, TimeProvider clock, CancellationToken ct)
    {
        var check = new Check().When(body.TicketId is null, "ticketId", "is required.").Text("title", body.Title, 300)
            .When(body.Language is not null && Language(body.Language) is null, "language", "must be a language tag such as en, fa, ar or cy.");
        if (!check.Ok)
        {
            return check.Problem();
        }
        var ticket = await db.Tickets.AsNoTracking().FirstOrDefaultAsync(t => t.Id == body.TicketId, ct);
        if (ticket is null)
        {
            return Problems.NotFound("ticket");
        }
        var answers = db.Messages.AsNoTracking().Where(m => m.TicketId == ticket.Id && m.IsPublic && m.AuthorKind == AuthorKind.Agent);
        var answer = body.MessageId is { } messageId
            ? await answers.FirstOrDefaultAsync(m => m.Id == messageId, ct)
            : await answers.OrderByDescending(m => m.CreatedAt).FirstOrDefaultAsync(ct);
        if (answer is null)
        {
            return Problems.Field(body.MessageId is null ? "ticketId" : "messageId", "has no public agent answer to start an article from.");
        }
        var now = clock.GetUtcNow();
        var language = Language(body.Language) ?? TextNormalizer.DetectLanguage(answer.BodyText);
        var article = new KbArticle { SourceTicketId = ticket.Id, OwnerId = actor.MembershipId, CreatedAt = now, UpdatedAt = now };
        db.KbArticles.Add(article);
        AddTranslation(db, search, article, language, new KbTranslationInput(language, body.Title ?? ticket.Subject, answer.BodyText, false), actor, now);
        db.AuditEntries.Add(AuditEntry.For(actor, "kb_article", article.Id, "created", now, "sourceTicket", null, ticket.Number.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        await db.SaveChangesAsync(ct);
        return TypedResults.Created($"/api/v1/kb/articles/{article.Id}", ToResponse(article));
    }

    internal static async Task<Results<Ok<KbArticleResponse[]>, ProblemHttpResult>> ListAsync(Guid? categoryId, bool? due, bool? outdated, Actor actor, AtebDb db,
        TimeProvider clock, CancellationToken ct)
    {
        var query = db.KbArticles.AsNoTracking().Include(a => a.Translations).AsQueryable();
        if (categoryId is { } category)
        {
            query = query.Where(a => a.CategoryId == category);
        }
        if (due == true)
        {
            var today = DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);
            query = query.Where(a => a.ReviewBy != null && a.ReviewBy <= today);
        }
        if (outdated == true)
        {
            query = query.Where(a => a.OutdatedSince != null);
        }
        var articles = await query.OrderByDescending(a => a.UpdatedAt).Take(500).ToListAsync(ct);
        return TypedResults.Ok(articles.Select(ToResponse).ToArray());
    }

    internal static async Task<Results<Ok<KbArticleResponse>, ProblemHttpResult>> GetAsync(Guid id, AtebDb db, CancellationToken ct) =>
        await db.KbArticles.AsNoTracking().Include(a => a.Translations).FirstOrDefaultAsync(a => a.Id == id, ct) is { } article
            ? TypedResults.Ok(ToResponse(article))
            : Problems.NotFound("article");

    /// <summary>Creates or changes one language of an article; every save is a revision; publish = true makes it live.</summary>
    internal static async Task<Results<Ok<KbArticleResponse>, ProblemHttpResult>> SaveTranslationAsync(Guid id, string language, KbTranslationInput body,
        Actor actor, AtebDb db, SearchIndex search, OutboxSignal outbox, TimeProvider clock, CancellationToken ct)
    {
        var article = await db.KbArticles.Include(a => a.Translations).FirstOrDefaultAsync(a => a.Id == id, ct);
        if (article is null)
        {
            return Problems.NotFound("article");
        }
        var tag = Language(language);
        var check = new Check().When(tag is null, "language", "must be a language tag such as en, fa, ar, cy or pt-BR.");
        ValidateTranslation(check, "", body, requireLanguage: false);
        if (!check.Ok)
        {
            return check.Problem();
        }
        var now = clock.GetUtcNow();
        if (article.Translations.FirstOrDefault(t => t.Language == tag) is { } existing)
        {
            existing.Title = body.Title!.Trim();
            existing.Markdown = body.Markdown ?? "";
            existing.Html = Render(existing.Markdown, article.Id);
            existing.Version++;
            existing.UpdatedAt = now;
            if (body.Publish is { } publish)
            {
                existing.State = publish ? KbState.Published : KbState.Draft;
                existing.PublishedAt = publish ? now : existing.PublishedAt;
            }
            db.KbRevisions.Add(new KbRevision
            {
                TranslationId = existing.Id, Version = existing.Version, Title = existing.Title, Markdown = existing.Markdown, AuthorName = actor.Name, CreatedAt = now,
            });
            search.QueueArticle(existing.Id);
        }
        else
        {
            AddTranslation(db, search, article, tag!, body, actor, now);
        }
        article.UpdatedAt = now;
        db.AuditEntries.Add(AuditEntry.For(actor, "kb_article", article.Id, "translation_saved", now, "language", null, tag));
        await db.SaveChangesAsync(ct);
        outbox.Pulse(SearchIndex.KindName);
        return TypedResults.Ok(ToResponse(article));
    }

    internal static async Task<Results<Ok<KbRevisionResponse[]>, ProblemHttpResult>> RevisionsAsync(Guid id, string language, AtebDb db, CancellationToken ct)
    {
        var tag = Language(language);
        var translation = await db.KbTranslations.AsNoTracking().FirstOrDefaultAsync(t => t.ArticleId == id && t.Language == tag, ct);
        if (translation is null)
        {
            return Problems.NotFound("translation");
        }
        var revisions = await db.KbRevisions.AsNoTracking().Where(r => r.TranslationId == translation.Id).OrderBy(r => r.Version).ToListAsync(ct);
        return TypedResults.Ok(revisions.Select(r => new KbRevisionResponse(r.Version, r.Title, r.Markdown, r.AuthorName, r.CreatedAt)).ToArray());
    }

    private static Task<Results<Ok<KbArticleResponse>, ProblemHttpResult>> OutdatedAsync(Guid id, KbOutdatedRequest? body, Actor actor, ReportOutdated handler,
        CancellationToken ct) => handler.HandleAsync(id, body?.Comment, actor, ct);

    internal static async Task<Results<Ok<KbSearchResult[]>, ProblemHttpResult>> SearchAsync(string? q, string? lang, AtebDb db, ISearchEngine engine,
        Actor actor, CancellationToken ct)
    {
        var check = new Check().Text("q", q, 200, required: true).When(lang is not null && Language(lang) is null, "lang", "must be a language tag.");
        if (!check.Ok)
        {
            return check.Problem();
        }
        var parsed = TextNormalizer.ParseQuery(q!);
        if (parsed.IsEmpty)
        {
            return TypedResults.Ok(Array.Empty<KbSearchResult>());
        }
        var query = SearchQuery.From(parsed, !char.IsWhiteSpace(q![^1]), [SearchKinds.Article], true, 50);
        var hits = await engine.SearchAsync(db, actor.WorkspaceId, query, ct);
        return TypedResults.Ok(await ResultsAsync(db, hits, Language(lang), new Highlighter(parsed.Highlight, query.LastIsPrefix), 20, ct));
    }

    /// <summary>
    /// The best articles for free text (a customer's message, what a visitor is typing): any word may match, documents
    /// matching more of them rank first. For the agent composer here; the chat widget's door is PublicKb (public articles only).
    /// </summary>
    internal static Task<Results<Ok<KbSearchResult[]>, ProblemHttpResult>> SuggestAsync(string? text, string? lang, int? limit, AtebDb db,
        ISearchEngine engine, Actor actor, CancellationToken ct) => SuggestForAsync(text, lang, limit, db, engine, actor.WorkspaceId, includeInternal: true, ct);

    /// <summary>The one suggestions code path behind both doors; without <paramref name="includeInternal"/> internal articles never come back.</summary>
    internal static async Task<Results<Ok<KbSearchResult[]>, ProblemHttpResult>> SuggestForAsync(string? text, string? lang, int? limit, AtebDb db,
        ISearchEngine engine, Guid workspaceId, bool includeInternal, CancellationToken ct)
    {
        var check = new Check().Text("text", text, 5000, required: true).When(lang is not null && Language(lang) is null, "lang", "must be a language tag.")
            .When(limit is < 1 or > 10, "limit", "must be between 1 and 10.");
        if (!check.Ok)
        {
            return check.Problem();
        }
        // The longest words carry the most meaning; a whole message would make an unbounded query.
        var terms = TextNormalizer.QueryTerms(text!).OrderByDescending(t => t[0].Length).Take(12).ToList();
        if (terms.Count == 0)
        {
            return TypedResults.Ok(Array.Empty<KbSearchResult>());
        }
        var hits = await engine.SearchAsync(db, workspaceId,
            new SearchQuery(terms, false, [SearchKinds.Article], includeInternal, 30) { MatchAny = true }, ct);
        var results = await ResultsAsync(db, hits, Language(lang), new Highlighter(terms, false), includeInternal ? limit ?? 5 : 30, ct);
        return TypedResults.Ok(includeInternal ? results : [.. results.Where(r => !r.IsInternal).Take(limit ?? 5)]);
    }

    private static async Task<KbSearchResult[]> ResultsAsync(AtebDb db, IReadOnlyList<SearchHit> hits, string? tag, Highlighter highlighter, int take,
        CancellationToken ct)
    {
        var ids = hits.Select(h => h.EntityId).ToList();
        var translations = await db.KbTranslations.AsNoTracking().Where(t => ids.Contains(t.Id) && t.State == KbState.Published && (tag == null || t.Language == tag))
            .Join(db.KbArticles, t => t.ArticleId, a => a.Id, (t, a) => new { t.Id, t.ArticleId, t.Language, t.Title, t.Html, a.IsInternal })
            .ToDictionaryAsync(t => t.Id, ct);
        return [.. ids.Where(translations.ContainsKey).Take(take).Select(id => translations[id])
            .Select(t => new KbSearchResult(t.ArticleId, t.Id, t.Language, t.Title, t.IsInternal, highlighter.Snippet(Infrastructure.Text.Html.ToText(t.Html))))];
    }

    private static void AddTranslation(AtebDb db, SearchIndex search, KbArticle article, string language, KbTranslationInput input, Actor actor, DateTimeOffset now)
    {
        var publish = input.Publish == true;
        var translation = new KbTranslation
        {
            ArticleId = article.Id, Language = language, Title = input.Title!.Trim(), Markdown = input.Markdown ?? "", State = publish ? KbState.Published : KbState.Draft,
            PublishedAt = publish ? now : null, UpdatedAt = now,
        };
        translation.Html = Render(translation.Markdown, article.Id);
        article.Translations.Add(translation);
        // Added explicitly: its id is set already, so found through the navigation EF would take it for an existing row.
        db.KbTranslations.Add(translation);
        db.KbRevisions.Add(new KbRevision
        {
            TranslationId = translation.Id, Version = 1, Title = translation.Title, Markdown = translation.Markdown, AuthorName = actor.Name, CreatedAt = now,
        });
        // A new row: indexed in this commit when published (searchable the moment the save returns); a draft has no document.
        if (publish)
        {
            search.AddArticle(translation.Id, translation.Title, translation.Markdown, article.IsInternal);
        }
    }

    /// <summary>
    /// Markdown with raw HTML disabled, then the same allowlist sanitizer as every message. Links and images to
    /// <c>files/NAME</c> point at the article's own files (their agents' address; the help center swaps in the public one).
    /// </summary>
    public static string Render(string markdown, Guid? articleId = null)
    {
        var document = Markdig.Markdown.Parse(markdown, Markdown);
        if (articleId is { } id)
        {
            foreach (var link in Markdig.Syntax.MarkdownObjectExtensions.Descendants<Markdig.Syntax.Inlines.LinkInline>(document))
            {
                if (link.Url is { } url && url.StartsWith(KbFiles.MarkdownPrefix, StringComparison.Ordinal))
                {
                    link.Url = KbFiles.AgentBase(id) + url[KbFiles.MarkdownPrefix.Length..];
                }
            }
        }
        return Infrastructure.Text.Html.Sanitize(document.ToHtml(Markdown));
    }

    public static void ValidateNames(Check check, KbNameInput[]? names)
    {
        check.Count("names", names, 50);
        for (var i = 0; i < (names?.Length ?? 0); i++)
        {
            var name = names![i];
            check.When(Language(name?.Language) is null, $"names[{i}].language", "must be a language tag such as en, fa, ar, cy or pt-BR.")
                .Text($"names[{i}].name", name?.Name, 200, required: true).Text($"names[{i}].description", name?.Description, 1000);
        }
    }

    private static void ValidateTranslation(Check check, string prefix, KbTranslationInput? input, bool requireLanguage)
    {
        if (input is null)
        {
            return;
        }
        check.Text(prefix + "title", input.Title, 300, required: true).Text(prefix + "markdown", input.Markdown, Limits.Body)
            .When(requireLanguage && Language(input.Language) is null, prefix + "language", "must be a language tag such as en, fa, ar, cy or pt-BR.");
    }

    private static async Task ValidateReferencesAsync(Check check, AtebDb db, Guid? categoryId, Guid? ownerId, CancellationToken ct)
    {
        if (categoryId is { } category && !await db.KbCategories.AnyAsync(c => c.Id == category, ct))
        {
            check.Add("categoryId", "is not a category of this knowledge base.");
        }
        if (ownerId is { } owner && !await db.Memberships.AnyAsync(m => m.Id == owner && m.Active, ct))
        {
            check.Add("ownerId", "is not an agent of this workspace.");
        }
    }

    public static string? Language(string? tag) => Infrastructure.Text.LanguageTags.Normalize(tag);

    public static KbCategoryResponse ToResponse(KbCategory c) =>
        new(c.Id, c.ParentId, c.Position, [.. c.Names.Select(n => new KbNameInput(n.Language, n.Name, n.Description))]);

    public static KbArticleResponse ToResponse(KbArticle a) => new(a.Id, a.CategoryId, a.Kind, a.IsInternal, a.OwnerId, a.ReviewBy, a.OutdatedReports,
        a.OutdatedSince, a.SourceTicketId, a.CreatedAt, a.UpdatedAt,
        [.. a.Translations.OrderBy(t => t.Language).Select(t => new KbTranslationResponse(t.Id, t.Language, t.Title, t.Markdown, t.Html, t.State, t.PublishedAt, t.UpdatedAt, t.Version))]);
}
