using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Ateb.Features.Workspaces;

public enum ToneOfVoice { Friendly, Formal }

internal sealed class Workspace
{
    public Guid Id { get; init; } = Guid.CreateVersion7();
    public required string Name { get; set; }
    public required string Slug { get; set; }
    public string DefaultLanguage { get; set; } = "en";
    public string TimeZone { get; set; } = "UTC";
    /// <summary>The workspace's languages as comma-separated BCP-47 tags; empty means just <see cref="DefaultLanguage"/>.</summary>
    public string Languages { get; set; } = "";
    /// <summary>Stored as JSON; always open until someone sets hours.</summary>
    public BusinessHours BusinessHours { get; set; } = BusinessHours.AlwaysOpen;
    /// <summary>ISO 3166 region used to read phone numbers written without a country code.</summary>
    public string? PhoneRegion { get; set; }
    public ToneOfVoice Tone { get; set; } = ToneOfVoice.Friendly;
    /// <summary>The host name its public help center answers on (help.acme.example), lower-case ASCII; null for none.</summary>
    public string? HelpCenterHost { get; set; }
    /// <summary>Per-workspace ticket counter; bumped with UPDATE ... RETURNING, never read-then-write.</summary>
    public long LastTicketNumber { get; set; }
    /// <summary>Data Protection-encrypted key that signs the Message-IDs of mail we send; made on first use.</summary>
    public string? MailKeyProtected { get; set; }
    public DateTimeOffset CreatedAt { get; init; }

    public string[] LanguageList() => Languages.Length == 0 ? [DefaultLanguage] : Languages.Split(',');

    public TimeZoneInfo Zone() => TimeZoneInfo.TryFindSystemTimeZoneById(TimeZone, out var zone) ? zone : TimeZoneInfo.Utc;
}

internal sealed class WorkspaceConfiguration : IEntityTypeConfiguration<Workspace>
{
    public void Configure(EntityTypeBuilder<Workspace> b)
    {
        b.Property(x => x.Name).HasMaxLength(200);
        b.Property(x => x.Slug).HasMaxLength(100);
        b.HasIndex(x => x.Slug).IsUnique();
        b.Property(x => x.DefaultLanguage).HasMaxLength(35);
        b.Property(x => x.TimeZone).HasMaxLength(64);
        b.Property(x => x.PhoneRegion).HasMaxLength(2);
        b.Property(x => x.MailKeyProtected).HasMaxLength(1000);
        b.Property(x => x.Tone).HasConversion<string>().HasMaxLength(16);
        b.Property(x => x.Languages).HasMaxLength(400);
        b.Property(x => x.HelpCenterHost).HasMaxLength(253);
        b.HasIndex(x => x.HelpCenterHost).IsUnique();
        b.Property(x => x.BusinessHours).HasConversion(h => BusinessHoursSpecs.ToJson(h), json => BusinessHoursSpecs.FromJson(json),
            new ValueComparer<BusinessHours>((a, c) => BusinessHoursSpecs.ToJson(a!) == BusinessHoursSpecs.ToJson(c!),
                h => BusinessHoursSpecs.ToJson(h).GetHashCode(StringComparison.Ordinal), h => BusinessHoursSpecs.FromJson(BusinessHoursSpecs.ToJson(h))));
    }
}
