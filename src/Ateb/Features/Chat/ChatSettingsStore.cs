using System.Collections.Concurrent;
using System.Text.Json;
using Ateb.Features.Workspaces;
using Ateb.Infrastructure.Data;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;

namespace Ateb.Features.Chat;

/// <summary>
/// A workspace's chat policy as the widget endpoints, the hubs and the router read it: the ChatSettings row plus the
/// workspace facts chat needs (slug, name, languages, business hours in its time zone). Immutable; never serialize it
/// (the identity secret is only reachable through <see cref="ChatSettingsStore.IdentitySecret"/>).
/// </summary>
internal sealed record ChatSettingsSnapshot(
    Guid WorkspaceId,
    string Slug,
    string WorkspaceName,
    string DefaultLanguage,
    IReadOnlyList<string> Languages,
    BusinessHours BusinessHours,
    TimeZoneInfo Zone,
    bool Enabled,
    string BrandColor,
    IReadOnlyDictionary<string, string> Greetings,
    IReadOnlyList<string> AllowedOrigins,
    PreChatForm PreChat,
    int MaxChatsPerAgent,
    int MaxQueue,
    int OfferSeconds,
    Guid? TeamId,
    bool UseBusinessHours,
    DateTimeOffset UpdatedAt)
{
    internal string? IdentitySecretProtected { get; init; }

    public bool HasIdentitySecret => IdentitySecretProtected is not null;

    /// <summary>The greeting for a visitor's language: exact tag, then its primary language, then the workspace default, then any.</summary>
    public string Greeting(string? language)
    {
        if (language is not null && Greetings.TryGetValue(language, out var exact))
        {
            return exact;
        }
        var primary = language?.Split('-')[0];
        if (primary is not null && Greetings.TryGetValue(primary, out var general))
        {
            return general;
        }
        return Greetings.TryGetValue(DefaultLanguage, out var fallback) ? fallback : Greetings.Values.FirstOrDefault() ?? "";
    }
}

/// <summary>
/// Loads a workspace's chat settings (making the default row on first use) and keeps them for <see cref="Lifetime"/>:
/// the hub and the router ask on every connection and send. Each node caches on its own; a save invalidates this node at
/// once (<see cref="Invalidate"/>) and the others within <see cref="Lifetime"/>. Reads through its own DI scope, so any
/// caller (endpoint, hub, background router) can use it without a workspace scope of its own.
/// </summary>
internal sealed class ChatSettingsStore(IServiceScopeFactory scopes, IDataProtectionProvider protection, TimeProvider clock)
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromSeconds(10);

    private readonly ConcurrentDictionary<Guid, (ChatSettingsSnapshot Value, DateTimeOffset Until)> _byId = new();
    private readonly ConcurrentDictionary<string, (Guid? Id, DateTimeOffset Until)> _bySlug = new(StringComparer.OrdinalIgnoreCase);
    private readonly IDataProtector _secrets = protection.CreateProtector("Ateb.Chat.IdentitySecret.v1");

    /// <summary>The settings of a workspace (made with defaults if it has none yet); null if there is no such workspace.</summary>
    public async Task<ChatSettingsSnapshot?> GetAsync(Guid workspaceId, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        if (_byId.TryGetValue(workspaceId, out var hit) && hit.Until > now)
        {
            return hit.Value;
        }
        var loaded = await LoadAsync(workspaceId, ct);
        if (loaded is not null)
        {
            _byId[workspaceId] = (loaded, now + Lifetime);
        }
        return loaded;
    }

    /// <summary>The settings of the workspace with this slug (the widget's data-workspace); null if there is none.</summary>
    public async Task<ChatSettingsSnapshot?> FindBySlugAsync(string? slug, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(slug) || slug.Length > 100)
        {
            return null;
        }
        var now = clock.GetUtcNow();
        if (!_bySlug.TryGetValue(slug, out var hit) || hit.Until <= now)
        {
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<AtebDb>();
            // Slugs are stored lower-case (SetupWorkspace.Slug).
            var lowered = slug.ToLowerInvariant();
            var id = await db.Workspaces.AsNoTracking().Where(w => w.Slug == lowered).Select(w => (Guid?)w.Id).FirstOrDefaultAsync(ct);
            hit = (id, now + Lifetime);
            if (id is not null)
            {
                // Misses are not kept: random slugs must not grow the cache.
                _bySlug[slug] = hit;
            }
        }
        return hit.Id is { } found ? await GetAsync(found, ct) : null;
    }

    /// <summary>Forget this node's copy (after a save of the chat settings or of the workspace).</summary>
    public void Invalidate(Guid workspaceId)
    {
        _byId.TryRemove(workspaceId, out _);
        foreach (var entry in _bySlug.Where(e => e.Value.Id == workspaceId).ToList())
        {
            _bySlug.TryRemove(entry.Key, out _);
        }
    }

    /// <summary>The host site's HMAC secret in clear, or null when none was made yet.</summary>
    public string? IdentitySecret(ChatSettingsSnapshot settings) =>
        settings.IdentitySecretProtected is { } sealedSecret ? _secrets.Unprotect(sealedSecret) : null;

    public string ProtectSecret(string secret) => _secrets.Protect(secret);

    private async Task<ChatSettingsSnapshot?> LoadAsync(Guid workspaceId, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<WorkspaceScope>().Enter(workspaceId);
        var db = scope.ServiceProvider.GetRequiredService<AtebDb>();
        var workspace = await db.Workspaces.AsNoTracking().FirstOrDefaultAsync(w => w.Id == workspaceId, ct);
        if (workspace is null)
        {
            return null;
        }
        var row = await LoadOrCreateAsync(db, clock, ct);
        return Snapshot(workspace, row);
    }

    /// <summary>The workspace's settings row (tracked), made with the defaults the first time; the unique index settles a race.</summary>
    internal static async Task<ChatSettings> LoadOrCreateAsync(AtebDb db, TimeProvider clock, CancellationToken ct)
    {
        if (await db.ChatSettings.FirstOrDefaultAsync(ct) is { } existing)
        {
            return existing;
        }
        var made = new ChatSettings { WorkspaceId = db.CurrentWorkspaceId, UpdatedAt = clock.GetUtcNow() };
        db.ChatSettings.Add(made);
        try
        {
            await db.SaveChangesAsync(ct);
            return made;
        }
        catch (DbUpdateException e) when (e.IsUniqueViolation())
        {
            db.Entry(made).State = EntityState.Detached;
            return await db.ChatSettings.FirstAsync(ct);
        }
    }

    internal static ChatSettingsSnapshot Snapshot(Workspace workspace, ChatSettings row) =>
        new(workspace.Id, workspace.Slug, workspace.Name, workspace.DefaultLanguage, workspace.LanguageList(), workspace.BusinessHours, workspace.Zone(),
            row.Enabled, row.BrandColor, ReadGreetings(row.Greetings), ReadOrigins(row.AllowedOrigins), row.PreChat, row.MaxChatsPerAgent, row.MaxQueue,
            row.OfferSeconds, row.TeamId, row.UseBusinessHours, row.UpdatedAt)
        {
            IdentitySecretProtected = row.IdentitySecretProtected,
        };

    internal static IReadOnlyDictionary<string, string> ReadGreetings(string json)
    {
        try
        {
            return JsonSerializer.Deserialize<Dictionary<string, string>>(json) ?? [];
        }
        catch (JsonException)
        {
            return new Dictionary<string, string>();
        }
    }

    internal static IReadOnlyList<string> ReadOrigins(string stored) =>
        stored.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
