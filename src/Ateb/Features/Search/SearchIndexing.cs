using System.Text.Json;
using Ateb.Features.Customers;
using Ateb.Features.Tickets;
using Ateb.Infrastructure.Data;
using Ateb.Infrastructure.Outbox;
using Ateb.Infrastructure.Search;
using Microsoft.EntityFrameworkCore;

namespace Ateb.Features.Search;

/// <summary>
/// Handlers that change searchable text queue its re-indexing as an outbox row in their own SaveChanges; the indexer below
/// turns the row into a SearchDocument moments later (the outbox is pulsed on commit), and retries if it fails.
/// </summary>
internal static class SearchIndexing
{
    public const string KindName = "search.index";

    public static void Queue(AtebDb db, string kind, Guid entityId, DateTimeOffset now) =>
        db.OutboxMessages.Add(new OutboxMessage
        {
            Kind = KindName, Payload = JsonSerializer.Serialize(new { kind, entityId }),
            IdempotencyKey = $"search:{kind}:{entityId:N}:{Guid.CreateVersion7():N}", CreatedAt = now, NextAttemptAt = now,
        });
}

/// <summary>Builds or refreshes the SearchDocument of one ticket, message or customer; removes it when the entity is gone.</summary>
internal sealed class IndexDocument(IServiceScopeFactory scopes, ISearchEngine engine, TimeProvider clock) : IOutboxSender
{
    public string Kind => SearchIndexing.KindName;

    public async Task<SendResult> SendAsync(OutboxMessage job, CancellationToken ct)
    {
        var payload = JsonDocument.Parse(job.Payload).RootElement;
        var kind = payload.GetProperty("kind").GetString()!;
        var id = payload.GetProperty("entityId").GetGuid();
        await using var scope = scopes.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<WorkspaceScope>().Enter(job.WorkspaceId);
        await IndexAsync(scope.ServiceProvider.GetRequiredService<AtebDb>(), job.WorkspaceId, kind, id, ct);
        return SendResult.Ok;
    }

    public async Task IndexAsync(AtebDb db, Guid workspaceId, string kind, Guid id, CancellationToken ct)
    {
        var source = await SourceAsync(db, kind, id, ct);
        var existing = await db.Set<SearchDocument>().FirstOrDefaultAsync(d => d.Kind == kind && d.EntityId == id, ct);
        if (source is null)
        {
            if (existing is not null)
            {
                db.Remove(existing);
                await db.SaveChangesAsync(ct);
            }
            return;
        }
        var document = existing ?? new SearchDocument { Kind = kind, EntityId = id };
        var language = TextNormalizer.DetectLanguage(source.Value.Title + " " + source.Value.Body);
        document.TicketId = source.Value.TicketId;
        document.Scope = $"w{workspaceId:N}" + (source.Value.Internal ? " internal" : "");
        document.Language = language;
        // No language passed in: the normalizer decides line by line, so a bilingual Welsh and English mail keeps both.
        document.Title = string.Join(' ', TextNormalizer.IndexTokens(source.Value.Title));
        document.Body = string.Join(' ', TextNormalizer.IndexTokens(source.Value.Body));
        document.UpdatedAt = clock.GetUtcNow();
        if (existing is null)
        {
            db.Add(document);
        }
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException e) when (e.IsUniqueViolation())
        {
            // Indexed by a concurrent job for the same entity: its version is as fresh as ours.
            db.ChangeTracker.Clear();
            return;
        }
        await engine.IndexedAsync(db, document, ct);
        db.ChangeTracker.Clear();
    }

    private static async Task<(string Title, string Body, Guid? TicketId, bool Internal)?> SourceAsync(AtebDb db, string kind, Guid id, CancellationToken ct)
    {
        switch (kind)
        {
            case SearchKinds.Ticket:
                var ticket = await db.Tickets.AsNoTracking().Where(t => t.Id == id).Select(t => new { t.Subject, t.Number }).FirstOrDefaultAsync(ct);
                return ticket is null ? null : (ticket.Subject, "", id, false);
            case SearchKinds.Message:
                var message = await db.Messages.AsNoTracking().Where(m => m.Id == id)
                    .Select(m => new { m.BodyText, m.TicketId, m.IsPublic }).FirstOrDefaultAsync(ct);
                return message is null ? null : ("", message.BodyText, message.TicketId, !message.IsPublic);
            case SearchKinds.Customer:
                var customer = await db.Customers.AsNoTracking().Where(c => c.Id == id)
                    .Select(c => new { c.Name, Identities = c.Identities.Select(i => i.Value).ToList() }).FirstOrDefaultAsync(ct);
                return customer is null ? null : (customer.Name, string.Join(' ', customer.Identities.Select(IdentityWords)), null, false);
            default:
                return null;
        }
    }

    // "ana.lopez@shop.example" is found by "ana", "lopez", "shop" and by the whole address.
    private static string IdentityWords(string value) => value + " " + value.Replace('@', ' ').Replace('.', ' ').Replace('+', ' ');
}
