using Ateb.Features.Customers;
using Ateb.Features.Tickets;
using Ateb.Infrastructure.Data;
using Ateb.Infrastructure.Text;
using Ateb.Infrastructure.Web;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Ateb.Features.Chat;

/// <summary>
/// POST /api/v1/chat/{workspace}/visitors: who is this visitor. A renewable old token (same workspace) keeps the same
/// visitor unless the request vouches for another user. userId + a valid userHash make a verified visitor who joins the
/// customer with that External identity (and the same visitor row on every device); anyone else gets a customer of
/// their own (identity ChatVisitor = the visitor id) and is never joined to anyone by the email they type.
/// </summary>
internal sealed class IssueVisitorToken(AtebDb db, CustomerDirectory customers, VisitorTokens tokens, ChatSettingsStore store, TimeProvider clock)
{
    public async Task<Results<Ok<VisitorToken>, ProblemHttpResult>> HandleAsync(ChatSettingsSnapshot settings, VisitorRequest request, string? oldToken,
        CancellationToken ct)
    {
        var name = Clean(request.Name);
        var email = Clean(request.Email);
        var userId = Clean(request.UserId);
        var language = request.Language is null ? null : LanguageTags.Normalize(request.Language);
        var check = new Check().Text("name", name, Limits.Name).Text("userId", userId, CustomerIdentity.MaxValueLength)
            .When(email is not null && CustomerIdentity.Normalize(IdentityKind.Email, email, null) is null, "email", "is not an email address.")
            .When(request.Language is not null && language is null, "language", "is not a BCP-47 language tag such as en or fa-IR.")
            .When(userId is null && !string.IsNullOrEmpty(request.UserHash), "userId", "is required with userHash.");
        if (check.Ok && userId is not null)
        {
            var secret = store.IdentitySecret(settings);
            check.When(secret is null, "userHash", "cannot be checked: this workspace has no identity secret yet (chat settings).")
                .When(secret is not null && !VisitorTokens.VerifyUserHash(secret, userId, request.UserHash), "userHash",
                    "does not match userId: send the hex HMAC-SHA256 of userId made with the workspace's identity secret.");
        }
        if (!check.Ok)
        {
            return check.Problem();
        }
        var now = clock.GetUtcNow();
        if (tokens.ReadForRenewal(oldToken) is { } pass && pass.WorkspaceId == settings.WorkspaceId
            && await db.ChatVisitors.FirstOrDefaultAsync(v => v.Id == pass.VisitorId, ct) is { } known
            && (userId is null || (known.Verified && known.ExternalUserId == userId)))
        {
            Update(known, name, email, language, now);
            await db.SaveChangesAsync(ct);
            return TypedResults.Ok(tokens.Issue(settings.WorkspaceId, known.Id, known.Verified, pass.SessionStart));
        }
        var visitor = userId is null ? await AnonymousAsync(language, name, now, ct) : await VerifiedAsync(userId, language, name, now, ct);
        Update(visitor, name, email, language, now);
        await db.SaveChangesAsync(ct);
        return TypedResults.Ok(tokens.Issue(settings.WorkspaceId, visitor.Id, visitor.Verified));
    }

    private async Task<ChatVisitor> AnonymousAsync(string? language, string? name, DateTimeOffset now, CancellationToken ct)
    {
        var id = Guid.CreateVersion7();
        var identity = id.ToString("N");
        var customer = await customers.FindOrCreateAsync([(new IdentityInput(IdentityKind.ChatVisitor, identity), identity)],
            name ?? $"Chat visitor {identity[^6..]}", language, ct);
        return db.ChatVisitors.Add(new ChatVisitor { Id = id, CustomerId = customer.Id, CreatedAt = now }).Entity;
    }

    private async Task<ChatVisitor> VerifiedAsync(string userId, string? language, string? name, DateTimeOffset now, CancellationToken ct)
    {
        var customer = await customers.FindOrCreateAsync([(new IdentityInput(IdentityKind.External, userId), userId)], name, language, ct);
        // The oldest row wins, so a user who raced two first visits still converges on one history.
        var visitor = await db.ChatVisitors.Where(v => v.Verified && v.ExternalUserId == userId).OrderBy(v => v.CreatedAt).FirstOrDefaultAsync(ct)
            ?? db.ChatVisitors.Add(new ChatVisitor { CustomerId = customer.Id, ExternalUserId = userId, Verified = true, CreatedAt = now }).Entity;
        // The identity may have moved to another customer since (a merge): the visitor follows it.
        visitor.CustomerId = customer.Id;
        return visitor;
    }

    private static void Update(ChatVisitor visitor, string? name, string? email, string? language, DateTimeOffset now)
    {
        visitor.Name = name ?? visitor.Name;
        visitor.Email = email ?? visitor.Email;
        visitor.Language = language ?? visitor.Language;
        visitor.LastSeenAt = now;
    }

    private static string? Clean(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
