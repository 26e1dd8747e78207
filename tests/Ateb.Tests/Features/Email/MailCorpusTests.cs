using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Ateb.Features.Email;
using Ateb.Infrastructure.Text;
using MimeKit;

namespace Ateb.Tests.Features.Email;

/// <summary>
/// Runs MailReader over the public mail corpora in <c>../shared/corpora</c> (see its README; <c>ATEB_CORPORA</c> overrides the
/// place) and compares what it reads with the expected results some of them ship. Each difference is keyed
/// <c>set/file: field</c>; the ones we have looked at and judged are listed, with the reason, in corpus-known-mismatches.txt
/// next to this file. A difference that is not listed fails, and so does a listed one that no longer happens, so the list
/// stays true. The corpora are read in place, never copied into the repository; without them every test here is skipped,
/// saying so.
/// </summary>
[Trait("Db", "none")]
public sealed partial class MailCorpusTests(ITestOutputHelper output)
{
    private const string KnownMismatchesFile = "corpus-known-mismatches.txt";

    /// <summary>How many letters and digits of one body must be found in the other (see <see cref="SameBody"/>).</summary>
    private const int BodySample = 40;

    private static readonly string[] ZammadBounces =
        ["mail018", "mail033-undelivered-mail-returned-to-sender", "mail052", "mail053", "mail055", "mail063", "mail078", "mail092"];

    // The fields each test checks, as they appear in corpus-known-mismatches.txt; "read" (an exception) belongs to every test.
    private static readonly string[] ZammadFields = ["subject", "from", "body", "attachments"];
    private static readonly string[] StalwartFields = ["subject", "from", "text", "html", "attachments"];
    private static readonly string[] TnefFields = ["body", "rtf", "attachments"];
    private static readonly string[] BounceFields = ["bounce", "bounce-recipients", "bounce-failed", "no-bounce", "auto-submitted"];

    private sealed record Mismatch(string Key, string Detail);

    private sealed record KnownMismatch(string Key, string Reason);

    // ---------------------------------------------------------------- 1. everything reads

    [Fact]
    public void Every_corpus_mail_is_read_without_an_exception()
    {
        var corpora = Corpora();
        const SearchOption top = SearchOption.TopDirectoryOnly;
        const SearchOption all = SearchOption.AllDirectories;
        (string Folder, string Pattern, SearchOption Depth, bool OnlyMail)[] sets =
        [
            ("zammad-mail", "*.box", top, false),
            ("stalwart-mail-parser/eml", "*.eml", all, false),
            ("chatwoot-eml", "*.eml", top, false),
            ("mimekit-testdata/messages", "*", top, false),
            ("mimekit-testdata/partial", "*", top, false),
            ("mimekit-testdata/dkim", "*", top, false),
            ("mimekit-testdata/smime", "*", top, false),
            ("mimekit-testdata/openpgp", "*", top, false),
            ("mimekit-testdata/yenc", "*", top, false),
            ("mimekit-testdata/tnef", "*.eml", top, false),
            ("extra-charset-broken-mail", "*", all, false),
            // Signature-detection samples: mail bodies without headers, so none is a mail (the test says so).
            ("zammad-mail-extras/email_signature_detection", "*", top, true),
        ];
        var mismatches = new List<Mismatch>();
        var covered = new List<string>();
        foreach (var (folder, pattern, depth, onlyMail) in sets)
        {
            var name = folder + (pattern == "*" ? "" : "/" + pattern);
            var files = Files(corpora, folder, pattern, depth);
            Assert.NotEmpty(files);
            var mails = onlyMail ? files.Where(f => LooksLikeMail(File.ReadAllBytes(f))).ToList() : files;
            foreach (var file in mails)
            {
                TryRead(corpora, file, File.ReadAllBytes(file), mismatches);
            }
            covered.AddRange(mails);
            var skipped = files.Count - mails.Count;
            output.WriteLine($"{name}: {mails.Count} files ingested" + (skipped > 0 ? $" ({skipped} not mail, only bodies: left out)" : ""));
        }
        Verify("all corpora, read", corpora, covered, mismatches, []);
    }

    /// <summary>A mail starts with a header field (or an mbox "From " line); the signature samples are bare bodies.</summary>
    private static bool LooksLikeMail(byte[] raw)
    {
        var head = Encoding.Latin1.GetString(raw, 0, Math.Min(raw.Length, 200));
        return HeaderStart().IsMatch(head);
    }

    [GeneratedRegex(@"^(From |[!-9;-~]+:)")]
    private static partial Regex HeaderStart();

    // ---------------------------------------------------------------- 2a. zammad expectations

    [Fact]
    public void Zammad_mails_read_as_zammad_expects()
    {
        var corpora = Corpora();
        var boxes = Files(corpora, "zammad-mail", "*.box", SearchOption.TopDirectoryOnly);
        var mismatches = new List<Mismatch>();
        foreach (var box in boxes)
        {
            var expected = ZammadExpectation.Load(Path.ChangeExtension(box, ".yml"));
            if (TryRead(corpora, box, File.ReadAllBytes(box), mismatches) is not { } mail)
            {
                continue;
            }
            void Differ(string field, string detail) => mismatches.Add(new Mismatch(Key(corpora, box, field), detail));

            // Subject: exactly as decoded, surrounding whitespace included (MimeKit trims it, zammad does not: those are listed).
            if (!string.Equals(mail.Subject ?? "", expected.Subject, StringComparison.Ordinal))
            {
                Differ("subject", $"ours {Show(mail.Subject)}, zammad {Show(expected.Subject)}");
            }

            // From: zammad keeps the raw header text in `from` (empty when there is none) and the address it settled on, perhaps
            // from Reply-To, in `from_email`; our address must be in the one or be the other.
            if (mail.FromAddress is null
                ? expected.From.Length + expected.FromEmail.Length > 0
                : !expected.From.Contains(mail.FromAddress, StringComparison.OrdinalIgnoreCase)
                    && !expected.FromEmail.Equals(mail.FromAddress, StringComparison.OrdinalIgnoreCase))
            {
                Differ("from", $"ours {Show(mail.FromAddress)}, zammad {Show(expected.From)} / {Show(expected.FromEmail)}");
            }

            // Body: zammad keeps either sanitized HTML or text, and says "no visible content" for an empty one.
            if (expected.Body == "no visible content")
            {
                if (Significant(mail.Text).Length + Significant(HtmlText(mail.Html)).Length > 0)
                {
                    Differ("body", $"zammad found no visible content, ours {Show(Significant(mail.Text ?? HtmlText(mail.Html)))}");
                }
            }
            else
            {
                var theirs = expected.ContentType == "text/html" ? HtmlText(expected.Body) : expected.Body;
                if (!SameBody(theirs, mail))
                {
                    Differ("body", $"ours {Show(Significant(mail.Text))} / html {Show(Significant(HtmlText(mail.Html)))}, zammad {Show(Significant(theirs))}");
                }
            }

            // Attachments: every file zammad kept, by name (zammad's "message.html", its copy of the original HTML body, is not one).
            var missing = Missing(expected.Attachments, mail.Attachments.Select(a => a.FileName));
            if (missing.Count > 0)
            {
                Differ("attachments", $"missing {string.Join(", ", missing.Select(Show))}; ours {string.Join(", ", mail.Attachments.Select(a => Show(a.FileName)))}");
            }
        }
        Verify("zammad-mail", corpora, boxes, mismatches, ZammadFields);
    }

    /// <summary>The fields of a zammad test/data/mail/*.yml we compare: from, from_email, subject, body, content_type, attachment names.</summary>
    private sealed partial record ZammadExpectation(string From, string FromEmail, string Subject, string Body, string ContentType, IReadOnlyList<string> Attachments)
    {
        /// <summary>
        /// Reads the few fields line by line rather than with a YAML library: top-level keys start in column 0 and their value
        /// runs until the next line that does; attachments are "- " items in column 0 whose keys are indented by two.
        /// </summary>
        public static ZammadExpectation Load(string path)
        {
            var lines = File.ReadAllText(path, Encoding.UTF8).Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n');
            var top = new Dictionary<string, string>(StringComparer.Ordinal);
            var attachments = new List<string>();
            for (var i = 0; i < lines.Length; i++)
            {
                var key = TopKey().Match(lines[i]);
                if (!key.Success)
                {
                    continue;
                }
                var end = NextLine(lines, i + 1, 0);
                if (key.Groups[1].Value == "attachments")
                {
                    // Its "- " items start in column 0 too; it runs to the next top-level key.
                    end = i + 1;
                    while (end < lines.Length && !TopKey().IsMatch(lines[end]))
                    {
                        end++;
                    }
                    attachments.AddRange(AttachmentNames(lines, i + 1, end));
                }
                else
                {
                    top[key.Groups[1].Value] = MiniYaml.Scalar(key.Groups[2].Value, lines[(i + 1)..end], 0);
                }
                i = end - 1;
            }
            return new ZammadExpectation(top.GetValueOrDefault("from", ""), top.GetValueOrDefault("from_email", ""), top.GetValueOrDefault("subject", ""),
                top.GetValueOrDefault("body", ""), top.GetValueOrDefault("content_type", ""), attachments);
        }

        /// <summary>Names of the "- " items between start and end, except zammad's own copy of the HTML body.</summary>
        private static IEnumerable<string> AttachmentNames(string[] lines, int start, int end)
        {
            for (var i = start; i < end; i++)
            {
                if (!lines[i].StartsWith("- ", StringComparison.Ordinal))
                {
                    continue;
                }
                var itemEnd = i + 1;
                while (itemEnd < end && !lines[itemEnd].StartsWith("- ", StringComparison.Ordinal))
                {
                    itemEnd++;
                }
                string? name = null;
                var originalFormat = false;
                for (var j = i + 1; j < itemEnd; j++)
                {
                    var key = ItemKey().Match(lines[j]);
                    if (!key.Success)
                    {
                        continue;
                    }
                    var valueEnd = NextLine(lines, j + 1, 2);
                    valueEnd = Math.Min(valueEnd, itemEnd);
                    if (key.Groups[1].Value == "filename")
                    {
                        name = MiniYaml.Scalar(key.Groups[2].Value, lines[(j + 1)..valueEnd], 2);
                    }
                    else if (key.Groups[1].Value == "preferences")
                    {
                        originalFormat = lines[(j + 1)..valueEnd].Any(l => l.Trim() is "original-format: true" or "content-alternative: true");
                    }
                    j = valueEnd - 1;
                }
                if (name is not null && !originalFormat)
                {
                    yield return name;
                }
                i = itemEnd - 1;
            }
        }

        /// <summary>The first line from start on that is not blank and is indented by at most <paramref name="indent"/>.</summary>
        private static int NextLine(string[] lines, int start, int indent)
        {
            var i = start;
            while (i < lines.Length && (lines[i].Trim().Length == 0 || Indent(lines[i]) > indent))
            {
                i++;
            }
            return i;
        }

        [GeneratedRegex(@"^([a-z_]+):(?: (.*))?$")]
        private static partial Regex TopKey();

        [GeneratedRegex(@"^  ([A-Za-z_-]+):(?: (.*))?$")]
        private static partial Regex ItemKey();
    }

    /// <summary>Just enough YAML to read one scalar value (plain, quoted or a literal block) as Ruby's Psych writes them.</summary>
    private static class MiniYaml
    {
        /// <param name="first">What follows "key: " on its line.</param>
        /// <param name="rest">The value's further lines, as they are.</param>
        /// <param name="indent">The key's indentation.</param>
        public static string Scalar(string first, string[] rest, int indent)
        {
            first = first.TrimEnd();
            if (first.StartsWith('|'))
            {
                return Literal(first, rest, indent);
            }
            if (first.StartsWith('"'))
            {
                return DoubleQuoted(Join(first, rest)[1..]);
            }
            if (first.StartsWith('\''))
            {
                var raw = Join(first, rest);
                return Fold(raw[1..raw.LastIndexOf('\'')]).Replace("''", "'", StringComparison.Ordinal);
            }
            return Fold(Join(first, rest)).Trim();
        }

        private static string Join(string first, string[] rest) => string.Join('\n', [first, .. rest]).TrimEnd();

        /// <summary>A line break and the indentation around it become one space; n blank lines become n line breaks.</summary>
        private static string Fold(string text)
        {
            var lines = text.Split('\n');
            var result = new StringBuilder();
            var blanks = 0;
            for (var i = 0; i < lines.Length; i++)
            {
                var line = lines[i];
                if (i > 0)
                {
                    line = line.TrimStart(' ', '\t');
                }
                if (i < lines.Length - 1)
                {
                    line = line.TrimEnd(' ', '\t');
                }
                if (i > 0)
                {
                    if (line.Length == 0 && i < lines.Length - 1)
                    {
                        blanks++;
                        continue;
                    }
                    result.Append(blanks > 0 ? new string('\n', blanks) : " ");
                    blanks = 0;
                }
                result.Append(line);
            }
            return result.ToString();
        }

        /// <summary>The text after the opening quote, up to the closing one; folds like a plain scalar, then unescapes.</summary>
        private static string DoubleQuoted(string text)
        {
            var result = new StringBuilder();
            for (var i = 0; i < text.Length; i++)
            {
                var c = text[i];
                if (c == '"')
                {
                    break;
                }
                if (c == '\n')
                {
                    // Trailing blanks before a break are not content; leading blanks of the next line neither.
                    while (result.Length > 0 && result[^1] is ' ' or '\t')
                    {
                        result.Length--;
                    }
                    var blanks = 0;
                    while (i + 1 < text.Length && text[i + 1] is ' ' or '\t' or '\n')
                    {
                        if (text[++i] == '\n')
                        {
                            blanks++;
                        }
                    }
                    result.Append(blanks > 0 ? new string('\n', blanks) : " ");
                    continue;
                }
                if (c != '\\' || i + 1 >= text.Length)
                {
                    result.Append(c);
                    continue;
                }
                var e = text[++i];
                switch (e)
                {
                    case '\n':
                        // An escaped line break: nothing, and the next line's indentation is not content.
                        while (i + 1 < text.Length && text[i + 1] is ' ' or '\t')
                        {
                            i++;
                        }
                        break;
                    case 'x':
                    case 'u':
                    case 'U':
                        var digits = e == 'x' ? 2 : e == 'u' ? 4 : 8;
                        result.Append(char.ConvertFromUtf32(int.Parse(text.AsSpan(i + 1, digits), NumberStyles.HexNumber, CultureInfo.InvariantCulture)));
                        i += digits;
                        break;
                    default:
                        result.Append(e switch
                        {
                            '0' => "\0",
                            'a' => "\a",
                            'b' => "\b",
                            't' or '\t' => "\t",
                            'n' => "\n",
                            'v' => "\v",
                            'f' => "\f",
                            'r' => "\r",
                            'e' => "\u001b",
                            'N' => "\u0085",
                            '_' => "\u00a0",
                            'L' => "\u2028",
                            'P' => "\u2029",
                            _ => e.ToString(),
                        });
                        break;
                }
            }
            return result.ToString();
        }

        /// <summary>A "|" block: lines kept as they are, less their indentation; "-" drops the final breaks, "+" keeps them all.</summary>
        private static string Literal(string header, string[] rest, int indent)
        {
            var digit = header.FirstOrDefault(char.IsAsciiDigit);
            var contentIndent = digit != default
                ? indent + (digit - '0')
                : rest.Where(l => l.Trim().Length > 0).Select(Indent).DefaultIfEmpty(indent + 1).First();
            var body = string.Join('\n', rest.Select(l => l.Length > contentIndent ? l[contentIndent..] : l.Trim().Length == 0 ? "" : l.TrimStart()));
            if (header.Contains('+', StringComparison.Ordinal))
            {
                return rest.Length > 0 ? body + "\n" : body;
            }
            var trimmed = body.TrimEnd('\n');
            return header.Contains('-', StringComparison.Ordinal) || trimmed.Length == 0 ? trimmed : trimmed + "\n";
        }
    }

    // ---------------------------------------------------------------- 2b. stalwart expectations

    [Fact]
    public void Stalwart_mails_read_as_stalwart_expects()
    {
        var corpora = Corpora();
        var emls = Files(corpora, "stalwart-mail-parser/eml", "*.eml", SearchOption.AllDirectories);
        var mismatches = new List<Mismatch>();
        foreach (var eml in emls)
        {
            using var json = JsonDocument.Parse(File.ReadAllBytes(Path.ChangeExtension(eml, ".json")));
            var root = json.RootElement;
            var parts = root.GetProperty("parts").EnumerateArray().ToList();
            if (TryRead(corpora, eml, File.ReadAllBytes(eml), mismatches) is not { } mail)
            {
                continue;
            }
            void Differ(string field, string detail) => mismatches.Add(new Mismatch(Key(corpora, eml, field), detail));

            var subject = Header(parts[0], "subject") is { ValueKind: JsonValueKind.Object } s && s.TryGetProperty("Text", out var text) ? text.GetString() : null;
            if (!string.Equals(mail.Subject ?? "", subject ?? "", StringComparison.Ordinal))
            {
                Differ("subject", $"ours {Show(mail.Subject)}, stalwart {Show(subject)}");
            }

            // From: only when stalwart found an address (we fall back to Sender, Reply-To and Return-Path; it does not).
            if (FirstAddress(Header(parts[0], "from")) is { } from && !string.Equals(mail.FromAddress, from, StringComparison.OrdinalIgnoreCase))
            {
                Differ("from", $"ours {Show(mail.FromAddress)}, stalwart {Show(from)}");
            }

            // Bodies: stalwart lists every part it would display, as JMAP does (all alternatives, all inline texts; text_body
            // falls back to the HTML part and the reverse). We show one alternative and attach the rest, so ours must be one
            // of the parts of that kind it lists.
            var texts = Bodies(root, parts, "text_body", "Text");
            if (texts.Count > 0 && !texts.Any(t => SameBody(t, mail)))
            {
                Differ("text", $"ours {Show(Significant(mail.Text))}, stalwart {string.Join(" | ", texts.Select(t => Show(Significant(t))))}");
            }
            var htmls = Bodies(root, parts, "html_body", "Html");
            if (htmls.Count > 0 && !htmls.Any(h => SameBody(HtmlText(h), mail)))
            {
                Differ("html", $"ours {Show(Significant(HtmlText(mail.Html)))}, stalwart {string.Join(" | ", htmls.Select(h => Show(Significant(HtmlText(h)))))}");
            }

            // Attachments: each named one by name, and at least as many as stalwart keeps apart from the body. Not counted:
            // empty parts (nothing to keep), and texts that we show as the body instead (JMAP files a text after the first
            // part of a multipart/mixed under attachments). Attached messages are not compared by name: we name them after
            // their subject, as zammad does, whatever name the sender's Content-Type gave them.
            var bodyParts = Indexes(root, "text_body").Concat(Indexes(root, "html_body")).ToHashSet();
            var attachmentIndexes = Indexes(root, "attachments").ToList();
            var names = attachmentIndexes.Where(i => !IsMessage(parts[i])).Select(i => PartName(parts[i])).OfType<string>().ToList();
            var missing = Missing(names, mail.Attachments.Select(a => a.FileName));
            var separate = attachmentIndexes.Count(i => !bodyParts.Contains(i) && !IsEmpty(parts[i])
                && !(TextOf(parts[i]) is { } t && (SameBody(t, mail) || SameBody(HtmlText(t), mail))));
            if (missing.Count > 0 || mail.Attachments.Count < separate)
            {
                Differ("attachments", $"stalwart {separate} apart from the body ({string.Join(", ", names.Select(Show))}), "
                    + $"ours {mail.Attachments.Count} ({string.Join(", ", mail.Attachments.Select(a => Show(a.FileName)))})"
                    + (missing.Count > 0 ? $"; missing {string.Join(", ", missing.Select(Show))}" : ""));
            }
        }
        Verify("stalwart", corpora, emls, mismatches, StalwartFields);
    }

    private static JsonElement? Header(JsonElement part, string name)
    {
        foreach (var header in part.GetProperty("headers").EnumerateArray())
        {
            if (header.GetProperty("name") is { ValueKind: JsonValueKind.String } n && n.GetString() == name)
            {
                return header.GetProperty("value");
            }
        }
        return null;
    }

    private static string? FirstAddress(JsonElement? value)
    {
        if (value is not { ValueKind: JsonValueKind.Object } v || !v.TryGetProperty("Address", out var address))
        {
            return null;
        }
        IEnumerable<JsonElement> mailboxes = address.TryGetProperty("List", out var list)
            ? list.EnumerateArray()
            : address.TryGetProperty("Group", out var groups)
                ? groups.EnumerateArray().SelectMany(g => g.TryGetProperty("addresses", out var a) ? a.EnumerateArray() : [])
                : [];
        return mailboxes.Select(m => m.TryGetProperty("address", out var a) ? a.GetString() : null).FirstOrDefault(a => a is not null);
    }

    private static IEnumerable<int> Indexes(JsonElement root, string list) => root.GetProperty(list).EnumerateArray().Select(e => e.GetInt32());

    /// <summary>The texts of the parts in the list that really are of the kind (Text or Html).</summary>
    private static List<string> Bodies(JsonElement root, List<JsonElement> parts, string list, string kind) =>
        [.. Indexes(root, list).Select(i => parts[i].GetProperty("body"))
            .Where(b => b.ValueKind == JsonValueKind.Object && b.TryGetProperty(kind, out _))
            .Select(b => b.GetProperty(kind).GetString() ?? "")];

    private static string? TextOf(JsonElement part) =>
        part.GetProperty("body") is { ValueKind: JsonValueKind.Object } body
            ? body.TryGetProperty("Text", out var text) ? text.GetString() : body.TryGetProperty("Html", out var html) ? html.GetString() : null
            : null;

    private static bool IsMessage(JsonElement part) =>
        part.GetProperty("body") is { ValueKind: JsonValueKind.Object } body && body.TryGetProperty("Message", out _);

    private static bool IsEmpty(JsonElement part)
    {
        if (part.GetProperty("body") is not { ValueKind: JsonValueKind.Object } body)
        {
            return true;
        }
        foreach (var kind in new[] { "Text", "Html" })
        {
            if (body.TryGetProperty(kind, out var text))
            {
                return string.IsNullOrWhiteSpace(text.GetString());
            }
        }
        foreach (var kind in new[] { "Binary", "InlineBinary" })
        {
            if (body.TryGetProperty(kind, out var bytes))
            {
                return bytes.GetArrayLength() == 0;
            }
        }
        return false;
    }

    /// <summary>filename from Content-Disposition, else name from Content-Type, as stalwart decoded them.</summary>
    private static string? PartName(JsonElement part)
    {
        foreach (var (header, attribute) in new[] { ("content_disposition", "filename"), ("content_type", "name") })
        {
            if (Header(part, header) is { ValueKind: JsonValueKind.Object } value && value.TryGetProperty("ContentType", out var type)
                && type.GetProperty("attributes") is { ValueKind: JsonValueKind.Array } attributes)
            {
                foreach (var a in attributes.EnumerateArray())
                {
                    if (string.Equals(a.GetProperty("name").GetString(), attribute, StringComparison.OrdinalIgnoreCase))
                    {
                        return a.GetProperty("value").GetString();
                    }
                }
            }
        }
        return null;
    }

    // ---------------------------------------------------------------- 4. TNEF

    [Fact]
    public void Tnef_attachments_come_out_of_winmail_dat()
    {
        var corpora = Corpora();
        var files = Files(corpora, "mimekit-testdata/tnef", "*.tnef", SearchOption.TopDirectoryOnly);
        var mismatches = new List<Mismatch>();
        foreach (var file in files)
        {
            // The .list is what MimeKit's own test extracts; it names the message body "body.rtf" / "body.html".
            var expected = File.ReadAllLines(Path.ChangeExtension(file, ".list")).Select(l => l.Trim()).Where(l => l.Length > 0).ToList();
            if (TryRead(corpora, file, WinmailDat(File.ReadAllBytes(file), Path.GetFileName(file)), mismatches) is not { } mail)
            {
                continue;
            }
            var names = mail.Attachments.Select(a => a.FileName).ToList();
            if (expected.Remove("body.html") && mail.Html is null && !names.Remove("body.html"))
            {
                mismatches.Add(new Mismatch(Key(corpora, file, "body"), "the HTML body in the TNEF was neither the body nor an attachment"));
            }
            // MimeKit hands over the RTF body unnamed (its test names it); any RTF attachment stands for it.
            if (expected.Remove("body.rtf"))
            {
                var rtf = mail.Attachments.FirstOrDefault(a => a.ContentType is "text/rtf" or "application/rtf");
                if (rtf is null || !names.Remove(rtf.FileName))
                {
                    mismatches.Add(new Mismatch(Key(corpora, file, "rtf"), "the RTF body in the TNEF is not among the attachments"));
                }
            }
            var missing = Missing(expected, names);
            if (missing.Count > 0)
            {
                mismatches.Add(new Mismatch(Key(corpora, file, "attachments"),
                    $"missing {string.Join(", ", missing.Select(Show))}; ours {string.Join(", ", names.Select(Show))}"));
            }
        }
        Verify("tnef", corpora, files, mismatches, TnefFields);
    }

    /// <summary>A plain mail from Outlook: a short text body and the TNEF stream attached as winmail.dat.</summary>
    private static byte[] WinmailDat(byte[] tnef, string name)
    {
        var message = new MimeMessage();
        message.From.Add(new MailboxAddress("Outlook User", "outlook@example.com"));
        message.To.Add(new MailboxAddress("Support", "support@example.com"));
        message.Subject = "TNEF " + name;
        message.MessageId = "tnef-" + name + "@example.com";
        message.Body = new Multipart("mixed")
        {
            new TextPart("plain") { Text = "See the attachment." },
            new MimePart("application", "ms-tnef")
            {
                Content = new MimeContent(new MemoryStream(tnef)),
                ContentTransferEncoding = ContentEncoding.Base64,
                FileName = "winmail.dat",
            },
        };
        using var buffer = new MemoryStream();
        message.WriteTo(buffer);
        return buffer.ToArray();
    }

    // ---------------------------------------------------------------- 5. bounces and auto-replies

    [Fact]
    public void Bounces_and_auto_replies_are_recognised()
    {
        var corpora = Corpora();
        var bounces = new List<string>();
        var ordinary = new List<string>();
        var autoReplies = new List<string>();
        foreach (var file in Files(corpora, "chatwoot-eml", "*.eml", SearchOption.TopDirectoryOnly))
        {
            var name = Path.GetFileName(file);
            (name.StartsWith("bounced_", StringComparison.Ordinal) ? bounces : ordinary).Add(file);
            if (name.StartsWith("auto_reply", StringComparison.Ordinal))
            {
                autoReplies.Add(file);
            }
        }
        foreach (var file in Files(corpora, "mimekit-testdata/messages", "*", SearchOption.TopDirectoryOnly))
        {
            var name = Path.GetFileName(file);
            if (name.Contains("delivery-status", StringComparison.Ordinal) || name.StartsWith("bounce", StringComparison.Ordinal))
            {
                bounces.Add(file);
            }
            else if (name.Contains("disposition-notification", StringComparison.Ordinal) || name.StartsWith("feedback-report", StringComparison.Ordinal))
            {
                // Reports, but not about delivery: a read receipt and an abuse report are no bounce.
                ordinary.Add(file);
            }
        }
        foreach (var file in Files(corpora, "zammad-mail", "*.box", SearchOption.TopDirectoryOnly))
        {
            (ZammadBounces.Contains(Path.GetFileNameWithoutExtension(file)) ? bounces : ordinary).Add(file);
        }
        bounces.Add(Path.Combine(corpora, "extra-charset-broken-mail", "php-mime-mail-parser", "failure.eml"));

        var mismatches = new List<Mismatch>();
        foreach (var file in bounces)
        {
            if (TryRead(corpora, file, File.ReadAllBytes(file), mismatches) is not { } mail)
            {
                continue;
            }
            if (mail.Bounce is null)
            {
                mismatches.Add(new Mismatch(Key(corpora, file, "bounce"), $"not recognised as a bounce (from {Show(mail.FromAddress)}, subject {Show(mail.Subject)})"));
                continue;
            }
            output.WriteLine($"  bounce {Relative(corpora, file)}: failed={mail.Bounce.Failed}, original={string.Join(" ", mail.Bounce.OriginalMessageIds)}, "
                + $"recipients={string.Join(" ", mail.Bounce.Recipients.Select(r => $"{r.Address} {r.Action} {r.Status}"))}");
            // Every recipient the report names has an address (a blank status group is no recipient).
            if (mail.Bounce.Recipients.Any(r => string.IsNullOrWhiteSpace(r.Address)))
            {
                mismatches.Add(new Mismatch(Key(corpora, file, "bounce-recipients"),
                    $"a recipient without address: {string.Join("; ", mail.Bounce.Recipients.Select(r => $"'{r.Address}' {r.Action} {r.Status}"))}"));
            }
            // A delay notice says the mail is still on its way: that is no failure.
            var delayed = mail.Bounce.Recipients.Count > 0 && mail.Bounce.Recipients.All(r => r.Action.Equals("delayed", StringComparison.OrdinalIgnoreCase));
            if (delayed == mail.Bounce.Failed)
            {
                mismatches.Add(new Mismatch(Key(corpora, file, "bounce-failed"), $"Failed={mail.Bounce.Failed} for actions {string.Join(" ", mail.Bounce.Recipients.Select(r => r.Action))}"));
            }
        }
        foreach (var file in ordinary)
        {
            if (TryRead(corpora, file, File.ReadAllBytes(file), mismatches)?.Bounce is { } bounce)
            {
                mismatches.Add(new Mismatch(Key(corpora, file, "no-bounce"), $"taken for a bounce: {bounce.Reason}"));
            }
        }
        foreach (var file in autoReplies)
        {
            if (TryRead(corpora, file, File.ReadAllBytes(file), mismatches) is { AutoSubmittedReason: null })
            {
                mismatches.Add(new Mismatch(Key(corpora, file, "auto-submitted"), "not recognised as automatic"));
            }
        }
        output.WriteLine($"bounces expected: {bounces.Count}; ordinary mail expected no bounce: {ordinary.Count}; auto-replies: {autoReplies.Count}");
        Verify("bounces and auto-replies", corpora, [.. bounces, .. ordinary], mismatches, BounceFields);
    }

    // ---------------------------------------------------------------- 3. the list of known mismatches

    [Fact]
    public void Known_mismatches_are_well_formed()
    {
        var known = KnownMismatches();
        var duplicates = known.GroupBy(k => k.Key).Where(g => g.Count() > 1).Select(g => g.Key).ToList();
        Assert.True(duplicates.Count == 0, "Listed twice: " + string.Join(", ", duplicates));
        string[] fields = ["read", .. ZammadFields, .. StalwartFields, .. TnefFields, .. BounceFields];
        var unowned = known.Where(k => !fields.Contains(Field(k.Key))).Select(k => k.Key).ToList();
        Assert.True(unowned.Count == 0, "No test checks: " + string.Join(", ", unowned));
        Assert.All(known, k => Assert.False(string.IsNullOrWhiteSpace(k.Reason), k.Key + " has no reason"));
    }

    private static List<KnownMismatch> KnownMismatches()
    {
        var root = RepoRoot();
        if (root is null)
        {
            Assert.Skip($"The source tree (Ateb.slnx) is not above {AppContext.BaseDirectory}, so {KnownMismatchesFile} cannot be read.");
        }
        var path = Path.Combine(root, "tests", "Ateb.Tests", "Features", "Email", KnownMismatchesFile);
        var known = new List<KnownMismatch>();
        foreach (var raw in File.ReadAllLines(path, Encoding.UTF8))
        {
            var line = raw.Trim();
            if (line.Length == 0 || line.StartsWith('#'))
            {
                continue;
            }
            var dash = line.IndexOf(" — ", StringComparison.Ordinal);
            Assert.True(dash > 0, $"{KnownMismatchesFile}: not \"set/file: field — reason\": {line}");
            known.Add(new KnownMismatch(line[..dash].Trim(), line[(dash + 3)..].Trim()));
        }
        return known;
    }

    /// <summary>MailReader.Read, with an exception noted as the file's "read" difference instead of ending the test.</summary>
    private static ParsedMail? TryRead(string corpora, string file, byte[] raw, List<Mismatch> mismatches)
    {
        try
        {
            return MailReader.Read(raw);
        }
        catch (Exception e)
        {
            mismatches.Add(new Mismatch(Key(corpora, file, "read"), $"{e.GetType().Name}: {e.Message}"));
            return null;
        }
    }

    /// <summary>
    /// Reports "label: X of N match" and every difference, then fails on a difference that is not listed and on a listed one
    /// that no longer happens. A test answers for the listed lines about the files it covered and the fields it checks
    /// (and "read", since a file that cannot be read is checked for nothing else).
    /// </summary>
    private void Verify(string label, string corpora, IReadOnlyCollection<string> files, List<Mismatch> found, string[] fields)
    {
        var covered = files.Select(f => Relative(corpora, f)).ToHashSet(StringComparer.Ordinal);
        var known = KnownMismatches()
            .Where(k => covered.Contains(FileOf(k.Key)) && (Field(k.Key) == "read" || fields.Contains(Field(k.Key))))
            .ToDictionary(k => k.Key, k => k.Reason, StringComparer.Ordinal);
        var differing = found.Select(m => FileOf(m.Key)).Distinct(StringComparer.Ordinal).Count();
        var listed = found.Count(m => known.ContainsKey(m.Key));
        output.WriteLine($"{label}: {covered.Count - differing} of {covered.Count} match ({found.Count} differences, {listed} of them listed as known)");
        foreach (var m in found.OrderBy(m => m.Key, StringComparer.Ordinal))
        {
            output.WriteLine(known.TryGetValue(m.Key, out var reason) ? $"  known {m.Key} — {reason}" : $"  NEW   {m.Key}: {m.Detail}");
        }
        var unexpected = found.Where(m => !known.ContainsKey(m.Key)).Select(m => $"{m.Key}: {m.Detail}").ToList();
        var stale = known.Keys.Except(found.Select(m => m.Key), StringComparer.Ordinal).ToList();
        foreach (var key in stale)
        {
            output.WriteLine($"  FIXED {key} (listed, but it matches now: take it off {KnownMismatchesFile})");
        }
        if (unexpected.Count > 0 || stale.Count > 0)
        {
            Assert.Fail($"{label}: {unexpected.Count} difference(s) not in {KnownMismatchesFile}, {stale.Count} listed one(s) that no longer happen."
                + string.Concat(unexpected.Select(u => "\n  new: " + u)) + string.Concat(stale.Select(s => "\n  fixed: " + s)));
        }
    }

    // ---------------------------------------------------------------- comparisons

    /// <summary>
    /// A fair body comparison across parsers that render bodies differently (zammad sanitizes HTML and turns text into HTML,
    /// stalwart concatenates parts, everyone places line breaks and spaces their own way): both sides are reduced to their
    /// letters and digits, lower-cased, and the first <see cref="BodySample"/> of one must occur in the other, in our text or
    /// in the text of our HTML. That proves the right part was found and decoded with the right charset, and ignores markup,
    /// whitespace and punctuation conventions.
    /// </summary>
    private static bool SameBody(string expected, ParsedMail mail)
    {
        var theirs = Significant(expected);
        if (theirs.Length == 0)
        {
            return true;
        }
        foreach (var candidate in new[] { Significant(mail.Text), Significant(HtmlText(mail.Html)) })
        {
            if (candidate.Length > 0 && (candidate.Contains(theirs[..Math.Min(BodySample, theirs.Length)], StringComparison.Ordinal)
                || theirs.Contains(candidate[..Math.Min(BodySample, candidate.Length)], StringComparison.Ordinal)))
            {
                return true;
            }
        }
        return false;
    }

    private static string Significant(string? text) =>
        text is null ? "" : string.Concat(text.Normalize(NormalizationForm.FormC).Where(char.IsLetterOrDigit)).ToLowerInvariant();

    private static string HtmlText(string? html) => html is null ? "" : Html.ToText(html);

    /// <summary>The expected names (with repeats) that ours lack; names compare after Unicode normalization.</summary>
    private static List<string> Missing(IEnumerable<string> expected, IEnumerable<string> ours)
    {
        var left = ours.Select(n => n.Normalize(NormalizationForm.FormC)).ToList();
        var missing = new List<string>();
        foreach (var name in expected)
        {
            if (!left.Remove(name.Normalize(NormalizationForm.FormC)))
            {
                missing.Add(name);
            }
        }
        return missing;
    }

    private static string Show(string? value) =>
        value is null ? "null" : "\"" + (value.Length > 80 ? value[..80] + "…" : value).Replace("\r", "\\r", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal) + "\"";

    private static int Indent(string line) => line.Length - line.TrimStart(' ').Length;

    // ---------------------------------------------------------------- finding the corpora

    private static string Relative(string corpora, string file) => Path.GetRelativePath(corpora, file).Replace('\\', '/');

    private static string Key(string corpora, string file, string field) => Relative(corpora, file) + ": " + field;

    private static string FileOf(string key) => key[..key.LastIndexOf(": ", StringComparison.Ordinal)];

    private static string Field(string key) => key[(key.LastIndexOf(": ", StringComparison.Ordinal) + 2)..];

    private static List<string> Files(string corpora, string folder, string pattern, SearchOption depth)
    {
        var path = Path.Combine(corpora, folder);
        Assert.True(Directory.Exists(path), $"{path} is missing from the corpora");
        return [.. Directory.EnumerateFiles(path, pattern, depth)
            .Where(f => !Path.GetFileName(f).Equals("COPYING", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal)];
    }

    private static string Corpora() => Testing.Corpora.Folder("Mail");

    private static string? RepoRoot() => Testing.Corpora.RepositoryRoot();
}
