namespace Ateb.Infrastructure.Data;

/// <summary>Every row that belongs to a workspace. AtebDb filters these by the current workspace.</summary>
public interface ITenantOwned
{
    Guid WorkspaceId { get; set; }
}
