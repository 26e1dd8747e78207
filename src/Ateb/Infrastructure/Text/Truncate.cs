using System.Globalization;

namespace Ateb.Infrastructure.Text;

public static class Truncate
{
    /// <summary>
    /// At most <paramref name="max"/> UTF-16 units, cut only between whole text elements (never through a surrogate
    /// pair, an emoji sequence or a letter and its marks), with an ellipsis when something was cut.
    /// </summary>
    public static string ToLength(string value, int max, string ellipsis = "…")
    {
        if (value.Length <= max)
        {
            return value;
        }
        var budget = max - ellipsis.Length;
        var end = 0;
        while (end < value.Length)
        {
            var next = StringInfo.GetNextTextElementLength(value, end);
            if (end + next > budget)
            {
                break;
            }
            end += next;
        }
        return value[..end] + ellipsis;
    }
}
