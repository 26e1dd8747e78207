using Ateb.Infrastructure.Text;

namespace Ateb.Tests.Infrastructure.Text;

[Trait("Db", "none")]
public sealed class ContactAddressesTests
{
    [Theory]
    [InlineData("Bob@Example.COM", "bob@example.com")]
    [InlineData("  alice@example.org ", "alice@example.org")]
    [InlineData("o'brien+tag@sub.example.ie", "o'brien+tag@sub.example.ie")]
    [InlineData("user@bücher.de", "user@bücher.de")]
    [InlineData("not-an-email", null)]
    [InlineData("two@@example.com", null)]
    [InlineData("a@b@example.com", null)]
    [InlineData("Bob <bob@example.com>", null)]
    [InlineData("bob@example.com\r\nBcc: x@y.z", null)]
    [InlineData("bob @example.com", null)]
    [InlineData("@example.com", null)]
    [InlineData("bob@.example.com", null)]
    [InlineData("bob@example..com", null)]
    [InlineData("", null)]
    public void Emails_are_lower_cased_bare_addresses_or_refused(string input, string? expected) =>
        Assert.Equal(expected, ContactAddresses.NormalizeEmail(input));

    [Theory]
    [InlineData("+98 912 123 4567", null, "+989121234567")]
    [InlineData("+۹۸ ۹۱۲ ۱۲۳ ۴۵۶۷", null, "+989121234567")]
    [InlineData("۰۹۱۲۱۲۳۴۵۶۷", "IR", "+989121234567")]
    [InlineData("+٩٦٦ ٥٠ ١٢٣ ٤٥٦٧", null, "+966501234567")]
    [InlineData("0098 912 123 4567", null, "+989121234567")]
    [InlineData("029 2018 0000", "GB", "+442920180000")]
    [InlineData("(029) 2018-0000", "gb", "+442920180000")]
    [InlineData("029 2018 0000", null, null)]
    [InlineData("+1", null, null)]
    [InlineData("hello", null, null)]
    [InlineData("+44 29 2018 0000 0000 0000 0000 0000 0000 0000", null, null)]
    public void Phones_become_e164_with_persian_and_arabic_digits_folded(string input, string? region, string? expected) =>
        Assert.Equal(expected, ContactAddresses.NormalizePhone(input, region));

    [Theory]
    [InlineData("۱۲۳۴۵۶۷۸۹۰", "1234567890")]
    [InlineData("٠١٢٣٤٥٦٧٨٩", "0123456789")]
    [InlineData("abc ۱ ١ 1", "abc 1 1 1")]
    public void Digits_fold_to_ascii(string input, string expected) => Assert.Equal(expected, Digits.ToAscii(input));

    [Theory]
    [InlineData("../../etc/passwd", "passwd")]
    [InlineData("C:\\Users\\x\\report.pdf", "report.pdf")]
    [InlineData("invoice\u202Efdp.exe", "invoicefdp.exe")]
    [InlineData("nul\0byte.txt", "nulbyte.txt")]
    [InlineData("...", "attachment")]
    [InlineData("", "attachment")]
    [InlineData("گزارش‌مالی.pdf", "گزارش‌مالی.pdf")]
    public void File_names_lose_paths_and_disguises(string input, string expected) => Assert.Equal(expected, FileNames.Sanitize(input));

    [Fact]
    public void Very_long_file_names_keep_their_extension() =>
        Assert.EndsWith(".pdf", FileNames.Sanitize(new string('x', 300) + ".pdf"), StringComparison.Ordinal);
}
