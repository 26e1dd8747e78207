using System.Text.Json;
using Ateb.Infrastructure.Web;

namespace Ateb.Features.Tickets;

public sealed record RequesterSummary(Guid Id, string Name, string? Email);

public sealed record TicketResponse(
    Guid Id, long Number, string Subject, TicketStatus Status, TicketPriority Priority, Channel Channel,
    RequesterSummary Requester, Guid? AssigneeId, Guid? TeamId, string[] Tags, JsonElement CustomFields,
    Guid? MergedIntoId, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt, DateTimeOffset? FirstAgentReplyAt,
    DateTimeOffset? SolvedAt, DateTimeOffset? ReopenedAt, DateTimeOffset? ClosedAt, long Version);

public sealed record AttachmentResponse(Guid Id, string FileName, string ContentType, long Size, string Url);

public sealed record MessageResponse(
    Guid Id, AuthorKind AuthorKind, Guid? AuthorCustomerId, Guid? AuthorAgentId, Channel Channel, Direction Direction,
    bool IsPublic, string BodyText, string? BodyHtml, string? ExternalId, DeliveryStatus Delivery, string? DeliveryError,
    DateTimeOffset CreatedAt, AttachmentResponse[] Attachments);

public sealed record LinkResponse(Guid TicketId, long Number, string Kind);

public sealed record TicketDetailResponse(TicketResponse Ticket, MessageResponse[] Messages, LinkResponse[] Links);

internal static class TicketMapping
{
    public static TicketResponse ToResponse(this Ticket t, RequesterSummary requester) => new(
        t.Id, t.Number, t.Subject, t.Status, t.Priority, t.Channel, requester, t.AssigneeId, t.TeamId,
        [.. t.Tags.Select(x => x.Tag).Order(StringComparer.Ordinal)], JsonAttributes.Parse(t.CustomFields), t.MergedIntoId,
        t.CreatedAt, t.UpdatedAt, t.FirstAgentReplyAt, t.SolvedAt, t.ReopenedAt, t.ClosedAt, t.Version);

    public static MessageResponse ToResponse(this Message m) => new(
        m.Id, m.AuthorKind, m.AuthorCustomerId, m.AuthorAgentId, m.Channel, m.Direction, m.IsPublic, m.BodyText, m.BodyHtml,
        m.ExternalId, m.Delivery, m.DeliveryError, m.CreatedAt,
        [.. m.Attachments.Select(a => new AttachmentResponse(a.Id, a.FileName, a.ContentType, a.Size, $"/api/v1/attachments/{a.Id}"))]);

    public static string ETag(this Ticket t) => $"\"{t.Version}\"";
}
