using Ateb.Infrastructure.Data;
using Ateb.Infrastructure.Web;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Ateb.Features.Tickets;

/// <summary>
/// Checks ids that arrive in a request body. The queries are tenant-filtered, so another workspace's id is
/// simply "not found" here: 404, the same answer as a made-up id, with no existence oracle.
/// </summary>
internal sealed class TicketReferences(AtebDb db)
{
    public async Task<ProblemHttpResult?> FindMissingAsync(Guid? assigneeId, Guid? teamId, Guid? customerId, CancellationToken ct)
    {
        if (assigneeId is { } a && !await db.Memberships.AnyAsync(m => m.Id == a && m.Active && Agents.Roles.TicketWorkers.Contains(m.Role), ct))
        {
            return Problems.NotFound("assignee (an agent who may work tickets)");
        }
        if (teamId is { } t && !await db.Teams.AnyAsync(x => x.Id == t, ct))
        {
            return Problems.NotFound("team");
        }
        if (customerId is { } c)
        {
            var customer = await db.Customers.Where(x => x.Id == c).Select(x => new { x.MergedIntoId }).FirstOrDefaultAsync(ct);
            if (customer is null)
            {
                return Problems.NotFound("customer");
            }
            if (customer.MergedIntoId is { } target)
            {
                return Problems.Conflict($"That customer was merged into {target}; use that one.");
            }
        }
        return null;
    }

    public Task<string?> PhoneRegionAsync(CancellationToken ct) =>
        db.Workspaces.Where(w => w.Id == db.CurrentWorkspaceId).Select(w => w.PhoneRegion).FirstOrDefaultAsync(ct);

    public static string[] ValidateTags(string[]? tags, Check check, string field)
    {
        check.Count(field, tags, Limits.Tags);
        var result = new List<string>();
        for (var i = 0; i < (tags?.Length ?? 0); i++)
        {
            var tag = TicketTag.Normalize(tags![i] ?? "");
            if (tag.Length == 0 || tag.Length > Limits.Tag || tag.Any(c => char.IsControl(c) || char.IsWhiteSpace(c) || c == ','))
            {
                check.Add($"{field}[{i}]", $"must be 1 to {Limits.Tag} characters without spaces or commas.");
            }
            else if (!result.Contains(tag))
            {
                result.Add(tag);
            }
        }
        return [.. result];
    }
}
