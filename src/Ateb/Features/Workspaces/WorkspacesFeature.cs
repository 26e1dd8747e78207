using Ateb.Features.Agents;
using Ateb.Infrastructure.Data;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Ateb.Features.Workspaces;

/// <summary>The workspace's settings; openNow and nextChange (within 14 days, else null) are worked out from businessHours.</summary>
public sealed record WorkspaceResponse(Guid Id, string Name, string Slug, string DefaultLanguage, string TimeZone, string? PhoneRegion, ToneOfVoice Tone,
    DateTimeOffset CreatedAt, string[] Languages, BusinessHoursSpec BusinessHours, bool OpenNow, DateTimeOffset? NextChange, string? HelpCenterHost = null);

internal static class WorkspacesFeature
{
    public static IServiceCollection AddWorkspaces(this IServiceCollection services)
    {
        services.AddScoped<SetupWorkspace>();
        services.AddScoped<UpdateWorkspace>();
        services.AddSingleton<SetupLink>();
        return services;
    }

    public static void MapWorkspace(this IEndpointRouteBuilder api)
    {
        var group = api.MapGroup("/workspace").WithTags("Workspace").RequireAuthorization(Policies.Member);
        group.MapGet("/", GetAsync);
        group.MapPatch("/", (UpdateWorkspaceRequest body, UpdateWorkspace handler, Actor actor, CancellationToken ct) => handler.HandleAsync(body, actor, ct))
            .RequireAuthorization(Policies.Admin);
    }

    internal static async Task<Ok<WorkspaceResponse>> GetAsync(Actor actor, AtebDb db, TimeProvider clock, CancellationToken ct) =>
        TypedResults.Ok((await db.Workspaces.AsNoTracking().FirstAsync(w => w.Id == actor.WorkspaceId, ct)).ToResponse(clock.GetUtcNow()));

    public static WorkspaceResponse ToResponse(this Workspace w, DateTimeOffset now)
    {
        var zone = w.Zone();
        return new(w.Id, w.Name, w.Slug, w.DefaultLanguage, w.TimeZone, w.PhoneRegion, w.Tone, w.CreatedAt, w.LanguageList(), w.BusinessHours.ToSpec(),
            w.BusinessHours.IsOpen(now, zone), w.BusinessHours.NextChange(now, zone), w.HelpCenterHost);
    }
}
