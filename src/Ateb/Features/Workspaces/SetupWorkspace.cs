using System.Text.RegularExpressions;
using Ateb.Features.Agents;
using Ateb.Features.Audit;
using Ateb.Infrastructure.Data;
using Ateb.Infrastructure.Text;
using Ateb.Infrastructure.Web;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace Ateb.Features.Workspaces;

public sealed record SetupWorkspaceRequest(string? Workspace, string? OwnerEmail, string? OwnerPassword, string? OwnerName = null);

public sealed record SetupWorkspaceResult(Guid WorkspaceId, Guid OwnerAccountId, Guid OwnerAgentId, bool Created);

/// <summary>
/// Creates a workspace and its owner. Idempotent: running it again with the same names changes nothing
/// and returns the same ids (an existing account's password is never overwritten).
/// </summary>
internal sealed partial class SetupWorkspace(AtebDb db, UserManager<AgentAccount> users, TimeProvider clock)
{
    public async Task<(SetupWorkspaceResult? Result, Check Errors)> HandleAsync(SetupWorkspaceRequest request, CancellationToken ct)
    {
        var email = ContactAddresses.NormalizeEmail(request.OwnerEmail);
        var check = new Check().Text("workspace", request.Workspace, 200, required: true)
            .When(email is null, "ownerEmail", "is not a valid email address.").Text("ownerName", request.OwnerName, 200)
            .Text("ownerPassword", request.OwnerPassword, 200, required: true);
        if (!check.Ok)
        {
            return (null, check);
        }
        var now = clock.GetUtcNow();
        var slug = Slug(request.Workspace!);
        var workspace = await db.Workspaces.FirstOrDefaultAsync(w => w.Slug == slug, ct);
        var account = await users.FindByEmailAsync(email!);
        if (account is null)
        {
            account = new AgentAccount { Email = email, UserName = email, DisplayName = request.OwnerName?.Trim() ?? email!.Split('@')[0], CreatedAt = now };
            var created = await users.CreateAsync(account, request.OwnerPassword!);
            if (!created.Succeeded)
            {
                return (null, check.Add("ownerPassword", string.Join(" ", created.Errors.Select(e => e.Description))));
            }
        }
        var isNew = workspace is null;
        workspace ??= db.Workspaces.Add(new Workspace { Name = request.Workspace!.Trim(), Slug = slug, CreatedAt = now }).Entity;
        var membership = await db.Memberships.IgnoreQueryFilters().FirstOrDefaultAsync(m => m.WorkspaceId == workspace.Id && m.AccountId == account.Id, ct);
        if (membership is null)
        {
            membership = new Membership { WorkspaceId = workspace.Id, AccountId = account.Id, Role = Role.Owner, CreatedAt = now };
            db.Memberships.Add(membership);
            db.AuditEntries.Add(new AuditEntry
            {
                WorkspaceId = workspace.Id, EntityType = "workspace", EntityId = workspace.Id, ActorAccountId = account.Id, ActorName = "setup",
                Action = isNew ? "created" : "owner_added", At = now, Field = "owner", NewValue = email,
            });
            await db.SaveChangesAsync(ct);
        }
        return (new SetupWorkspaceResult(workspace.Id, account.Id, membership.Id, isNew), check);
    }

    public static string Slug(string name)
    {
        var slug = NonSlug().Replace(name.Trim().ToLowerInvariant(), "-").Trim('-');
        return slug.Length == 0 ? "workspace-" + Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(name)))[..8].ToLowerInvariant()
            : Truncate.ToLength(slug, 60, "");
    }

    [GeneratedRegex(@"[^\p{L}\p{Nd}]+")]
    private static partial Regex NonSlug();
}
