using System.Text.Json;
using Ateb.Features.Tickets;
using Ateb.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Ateb.Features.Views;

/// <summary>
/// A ticket list an agent named and kept: the filters and sort of GET /api/v1/tickets. Private to its owner unless
/// shared (admins only), then every member of the workspace sees it.
/// </summary>
internal sealed class SavedView : ITenantOwned
{
    public Guid Id { get; init; } = Guid.CreateVersion7();
    public Guid WorkspaceId { get; set; }
    /// <summary>The membership that made it.</summary>
    public Guid OwnerId { get; init; }
    public required string Name { get; set; }
    /// <summary>A <see cref="TicketFilterInput"/> as JSON, validated on the way in.</summary>
    public string Filters { get; set; } = "{}";
    public TicketSort Sort { get; set; }
    public bool Shared { get; set; }
    public int Position { get; set; }
    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset UpdatedAt { get; set; }
}

internal sealed class SavedViewConfiguration : IEntityTypeConfiguration<SavedView>
{
    public void Configure(EntityTypeBuilder<SavedView> b)
    {
        b.Property(x => x.Name).HasMaxLength(SavedViewRules.MaxName);
        b.Property(x => x.Filters).HasMaxLength(4000);
        b.Property(x => x.Sort).HasConversion<string>().HasMaxLength(16);
        b.HasIndex(x => new { x.WorkspaceId, x.OwnerId });
        b.HasIndex(x => new { x.WorkspaceId, x.Shared });
        b.HasOne<Agents.Membership>().WithMany().HasForeignKey(x => x.OwnerId).OnDelete(DeleteBehavior.Cascade);
    }
}

/// <summary>query is the query string that opens the view on GET /api/v1/tickets; mine says whether the caller owns it.</summary>
public sealed record SavedViewResponse(Guid Id, string Name, TicketFilterInput Filters, TicketSort Sort, bool Shared, int Position, Guid OwnerId, bool Mine,
    string Query, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt);

internal static class SavedViewRules
{
    public const int MaxName = 100;
    public const int MaxFilterText = 200;
    public const int MaxPosition = 100_000;

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static string Write(TicketFilterInput filters) => JsonSerializer.Serialize(filters, Json);

    public static TicketFilterInput Read(string json) => JsonSerializer.Deserialize<TicketFilterInput>(json, Json) ?? new TicketFilterInput();

    /// <summary>Empty and blank filters dropped, text trimmed, so equal views store equal JSON.</summary>
    public static TicketFilterInput Clean(TicketFilterInput f) => new(
        Blank(f.Status), Blank(f.Priority), Blank(f.Channel), Blank(f.Assignee), f.Team, Blank(f.Tag), Blank(f.Q), f.Requester);

    public static SavedViewResponse ToResponse(this SavedView v, Guid me)
    {
        var filters = Read(v.Filters);
        return new(v.Id, v.Name, filters, v.Sort, v.Shared, v.Position, v.OwnerId, v.OwnerId == me, Query(filters, v.Sort), v.CreatedAt, v.UpdatedAt);
    }

    public static string Query(TicketFilterInput f, TicketSort sort)
    {
        var pairs = new (string Key, string? Value)[]
        {
            ("status", f.Status), ("priority", f.Priority), ("channel", f.Channel), ("assignee", f.Assignee), ("team", f.Team?.ToString()),
            ("tag", f.Tag), ("q", f.Q), ("requester", f.Requester?.ToString()),
            ("sort", sort == TicketSort.Newest ? null : sort.ToString().ToLowerInvariant()),
        };
        return string.Join('&', pairs.Where(p => p.Value is not null).Select(p => p.Key + "=" + Uri.EscapeDataString(p.Value!).Replace("%2C", ",", StringComparison.Ordinal)));
    }

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
