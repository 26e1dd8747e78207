namespace Ateb.Infrastructure.Data;

/// <summary>
/// The workspace the current request (or job) acts in. Set once by authentication or by a worker;
/// AtebDb reads it for its global query filters, so no query has to remember to filter.
/// </summary>
public sealed class WorkspaceScope
{
    public Guid? WorkspaceId { get; private set; }

    public void Enter(Guid workspaceId)
    {
        if (WorkspaceId is { } current && current != workspaceId)
        {
            throw new InvalidOperationException("A scope cannot switch workspaces.");
        }
        WorkspaceId = workspaceId;
    }
}
