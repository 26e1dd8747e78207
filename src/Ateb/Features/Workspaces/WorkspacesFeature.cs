using Ateb.Features.Agents;
using Ateb.Features.Audit;
using Ateb.Infrastructure.Data;
using Ateb.Infrastructure.Web;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Ateb.Features.Workspaces;

public sealed record WorkspaceResponse(Guid Id, string Name, string Slug, string DefaultLanguage, string TimeZone, string? PhoneRegion, ToneOfVoice Tone, DateTimeOffset CreatedAt);

public sealed record UpdateWorkspaceRequest(string? Name, string? DefaultLanguage, string? TimeZone, string? PhoneRegion, ToneOfVoice? Tone);

internal static class WorkspacesFeature
{
    public static IServiceCollection AddWorkspaces(this IServiceCollection services)
    {
        services.AddScoped<SetupWorkspace>();
        services.AddSingleton<SetupLink>();
        return services;
    }

    public static void MapWorkspace(this IEndpointRouteBuilder api)
    {
        var group = api.MapGroup("/workspace").WithTags("Workspace").RequireAuthorization(Policies.Member);
        group.MapGet("/", async (Actor actor, AtebDb db, CancellationToken ct) =>
            ToResponse(await db.Workspaces.AsNoTracking().FirstAsync(w => w.Id == actor.WorkspaceId, ct)));
        group.MapPatch("/", async Task<Results<Ok<WorkspaceResponse>, ProblemHttpResult>> (UpdateWorkspaceRequest body, Actor actor, AtebDb db, TimeProvider clock, CancellationToken ct) =>
        {
            var check = new Check().Text("name", body.Name, 200).Text("defaultLanguage", body.DefaultLanguage, 35)
                .When(body.Name is not null && string.IsNullOrWhiteSpace(body.Name), "name", "must not be empty.")
                .TimeZone("timeZone", body.TimeZone)
                .When(body.PhoneRegion is { } r && !PhoneNumbers.PhoneNumberUtil.GetInstance().GetSupportedRegions().Contains(r.ToUpperInvariant()),
                    "phoneRegion", "is not an ISO 3166 region code such as GB or IR.");
            if (!check.Ok)
            {
                return check.Problem();
            }
            var workspace = await db.Workspaces.FirstAsync(w => w.Id == actor.WorkspaceId, ct);
            var now = clock.GetUtcNow();
            void Change(string field, string? old, string? value, Action apply)
            {
                if (value is not null && value != old)
                {
                    db.AuditEntries.Add(AuditEntry.For(actor, "workspace", workspace.Id, "updated", now, field, old, value));
                    apply();
                }
            }
            Change("name", workspace.Name, body.Name?.Trim(), () => workspace.Name = body.Name!.Trim());
            Change("defaultLanguage", workspace.DefaultLanguage, body.DefaultLanguage, () => workspace.DefaultLanguage = body.DefaultLanguage!);
            Change("timeZone", workspace.TimeZone, body.TimeZone, () => workspace.TimeZone = body.TimeZone!);
            Change("phoneRegion", workspace.PhoneRegion, body.PhoneRegion?.ToUpperInvariant(), () => workspace.PhoneRegion = body.PhoneRegion!.ToUpperInvariant());
            Change("tone", workspace.Tone.ToString(), body.Tone?.ToString(), () => workspace.Tone = body.Tone!.Value);
            await db.SaveChangesAsync(ct);
            return TypedResults.Ok(ToResponse(workspace));
        }).RequireAuthorization(Policies.Admin);
    }

    private static WorkspaceResponse ToResponse(Workspace w) =>
        new(w.Id, w.Name, w.Slug, w.DefaultLanguage, w.TimeZone, w.PhoneRegion, w.Tone, w.CreatedAt);
}
