using Microsoft.AspNetCore.Identity;

namespace Ateb.Features.Agents;

/// <summary>A person who signs in. One account (one email) may belong to several workspaces.</summary>
public sealed class AgentAccount : IdentityUser<Guid>
{
    public AgentAccount() => Id = Guid.CreateVersion7();

    public string DisplayName { get; set; } = "";
    public string Language { get; set; } = "en";
    public DateTimeOffset CreatedAt { get; set; }
}
