using Ateb.Features.Chat;
using Ateb.Features.Workspaces;
using Ateb.Infrastructure.Web;

namespace Ateb.Tests.Features.Chat;

[Trait("Db", "none")]
public sealed class ChatAvailabilityCheckTests
{
    private static readonly DateTimeOffset Monday10 = new(2026, 1, 5, 10, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset Monday20 = new(2026, 1, 5, 20, 0, 0, TimeSpan.Zero);

    private static ChatSettingsSnapshot Settings(bool enabled = true, bool useHours = true, int maxQueue = 2)
    {
        var check = new Check();
        var hours = BusinessHoursSpecs.Parse(System.Text.Json.JsonSerializer.Deserialize<BusinessHoursSpec>(
            """{"weekly":{"monday":[{"start":"09:00","end":"17:00"}],"tuesday":[{"start":"09:00","end":"17:00"}]}}""",
            new System.Text.Json.JsonSerializerOptions(System.Text.Json.JsonSerializerDefaults.Web))!, check, "h")!;
        return new(Guid.NewGuid(), "shop", "Shop", "en", ["en"], hours, TimeZoneInfo.Utc, enabled, "#000000", new Dictionary<string, string>(), [],
            PreChatForm.None, 3, maxQueue, 30, null, useHours, DateTimeOffset.UnixEpoch);
    }

    public static TheoryData<string, bool, bool, bool, int, int, int, int, ChatAvailability> Cases => new()
    {
        // case, enabled, useHours, at 20:00 (closed), online, free, waiting, maxQueue, expected
        { "switched off wins over everything", false, true, true, 3, 3, 0, 2, ChatAvailability.Disabled },
        { "outside hours", true, true, true, 3, 3, 0, 2, ChatAvailability.OutsideHours },
        { "hours ignored when not used", true, false, true, 3, 3, 0, 2, ChatAvailability.Open },
        { "nobody online", true, true, false, 0, 0, 0, 2, ChatAvailability.NoAgents },
        { "a free seat", true, true, false, 1, 1, 0, 0, ChatAvailability.Open },
        { "seats taken, room in the queue", true, true, false, 1, 0, 1, 2, ChatAvailability.Open },
        { "seats taken, queue at its limit", true, true, false, 1, 0, 2, 2, ChatAvailability.QueueFull },
        { "no queue allowed and no seat", true, true, false, 2, 0, 0, 0, ChatAvailability.QueueFull },
        { "waiting visitors take the free seats first", true, true, false, 2, 2, 2, 0, ChatAvailability.QueueFull },
        { "more seats than waiting", true, true, false, 2, 3, 2, 0, ChatAvailability.Open },
        { "waiting beyond the seats below the limit", true, true, false, 2, 2, 3, 2, ChatAvailability.Open },
        { "waiting beyond the seats at the limit", true, true, false, 2, 2, 4, 2, ChatAvailability.QueueFull },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Availability_is_decided_in_order_from_settings_hours_agents_and_queue(string @case, bool enabled, bool useHours, bool evening,
        int online, int free, int waiting, int maxQueue, ChatAvailability expected)
    {
        var view = ChatAvailabilityCheck.Decide(Settings(enabled, useHours, maxQueue), evening ? Monday20 : Monday10, new ChatCapacity(online, free, waiting));
        Assert.True(expected == view.State, $"{@case}: {view.State}");
        Assert.Equal(expected == ChatAvailability.OutsideHours ? new DateTimeOffset(2026, 1, 6, 9, 0, 0, TimeSpan.Zero) : null, view.NextOpenAt);
    }

    [Fact]
    public void Without_capacity_only_the_cheap_refusals_are_decided()
    {
        Assert.Equal(ChatAvailability.Open, ChatAvailabilityCheck.Decide(Settings(), Monday10, null).State);
        Assert.Equal(ChatAvailability.OutsideHours, ChatAvailabilityCheck.Decide(Settings(), Monday20, null).State);
    }
}
