using Ateb.Features.Agents;
using Ateb.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Ateb.Features.Chat;

/// <summary>
/// Is chat open in the current workspace right now? Open means: enabled, within business hours (when the workspace
/// uses them for chat), at least one agent online with chat switched on, and fewer visitors waiting than the queue
/// allows. Agents at full capacity still count: a visitor then waits in the queue, with their place and an estimate.
/// </summary>
internal sealed class ChatAvailabilityCheck(AtebDb db, TimeProvider clock, IOptions<ChatOptions> options)
{
    private ChatSettings? _settings;
    private Workspaces.Workspace? _workspace;

    /// <summary>The workspace's chat settings; defaults (not saved) until an admin changes them.</summary>
    public async Task<ChatSettings> SettingsAsync(CancellationToken ct) =>
        _settings ??= await db.ChatSettings.AsNoTracking().FirstOrDefaultAsync(ct) ?? new ChatSettings { WorkspaceId = db.CurrentWorkspaceId };

    public async Task<string> SlugAsync(CancellationToken ct) => (await WorkspaceAsync(ct)).Slug;

    private async Task<Workspaces.Workspace> WorkspaceAsync(CancellationToken ct) =>
        _workspace ??= await db.Workspaces.AsNoTracking().FirstAsync(w => w.Id == db.CurrentWorkspaceId, ct);

    /// <summary>Seats that may take a chat now: switched on, with a fresh connection, an active seat that works tickets.</summary>
    public async Task<List<Guid>> OnlineAgentsAsync(CancellationToken ct)
    {
        var fresh = clock.GetUtcNow() - options.Value.OnlineFor;
        return await db.ChatAgentStatuses.AsNoTracking().Where(s => s.Available)
            .Where(s => db.ChatAgentConnections.Any(c => c.MembershipId == s.MembershipId && c.SeenAt > fresh))
            .Join(db.Memberships.Where(m => m.Active && (m.Role == Role.Agent || m.Role == Role.Admin || m.Role == Role.Owner)),
                s => s.MembershipId, m => m.Id, (s, m) => m.Id)
            .ToListAsync(ct);
    }

    public async Task<ChatAvailabilityView> CheckAsync(CancellationToken ct)
    {
        var settings = await SettingsAsync(ct);
        if (!settings.Enabled)
        {
            return new(ChatAvailability.Disabled, null);
        }
        if (settings.UseBusinessHours)
        {
            var workspace = await WorkspaceAsync(ct);
            var now = clock.GetUtcNow();
            if (!workspace.BusinessHours.IsOpen(now, workspace.Zone()))
            {
                return new(ChatAvailability.OutsideHours, workspace.BusinessHours.NextChange(now, workspace.Zone()));
            }
        }
        if ((await OnlineAgentsAsync(ct)).Count == 0)
        {
            return new(ChatAvailability.NoAgents, null);
        }
        var waiting = await db.ChatConversations.CountAsync(c => c.State == ChatState.Queued || c.State == ChatState.Offered, ct);
        return waiting >= settings.MaxQueue ? new(ChatAvailability.QueueFull, null) : new(ChatAvailability.Open, null);
    }
}
