using System.Globalization;
using System.Net;
using System.Text;
using Ateb.Features.Search;
using Ateb.Infrastructure.Data;
using Ateb.Infrastructure.Search;
using Ateb.Infrastructure.Text;
using Ateb.Infrastructure.Web;
using Microsoft.EntityFrameworkCore;

namespace Ateb.Features.Kb;

/// <summary>
/// The public help center of the default workspace, server-rendered (no script needed to read): /help/{lang} with the
/// categories and their articles, article pages with a language switcher and hreflang links, a search page, and
/// /sitemap.xml. Drafts and internal articles never appear. Persian and Arabic pages are laid out right to left and dates
/// are in the reader's calendar and digits.
/// </summary>
internal static partial class HelpCenter
{
    private static readonly HashSet<string> RightToLeft = ["fa", "ar", "he", "ur", "ckb", "ps", "yi"];

    public static void MapHelpCenter(this IEndpointRouteBuilder app)
    {
        var help = app.MapGroup("/help").ForVisitors().ExcludeFromDescription();
        help.MapGet("/", async (HttpRequest request, AtebDb db, WorkspaceScope scope, CancellationToken ct) =>
            await EnterAsync(request, db, scope, ct) is { } ws ? Results.Redirect($"/help/{ws.DefaultLanguage}") : Results.NotFound());
        help.MapGet("/{lang}", HomeAsync);
        help.MapGet("/{lang}/articles/{id:guid}", ArticleAsync);
        help.MapGet("/{lang}/search", SearchAsync);
        help.MapGet("/{lang}/search.json", SearchJsonAsync);
        help.MapGet("/live-search.js", (HttpResponse response) =>
        {
            response.Headers.CacheControl = "public, max-age=3600";
            return Results.Text(LiveSearch, "text/javascript; charset=utf-8");
        });
        help.MapGet("/files/{articleId:guid}/{name}", KbFiles.ServePublicAsync);
        app.MapGet("/sitemap.xml", SitemapAsync).ForVisitors().ExcludeFromDescription();
    }

    /// <summary>
    /// The workspace whose help center this request is for: the one whose HelpCenterHost is the request's host name,
    /// else the default workspace (the first one set up). Enters its scope, so every query after this sees only it.
    /// </summary>
    internal static async Task<Workspaces.Workspace?> EnterAsync(HttpRequest request, AtebDb db, WorkspaceScope scope, CancellationToken ct)
    {
        var host = request.Host.Host.TrimEnd('.').ToLowerInvariant();
        var workspace = await db.Workspaces.AsNoTracking().FirstOrDefaultAsync(w => w.HelpCenterHost == host, ct)
            ?? await db.Workspaces.AsNoTracking().OrderBy(w => w.CreatedAt).FirstOrDefaultAsync(ct);
        if (workspace is not null)
        {
            scope.Enter(workspace.Id);
            // With chat switched on, every page offers the chat widget (which becomes the contact form when no one is free).
            var chat = await request.HttpContext.RequestServices.GetRequiredService<Chat.ChatSettingsStore>().GetAsync(workspace.Id, ct);
            if (chat is { Enabled: true })
            {
                request.HttpContext.Items[WidgetKey] = workspace.Slug;
            }
        }
        return workspace;
    }

    private static readonly object WidgetKey = new();

    /// <summary>The chat widget's tag for this page, when the workspace has chat on (same origin: no CORS, the page's CSP allows it).</summary>
    private static string Widget(HttpRequest request, string lang) =>
        request.HttpContext.Items[WidgetKey] is string slug
            ? $"<script src=\"/widget.js\" data-workspace=\"{E(slug)}\" data-lang=\"{E(lang)}\" async></script>"
            : "";

    /// <summary>
    /// Where a workspace's help center is, as scheme://host: its own host name, else this request's host when it is the
    /// default workspace; null for another workspace without a host name (its help center has no address yet).
    /// </summary>
    internal static async Task<string?> RootAsync(AtebDb db, Workspaces.Workspace workspace, HttpRequest request, CancellationToken ct)
    {
        if (workspace.HelpCenterHost is { } host)
        {
            return $"{request.Scheme}://{host}";
        }
        var first = await db.Workspaces.AsNoTracking().OrderBy(w => w.CreatedAt).Select(w => w.Id).FirstOrDefaultAsync(ct);
        return first == workspace.Id ? $"{request.Scheme}://{request.Host}" : null;
    }

    internal static IQueryable<PublicArticle> Published(AtebDb db, string lang) =>
        db.KbTranslations.AsNoTracking().Where(t => t.State == KbState.Published && t.Language == lang)
            .Join(db.KbArticles.Where(a => !a.IsInternal), t => t.ArticleId, a => a.Id,
                (t, a) => new PublicArticle
                {
                    ArticleId = a.Id, CategoryId = a.CategoryId, TranslationId = t.Id, Title = t.Title, Html = t.Html, Markdown = t.Markdown, UpdatedAt = t.UpdatedAt,
                });

    // A class with init members, not a positional record: EF can filter and sort on what a member initializer projects.
    internal sealed class PublicArticle
    {
        public Guid ArticleId { get; init; }
        public Guid? CategoryId { get; init; }
        public Guid TranslationId { get; init; }
        public string Title { get; init; } = "";
        public string Html { get; init; } = "";
        public string Markdown { get; init; } = "";
        public DateTimeOffset UpdatedAt { get; init; }
    }

    private static async Task<IResult> HomeAsync(string lang, HttpRequest request, AtebDb db, WorkspaceScope scope, CancellationToken ct)
    {
        var tag = KbFeature.Language(lang);
        if (tag is null || await EnterAsync(request, db, scope, ct) is not { } workspace)
        {
            return Results.NotFound();
        }
        var articles = await Published(db, tag).OrderBy(a => a.Title).ToListAsync(ct);
        var categories = await db.KbCategories.AsNoTracking().Include(c => c.Names).OrderBy(c => c.Position).ToListAsync(ct);
        var body = new StringBuilder("<h1>").Append(E(Text(tag, "help"))).Append("</h1>");
        body.Append(SearchForm(tag, ""));
        foreach (var category in categories.Where(c => c.ParentId is null))
        {
            var ids = categories.Where(c => c.Id == category.Id || c.ParentId == category.Id).Select(c => c.Id).ToHashSet();
            var inCategory = articles.Where(a => a.CategoryId is { } c && ids.Contains(c)).ToList();
            if (inCategory.Count == 0)
            {
                continue;
            }
            body.Append("<section><h2 dir=\"auto\">").Append(E(Name(category, tag, workspace.DefaultLanguage))).Append("</h2><ul>");
            inCategory.ForEach(a => body.Append(Link(tag, a)));
            body.Append("</ul></section>");
        }
        var loose = articles.Where(a => a.CategoryId is null).ToList();
        if (loose.Count > 0)
        {
            body.Append("<section><ul>");
            loose.ForEach(a => body.Append(Link(tag, a)));
            body.Append("</ul></section>");
        }
        if (articles.Count == 0)
        {
            body.Append("<p>").Append(E(Text(tag, "empty"))).Append("</p>");
        }
        var alternates = await db.KbTranslations.AsNoTracking().Where(t => t.State == KbState.Published).Select(t => t.Language).Distinct().ToListAsync(ct);
        return Page(request, tag, workspace.Name, $"{workspace.Name} — {Text(tag, "help")}", Text(tag, "help"), $"/help/{tag}",
            alternates.Select(l => (l, $"/help/{l}")), body.ToString());
    }

    private static async Task<IResult> ArticleAsync(string lang, Guid id, string? thanks, string? reported, HttpRequest request, AtebDb db, WorkspaceScope scope, CancellationToken ct)
    {
        var tag = KbFeature.Language(lang);
        if (tag is null || await EnterAsync(request, db, scope, ct) is not { } workspace
            || await Published(db, tag).FirstOrDefaultAsync(a => a.ArticleId == id, ct) is not { } article)
        {
            return Results.NotFound();
        }
        var translations = await db.KbTranslations.AsNoTracking().Where(t => t.ArticleId == id && t.State == KbState.Published)
            .Select(t => t.Language).ToListAsync(ct);
        var body = new StringBuilder()
            .Append("<nav class=\"langs\">").AppendJoin(" · ", translations.Order().Select(l => l == tag
                ? $"<strong lang=\"{E(l)}\">{E(LanguageName(l))}</strong>"
                : $"<a lang=\"{E(l)}\" hreflang=\"{E(l)}\" href=\"/help/{E(l)}/articles/{id}\">{E(LanguageName(l))}</a>")).Append("</nav>")
            .Append("<article><h1 dir=\"auto\">").Append(E(article.Title)).Append("</h1>")
            .Append("<p class=\"meta\">").Append(E(Text(tag, "updated"))).Append(' ').Append(E(Dates.Format(article.UpdatedAt, tag))).Append("</p>")
            .Append("<div dir=\"auto\" class=\"content\">").Append(KbFiles.ForPublic(article.Html, id)).Append("</div></article>")
            .Append(thanks == "1"
                ? $"<p role=\"status\">{E(Text(tag, "noted"))}</p>"
                : $"<form method=\"post\" class=\"feedback\" action=\"/help/{E(tag)}/articles/{id}/feedback\"><p>{E(Text(tag, "helpful"))}</p>"
                    + $"<label>{E(Text(tag, "comment"))}<textarea name=\"comment\" dir=\"auto\" rows=\"2\" maxlength=\"2000\"></textarea></label>"
                    + $"<button name=\"helpful\" value=\"yes\">{E(Text(tag, "yes"))}</button><button name=\"helpful\" value=\"no\">{E(Text(tag, "no"))}</button></form>")
            .Append(reported == "1" ? $"<p role=\"status\" class=\"reported\">{E(Text(tag, "reported"))}</p>" : OutdatedForm(tag, id))
            .Append("<p><a href=\"/help/").Append(E(tag)).Append("\">").Append(E(Text(tag, "back"))).Append("</a></p>");
        // Related: other articles of the same category in this language, newest first.
        var related = article.CategoryId is { } categoryId
            ? await Published(db, tag).Where(a => a.CategoryId == categoryId && a.ArticleId != id).OrderByDescending(a => a.UpdatedAt).Take(5).ToListAsync(ct)
            : [];
        if (related.Count > 0)
        {
            body.Append("<section class=\"related\"><h2>").Append(E(Text(tag, "related"))).Append("</h2><ul>");
            related.ForEach(r => body.Append(Link(tag, r)));
            body.Append("</ul></section>");
        }
        var description = Truncate.ToLength(Html.ToText(article.Html).ReplaceLineEndings(" "), 160);
        return Page(request, tag, workspace.Name, article.Title, description, $"/help/{tag}/articles/{id}",
            translations.Select(l => (l, $"/help/{l}/articles/{id}")), body.ToString());
    }

    private static async Task<IResult> SearchAsync(string lang, string? q, HttpRequest request, AtebDb db, WorkspaceScope scope, ISearchEngine engine,
        CancellationToken ct)
    {
        var tag = KbFeature.Language(lang);
        if (tag is null || await EnterAsync(request, db, scope, ct) is not { } workspace)
        {
            return Results.NotFound();
        }
        var query = Truncate.ToLength(q ?? "", 200);
        var body = new StringBuilder("<h1>").Append(E(Text(tag, "search"))).Append("</h1>").Append(SearchForm(tag, query));
        var results = await FindAsync(db, engine, workspace.Id, tag, query, prefix: false, ct);
        body.Append("<ol class=\"results\" id=\"results\">");
        foreach (var result in results)
        {
            body.Append("<li><a dir=\"auto\" href=\"").Append(E(result.Url)).Append("\">").Append(E(result.Title)).Append("</a><p dir=\"auto\">")
                .Append(result.Snippet).Append("</p></li>");
        }
        body.Append("</ol>");
        if (results.Count == 0 && query.Trim().Length > 0)
        {
            body.Append("<p>").Append(E(Text(tag, "nothing"))).Append("</p>");
        }
        return Page(request, tag, workspace.Name, Text(tag, "search"), Text(tag, "search"), $"/help/{tag}/search", [], body.ToString(), index: false);
    }

    public sealed record HelpSearchResult(string Title, string Url, string Snippet);

    /// <summary>Results as you type: the same search, the last word as a prefix, as JSON for the search box's little script.</summary>
    private static async Task<IResult> SearchJsonAsync(string lang, string? q, HttpRequest request, AtebDb db, WorkspaceScope scope, ISearchEngine engine, CancellationToken ct)
    {
        var tag = KbFeature.Language(lang);
        if (tag is null || await EnterAsync(request, db, scope, ct) is not { } workspace)
        {
            return Results.NotFound();
        }
        var query = Truncate.ToLength(q ?? "", 200);
        var prefix = query.Length > 0 && !char.IsWhiteSpace(query[^1]);
        return Results.Json(await FindAsync(db, engine, workspace.Id, tag, query, prefix, ct));
    }

    // The public never sees internal articles; drafts are never indexed. Snippets are escaped HTML with <mark>s.
    private static async Task<List<HelpSearchResult>> FindAsync(AtebDb db, ISearchEngine engine, Guid workspaceId, string tag, string query, bool prefix,
        CancellationToken ct)
    {
        var parsed = TextNormalizer.ParseQuery(query);
        if (parsed.IsEmpty)
        {
            return [];
        }
        var search = SearchQuery.From(parsed, prefix, [SearchKinds.Article], includeInternal: false, 50);
        var hits = await engine.SearchAsync(db, workspaceId, search, ct);
        var ids = hits.Select(h => h.EntityId).ToList();
        var found = await Published(db, tag).Where(a => ids.Contains(a.TranslationId)).ToListAsync(ct);
        var highlighter = new Highlighter(parsed.Highlight, search.LastIsPrefix);
        return [.. ids.Select(i => found.FirstOrDefault(f => f.TranslationId == i)).OfType<PublicArticle>().Take(20)
            .Select(a => new HelpSearchResult(a.Title, $"/help/{tag}/articles/{a.ArticleId}", highlighter.Snippet(Html.ToText(a.Html))))];
    }

    private static async Task<IResult> SitemapAsync(HttpRequest request, AtebDb db, WorkspaceScope scope, CancellationToken ct)
    {
        if (await EnterAsync(request, db, scope, ct) is null)
        {
            return Results.NotFound();
        }
        var pages = await db.KbTranslations.AsNoTracking().Where(t => t.State == KbState.Published)
            .Join(db.KbArticles.Where(a => !a.IsInternal), t => t.ArticleId, a => a.Id, (t, a) => new { t.ArticleId, t.Language, t.UpdatedAt })
            .ToListAsync(ct);
        var root = $"{request.Scheme}://{request.Host}";
        var xml = new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\" xmlns:xhtml=\"http://www.w3.org/1999/xhtml\">\n");
        foreach (var page in pages.OrderBy(p => p.ArticleId).ThenBy(p => p.Language))
        {
            xml.Append("<url><loc>").Append(E($"{root}/help/{page.Language}/articles/{page.ArticleId}")).Append("</loc><lastmod>")
                .Append(page.UpdatedAt.UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)).Append("</lastmod>");
            foreach (var other in pages.Where(p => p.ArticleId == page.ArticleId))
            {
                xml.Append("<xhtml:link rel=\"alternate\" hreflang=\"").Append(E(other.Language)).Append("\" href=\"")
                    .Append(E($"{root}/help/{other.Language}/articles/{other.ArticleId}")).Append("\"/>");
            }
            xml.Append("</url>\n");
        }
        xml.Append("</urlset>\n");
        return Results.Content(xml.ToString(), "application/xml; charset=utf-8");
    }

    private static IResult Page(HttpRequest request, string lang, string site, string title, string description, string path,
        IEnumerable<(string Language, string Path)> alternates, string body, bool index = true, int status = 200)
    {
        var root = $"{request.Scheme}://{request.Host}";
        var dir = RightToLeft.Contains(lang.Split('-')[0]) ? "rtl" : "ltr";
        var links = string.Concat(alternates.Select(a => $"<link rel=\"alternate\" hreflang=\"{E(a.Language)}\" href=\"{E(root + a.Path)}\">"));
        var html = $$"""
            <!doctype html><html lang="{{E(lang)}}" dir="{{dir}}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
            <title>{{E(title)}}</title><meta name="description" content="{{E(description)}}"><link rel="canonical" href="{{E(root + path)}}">{{links}}<link rel="icon" href="data:,">
            {{(index ? "" : "<meta name=\"robots\" content=\"noindex\">")}}
            <style>
            *{box-sizing:border-box}body{margin:0;font:16px/1.6 system-ui,"Vazirmatn","Noto Naskh Arabic",sans-serif;color:#1d2433;background:#f7f8fa}
            header{background:#1f3a5f;color:#fff;padding-block:1rem;padding-inline:1.25rem}header a{color:#fff;text-decoration:none;font-weight:600}
            main{max-inline-size:46rem;margin-inline:auto;padding:1.25rem}main>h1{font-size:1.75rem;margin-block:0 1rem}section{margin-block-end:1.5rem}ul,ol{padding-inline-start:1.25rem}
            a{color:#1f5fbf}a:focus-visible,input:focus-visible,button:focus-visible{outline:3px solid #f0b429;outline-offset:2px}
            form.search{display:flex;gap:.5rem;margin-block-end:1.5rem}form.search input{flex:1;padding:.6rem;font:inherit;border:1px solid #9aa4b2;border-radius:6px}
            form.search button{padding:.6rem 1rem;font:inherit;border:0;border-radius:6px;background:#1f5fbf;color:#fff}
            .meta{color:#566173;font-size:.9rem}.langs{font-size:.9rem;margin-block-end:1rem}mark{background:#fff3bf}
            article{background:#fff;border-radius:8px;padding:1.25rem}.content img{max-inline-size:100%}
            :lang(fa) ol{list-style-type:persian}:lang(ar) ol{list-style-type:arabic-indic}
            form.contact label,form.feedback label,form.report label{display:block;margin-block-end:.75rem}form.contact input,form.contact textarea,form.feedback textarea,form.report textarea{display:block;inline-size:100%;padding:.5rem;font:inherit;border:1px solid #9aa4b2;border-radius:6px}
            form.contact button,form.feedback button,form.report button{padding:.5rem 1rem;font:inherit;border:0;border-radius:6px;background:#1f5fbf;color:#fff;margin-inline-end:.5rem}
            .trap{position:absolute;inset-inline-start:-9999px}details.outdated{margin-block:1rem}details.outdated summary{cursor:pointer;color:#1f5fbf}.error{color:#a61b1b}footer{text-align:center;padding:1rem}
            </style></head><body><header><a href="/help/{{E(lang)}}" dir="auto">{{E(site)}}</a></header><main>{{body}}</main><footer><a href="/help/{{E(lang)}}/contact">{{E(Text(lang, "contact"))}}</a></footer>{{Widget(request, lang)}}</body></html>
            """;
        // Only our own script runs; article images may come from anywhere over https.
        request.HttpContext.Response.Headers.ContentSecurityPolicy =
            "default-src 'self'; img-src 'self' https: data:; style-src 'self' 'unsafe-inline'; script-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'self'";
        return Results.Content(html, "text/html; charset=utf-8", statusCode: status);
    }

    /// <summary>"This is outdated": folded away until asked for, so it needs no script; the note is optional, the hidden field is for robots.</summary>
    private static string OutdatedForm(string lang, Guid id) =>
        $"<details class=\"outdated\"><summary>{E(Text(lang, "outdated"))}</summary>"
        + $"<form method=\"post\" class=\"report\" action=\"/help/{E(lang)}/articles/{id}/outdated\">"
        + $"<label>{E(Text(lang, "outdated-note"))}<textarea name=\"note\" dir=\"auto\" rows=\"2\" maxlength=\"2000\"></textarea></label>"
        + $"<label class=\"trap\" aria-hidden=\"true\">Website<input name=\"{HelpCenterForms.Honeypot}\" tabindex=\"-1\" autocomplete=\"off\"></label>"
        + $"<button>{E(Text(lang, "outdated-send"))}</button></form></details>";

    private static string SearchForm(string lang, string q) =>
        $"<form class=\"search\" role=\"search\" action=\"/help/{E(lang)}/search\">"
        + $"<input id=\"q\" name=\"q\" dir=\"auto\" autocomplete=\"off\" value=\"{E(q)}\" placeholder=\"{E(Text(lang, "search"))}\" aria-label=\"{E(Text(lang, "search"))}\" aria-controls=\"live\">"
        + $"<button>{E(Text(lang, "search"))}</button></form><ol id=\"live\" class=\"results\" aria-live=\"polite\"></ol>"
        + "<script src=\"/help/live-search.js\" defer></script>";

    // Progressive enhancement: the form works without it; with it, results appear while typing. Snippets arrive escaped.
    private const string LiveSearch = """
        (() => {
          const box = document.getElementById('q'), list = document.getElementById('live');
          let timer, last = '';
          box.addEventListener('input', () => {
            clearTimeout(timer);
            timer = setTimeout(async () => {
              const q = box.value;
              if (q === last) return;
              last = q;
              if (q.trim().length < 2) { list.replaceChildren(); return; }
              const response = await fetch('/help/' + encodeURIComponent(document.documentElement.lang) + '/search.json?q=' + encodeURIComponent(q));
              if (!response.ok || q !== box.value) return;
              const results = await response.json();
              list.replaceChildren(...results.map(r => {
                const item = document.createElement('li'), link = document.createElement('a'), text = document.createElement('p');
                link.href = r.url; link.textContent = r.title; link.dir = 'auto';
                text.innerHTML = r.snippet; text.dir = 'auto';
                item.append(link, text);
                return item;
              }));
            }, 200);
          });
        })();
        """;

    private static string Link(string lang, PublicArticle a) => $"<li><a dir=\"auto\" href=\"/help/{E(lang)}/articles/{a.ArticleId}\">{E(a.Title)}</a></li>";

    private static string Name(KbCategory category, string lang, string fallback) =>
        (category.Names.FirstOrDefault(n => n.Language == lang) ?? category.Names.FirstOrDefault(n => n.Language == fallback) ?? category.Names.First()).Name;

    private static string E(string value) => WebUtility.HtmlEncode(value);

    internal static string LanguageName(string tag)
    {
        try
        {
            var culture = CultureInfo.GetCultureInfo(tag);
            return culture.NativeName.Length > 0 ? culture.NativeName : tag;
        }
        catch (CultureNotFoundException)
        {
            return tag;
        }
    }

    internal static IResult Render(HttpRequest request, string lang, string site, string title, string path, string body, bool index, int status = 200) =>
        Page(request, lang, site, title, title, path, [], body, index, status);

}
