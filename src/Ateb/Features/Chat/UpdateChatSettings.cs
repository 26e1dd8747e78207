using System.Text.Json;
using System.Text.RegularExpressions;
using Ateb.Features.Agents;
using Ateb.Features.Audit;
using Ateb.Infrastructure.Data;
using Ateb.Infrastructure.Text;
using Ateb.Infrastructure.Web;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Ateb.Features.Chat;

/// <summary>PUT /api/v1/chat/settings: the whole policy. greetings maps a BCP-47 tag to its text (an empty text drops it);
/// allowedOrigins are scheme://host[:port]; teamId null routes to any agent.</summary>
public sealed record ChatSettingsRequest(
    bool? Enabled,
    string? BrandColor,
    Dictionary<string, string?>? Greetings,
    string?[]? AllowedOrigins,
    PreChatForm? PreChat,
    int? MaxChatsPerAgent,
    int? MaxQueue,
    int? OfferSeconds,
    Guid? TeamId,
    bool? UseBusinessHours);

/// <summary>The chat policy; the identity secret itself is never returned here (POST .../identity-secret shows a new one once).</summary>
public sealed record ChatSettingsResponse(
    string Workspace,
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
    bool HasIdentitySecret,
    DateTimeOffset UpdatedAt);

internal sealed partial class UpdateChatSettings(AtebDb db, ChatSettingsStore store, TimeProvider clock)
{
    public const int MaxGreetings = 20;
    public static readonly (int Min, int Max) ChatsPerAgent = (1, 20), Queue = (0, 500), Offer = (10, 600);

    public async Task<Results<Ok<ChatSettingsResponse>, ProblemHttpResult>> HandleAsync(ChatSettingsRequest request, Actor actor, CancellationToken ct)
    {
        var check = new Check();
        var greetings = Greetings(request.Greetings, check);
        var origins = Origins(request.AllowedOrigins, check);
        check.When(request.Enabled is null, "enabled", "is required.")
            .When(request.UseBusinessHours is null, "useBusinessHours", "is required.")
            .When(request.PreChat is null, "preChat", "is required: none, optional or required.")
            .When(request.BrandColor is null || !Color().IsMatch(request.BrandColor), "brandColor", "must be a colour written #rrggbb, such as #0f766e.");
        Range(check, "maxChatsPerAgent", request.MaxChatsPerAgent, ChatsPerAgent);
        Range(check, "maxQueue", request.MaxQueue, Queue);
        Range(check, "offerSeconds", request.OfferSeconds, Offer);
        if (request.TeamId is { } team && !await db.Teams.AnyAsync(t => t.Id == team, ct))
        {
            check.Add("teamId", "is not a team of this workspace.");
        }
        if (!check.Ok)
        {
            return check.Problem();
        }
        var row = await ChatSettingsStore.LoadOrCreateAsync(db, clock, ct);
        var now = clock.GetUtcNow();
        var before = Describe(row);
        row.Enabled = request.Enabled!.Value;
        row.BrandColor = request.BrandColor!.ToLowerInvariant();
        row.Greetings = JsonSerializer.Serialize(greetings);
        row.AllowedOrigins = string.Join('\n', origins);
        row.PreChat = request.PreChat!.Value;
        row.MaxChatsPerAgent = request.MaxChatsPerAgent!.Value;
        row.MaxQueue = request.MaxQueue!.Value;
        row.OfferSeconds = request.OfferSeconds!.Value;
        row.TeamId = request.TeamId;
        row.UseBusinessHours = request.UseBusinessHours!.Value;
        var after = Describe(row);
        foreach (var (field, old) in before.Where(b => after[b.Key] != b.Value))
        {
            db.AuditEntries.Add(AuditEntry.For(actor, "chat-settings", row.Id, "updated", now, field, old, after[field]));
        }
        row.UpdatedAt = now;
        await db.SaveChangesAsync(ct);
        store.Invalidate(actor.WorkspaceId);
        // Read back as stored (the database keeps timestamps to the millisecond), so the answer equals the next GET.
        return TypedResults.Ok((await store.GetAsync(actor.WorkspaceId, ct))!.ToResponse());
    }

    private static Dictionary<string, string> Greetings(Dictionary<string, string?>? given, Check check)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, text) in given ?? [])
        {
            var field = $"greetings.{key}";
            if (LanguageTags.Normalize(key) is not { } tag)
            {
                check.Add(field, "is not a BCP-47 language tag such as en or fa-IR.");
                continue;
            }
            var trimmed = text?.Trim();
            check.Text(field, trimmed, ChatSettings.MaxGreeting);
            if (!string.IsNullOrEmpty(trimmed))
            {
                check.When(!result.TryAdd(tag, trimmed), field, "names the same language as another greeting.");
            }
        }
        check.When(result.Count > MaxGreetings, "greetings", $"must have at most {MaxGreetings} languages (got {result.Count}).");
        return result;
    }

    private static List<string> Origins(string?[]? given, Check check)
    {
        var result = new List<string>();
        given ??= [];
        check.Count("allowedOrigins", given, ChatSettings.MaxOrigins);
        for (var i = 0; i < given.Length && i <= ChatSettings.MaxOrigins; i++)
        {
            if (string.IsNullOrWhiteSpace(given[i]))
            {
                continue;
            }
            if (ChatOrigins.Normalize(given[i]) is not { } origin)
            {
                check.Add($"allowedOrigins[{i}]", "is not an origin written scheme://host[:port], such as https://www.example.com (no path, no wildcard).");
            }
            else if (!result.Contains(origin))
            {
                result.Add(origin);
            }
        }
        return result;
    }

    private static void Range(Check check, string field, int? value, (int Min, int Max) range) =>
        check.When(value is null || value < range.Min || value > range.Max, field, $"must be a whole number from {range.Min} to {range.Max}.");

    private static Dictionary<string, string?> Describe(ChatSettings s) => new(StringComparer.Ordinal)
    {
        ["enabled"] = s.Enabled ? "true" : "false",
        ["brandColor"] = s.BrandColor,
        ["greetings"] = s.Greetings,
        ["allowedOrigins"] = s.AllowedOrigins.Replace('\n', ' '),
        ["preChat"] = s.PreChat.ToString(),
        ["maxChatsPerAgent"] = s.MaxChatsPerAgent.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["maxQueue"] = s.MaxQueue.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["offerSeconds"] = s.OfferSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["teamId"] = s.TeamId?.ToString(),
        ["useBusinessHours"] = s.UseBusinessHours ? "true" : "false",
    };

    [GeneratedRegex("^#[0-9A-Fa-f]{6}$")]
    private static partial Regex Color();
}

internal static class ChatSettingsResponses
{
    public static ChatSettingsResponse ToResponse(this ChatSettingsSnapshot s) =>
        new(s.Slug, s.Enabled, s.BrandColor, s.Greetings, s.AllowedOrigins, s.PreChat, s.MaxChatsPerAgent, s.MaxQueue, s.OfferSeconds, s.TeamId,
            s.UseBusinessHours, s.HasIdentitySecret, s.UpdatedAt);
}
