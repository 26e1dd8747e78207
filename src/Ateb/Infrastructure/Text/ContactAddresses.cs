using System.Net.Mail;
using PhoneNumbers;

namespace Ateb.Infrastructure.Text;

/// <summary>Canonical forms for the identities customers are matched by.</summary>
public static class ContactAddresses
{
    public const int MaxEmailLength = 254;
    private static readonly PhoneNumberUtil Phones = PhoneNumberUtil.GetInstance();

    /// <summary>Lower-cased bare address, or null when it is not one mailbox.</summary>
    public static string? NormalizeEmail(string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }
        var trimmed = value.Trim();
        if (trimmed.Length > MaxEmailLength || trimmed.Any(c => char.IsWhiteSpace(c) || char.IsControl(c)) || trimmed.Count(c => c == '@') != 1)
        {
            return null;
        }
        if (!MailAddress.TryCreate(trimmed, out var parsed) || parsed.Address != trimmed || parsed.DisplayName.Length > 0)
        {
            return null;
        }
        var at = trimmed.LastIndexOf('@');
        var domain = trimmed[(at + 1)..];
        if (at == 0 || domain.Length < 1 || domain.StartsWith('.') || domain.EndsWith('.') || domain.Contains("..", StringComparison.Ordinal))
        {
            return null;
        }
        return trimmed.ToLowerInvariant();
    }

    /// <summary>
    /// The digit strings people type for a stored E.164 number, for search: international (989121234567), national with
    /// its trunk prefix (09121234567) and national significant (9121234567). Empty when it does not parse.
    /// </summary>
    public static IReadOnlyList<string> PhoneDigits(string e164)
    {
        try
        {
            var number = Phones.Parse(e164, "ZZ");
            var national = new string([.. Phones.Format(number, PhoneNumberFormat.NATIONAL).Where(char.IsAsciiDigit)]);
            return [.. new[] { e164.TrimStart('+'), national, Phones.GetNationalSignificantNumber(number) }.Where(d => d.Length > 0).Distinct()];
        }
        catch (NumberParseException)
        {
            return [];
        }
    }

    /// <summary>E.164 (+989121234567), reading Persian and Arabic-Indic digits; null when not a valid number.</summary>
    public static string? NormalizePhone(string? value, string? defaultRegion)
    {
        if (string.IsNullOrWhiteSpace(value) || value.Length > 40)
        {
            return null;
        }
        var folded = Digits.ToAscii(value.Trim());
        if (folded.StartsWith("00", StringComparison.Ordinal))
        {
            folded = "+" + folded[2..];
        }
        try
        {
            var number = Phones.Parse(folded, string.IsNullOrEmpty(defaultRegion) ? "ZZ" : defaultRegion.ToUpperInvariant());
            return Phones.IsValidNumber(number) ? Phones.Format(number, PhoneNumberFormat.E164) : null;
        }
        catch (NumberParseException)
        {
            return null;
        }
    }
}
