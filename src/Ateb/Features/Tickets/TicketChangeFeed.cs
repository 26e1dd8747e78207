using System.Data.Common;
using System.Runtime.CompilerServices;
using Ateb.Infrastructure.Realtime;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Ateb.Features.Tickets;

/// <summary>
/// Tells open screens which tickets changed, after the change is committed. This is the one place that watches saves
/// rather than being called by handlers: every path that touches a ticket (API, agent UI, email ingest, merges, the
/// inbound pipeline) must be seen, and a missed notification would leave an agent looking at a stale ticket. It only
/// publishes ids; subscribers re-read through the handlers. See docs/adr/0002-ticket-change-feed.md.
/// </summary>
internal sealed class TicketChangeFeed(LiveEvents live) : ISaveChangesInterceptor, IDbTransactionInterceptor
{
    private sealed class Pending
    {
        public readonly HashSet<(Guid Workspace, Guid Ticket, string Kind)> Changes = [];
    }

    private readonly ConditionalWeakTable<DbContext, Pending> _pending = [];

    public InterceptionResult<int> SavingChanges(DbContextEventData eventData, InterceptionResult<int> result)
    {
        Collect(eventData.Context);
        return result;
    }

    public ValueTask<InterceptionResult<int>> SavingChangesAsync(DbContextEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
    {
        Collect(eventData.Context);
        return ValueTask.FromResult(result);
    }

    public int SavedChanges(SaveChangesCompletedEventData eventData, int result)
    {
        PublishUnlessInTransaction(eventData.Context);
        return result;
    }

    public ValueTask<int> SavedChangesAsync(SaveChangesCompletedEventData eventData, int result, CancellationToken cancellationToken = default)
    {
        PublishUnlessInTransaction(eventData.Context);
        return ValueTask.FromResult(result);
    }

    public void SaveChangesFailed(DbContextErrorEventData eventData) => Forget(eventData.Context);

    public Task SaveChangesFailedAsync(DbContextErrorEventData eventData, CancellationToken cancellationToken = default)
    {
        Forget(eventData.Context);
        return Task.CompletedTask;
    }

    public void TransactionCommitted(DbTransaction transaction, TransactionEndEventData eventData) => Publish(eventData.Context);

    public Task TransactionCommittedAsync(DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        Publish(eventData.Context);
        return Task.CompletedTask;
    }

    public void TransactionRolledBack(DbTransaction transaction, TransactionEndEventData eventData) => Forget(eventData.Context);

    public Task TransactionRolledBackAsync(DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        Forget(eventData.Context);
        return Task.CompletedTask;
    }

    private void Collect(DbContext? context)
    {
        if (context is null)
        {
            return;
        }
        var pending = _pending.GetOrCreateValue(context);
        foreach (var entry in context.ChangeTracker.Entries())
        {
            switch (entry.Entity)
            {
                case Ticket t when entry.State is EntityState.Added or EntityState.Modified:
                    pending.Changes.Add((t.WorkspaceId, t.Id, entry.State == EntityState.Added ? "created" : "updated"));
                    break;
                case Message m when entry.State == EntityState.Added:
                    pending.Changes.Add((m.WorkspaceId, m.TicketId, "message"));
                    break;
                case TicketTag tag when entry.State is EntityState.Added or EntityState.Deleted:
                    pending.Changes.Add((tag.WorkspaceId, tag.TicketId, "updated"));
                    break;
            }
        }
    }

    private void PublishUnlessInTransaction(DbContext? context)
    {
        if (context?.Database.CurrentTransaction is null)
        {
            Publish(context);
        }
    }

    private void Publish(DbContext? context)
    {
        if (context is null || !_pending.TryGetValue(context, out var pending))
        {
            return;
        }
        _pending.Remove(context);
        foreach (var (workspace, ticket, kind) in pending.Changes)
        {
            live.Publish(new LiveEvent(LiveEvents.Tickets(workspace), workspace, ticket, kind));
            live.Publish(new LiveEvent(LiveEvents.Ticket(ticket), workspace, ticket, kind));
            live.Publish(new LiveEvent(LiveEvents.AllTickets, workspace, ticket, kind));
        }
    }

    private void Forget(DbContext? context)
    {
        if (context is not null)
        {
            _pending.Remove(context);
        }
    }
}
