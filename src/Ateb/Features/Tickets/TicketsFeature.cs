using Ateb.Features.Agents;
using Ateb.Features.Audit;
using Ateb.Infrastructure.Data;
using Ateb.Infrastructure.Web;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace Ateb.Features.Tickets;

public sealed record AuditEntryResponse(Guid Id, string Action, string? Field, string? OldValue, string? NewValue, Guid? ActorAccountId, string ActorName, DateTimeOffset At);

internal static class TicketsFeature
{
    public static IServiceCollection AddTickets(this IServiceCollection services)
    {
        services.AddScoped<TicketReferences>();
        services.AddScoped<CreateTicket>();
        services.AddScoped<ListTickets>();
        services.AddScoped<GetTicket>();
        services.AddScoped<UpdateTicket>();
        services.AddScoped<AddMessage>();
        services.AddScoped<MergeTickets>();
        services.AddScoped<LinkTickets>();
        services.AddScoped<ReceiveMessage>();
        services.AddSingleton<TicketChangeFeed>();
        services.AddSingleton<Microsoft.EntityFrameworkCore.Diagnostics.IInterceptor>(sp => sp.GetRequiredService<TicketChangeFeed>());
        services.AddSingleton<AttachmentSweeper>();
        services.AddHostedService(sp => sp.GetRequiredService<AttachmentSweeper>());
        return services;
    }

    public static void MapTickets(this IEndpointRouteBuilder api)
    {
        var tickets = api.MapGroup("/tickets").WithTags("Tickets").RequireAuthorization(Policies.Member);
        tickets.MapPost("/", (CreateTicketRequest body, CreateTicket handler, Actor actor, CancellationToken ct) => handler.HandleAsync(body, actor, ct))
            .RequireAuthorization(Policies.Agent);
        tickets.MapGet("/", ([AsParameters] ListTicketsQuery query, ListTickets handler, Actor actor, CancellationToken ct) => handler.HandleAsync(query, actor, ct));
        tickets.MapGet("/{id:guid}", (Guid id, GetTicket handler, HttpResponse response, CancellationToken ct) => handler.HandleAsync(id, true, response, ct));
        tickets.MapPatch("/{id:guid}", (Guid id, UpdateTicketRequest body, [FromHeader(Name = "If-Match")] string? ifMatch, UpdateTicket handler, Actor actor,
                HttpResponse response, CancellationToken ct) => handler.HandleAsync(id, body, ifMatch, actor, response, ct))
            .RequireAuthorization(Policies.Agent);
        tickets.MapPost("/{id:guid}/messages", (Guid id, AddMessageRequest body, AddMessage handler, Actor actor, CancellationToken ct) =>
            handler.HandleAsync(id, body, actor, ct));
        tickets.MapPost("/{id:guid}/merge", (Guid id, MergeTicketsRequest body, MergeTickets handler, Actor actor, CancellationToken ct) =>
            handler.HandleAsync(id, body, actor, ct)).RequireAuthorization(Policies.Agent);
        tickets.MapPost("/{id:guid}/links", (Guid id, LinkTicketsRequest body, LinkTickets handler, Actor actor, CancellationToken ct) =>
            handler.HandleAsync(id, body, actor, ct)).RequireAuthorization(Policies.Agent);
        tickets.MapGet("/{id:guid}/audit", AuditAsync);

        api.MapPost("/inbound-messages", ReceiveMessageEndpoint.HandleAsync).WithTags("Tickets").RequireAuthorization(Policies.Agent);
        api.MapGet("/attachments/{id:guid}", Attachments.DownloadAsync).WithTags("Tickets").RequireAuthorization(Policies.Member);
    }

    private static async Task<Results<Ok<AuditEntryResponse[]>, ProblemHttpResult>> AuditAsync(Guid id, AtebDb db, CancellationToken ct)
    {
        if (!await db.Tickets.AnyAsync(t => t.Id == id, ct))
        {
            return Problems.NotFound("ticket");
        }
        var entries = await db.AuditEntries.AsNoTracking().Where(a => a.EntityId == id).OrderBy(a => a.At).ThenBy(a => a.Id).ToListAsync(ct);
        return TypedResults.Ok(entries.Select(a => new AuditEntryResponse(a.Id, a.Action, a.Field, a.OldValue, a.NewValue, a.ActorAccountId, a.ActorName, a.At)).ToArray());
    }
}
