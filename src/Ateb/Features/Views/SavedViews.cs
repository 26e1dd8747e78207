using Ateb.Features.Agents;
using Ateb.Features.Tickets;
using Ateb.Infrastructure.Data;
using Ateb.Infrastructure.Web;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Ateb.Features.Views;

public sealed record CreateSavedViewRequest(string? Name, TicketFilterInput? Filters, string? Sort = null, bool? Shared = null, int? Position = null);

/// <summary>PATCH body: absent fields are left alone; filters, when present, replace the view's filters as a whole.</summary>
public sealed record UpdateSavedViewRequest(Optional<string> Name, Optional<TicketFilterInput?> Filters, Optional<string?> Sort, Optional<bool> Shared,
    Optional<int> Position);

internal static class SavedViewQueries
{
    /// <summary>The caller's own views and every shared one; others' private views do not exist for them (404).</summary>
    public static IQueryable<SavedView> VisibleTo(this IQueryable<SavedView> views, Actor actor) =>
        views.Where(v => v.OwnerId == actor.MembershipId || v.Shared);

    /// <summary>Null when the actor may change a view visible to them: their own private views, and shared ones if they are an admin.</summary>
    public static ProblemHttpResult? RefuseChange(SavedView view, Actor actor, bool share) =>
        (view.Shared || share) && !actor.Role.CanAdminister() ? Problems.Forbidden("Only admins may share a view or change a shared one.") : null;

    /// <summary>Checks name, filters (by the rules of GET /tickets, under "filters.") and sort; ids in filters must be of this workspace.</summary>
    public static async Task<(TicketFilterInput? Filters, TicketSort? Sort, ProblemHttpResult? Problem)> ValidateAsync(AtebDb db, Check check,
        Optional<string> name, TicketFilterInput? filters, string? sort, Optional<int> position, CancellationToken ct)
    {
        check.Text("name", name.Value, SavedViewRules.MaxName, required: name.IsSet)
            .When(position.IsSet && position.Value is < 0 or > SavedViewRules.MaxPosition, "position", $"must be 0 to {SavedViewRules.MaxPosition}.");
        var cleaned = filters is null ? null : SavedViewRules.Clean(filters);
        if (cleaned is not null)
        {
            foreach (var (field, value) in new[] { ("status", cleaned.Status), ("priority", cleaned.Priority), ("channel", cleaned.Channel), ("assignee", cleaned.Assignee) })
            {
                check.Text("filters." + field, value, SavedViewRules.MaxFilterText);
            }
            TicketFilter.Parse(cleaned, check, "filters.");
        }
        var parsedSort = TicketFilter.ParseSort(sort);
        check.When(parsedSort is null, "sort", $"must be {TicketFilter.Sorts}.");
        if (!check.Ok)
        {
            return (null, null, check.Problem());
        }
        if (cleaned?.Team is { } team && !await db.Teams.AnyAsync(t => t.Id == team, ct))
        {
            return (null, null, Problems.NotFound("team"));
        }
        if (cleaned?.Requester is { } customer && !await db.Customers.AnyAsync(c => c.Id == customer, ct))
        {
            return (null, null, Problems.NotFound("customer"));
        }
        if (Guid.TryParse(cleaned?.Assignee, out var agent) && !await db.Memberships.AnyAsync(m => m.Id == agent, ct))
        {
            return (null, null, Problems.NotFound("agent"));
        }
        return (cleaned, parsedSort, null);
    }
}

internal sealed class ListSavedViews(AtebDb db)
{
    public async Task<Ok<SavedViewResponse[]>> HandleAsync(Actor actor, CancellationToken ct)
    {
        var views = await db.SavedViews.AsNoTracking().VisibleTo(actor).OrderBy(v => v.Position).ThenBy(v => v.CreatedAt).ToListAsync(ct);
        return TypedResults.Ok(views.Select(v => v.ToResponse(actor.MembershipId)).ToArray());
    }
}

internal sealed class CreateSavedView(AtebDb db, TimeProvider clock)
{
    public async Task<Results<Created<SavedViewResponse>, ProblemHttpResult>> HandleAsync(CreateSavedViewRequest request, Actor actor, CancellationToken ct)
    {
        var (filters, sort, problem) = await SavedViewQueries.ValidateAsync(db, new Check(), new Optional<string>(request.Name, true),
            request.Filters ?? new TicketFilterInput(), request.Sort, new Optional<int>(request.Position ?? 0, request.Position is not null), ct);
        if (problem is not null)
        {
            return problem;
        }
        if (request.Shared == true && !actor.Role.CanAdminister())
        {
            return Problems.Forbidden("Only admins may share a view.");
        }
        var position = request.Position ?? (await db.SavedViews.VisibleTo(actor).MaxAsync(v => (int?)v.Position, ct) ?? -1) + 1;
        var now = clock.GetUtcNow();
        var view = new SavedView
        {
            OwnerId = actor.MembershipId, Name = request.Name!.Trim(), Filters = SavedViewRules.Write(filters!), Sort = sort!.Value,
            Shared = request.Shared == true, Position = Math.Min(position, SavedViewRules.MaxPosition), CreatedAt = now, UpdatedAt = now,
        };
        db.SavedViews.Add(view);
        await db.SaveChangesAsync(ct);
        return TypedResults.Created($"/api/v1/views/saved/{view.Id}", view.ToResponse(actor.MembershipId));
    }
}

internal sealed class UpdateSavedView(AtebDb db, TimeProvider clock)
{
    public async Task<Results<Ok<SavedViewResponse>, ProblemHttpResult>> HandleAsync(Guid id, UpdateSavedViewRequest request, Actor actor, CancellationToken ct)
    {
        var view = await db.SavedViews.VisibleTo(actor).FirstOrDefaultAsync(v => v.Id == id, ct);
        if (view is null)
        {
            return Problems.NotFound("saved view");
        }
        if (SavedViewQueries.RefuseChange(view, actor, request.Shared is { IsSet: true, Value: true }) is { } refused)
        {
            return refused;
        }
        var check = new Check().When(request.Filters is { IsSet: true, Value: null }, "filters", "must not be null; send {} for no filters.");
        var (filters, sort, problem) = await SavedViewQueries.ValidateAsync(db, check, request.Name, request.Filters.Value,
            request.Sort.IsSet ? request.Sort.Value : view.Sort.ToString(), request.Position, ct);
        if (problem is not null)
        {
            return problem;
        }
        if (request.Name.IsSet) view.Name = request.Name.Value!.Trim();
        if (filters is not null) view.Filters = SavedViewRules.Write(filters);
        if (request.Sort.IsSet) view.Sort = sort!.Value;
        if (request.Shared.IsSet) view.Shared = request.Shared.Value;
        if (request.Position.IsSet) view.Position = request.Position.Value;
        view.UpdatedAt = clock.GetUtcNow();
        await db.SaveChangesAsync(ct);
        return TypedResults.Ok(view.ToResponse(actor.MembershipId));
    }
}

internal sealed class DeleteSavedView(AtebDb db)
{
    public async Task<Results<NoContent, ProblemHttpResult>> HandleAsync(Guid id, Actor actor, CancellationToken ct)
    {
        var view = await db.SavedViews.VisibleTo(actor).FirstOrDefaultAsync(v => v.Id == id, ct);
        if (view is null)
        {
            return Problems.NotFound("saved view");
        }
        if (SavedViewQueries.RefuseChange(view, actor, share: false) is { } refused)
        {
            return refused;
        }
        db.SavedViews.Remove(view);
        await db.SaveChangesAsync(ct);
        return TypedResults.NoContent();
    }
}

internal static class SavedViewsFeature
{
    public static IServiceCollection AddSavedViews(this IServiceCollection services) => services
        .AddScoped<ListSavedViews>().AddScoped<CreateSavedView>().AddScoped<UpdateSavedView>().AddScoped<DeleteSavedView>();

    public static void MapSavedViews(this IEndpointRouteBuilder views)
    {
        var saved = views.MapGroup("/saved");
        saved.MapGet("/", (ListSavedViews handler, Actor actor, CancellationToken ct) => handler.HandleAsync(actor, ct));
        saved.MapGet("/{id:guid}", async Task<Results<Ok<SavedViewResponse>, ProblemHttpResult>> (Guid id, Actor actor, AtebDb db, CancellationToken ct) =>
            await db.SavedViews.AsNoTracking().VisibleTo(actor).FirstOrDefaultAsync(v => v.Id == id, ct) is { } view
                ? TypedResults.Ok(view.ToResponse(actor.MembershipId)) : Problems.NotFound("saved view"));
        saved.MapPost("/", (CreateSavedViewRequest body, CreateSavedView handler, Actor actor, CancellationToken ct) => handler.HandleAsync(body, actor, ct));
        saved.MapPatch("/{id:guid}", (Guid id, UpdateSavedViewRequest body, UpdateSavedView handler, Actor actor, CancellationToken ct) =>
            handler.HandleAsync(id, body, actor, ct));
        saved.MapDelete("/{id:guid}", (Guid id, DeleteSavedView handler, Actor actor, CancellationToken ct) => handler.HandleAsync(id, actor, ct));
    }
}
