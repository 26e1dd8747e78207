namespace Ateb.Infrastructure.Text;

/// <summary>A day as year, month and day of <see cref="Calendar"/> (months and days count from 1).</summary>
public readonly record struct CalendarDate(AgentCalendar Calendar, int Year, int Month, int Day);
