using System.Security.Cryptography;
using Ateb.Features.Agents;
using Ateb.Features.Audit;
using Ateb.Infrastructure.Data;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Ateb.Features.Chat;

/// <summary>The new secret, shown this once: the host site signs its user ids with it (hex HMAC-SHA256).</summary>
public sealed record IdentitySecretResponse(string Secret);

/// <summary>
/// POST /api/v1/chat/settings/identity-secret: makes or replaces the workspace's identity secret. The old one stops
/// verifying at once (on this node; within ChatSettingsStore.Lifetime on others), so visitors the host site signed with
/// it become anonymous until it deploys the new one. Only the encrypted form is stored.
/// </summary>
internal sealed class RotateIdentitySecret(AtebDb db, ChatSettingsStore store, TimeProvider clock)
{
    public async Task<Ok<IdentitySecretResponse>> HandleAsync(Actor actor, CancellationToken ct)
    {
        var row = await ChatSettingsStore.LoadOrCreateAsync(db, clock, ct);
        var secret = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));
        var now = clock.GetUtcNow();
        db.AuditEntries.Add(AuditEntry.For(actor, "chat-settings", row.Id, row.IdentitySecretProtected is null ? "identity-secret-made" : "identity-secret-rotated", now));
        row.IdentitySecretProtected = store.ProtectSecret(secret);
        row.UpdatedAt = now;
        await db.SaveChangesAsync(ct);
        store.Invalidate(actor.WorkspaceId);
        return TypedResults.Ok(new IdentitySecretResponse(secret));
    }
}
