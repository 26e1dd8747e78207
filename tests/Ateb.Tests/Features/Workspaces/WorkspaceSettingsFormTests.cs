using Ateb.Features.Workspaces;
using Ateb.Features.Workspaces.Pages;
using Ateb.Infrastructure.Text;
using Ateb.Infrastructure.Web;
using Microsoft.AspNetCore.Http;

namespace Ateb.Tests.Features.Workspaces;

[Trait("Db", "none")]
public sealed class WorkspaceSettingsFormTests
{
    private static WorkspaceResponse Workspace(BusinessHoursSpec hours, params string[] languages) => new(
        Guid.NewGuid(), "Demo", "demo", "fa", "Asia/Tehran", "IR", ToneOfVoice.Formal, DateTimeOffset.UnixEpoch, languages, hours, true, null);

    [Fact]
    public void The_form_reads_a_workspace_and_sends_it_back_unchanged()
    {
        var hours = new BusinessHoursSpec(
            new WeeklyHours(Saturday: [new("08:00", "16:00")], Sunday: [new("08:00", "12:00"), new("13:00", "24:00")]),
            [new HoursException("2027-03-21", true, [], "نوروز"), new HoursException("2027-03-24", false, [new("10:00", "14:00")], null)]);
        var workspace = Workspace(hours, "fa", "en", "cy-GB");

        var request = WorkspaceSettingsForm.From(workspace, Digits.ToPersian).ToRequest();

        Assert.Equal(("Demo", "fa", "Asia/Tehran", "IR", ToneOfVoice.Formal), (request.Name, request.DefaultLanguage, request.TimeZone, request.PhoneRegion, request.Tone));
        Assert.Equal(["fa", "en", "cy-GB"], request.Languages!);
        var check = new Check();
        var parsed = BusinessHoursSpecs.Parse(request.BusinessHours!, check, "businessHours");
        Assert.True(check.Ok);
        Assert.Equal(BusinessHoursSpecs.ToJson(BusinessHoursSpecs.Parse(hours, new Check(), "businessHours")!), BusinessHoursSpecs.ToJson(parsed!));
    }

    [Fact]
    public void Languages_keep_their_order_new_ones_come_last_and_any_digits_make_a_time()
    {
        var form = WorkspaceSettingsForm.From(Workspace(new BusinessHoursSpec(null, null), "fa", "en"));
        form.Languages.Remove("en");
        form.Languages.Add("ar");
        form.OtherLanguages = "de ، PT-br, fa";
        form.AddInterval(form.Weekly[DayOfWeek.Monday]);
        form.Weekly[DayOfWeek.Monday][0].Start = "۸:۳۰";
        form.Weekly[DayOfWeek.Monday][0].End = "١٧:٠٠";
        form.CopyMondayToWeekdays();
        form.AllDay(DayOfWeek.Friday);

        var request = form.ToRequest();

        Assert.Equal(["fa", "ar", "de", "pt-BR"], request.Languages!);
        Assert.Equal(new HoursInterval("08:30", "17:00"), Assert.Single(request.BusinessHours!.Weekly!.Thursday!));
        Assert.Equal(new HoursInterval("00:00", "24:00"), Assert.Single(request.BusinessHours.Weekly.Friday!));
        Assert.Empty(request.BusinessHours.Weekly.Saturday!);
    }

    [Theory]
    [InlineData("businessHours.weekly.monday[0].end", "bh-monday-0-end")]
    [InlineData("businessHours.weekly.sunday[2].start", "bh-sunday-2-start")]
    [InlineData("businessHours.weekly.friday[1]", "bh-friday-1-start")]
    [InlineData("businessHours.weekly.tuesday", "bh-tuesday-add")]
    [InlineData("businessHours.exceptions[3].date", "bh-x3-date")]
    [InlineData("businessHours.exceptions[0].label", "bh-x0-label")]
    [InlineData("businessHours.exceptions[1].intervals", "bh-x1-closed")]
    [InlineData("businessHours.exceptions[1].intervals[0].end", "bh-x1-0-end")]
    [InlineData("businessHours.exceptions[4]", "bh-x4-date")]
    [InlineData("name", null)]
    public void A_refusal_names_the_input_it_is_about(string field, string? input) => Assert.Equal(input, WorkspaceSettingsForm.InputId(field));

    [Fact]
    public void Every_field_path_the_handler_refuses_has_an_input_on_the_form()
    {
        var form = WorkspaceSettingsForm.From(Workspace(new BusinessHoursSpec(null, null), "en"));
        form.AddInterval(form.Weekly[DayOfWeek.Monday]);
        form.Weekly[DayOfWeek.Monday][0].End = "08:00";
        form.AddInterval(form.Weekly[DayOfWeek.Wednesday]);
        form.Weekly[DayOfWeek.Wednesday][0].Start = "9am";
        form.Exceptions.Add(new ExceptionRow { Date = new DateOnly(2027, 1, 1), Closed = false });
        form.Exceptions.Add(new ExceptionRow { Date = new DateOnly(2027, 1, 1) });

        var check = new Check();
        BusinessHoursSpecs.Parse(form.ToRequest().BusinessHours!, check, "businessHours");
        var fields = ((HttpValidationProblemDetails)check.Problem().ProblemDetails).Errors.Keys.Order().ToList();

        Assert.Equal(["businessHours.exceptions[0].intervals", "businessHours.exceptions[1].date", "businessHours.weekly.monday[0].end",
            "businessHours.weekly.wednesday[0].start"], fields);
        Assert.Equal(["bh-x0-closed", "bh-x1-date", "bh-monday-0-end", "bh-wednesday-0-start"], fields.Select(WorkspaceSettingsForm.InputId));
    }
}
