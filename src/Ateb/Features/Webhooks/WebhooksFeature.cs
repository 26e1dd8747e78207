using Ateb.Features.Agents;
using Ateb.Infrastructure.Data;
using Ateb.Infrastructure.Outbox;
using Ateb.Infrastructure.Web;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Ateb.Features.Webhooks;

public sealed record CreateWebhookRequest(string? Url, string[]? Events);

public sealed record WebhookResponse(Guid Id, string Url, string[] Events, bool Active, DateTimeOffset CreatedAt, string? Secret);

public sealed record WebhookDeliveryResponse(Guid Id, string EventId, string State, int Attempts, DateTimeOffset CreatedAt, DateTimeOffset? DoneAt, string? LastError);

internal static class WebhooksFeature
{
    public static IServiceCollection AddWebhooks(this IServiceCollection services, IConfiguration config)
    {
        var allowPrivate = config.GetValue<bool>("Webhooks:AllowPrivateNetwork");
        services.AddScoped<WebhookEvents>();
        services.AddSingleton<WebhookSubscriptionCache>();
        services.AddSingleton<IOutboxSender, WebhookSender>();
        services.AddHttpClient(WebhookSender.ClientName, c => c.Timeout = TimeSpan.FromSeconds(15))
            .ConfigurePrimaryHttpMessageHandler(() => WebhookSender.Handler(allowPrivate));
        return services;
    }

    public static void MapWebhooks(this IEndpointRouteBuilder api, IConfiguration config)
    {
        var allowPrivate = config.GetValue<bool>("Webhooks:AllowPrivateNetwork");
        var group = api.MapGroup("/webhooks").WithTags("Webhooks").RequireAuthorization(Policies.Admin);
        group.MapGet("/", async (AtebDb db, CancellationToken ct) =>
            (await db.WebhookSubscriptions.AsNoTracking().OrderBy(s => s.CreatedAt).ToListAsync(ct)).Select(s => s.ToResponse(null)));
        group.MapPost("/", async Task<Results<Created<WebhookResponse>, ProblemHttpResult>> (
            CreateWebhookRequest body, Actor actor, AtebDb db, IDataProtectionProvider protection, TimeProvider clock, WebhookSubscriptionCache cache,
            CancellationToken ct) =>
        {
            var events = body.Events is { Length: > 0 } ? body.Events : ["*"];
            var check = new Check()
                .When(UrlGuard.ValidateUrl(body.Url, allowPrivate) is not null, "url", UrlGuard.ValidateUrl(body.Url, allowPrivate) ?? "")
                .Count("events", events, 20)
                .When(events.Any(e => e != "*" && !WebhookEventNames.All.Contains(e)), "events",
                    "must be \"*\" or among: " + string.Join(", ", WebhookEventNames.All));
            if (!check.Ok)
            {
                return check.Problem();
            }
            var secret = WebhookSecrets.New();
            var subscription = new WebhookSubscription
            {
                Url = body.Url!,
                Events = string.Join(',', events.Distinct()),
                ProtectedSecret = WebhookSecrets.Protector(protection).Protect(secret),
                CreatedAt = clock.GetUtcNow(),
            };
            db.WebhookSubscriptions.Add(subscription);
            db.AuditEntries.Add(Audit.AuditEntry.For(actor, "webhook", subscription.Id, "created", subscription.CreatedAt, "url", null, subscription.Url));
            await db.SaveChangesAsync(ct);
            cache.Invalidate(actor.WorkspaceId);
            return TypedResults.Created($"/api/v1/webhooks/{subscription.Id}", subscription.ToResponse(secret));
        });
        group.MapDelete("/{id:guid}", async Task<Results<NoContent, ProblemHttpResult>> (Guid id, Actor actor, AtebDb db, TimeProvider clock, WebhookSubscriptionCache cache, CancellationToken ct) =>
        {
            var subscription = await db.WebhookSubscriptions.FirstOrDefaultAsync(s => s.Id == id, ct);
            if (subscription is null)
            {
                return Problems.NotFound("webhook");
            }
            db.WebhookSubscriptions.Remove(subscription);
            db.AuditEntries.Add(Audit.AuditEntry.For(actor, "webhook", id, "deleted", clock.GetUtcNow(), "url", subscription.Url, null));
            await db.SaveChangesAsync(ct);
            cache.Invalidate(actor.WorkspaceId);
            return TypedResults.NoContent();
        });
        group.MapGet("/deliveries", async (AtebDb db, CancellationToken ct) =>
            await db.OutboxMessages.AsNoTracking().Where(m => m.Kind == WebhookSender.KindName)
                .OrderByDescending(m => m.CreatedAt).Take(100)
                .Select(m => new WebhookDeliveryResponse(m.Id, m.IdempotencyKey, m.State.ToString().ToLower(), m.Attempts, m.CreatedAt, m.DoneAt, m.LastError))
                .ToListAsync(ct));
    }

    private static WebhookResponse ToResponse(this WebhookSubscription s, string? secret) =>
        new(s.Id, s.Url, s.Events.Split(','), s.Active, s.CreatedAt, secret);
}
