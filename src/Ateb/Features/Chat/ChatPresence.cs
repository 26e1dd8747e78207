using System.Collections.Concurrent;
using Ateb.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Ateb.Features.Chat;

/// <summary>
/// Which agents are connected, across nodes: each agent connection (a hub connection, or a workspace circuit showing
/// the chat panel) is a row that this node renews every heartbeat. A closed connection keeps counting for a short grace
/// (a page reload must not cost the agent their chats); a node that dies simply stops renewing its rows.
/// </summary>
internal sealed class ChatPresence(IServiceScopeFactory scopes, TimeProvider clock, IOptions<ChatOptions> options, ChatRouterSignal router,
    ILogger<ChatPresence> log) : BackgroundService
{
    private readonly ConcurrentDictionary<string, Guid> _local = new();

    /// <summary>This process, for the rows it owns.</summary>
    public string Node { get; } = $"{Environment.ProcessId}-{Guid.NewGuid():N}"[..^16];

    public int LocalConnections => _local.Count;

    public async Task ConnectAsync(Guid workspaceId, Guid membershipId, string connectionId, CancellationToken ct)
    {
        var id = RowId(connectionId);
        await using var scope = scopes.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<WorkspaceScope>().Enter(workspaceId);
        var db = scope.ServiceProvider.GetRequiredService<AtebDb>();
        var now = clock.GetUtcNow();
        if (await db.ChatAgentConnections.AnyAsync(c => c.Id == id, ct))
        {
            await db.WriteAsync(() => db.ChatAgentConnections.Where(c => c.Id == id).ExecuteUpdateAsync(u => u.SetProperty(c => c.SeenAt, now), ct), ct);
        }
        else
        {
            db.ChatAgentConnections.Add(new ChatAgentConnection { Id = id, MembershipId = membershipId, Node = Node, SeenAt = now });
            await db.SaveChangesAsync(ct);
        }
        _local[id] = workspaceId;
        router.Wake();
    }

    /// <summary>Marks the connection gone; it counts for <see cref="ChatOptions.DisconnectGrace"/> more, then the agent's chats return to the queue.</summary>
    public async Task DisconnectAsync(string connectionId)
    {
        var id = RowId(connectionId);
        if (!_local.TryRemove(id, out var workspaceId))
        {
            return;
        }
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            scope.ServiceProvider.GetRequiredService<WorkspaceScope>().Enter(workspaceId);
            var db = scope.ServiceProvider.GetRequiredService<AtebDb>();
            var lapse = clock.GetUtcNow() - options.Value.OnlineFor + options.Value.DisconnectGrace;
            await db.WriteAsync(() => db.ChatAgentConnections.Where(c => c.Id == id).ExecuteUpdateAsync(u => u.SetProperty(c => c.SeenAt, lapse)), CancellationToken.None);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            log.LogWarning(e, "Could not mark agent connection {Id} closed; it lapses on its own", id);
        }
        router.Wake();
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.Heartbeat, clock);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                await RenewAsync(stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                log.LogWarning(e, "Renewing agent connections failed; retrying next beat");
            }
        }
    }

    // Writes take the write gate like every other (on SQLite a write outside it makes the gated writers poll for the file lock).
    private async Task RenewAsync(CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AtebDb>();
        var now = clock.GetUtcNow();
        var ids = _local.Keys.ToList();
        foreach (var batch in ids.Chunk(500))
        {
            await db.WriteAsync(() => db.ChatAgentConnections.IgnoreQueryFilters().Where(c => batch.Contains(c.Id)).ExecuteUpdateAsync(u => u.SetProperty(c => c.SeenAt, now), ct), ct);
        }
        // Rows of connections long gone (any node's): nobody needs them.
        var old = now.AddHours(-1);
        await db.WriteAsync(() => db.ChatAgentConnections.IgnoreQueryFilters().Where(c => c.SeenAt < old).ExecuteDeleteAsync(ct), ct);
    }

    private string RowId(string connectionId)
    {
        var id = $"{Node}:{connectionId}";
        return id.Length <= 100 ? id : id[..100];
    }
}
