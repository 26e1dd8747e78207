using System.Text.Json;
using Ateb.Features.Customers;
using Ateb.Features.Tickets;
using Ateb.Infrastructure.Data;
using Ateb.Infrastructure.Outbox;
using Ateb.Infrastructure.Search;
using Microsoft.EntityFrameworkCore;

namespace Ateb.Features.Search;

/// <summary>
/// Keeps search documents in step with the text they index. Tickets and messages are indexed inside the handler's own
/// unit of work (their documents are new rows, or the ticket's row already serializes writers), so they are searchable the
/// moment they commit; so is a customer created on its own (POST /customers) and a knowledge-base translation created
/// published. Changes to customers and to existing translations (published, unpublished, made internal), and customers
/// found or created while a ticket arrives, whose documents several writers may want at once, go through a
/// <c>search.index</c> outbox job, which retries and tolerates races; the handler wakes the job's loop after its commit
/// (<see cref="OutboxSignal.Pulse(string)"/>), so no polling interval stands between a save and the search.
/// </summary>
internal sealed class SearchIndex(AtebDb db, ISearchEngine engine, TimeProvider clock)
{
    public void AddTicket(Ticket ticket) => db.SearchDocuments.Add(Build(new SearchDocument { Kind = SearchKinds.Ticket, EntityId = ticket.Id }, ticket.Subject, "", ticket.Id, false));

    public void AddMessage(Message message) =>
        db.SearchDocuments.Add(Build(new SearchDocument { Kind = SearchKinds.Message, EntityId = message.Id }, "", message.BodyText, message.TicketId, !message.IsPublic));

    /// <summary>A changed subject: the document is updated in the same commit; one not indexed yet is left to a job.</summary>
    public async Task TicketChangedAsync(Ticket ticket, CancellationToken ct)
    {
        if (await db.SearchDocuments.FirstOrDefaultAsync(d => d.Kind == SearchKinds.Ticket && d.EntityId == ticket.Id, ct) is { } existing)
        {
            Build(existing, ticket.Subject, "", ticket.Id, false);
        }
        else
        {
            QueueJob(SearchKinds.Ticket, ticket.Id);
        }
    }

    public void QueueCustomer(Guid customerId) => QueueJob(SearchKinds.Customer, customerId);

    /// <summary>A new customer's document, in the same commit (a new row, like a ticket's): found the moment it exists.</summary>
    public void AddCustomer(Customer customer) => db.SearchDocuments.Add(Build(new SearchDocument { Kind = SearchKinds.Customer, EntityId = customer.Id },
        customer.Name, CustomerWords(customer.Identities.Select(i => (i.Kind, i.Value, i.Normalized))), null, false));

    // "ana.lopez@shop.example" is found by "ana", "lopez", "shop" and by the whole address; a phone number by its digits
    // as people type them (+44 7911 123456 by 447911123456, 07911123456 and 7911123456, and as you type, by their starts).
    internal static string CustomerWords(IEnumerable<(IdentityKind Kind, string Value, string Normalized)> identities) =>
        string.Join(' ', identities.Select(i => i.Value + " " + i.Value.Replace('@', ' ').Replace('.', ' ').Replace('+', ' ')
            + (i.Kind is IdentityKind.Phone or IdentityKind.WhatsApp ? " " + string.Join(' ', Infrastructure.Text.ContactAddresses.PhoneDigits(i.Normalized)) : "")));

    public void QueueArticle(Guid translationId) => QueueJob(SearchKinds.Article, translationId);

    /// <summary>A new translation created published: its document in the same commit (a new row, like a ticket's).</summary>
    public void AddArticle(Guid translationId, string title, string markdown, bool isInternal) =>
        db.SearchDocuments.Add(Build(new SearchDocument { Kind = SearchKinds.Article, EntityId = translationId }, title, markdown, null, isInternal));

    private void QueueJob(string kind, Guid entityId)
    {
        var now = clock.GetUtcNow();
        db.OutboxMessages.Add(new OutboxMessage
        {
            Kind = KindName, Payload = JsonSerializer.Serialize(new { kind, entityId }),
            IdempotencyKey = $"search:{kind}:{entityId:N}:{Guid.CreateVersion7():N}", CreatedAt = now, NextAttemptAt = now,
        });
    }

    public const string KindName = "search.index";

    /// <summary>Fills a document from original text; no language is passed, so the normalizer decides line by line.</summary>
    public SearchDocument Build(SearchDocument document, string title, string body, Guid? ticketId, bool isInternal)
    {
        document.TicketId = ticketId;
        document.Scope = $"w{db.CurrentWorkspaceId:N} k{document.Kind}" + (isInternal ? " internal" : "");
        document.Language = TextNormalizer.DetectLanguage(title + " " + body);
        document.Title = TextNormalizer.IndexText(title);
        document.Body = TextNormalizer.IndexText(body);
        document.UpdatedAt = clock.GetUtcNow();
        engine.Prepare(db, document);
        return document;
    }
}

/// <summary>Builds or refreshes the SearchDocument of one ticket, message or customer; removes it when the entity is gone.</summary>
internal sealed class IndexDocument(IServiceScopeFactory scopes) : IOutboxSender
{
    public string Kind => SearchIndex.KindName;

    public async Task<SendResult> SendAsync(OutboxMessage job, CancellationToken ct)
    {
        var payload = JsonDocument.Parse(job.Payload).RootElement;
        var kind = payload.GetProperty("kind").GetString()!;
        var id = payload.GetProperty("entityId").GetGuid();
        await using var scope = scopes.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<WorkspaceScope>().Enter(job.WorkspaceId);
        await IndexAsync(scope.ServiceProvider.GetRequiredService<AtebDb>(), scope.ServiceProvider.GetRequiredService<SearchIndex>(), kind, id, ct);
        return SendResult.Ok;
    }

    public static async Task IndexAsync(AtebDb db, SearchIndex index, string kind, Guid id, CancellationToken ct)
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
        var document = index.Build(existing ?? new SearchDocument { Kind = kind, EntityId = id }, source.Value.Title, source.Value.Body,
            source.Value.TicketId, source.Value.Internal);
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
        db.ChangeTracker.Clear();
    }

    /// <summary>
    /// Documents for entities that have none (the backfill), written in one SaveChanges; when another writer indexed one of
    /// them meanwhile, the batch falls back to one entity at a time. Returns how many documents were written.
    /// </summary>
    public static async Task<int> IndexBatchAsync(AtebDb db, SearchIndex index, string kind, IReadOnlyCollection<Guid> ids, CancellationToken ct)
    {
        var sources = await SourcesAsync(db, kind, ids, ct);
        var documents = sources.Select(s => index.Build(new SearchDocument { WorkspaceId = db.CurrentWorkspaceId, Kind = kind, EntityId = s.Key },
            s.Value.Title, s.Value.Body, s.Value.TicketId, s.Value.Internal)).ToList();
        if (!db.IsPostgres)
        {
            await SqliteDocumentBatch.InsertAsync(db, documents, ct);
            return sources.Count;
        }
        db.AddRange(documents);
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException e) when (e.IsUniqueViolation())
        {
            db.ChangeTracker.Clear();
            foreach (var id in sources.Keys)
            {
                await IndexAsync(db, index, kind, id, ct);
            }
        }
        db.ChangeTracker.Clear();
        return sources.Count;
    }

    private static async Task<Dictionary<Guid, (string Title, string Body, Guid? TicketId, bool Internal)>> SourcesAsync(AtebDb db, string kind,
        IReadOnlyCollection<Guid> ids, CancellationToken ct)
    {
        switch (kind)
        {
            case SearchKinds.Ticket:
                return await db.Tickets.AsNoTracking().Where(t => ids.Contains(t.Id)).Select(t => new { t.Id, t.Subject })
                    .ToDictionaryAsync(t => t.Id, t => (t.Subject, "", (Guid?)t.Id, false), ct);
            case SearchKinds.Message:
                return await db.Messages.AsNoTracking().Where(m => ids.Contains(m.Id)).Select(m => new { m.Id, m.BodyText, m.TicketId, m.IsPublic })
                    .ToDictionaryAsync(m => m.Id, m => ("", m.BodyText, (Guid?)m.TicketId, !m.IsPublic), ct);
            case SearchKinds.Customer:
                var customers = await db.Customers.AsNoTracking().Where(c => ids.Contains(c.Id) && c.MergedIntoId == null)
                    .Select(c => new { c.Id, c.Name, Identities = c.Identities.Select(i => new { i.Kind, i.Value, i.Normalized }).ToList() }).ToListAsync(ct);
                return customers.ToDictionary(c => c.Id, c => (c.Name, SearchIndex.CustomerWords(c.Identities.Select(i => (i.Kind, i.Value, i.Normalized))), (Guid?)null, false));
            case SearchKinds.Article:
                return await db.KbTranslations.AsNoTracking().Where(t => ids.Contains(t.Id) && t.State == Kb.KbState.Published)
                    .Join(db.KbArticles, t => t.ArticleId, a => a.Id, (t, a) => new { t.Id, t.Title, t.Markdown, a.IsInternal })
                    .ToDictionaryAsync(t => t.Id, t => (t.Title, t.Markdown, (Guid?)null, t.IsInternal), ct);
            default:
                return [];
        }
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
                // A merged customer lives on in its target: its document goes.
                var customer = await db.Customers.AsNoTracking().Where(c => c.Id == id && c.MergedIntoId == null)
                    .Select(c => new { c.Name, Identities = c.Identities.Select(i => new { i.Kind, i.Value, i.Normalized }).ToList() }).FirstOrDefaultAsync(ct);
                return customer is null ? null : (customer.Name, SearchIndex.CustomerWords(customer.Identities.Select(i => (i.Kind, i.Value, i.Normalized))), null, false);
            case SearchKinds.Article:
                // Only published translations are searchable; a draft or a deleted one loses its document.
                var article = await db.KbTranslations.AsNoTracking().Where(t => t.Id == id && t.State == Kb.KbState.Published)
                    .Join(db.KbArticles, t => t.ArticleId, a => a.Id, (t, a) => new { t.Title, t.Markdown, a.IsInternal }).FirstOrDefaultAsync(ct);
                return article is null ? null : (article.Title, article.Markdown, null, article.IsInternal);
            default:
                return null;
        }
    }

}
