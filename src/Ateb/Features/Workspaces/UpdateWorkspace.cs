using Ateb.Features.Agents;
using Ateb.Features.Audit;
using Ateb.Features.Chat;
using Ateb.Infrastructure.Data;
using Ateb.Infrastructure.Text;
using Ateb.Infrastructure.Web;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Ateb.Features.Workspaces;

/// <summary>
/// PATCH body: absent (null) fields are left alone. businessHours replaces the whole schedule; an empty one means always open.
/// helpCenterHost is the host name the public help center answers on ("help.acme.example"); an empty string removes it.
/// </summary>
public sealed record UpdateWorkspaceRequest(string? Name, string? DefaultLanguage, string? TimeZone, string? PhoneRegion, ToneOfVoice? Tone,
    string[]? Languages = null, BusinessHoursSpec? BusinessHours = null, string? HelpCenterHost = null);

internal sealed class UpdateWorkspace(AtebDb db, ChatSettingsStore chatSettings, TimeProvider clock)
{
    public const int MaxLanguages = 20;

    public async Task<Results<Ok<WorkspaceResponse>, ProblemHttpResult>> HandleAsync(UpdateWorkspaceRequest request, Actor actor, CancellationToken ct)
    {
        var defaultLanguage = request.DefaultLanguage is null ? null : LanguageTags.Normalize(request.DefaultLanguage);
        var check = new Check().Text("name", request.Name, 200)
            .When(request.Name is not null && string.IsNullOrWhiteSpace(request.Name), "name", "must not be empty.")
            .When(request.DefaultLanguage is not null && defaultLanguage is null, "defaultLanguage", "is not a BCP-47 language tag such as en or fa-IR.")
            .TimeZone("timeZone", request.TimeZone)
            .When(request.PhoneRegion is { } r && !PhoneNumbers.PhoneNumberUtil.GetInstance().GetSupportedRegions().Contains(r.ToUpperInvariant()),
                "phoneRegion", "is not an ISO 3166 region code such as GB or IR.");
        var languages = request.Languages is null ? null : Languages(request.Languages, check);
        var hours = request.BusinessHours is null ? null : BusinessHoursSpecs.Parse(request.BusinessHours, check, "businessHours");
        var host = request.HelpCenterHost is null ? null : HostNames.Normalize(request.HelpCenterHost);
        check.When(request.HelpCenterHost is { Length: > 0 } && host is null, "helpCenterHost", "is not a host name such as help.example.com (no scheme, port or path).");
        var workspace = await db.Workspaces.FirstAsync(w => w.Id == actor.WorkspaceId, ct);
        check.When(host is { Length: > 0 } && await db.Workspaces.AnyAsync(w => w.Id != workspace.Id && w.HelpCenterHost == host, ct),
            "helpCenterHost", "is already the help center of another workspace.");
        var finalDefault = defaultLanguage ?? workspace.DefaultLanguage;
        var finalLanguages = languages ?? (workspace.Languages.Length == 0 ? null : workspace.Languages.Split(','));
        check.When(check.Ok && finalLanguages is not null && !finalLanguages.Contains(finalDefault),
            request.DefaultLanguage is null ? "languages" : "defaultLanguage", $"must include the default language ({finalDefault}).");
        if (!check.Ok)
        {
            return check.Problem();
        }
        var now = clock.GetUtcNow();
        void Change(string field, string? old, string? value, Action apply)
        {
            if (value is not null && value != old)
            {
                db.AuditEntries.Add(AuditEntry.For(actor, "workspace", workspace.Id, "updated", now, field, old, value));
                apply();
            }
        }
        Change("name", workspace.Name, request.Name?.Trim(), () => workspace.Name = request.Name!.Trim());
        Change("defaultLanguage", workspace.DefaultLanguage, defaultLanguage, () => workspace.DefaultLanguage = defaultLanguage!);
        Change("languages", workspace.Languages, languages is null ? null : string.Join(',', languages), () => workspace.Languages = string.Join(',', languages!));
        Change("timeZone", workspace.TimeZone, request.TimeZone, () => workspace.TimeZone = request.TimeZone!);
        Change("phoneRegion", workspace.PhoneRegion, request.PhoneRegion?.ToUpperInvariant(), () => workspace.PhoneRegion = request.PhoneRegion!.ToUpperInvariant());
        Change("tone", workspace.Tone.ToString(), request.Tone?.ToString(), () => workspace.Tone = request.Tone!.Value);
        Change("businessHours", BusinessHoursSpecs.ToJson(workspace.BusinessHours), hours is null ? null : BusinessHoursSpecs.ToJson(hours),
            () => workspace.BusinessHours = hours!);
        Change("helpCenterHost", workspace.HelpCenterHost ?? "", host, () => workspace.HelpCenterHost = host!.Length == 0 ? null : host);
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException) when (host is { Length: > 0 })
        {
            // Another workspace took the same host name a moment ago (the unique index decided).
            return Problems.Field("helpCenterHost", "is already the help center of another workspace.");
        }
        // Chat availability reads the hours, zone and languages through the store's cache.
        chatSettings.Invalidate(workspace.Id);
        return TypedResults.Ok(workspace.ToResponse(now));
    }

    private static string[] Languages(string?[] given, Check check)
    {
        check.When(given.Length == 0, "languages", "must name at least one language.").Count("languages", given, MaxLanguages);
        var result = new List<string>();
        for (var i = 0; i < given.Length; i++)
        {
            if (LanguageTags.Normalize(given[i]) is not { } tag)
            {
                check.Add($"languages[{i}]", "is not a BCP-47 language tag such as en or fa-IR.");
            }
            else if (!result.Contains(tag))
            {
                result.Add(tag);
            }
        }
        return [.. result];
    }
}
