using System.Net;
using Ateb.Features.Customers;
using Ateb.Features.Tickets;
using Ateb.Infrastructure.Data;
using Ateb.Infrastructure.Text;
using Ateb.Infrastructure.Web;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Ateb.Features.Kb;

/// <summary>A reader's "was this helpful?", with an optional comment.</summary>
internal sealed class KbFeedback : ITenantOwned
{
    public Guid Id { get; init; } = Guid.CreateVersion7();
    public Guid WorkspaceId { get; set; }
    public Guid ArticleId { get; init; }
    public required string Language { get; init; }
    public bool Helpful { get; init; }
    public string? Comment { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
}

internal sealed class KbFeedbackConfiguration : IEntityTypeConfiguration<KbFeedback>
{
    public void Configure(EntityTypeBuilder<KbFeedback> b)
    {
        b.Property(x => x.Language).HasMaxLength(35);
        b.Property(x => x.Comment).HasMaxLength(2000);
        b.HasIndex(x => new { x.ArticleId, x.CreatedAt });
        b.HasOne<KbArticle>().WithMany().HasForeignKey(x => x.ArticleId).OnDelete(DeleteBehavior.Cascade);
    }
}

public sealed record KbFeedbackSummary(int Helpful, int NotHelpful, string[] Comments);

/// <summary>
/// The help center's forms, plain HTML posts (post, then redirect): "was this helpful?" and "is this outdated?" under
/// every article, and "contact us", which opens a ticket through the one inbound pipeline (SubmitContactForm). All are
/// rate-limited per address; the outdated and contact forms also have a field only robots fill in.
/// </summary>
internal static class HelpCenterForms
{
    public const string Honeypot = "website";

    public static void MapHelpCenterForms(this IEndpointRouteBuilder app)
    {
        var help = app.MapGroup("/help/{lang}").ForVisitors().ExcludeFromDescription();
        help.MapPost("/articles/{id:guid}/feedback", FeedbackAsync).DisableAntiforgery().RequireRateLimiting(RateLimits.Public);
        help.MapPost("/articles/{id:guid}/outdated", OutdatedAsync).DisableAntiforgery().RequireRateLimiting(RateLimits.Public);
        help.MapGet("/contact", ContactPageAsync);
        help.MapPost("/contact", ContactAsync).DisableAntiforgery().RequireRateLimiting(RateLimits.Public);
        app.MapGet("/api/v1/kb/articles/{id:guid}/feedback", SummaryAsync).WithTags("Knowledge base").RequireAuthorization(Agents.Policies.Member);
    }

    /// <summary>The language and posted form for a published public article of the host's workspace; null when there is no such article.</summary>
    private static async Task<(string Tag, IFormCollection Form)?> ArticleFormAsync(string lang, Guid id, HttpRequest request, AtebDb db, WorkspaceScope scope,
        CancellationToken ct)
    {
        var tag = KbFeature.Language(lang);
        if (tag is null || !request.HasFormContentType || await HelpCenter.EnterAsync(request, db, scope, ct) is null
            || !await HelpCenter.Published(db, tag).AnyAsync(a => a.ArticleId == id, ct))
        {
            return null;
        }
        return (tag, await request.ReadFormAsync(ct));
    }

    private static async Task<IResult> FeedbackAsync(string lang, Guid id, HttpRequest request, AtebDb db, WorkspaceScope scope, TimeProvider clock,
        CancellationToken ct)
    {
        if (await ArticleFormAsync(lang, id, request, db, scope, ct) is not var (tag, form))
        {
            return Results.NotFound();
        }
        var comment = form["comment"].ToString().Trim();
        db.Add(new KbFeedback
        {
            ArticleId = id, Language = tag, Helpful = form["helpful"] == "yes", CreatedAt = clock.GetUtcNow(),
            Comment = comment.Length == 0 ? null : Truncate.ToLength(comment.Replace("\0", "", StringComparison.Ordinal), 2000),
        });
        await db.SaveChangesAsync(ct);
        return Results.Redirect($"/help/{tag}/articles/{id}?thanks=1");
    }

    internal static async Task<IResult> SummaryAsync(Guid id, AtebDb db, CancellationToken ct)
    {
        if (!await db.KbArticles.AnyAsync(a => a.Id == id, ct))
        {
            return Problems.NotFound("article");
        }
        var feedback = await db.Set<KbFeedback>().AsNoTracking().Where(f => f.ArticleId == id).OrderByDescending(f => f.CreatedAt).Take(500).ToListAsync(ct);
        return TypedResults.Ok(new KbFeedbackSummary(feedback.Count(f => f.Helpful), feedback.Count(f => !f.Helpful),
            [.. feedback.Where(f => f.Comment is not null).Select(f => f.Comment!)]));
    }

    private static async Task<IResult> ContactPageAsync(string lang, HttpRequest request, AtebDb db, WorkspaceScope scope, CancellationToken ct)
    {
        var tag = KbFeature.Language(lang);
        return tag is null || await HelpCenter.EnterAsync(request, db, scope, ct) is not { } workspace
            ? Results.NotFound()
            : HelpCenter.Render(request, tag, workspace.Name, HelpCenter.Text(tag, "contact"), $"/help/{tag}/contact", ContactForm(tag, null, null), index: false);
    }

    private static async Task<IResult> ContactAsync(string lang, HttpRequest request, AtebDb db, WorkspaceScope scope, SubmitContactForm handler,
        CancellationToken ct)
    {
        var tag = KbFeature.Language(lang);
        if (tag is null || !request.HasFormContentType || await HelpCenter.EnterAsync(request, db, scope, ct) is not { } workspace)
        {
            return Results.NotFound();
        }
        var form = await request.ReadFormAsync(ct);
        var (name, email, subject, message) = (form["name"].ToString().Trim(), form["email"].ToString().Trim(), form["subject"].ToString().Trim(), form["message"].ToString().Trim());
        var outcome = await handler.HandleAsync(new ContactFormRequest(workspace.Id, name, email, subject, message, tag, form[Honeypot].ToString()), ct);
        if (!outcome.Ok)
        {
            return HelpCenter.Render(request, tag, workspace.Name, HelpCenter.Text(tag, "contact"), $"/help/{tag}/contact",
                ContactForm(tag, (name, email, subject, message), HelpCenter.Text(tag, outcome.Errors!.ContainsKey("email") ? "bad-email" : "fix")), index: false, status: 422);
        }
        // A robot that filled in the field people never see is answered as if all went well; nothing was kept.
        return HelpCenter.Render(request, tag, workspace.Name, HelpCenter.Text(tag, "contact"), $"/help/{tag}/contact", Thanks(tag, outcome.TicketNumber), index: false);
    }

    /// <summary>A reader's "this is outdated" under a public article; a robot's (the hidden field filled in) is thanked and dropped.</summary>
    private static async Task<IResult> OutdatedAsync(string lang, Guid id, HttpRequest request, AtebDb db, WorkspaceScope scope, ReportOutdated handler,
        CancellationToken ct)
    {
        if (await ArticleFormAsync(lang, id, request, db, scope, ct) is not var (tag, form))
        {
            return Results.NotFound();
        }
        if (form[Honeypot].ToString().Length == 0)
        {
            var note = Truncate.ToLength(form["note"].ToString().Replace("\0", "", StringComparison.Ordinal).Trim(), 2000);
            await handler.HandleAsync(id, note.Length == 0 ? null : note, null, ct);
        }
        return Results.Redirect($"/help/{tag}/articles/{id}?reported=1");
    }

    private static string ContactForm(string lang, (string Name, string Email, string Subject, string Message)? values, string? error)
    {
        static string E(string? v) => WebUtility.HtmlEncode(v ?? "");
        var v = values ?? ("", "", "", "");
        return $"""
            <h1>{E(HelpCenter.Text(lang, "contact"))}</h1>{(error is null ? "" : $"<p class=\"error\" role=\"alert\">{E(error)}</p>")}
            <form method="post" action="/help/{E(lang)}/contact" class="contact">
            <label>{E(HelpCenter.Text(lang, "name"))}<input name="name" dir="auto" autocomplete="name" value="{E(v.Name)}"></label>
            <label>{E(HelpCenter.Text(lang, "email"))}<input name="email" type="email" dir="ltr" required autocomplete="email" value="{E(v.Email)}"></label>
            <label>{E(HelpCenter.Text(lang, "subject"))}<input name="subject" dir="auto" value="{E(v.Subject)}"></label>
            <label>{E(HelpCenter.Text(lang, "message"))}<textarea name="message" dir="auto" rows="6" required>{E(v.Message)}</textarea></label>
            <label class="trap" aria-hidden="true">Website<input name="{Honeypot}" tabindex="-1" autocomplete="off"></label>
            <button>{E(HelpCenter.Text(lang, "send"))}</button></form>
            """;
    }

    private static string Thanks(string lang, long? number) =>
        $"<h1>{WebUtility.HtmlEncode(HelpCenter.Text(lang, "thanks"))}</h1>"
        + (number is { } n ? $"<p>{WebUtility.HtmlEncode(HelpCenter.Text(lang, "ticket"))} <strong dir=\"ltr\">#{n}</strong></p>" : "");
}
