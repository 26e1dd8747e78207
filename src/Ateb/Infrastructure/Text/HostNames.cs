using System.Globalization;

namespace Ateb.Infrastructure.Text;

public static class HostNames
{
    private static readonly IdnMapping Idn = new() { UseStd3AsciiRules = true };

    /// <summary>
    /// A DNS host name as stored and compared: trimmed, lower-case, without a final dot, internationalized names in their
    /// ASCII (punycode) form, as browsers send them in the Host header. Null for anything else: a scheme, port, path,
    /// IP address or a single label ("localhost"); empty for empty input (meaning: none).
    /// </summary>
    public static string? Normalize(string? value)
    {
        var text = (value ?? "").Trim().TrimEnd('.');
        if (text.Length == 0)
        {
            return "";
        }
        string ascii;
        try
        {
            ascii = Idn.GetAscii(text).ToLowerInvariant();
        }
        catch (ArgumentException)
        {
            return null;
        }
        var labels = ascii.Split('.');
        var valid = ascii.Length <= 253 && labels.Length >= 2 && Uri.CheckHostName(ascii) == UriHostNameType.Dns
            && labels.All(l => l.Length is > 0 and <= 63 && l[0] != '-' && l[^1] != '-' && l.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '-'))
            && !labels[^1].All(char.IsAsciiDigit);
        return valid ? ascii : null;
    }
}
