using System.Security.Cryptography;
using System.Text;
using Ateb.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Ateb.Features.Tokens;

/// <summary>A personal API token bound to one membership (so to one workspace). Only its hash is stored.</summary>
internal sealed class ApiToken : ITenantOwned
{
    public const string Prefix = "ateb_";

    public Guid Id { get; init; } = Guid.CreateVersion7();
    public Guid WorkspaceId { get; set; }
    public Guid MembershipId { get; init; }
    public required string Name { get; set; }
    public required string Hash { get; init; }
    /// <summary>The first characters of the secret, shown in lists so people can tell tokens apart.</summary>
    public required string Hint { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset? ExpiresAt { get; init; }
    public DateTimeOffset? RevokedAt { get; set; }
    public DateTimeOffset? LastUsedAt { get; set; }

    public bool IsUsableAt(DateTimeOffset now) => RevokedAt is null && (ExpiresAt is null || ExpiresAt > now);

    /// <summary>256 random bits, URL-safe. The plain value is shown once and never stored.</summary>
    public static string NewSecret() => Prefix + Base64Url(RandomNumberGenerator.GetBytes(32));

    // The secret has 256 bits of entropy, so a fast hash is enough: nothing to brute-force.
    public static string HashOf(string secret) => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(secret)));

    private static string Base64Url(byte[] bytes) =>
        Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}

internal sealed class ApiTokenConfiguration : IEntityTypeConfiguration<ApiToken>
{
    public void Configure(EntityTypeBuilder<ApiToken> b)
    {
        b.Property(x => x.Name).HasMaxLength(100);
        b.Property(x => x.Hash).HasMaxLength(64);
        b.Property(x => x.Hint).HasMaxLength(16);
        b.HasIndex(x => x.Hash).IsUnique();
        b.HasIndex(x => new { x.WorkspaceId, x.MembershipId });
        b.HasOne<Agents.Membership>().WithMany().HasForeignKey(x => x.MembershipId);
    }
}
