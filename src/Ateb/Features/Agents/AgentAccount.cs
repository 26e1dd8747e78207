using Ateb.Infrastructure.Text;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Ateb.Features.Agents;

/// <summary>A person who signs in. One account (one email) may belong to several workspaces.</summary>
public sealed class AgentAccount : IdentityUser<Guid>
{
    public AgentAccount() => Id = Guid.CreateVersion7();

    public string DisplayName { get; set; } = "";
    /// <summary>UI language: one of <see cref="AgentPreferences.Languages"/>.</summary>
    public string Language { get; set; } = "en";
    /// <summary>IANA id; null means the time zone of the workspace being worked in.</summary>
    public string? TimeZone { get; set; }
    public AgentCalendar? Calendar { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
}

internal sealed class AgentAccountConfiguration : IEntityTypeConfiguration<AgentAccount>
{
    public void Configure(EntityTypeBuilder<AgentAccount> b)
    {
        b.Property(x => x.TimeZone).HasMaxLength(64);
        b.Property(x => x.Calendar).HasConversion<string>().HasMaxLength(16);
    }
}
