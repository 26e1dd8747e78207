using Ateb.Infrastructure.Text;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Web;

namespace Ateb.Components;

/// <summary>
/// A date typed or picked in the agent's calendar and digits: a text box (any of the three digit sets) and a button
/// opening a month grid with the keyboard of the WAI-ARIA date picker dialog pattern, arrows mirrored right to left.
/// </summary>
public sealed partial class DatePicker
{
    [Parameter] public DateOnly? Value { get; set; }
    [Parameter] public EventCallback<DateOnly?> ValueChanged { get; set; }
    [Parameter, EditorRequired] public AgentClock Clock { get; set; } = default!;
    [Parameter, EditorRequired] public string Label { get; set; } = "";
    [Parameter] public DateOnly? Min { get; set; }
    [Parameter] public DateOnly? Max { get; set; }

    /// <summary>The text box's id (the other parts' ids derive from it); one is made up when not given.</summary>
    [Parameter] public string? Id { get; set; }

    /// <summary>The words; by default those of the clock's language.</summary>
    [Parameter] public DatePickerTexts? Texts { get; set; }

    [Inject] private TimeProvider Time { get; set; } = default!;

    private readonly string _generatedId = "date-" + Guid.NewGuid().ToString("N")[..8];
    private readonly ElementReference[] _days = new ElementReference[31];
    private ElementReference _toggle;
    private DatePickerTexts _texts = DatePickerTexts.English;
    private DateOnly? _current;
    private (string Language, AgentCalendar Calendar) _shownIn;
    private string _text = "";
    private string? _error;
    private bool _open;
    private DateOnly _focused;
    private DateOnly _today;
    private bool _focusDay;
    private bool _focusToggle;

    private string InputId => Id ?? _generatedId;
    private string HintId => InputId + "-hint";
    private string ErrorId => InputId + "-error";
    private string DialogId => InputId + "-dialog";
    private string HeadingId => InputId + "-heading";
    private string DescribedBy => _error is null ? HintId : $"{ErrorId} {HintId}";
    private string ToggleLabel => _current is { } day ? DatePickerTexts.Fill(_texts.ChangeDate, Clock.DateWithWeekday(day)) : _texts.ChooseDate;

    /// <summary>The first and last days one can choose: the bounds given, within what the calendar can show.</summary>
    private DateOnly Lowest => Min is { } min && min > Clock.MinDate ? min : Clock.MinDate;
    private DateOnly Highest => Max is { } max && max < Clock.MaxDate ? max : Clock.MaxDate;

    protected override void OnParametersSet()
    {
        ArgumentNullException.ThrowIfNull(Clock);
        _texts = Texts ?? DatePickerTexts.For(Clock.Language);
        _today = Clock.Today(Time.GetUtcNow());
        // Rewritten when the value changes, or the agent's calendar or digits; not on every render of the parent, which
        // would drop what the agent is typing and its error.
        if (Value != _current || (Clock.Language, Clock.Calendar) != _shownIn)
        {
            _shownIn = (Clock.Language, Clock.Calendar);
            _current = Value;
            _text = Value is { } day ? Clock.NumericDate(day) : "";
            _error = null;
        }
    }

    protected override async Task OnAfterRenderAsync(bool firstRender)
    {
        if (_focusDay && _open)
        {
            _focusDay = false;
            await _days[Clock.ToCalendar(_focused).Day - 1].FocusAsync();
        }
        if (_focusToggle)
        {
            _focusToggle = false;
            await _toggle.FocusAsync();
        }
    }

    private async Task OnTextChangedAsync(ChangeEventArgs e)
    {
        _text = e.Value as string ?? "";
        if (string.IsNullOrWhiteSpace(_text))
        {
            _error = null;
            await SetAsync(null);
            return;
        }
        if (!Clock.TryParseDate(_text, out var day))
        {
            _error = DatePickerTexts.Fill(_texts.Invalid, Clock.NumericDate(_today));
            return;
        }
        _error = OutOfRange(day);
        if (_error is null)
        {
            _text = Clock.NumericDate(day);
            await SetAsync(day);
        }
    }

    private string? OutOfRange(DateOnly day) => (Min, Max) switch
    {
        _ when IsEnabled(day) => null,
        ({ }, { }) => DatePickerTexts.Fill(_texts.OutOfRange, Clock.Date(Lowest), Clock.Date(Highest)),
        (_, _) when day < Lowest => DatePickerTexts.Fill(_texts.TooEarly, Clock.Date(Lowest)),
        _ => DatePickerTexts.Fill(_texts.TooLate, Clock.Date(Highest)),
    };

    private bool IsEnabled(DateOnly day) => day >= Lowest && day <= Highest;

    private void Toggle()
    {
        if (_open)
        {
            Close();
            return;
        }
        _today = Clock.Today(Time.GetUtcNow());
        _focused = Clamp(_current ?? _today);
        _open = true;
        _focusDay = true;
    }

    private void Close()
    {
        _open = false;
        _focusToggle = true;
    }

    private async Task SelectAsync(DateOnly day)
    {
        // A second event for the same choice (Enter's keydown and the button's click) finds the grid closed.
        if (!_open || !IsEnabled(day))
        {
            return;
        }
        _text = Clock.NumericDate(day);
        _error = null;
        Close();
        await SetAsync(day);
    }

    private async Task SetAsync(DateOnly? day)
    {
        _current = day;
        await ValueChanged.InvokeAsync(day);
    }

    private void ShowMonth(int months) => _focused = Clamp(Clock.AddMonths(_focused, months));

    private void OnDialogKeyDown(KeyboardEventArgs e)
    {
        if (e.Key == "Escape")
        {
            Close();
        }
    }

    private async Task OnGridKeyDownAsync(KeyboardEventArgs e)
    {
        // Right to left, the next day is to the left.
        var forward = Clock.IsRightToLeft ? -1 : 1;
        DateOnly? target = e.Key switch
        {
            "ArrowRight" => Shift(forward),
            "ArrowLeft" => Shift(-forward),
            "ArrowDown" => Shift(7),
            "ArrowUp" => Shift(-7),
            "PageUp" => Clock.AddMonths(_focused, e.ShiftKey ? -12 : -1),
            "PageDown" => Clock.AddMonths(_focused, e.ShiftKey ? 12 : 1),
            "Home" => Clock.StartOfWeek(_focused),
            "End" => Clock.EndOfWeek(_focused),
            _ => null,
        };
        if (target is { } day)
        {
            _focused = Clamp(day);
            _focusDay = true;
        }
        else if (e.Key == "Enter")
        {
            await SelectAsync(_focused);
        }
    }

    private DateOnly Shift(int days) => DateOnly.FromDayNumber(Math.Clamp(_focused.DayNumber + days, Lowest.DayNumber, Highest.DayNumber));

    private DateOnly Clamp(DateOnly day) => day < Lowest ? Lowest : day > Highest ? Highest : day;

    private string DayClass(DateOnly day) => "date-picker-day" + (day == _today ? " is-today" : "") + (day == _current ? " is-selected" : "");
}
