using Ateb.Infrastructure.Text;
using Ateb.Infrastructure.Data;
using Ateb.Infrastructure.Web;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Ateb.Features.Agents;

/// <summary>An agent's own settings as stored (null = not chosen) and as they apply (Effective*).</summary>
public sealed record PreferencesResponse(string Language, string? TimeZone, AgentCalendar? Calendar, string EffectiveTimeZone, AgentCalendar EffectiveCalendar);

/// <summary>PATCH body: absent fields are left alone; null timeZone or calendar goes back to the default.</summary>
public sealed record UpdatePreferencesRequest(Optional<string> Language, Optional<string?> TimeZone, Optional<AgentCalendar?> Calendar);

internal static class AgentPreferences
{
    public static readonly string[] Languages = ["en", "fa", "ar", "cy"];

    /// <summary>Persian readers get Solar Hijri, Arabic readers Hijri, everyone else Gregorian, unless they chose.</summary>
    public static AgentCalendar EffectiveCalendar(string language, AgentCalendar? chosen) => chosen ?? language switch
    {
        "fa" => AgentCalendar.SolarHijri,
        "ar" => AgentCalendar.Hijri,
        _ => AgentCalendar.Gregorian,
    };

    public static async Task<PreferencesResponse> LoadAsync(AtebDb db, Actor actor, CancellationToken ct)
    {
        var account = await db.Users.AsNoTracking().Where(u => u.Id == actor.AccountId)
            .Select(u => new { u.Language, u.TimeZone, u.Calendar }).FirstAsync(ct);
        return await ToResponseAsync(db, actor, account.Language, account.TimeZone, account.Calendar, ct);
    }

    public static async Task<PreferencesResponse> ToResponseAsync(AtebDb db, Actor actor, string language, string? timeZone, AgentCalendar? calendar,
        CancellationToken ct)
    {
        var workspaceZone = await db.Workspaces.AsNoTracking().Where(w => w.Id == actor.WorkspaceId).Select(w => w.TimeZone).FirstAsync(ct);
        return new PreferencesResponse(language, timeZone, calendar, timeZone ?? workspaceZone, EffectiveCalendar(language, calendar));
    }
}

internal sealed class GetPreferences(AtebDb db)
{
    public async Task<Ok<PreferencesResponse>> HandleAsync(Actor actor, CancellationToken ct) =>
        TypedResults.Ok(await AgentPreferences.LoadAsync(db, actor, ct));
}

internal sealed class UpdatePreferences(AtebDb db)
{
    public async Task<Results<Ok<PreferencesResponse>, ProblemHttpResult>> HandleAsync(UpdatePreferencesRequest request, Actor actor, CancellationToken ct)
    {
        var language = request.Language.Value?.Trim().ToLowerInvariant();
        var check = new Check()
            .When(request.Language.IsSet && !AgentPreferences.Languages.Contains(language), "language", "must be one of en, fa, ar, cy.")
            .TimeZone("timeZone", request.TimeZone.Value);
        if (!check.Ok)
        {
            return check.Problem();
        }
        var account = await db.Users.FirstAsync(u => u.Id == actor.AccountId, ct);
        if (request.Language.IsSet) account.Language = language!;
        if (request.TimeZone.IsSet) account.TimeZone = request.TimeZone.Value;
        if (request.Calendar.IsSet) account.Calendar = request.Calendar.Value;
        await db.SaveChangesAsync(ct);
        return TypedResults.Ok(await AgentPreferences.ToResponseAsync(db, actor, account.Language, account.TimeZone, account.Calendar, ct));
    }
}
