using System.Linq.Expressions;
using Ateb.Features.Agents;
using Ateb.Features.Audit;
using Ateb.Features.CannedResponses;
using Ateb.Features.Chat;
using Ateb.Features.Customers;
using Ateb.Features.Email;
using Ateb.Features.Kb;
using Ateb.Features.Organizations;
using Ateb.Features.Search;
using Ateb.Features.Teams;
using Ateb.Features.Tickets;
using Ateb.Features.Tokens;
using Ateb.Features.Views;
using Ateb.Features.Webhooks;
using Ateb.Features.Workspaces;
using Ateb.Infrastructure.Outbox;
using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;

namespace Ateb.Infrastructure.Data;

/// <summary>
/// The one model. Provider-specific subclasses (SqliteAtebDb, PostgresAtebDb) exist only so each
/// provider has its own migrations. The DbSets are the single place Infrastructure names features.
/// </summary>
internal abstract class AtebDb(DbContextOptions options, WorkspaceScope scope, WriteGate gate)
    : IdentityDbContext<AgentAccount, IdentityRole<Guid>, Guid>(options), IDataProtectionKeyContext
{
    public DbSet<Workspace> Workspaces => Set<Workspace>();
    public DbSet<Membership> Memberships => Set<Membership>();
    public DbSet<ApiToken> ApiTokens => Set<ApiToken>();
    public DbSet<Team> Teams => Set<Team>();
    public DbSet<TeamMember> TeamMembers => Set<TeamMember>();
    public DbSet<Organization> Organizations => Set<Organization>();
    public DbSet<Customer> Customers => Set<Customer>();
    public DbSet<CustomerIdentity> CustomerIdentities => Set<CustomerIdentity>();
    public DbSet<Ticket> Tickets => Set<Ticket>();
    public DbSet<TicketTag> TicketTags => Set<TicketTag>();
    public DbSet<TicketLink> TicketLinks => Set<TicketLink>();
    public DbSet<TicketParticipant> TicketParticipants => Set<TicketParticipant>();
    public DbSet<Message> Messages => Set<Message>();
    public DbSet<Attachment> Attachments => Set<Attachment>();
    public DbSet<AuditEntry> AuditEntries => Set<AuditEntry>();
    public DbSet<Mailbox> Mailboxes => Set<Mailbox>();
    public DbSet<InboundMail> InboundMails => Set<InboundMail>();
    public DbSet<MailEnvelope> MailEnvelopes => Set<MailEnvelope>();
    public DbSet<SearchDocument> SearchDocuments => Set<SearchDocument>();
    public DbSet<KbCategory> KbCategories => Set<KbCategory>();
    public DbSet<KbArticle> KbArticles => Set<KbArticle>();
    public DbSet<KbTranslation> KbTranslations => Set<KbTranslation>();
    public DbSet<KbRevision> KbRevisions => Set<KbRevision>();
    public DbSet<KbFeedback> KbFeedback => Set<KbFeedback>();
    public DbSet<KbFile> KbFiles => Set<KbFile>();
    public DbSet<WebhookSubscription> WebhookSubscriptions => Set<WebhookSubscription>();
    public DbSet<SavedView> SavedViews => Set<SavedView>();
    public DbSet<CannedResponse> CannedResponses => Set<CannedResponse>();
    public DbSet<ChatSettings> ChatSettings => Set<ChatSettings>();
    public DbSet<ChatVisitor> ChatVisitors => Set<ChatVisitor>();
    public DbSet<ChatConversation> ChatConversations => Set<ChatConversation>();
    public DbSet<ChatAgentStatus> ChatAgentStatuses => Set<ChatAgentStatus>();
    public DbSet<ChatAgentConnection> ChatAgentConnections => Set<ChatAgentConnection>();
    public DbSet<OutboxMessage> OutboxMessages => Set<OutboxMessage>();
    public DbSet<DataProtectionKey> DataProtectionKeys => Set<DataProtectionKey>();

    /// <summary>Read by the global query filters; Guid.Empty (no scope) matches no row.</summary>
    internal Guid CurrentWorkspaceId => scope.WorkspaceId ?? Guid.Empty;

    internal WorkspaceScope Scope => scope;

    public abstract bool IsPostgres { get; }

    protected override void OnModelCreating(ModelBuilder builder)
    {
        base.OnModelCreating(builder);
        builder.ApplyConfigurationsFromAssembly(typeof(AtebDb).Assembly);
        if (IsPostgres)
        {
            // PostgreSQL searches a tsvector written from the normalizer's tokens with the document (SQLite uses an FTS5 table).
            builder.Entity<SearchDocument>().Property<NpgsqlTypes.NpgsqlTsVector>(SearchDocument.VectorColumn).HasColumnType("tsvector");
            // One GIN index per kind (PostgresSearchEngine asks one kind per walk): a word's bitmap then holds only that kind's
            // documents, so an AND over messages no longer reads and throws away every article and ticket that matches too.
            // The predicate is the engine's own range of one value, so the planner proves it from the query as written.
            foreach (var kind in SearchKinds.All.Order(StringComparer.Ordinal))
            {
                builder.Entity<SearchDocument>().HasIndex([SearchDocument.VectorColumn], $"IX_SearchDocuments_Search_{kind}").HasMethod("GIN")
                    .HasFilter(PostgresSearchEngine.KindPredicate(kind));
            }
            // One newest-first walk per kind (PostgresSearchEngine): a common word never reads documents of other kinds.
            builder.Entity<SearchDocument>().HasIndex(d => new { d.WorkspaceId, d.Kind, d.Id });
        }
        foreach (var entity in builder.Model.GetEntityTypes())
        {
            if (typeof(ITenantOwned).IsAssignableFrom(entity.ClrType) && entity.BaseType is null)
            {
                builder.Entity(entity.ClrType).HasQueryFilter(TenantFilter(entity.ClrType));
            }
        }
    }

    private LambdaExpression TenantFilter(Type type)
    {
        var row = Expression.Parameter(type, "row");
        var body = Expression.Equal(
            Expression.Property(row, nameof(ITenantOwned.WorkspaceId)),
            Expression.Property(Expression.Constant(this), nameof(CurrentWorkspaceId)));
        return Expression.Lambda(body, row);
    }

    private bool _holdsGate;

    /// <summary>This context may write now: it holds the write gate, or the gate is open (PostgreSQL).</summary>
    internal bool MayWrite => _holdsGate || !gate.Enabled || SeedsDirectly;

    /// <summary>Test fixtures that write rows directly (setting up a case) are not held to the write gate (<see cref="WriteGateGuard"/>).</summary>
    internal bool SeedsDirectly { get; set; }

    public override int SaveChanges(bool acceptAllChangesOnSuccess)
    {
        var auto = DetectOnce();
        try
        {
            GuardTenancy();
            if (_holdsGate || !gate.Enabled)
            {
                return base.SaveChanges(acceptAllChangesOnSuccess);
            }
            gate.Enter();
            _holdsGate = true;
            try
            {
                return base.SaveChanges(acceptAllChangesOnSuccess);
            }
            finally
            {
                _holdsGate = false;
                gate.Exit();
            }
        }
        finally
        {
            ChangeTracker.AutoDetectChangesEnabled = auto;
        }
    }

    public override async Task<int> SaveChangesAsync(bool acceptAllChangesOnSuccess, CancellationToken cancellationToken = default)
    {
        var auto = DetectOnce();
        try
        {
            GuardTenancy();
            return await WriteAsync(() => base.SaveChangesAsync(acceptAllChangesOnSuccess, cancellationToken), cancellationToken);
        }
        finally
        {
            ChangeTracker.AutoDetectChangesEnabled = auto;
        }
    }

    /// <summary>
    /// Finds changed entities once for the whole save: the tenancy guard, the save interceptors (the ticket change feed) and
    /// SaveChanges itself each list the tracker's entries, and each listing would otherwise scan every tracked entity again.
    /// Returns the caller's setting, restored after the save.
    /// </summary>
    private bool DetectOnce()
    {
        var auto = ChangeTracker.AutoDetectChangesEnabled;
        if (auto)
        {
            ChangeTracker.DetectChanges();
            ChangeTracker.AutoDetectChangesEnabled = false;
        }
        return auto;
    }

    /// <summary>Runs a write that bypasses SaveChanges (ExecuteUpdate, raw SQL) in its turn at the write gate.</summary>
    public async Task<T> WriteAsync<T>(Func<Task<T>> write, CancellationToken ct)
    {
        if (_holdsGate || !gate.Enabled)
        {
            return await write();
        }
        await gate.EnterAsync(ct);
        _holdsGate = true;
        try
        {
            return await write();
        }
        finally
        {
            _holdsGate = false;
            gate.Exit();
        }
    }

    /// <summary>A transaction for a unit of work that writes; on SQLite it holds the write gate until disposed.</summary>
    public async Task<WriteTransaction> BeginWriteAsync(CancellationToken ct)
    {
        if (_holdsGate)
        {
            throw new InvalidOperationException("A write transaction is already open on this context.");
        }
        await gate.EnterAsync(ct);
        _holdsGate = true;
        try
        {
            return new WriteTransaction(await Database.BeginTransactionAsync(ct), () =>
            {
                _holdsGate = false;
                gate.Exit();
            });
        }
        catch
        {
            _holdsGate = false;
            gate.Exit();
            throw;
        }
    }

    // Defence in depth: a bug that builds a row for another workspace fails loudly instead of leaking.
    private void GuardTenancy()
    {
        if (scope.WorkspaceId is not { } current)
        {
            return;
        }
        foreach (var entry in ChangeTracker.Entries<ITenantOwned>())
        {
            if (entry.State is EntityState.Added && entry.Entity.WorkspaceId == Guid.Empty)
            {
                entry.Entity.WorkspaceId = current;
            }
            if (entry.State is EntityState.Added or EntityState.Modified or EntityState.Deleted
                && entry.Entity.WorkspaceId != current)
            {
                throw new InvalidOperationException($"{entry.Metadata.ClrType.Name} belongs to another workspace.");
            }
        }
    }
}
