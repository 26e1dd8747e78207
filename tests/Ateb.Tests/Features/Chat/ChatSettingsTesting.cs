using System.Security.Cryptography;
using System.Text;
using Ateb.Features.Chat;
using Microsoft.EntityFrameworkCore;

namespace Ateb.Tests.Features.Chat;

/// <summary>Shared steps of the chat settings and widget endpoint tests.</summary>
internal static class ChatSettingsTesting
{
    /// <summary>A complete PUT body with the defaults; change what the test is about.</summary>
    public static Dictionary<string, object?> Body(Action<Dictionary<string, object?>>? change = null)
    {
        var body = new Dictionary<string, object?>
        {
            ["enabled"] = true, ["brandColor"] = "#0f766e", ["greetings"] = new Dictionary<string, string>(), ["allowedOrigins"] = Array.Empty<string>(),
            ["preChat"] = "optional", ["maxChatsPerAgent"] = 3, ["maxQueue"] = 10, ["offerSeconds"] = 30, ["teamId"] = null, ["useBusinessHours"] = true,
        };
        change?.Invoke(body);
        return body;
    }

    public static async Task<ChatSettingsResponse> PutSettingsAsync(this TestWorkspace ws, Action<Dictionary<string, object?>>? change = null) =>
        await (await ws.Owner.PutAsJsonAsync("/api/v1/chat/settings", Body(change))).ReadAsync<ChatSettingsResponse>();

    public static string Hmac(string secret, string userId) =>
        Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes(userId)));

    /// <summary>The agent's chat switch on and a connection seen <paramref name="seenAgo"/> ago, as the agent hub records them.</summary>
    public static Task OnlineAsync(this TestWorkspace ws, Guid agentId, TimeSpan? seenAgo = null, bool available = true) => ws.DbAsync(async db =>
    {
        var now = DateTimeOffset.UtcNow;
        db.ChatAgentStatuses.Add(new ChatAgentStatus { MembershipId = agentId, Available = available, UpdatedAt = now });
        db.ChatAgentConnections.Add(new ChatAgentConnection { Id = Guid.NewGuid().ToString("N"), MembershipId = agentId, Node = "test", SeenAt = now - (seenAgo ?? TimeSpan.Zero) });
        return await db.SaveChangesAsync();
    });

    public static Task<ChatVisitor> VisitorAsync(this TestWorkspace ws, Guid id) =>
        ws.DbAsync(db => db.ChatVisitors.AsNoTracking().FirstAsync(v => v.Id == id));
}
