using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using Ateb.Infrastructure.Data;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;

namespace Ateb.Features.Email;

/// <summary>
/// Message-IDs of the mail we send: "{message guid}.{HMAC}@{mailbox domain}". The HMAC (per-workspace key) means a
/// reply's In-Reply-To can be trusted to name our message, and nobody can make up an id that points into a ticket.
/// </summary>
internal static class MessageIds
{
    private const int SignatureChars = 20;

    public static string Create(byte[] key, Guid messageId, string mailboxAddress)
    {
        var domain = mailboxAddress.Contains('@', StringComparison.Ordinal) ? mailboxAddress[(mailboxAddress.LastIndexOf('@') + 1)..] : "ateb.invalid";
        return $"{messageId:N}.{Sign(key, messageId)}@{domain}";
    }

    /// <summary>The message a signed id names, or null for anyone else's id (or a forged one).</summary>
    public static Guid? Verify(byte[] key, string? id)
    {
        if (string.IsNullOrEmpty(id))
        {
            return null;
        }
        var local = id.Trim().Trim('<', '>');
        var at = local.IndexOf('@', StringComparison.Ordinal);
        if (at != 32 + 1 + SignatureChars || local[32] != '.' || !Guid.TryParseExact(local[..32], "N", out var messageId))
        {
            return null;
        }
        var expected = Encoding.ASCII.GetBytes(Sign(key, messageId));
        var given = Encoding.ASCII.GetBytes(local.Substring(33, SignatureChars).ToLowerInvariant());
        return CryptographicOperations.FixedTimeEquals(expected, given) ? messageId : null;
    }

    private static string Sign(byte[] key, Guid messageId) =>
        Convert.ToHexStringLower(HMACSHA256.HashData(key, messageId.ToByteArray()))[..SignatureChars];
}

/// <summary>The per-workspace Message-ID signing key: random, stored encrypted, made once (the first writer wins).</summary>
internal sealed class MailKeys(IDataProtectionProvider protection)
{
    private readonly ConcurrentDictionary<Guid, byte[]> _keys = new();
    private readonly IDataProtector _protector = protection.CreateProtector("Ateb.Email.MessageIdKey");

    public async Task<byte[]> GetAsync(AtebDb db, Guid workspaceId, CancellationToken ct)
    {
        if (_keys.TryGetValue(workspaceId, out var cached))
        {
            return cached;
        }
        var stored = await db.Workspaces.Where(w => w.Id == workspaceId).Select(w => w.MailKeyProtected).FirstOrDefaultAsync(ct);
        if (stored is null)
        {
            var fresh = _protector.Protect(Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)));
            await db.WriteAsync(() => db.Workspaces.Where(w => w.Id == workspaceId && w.MailKeyProtected == null)
                .ExecuteUpdateAsync(s => s.SetProperty(w => w.MailKeyProtected, fresh), ct), ct);
            stored = await db.Workspaces.Where(w => w.Id == workspaceId).Select(w => w.MailKeyProtected).FirstAsync(ct);
        }
        var key = Convert.FromBase64String(_protector.Unprotect(stored!));
        _keys[workspaceId] = key;
        return key;
    }
}

/// <summary>Mailbox passwords and tokens: only ever stored encrypted, never returned by the API.</summary>
internal sealed class MailSecrets(IDataProtectionProvider protection)
{
    private readonly IDataProtector _protector = protection.CreateProtector("Ateb.Email.MailboxSecrets");

    public string Protect(string secret) => _protector.Protect(secret);

    public string? Unprotect(string? protectedSecret) => protectedSecret is null ? null : _protector.Unprotect(protectedSecret);
}
