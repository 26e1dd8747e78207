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

    private sealed record Mismatch(string Key, string Detail);

    private sealed record KnownMismatch(string Key, string Reason);

    // ---------------------------------------------------------------- 1. everything reads

    [Fact]
    public void Every_corpus_mail_is_read_without_an_exception()
    {
        var corpora = Corpora();
        (string Name, string Folder, string Pattern, SearchOption Depth)[] sets =
        [
            ("zammad-mail", "zammad-mail", "*.box", SearchOption.TopDirectoryOnly),
            ("stalwart-mail-parser", "stalwart-mail-parser/eml", "*.eml", SearchOption.AllDirectories),
            ("chatwoot-eml", "chatwoot-eml", "*.eml", SearchOption.TopDirectoryOnly),
            ("mimekit-testdata/messages", "mimekit-testdata/messages", "*", SearchOption.TopDirectoryOnly),
            ("mimekit-testdata/partial", "mimekit-testdata/partial", "*", SearchOption.TopDirectoryOnly),
            ("mimekit-testdata/dkim", "mimekit-testdata/dkim", "*", SearchOption.TopDirectoryOnly),
            ("mimekit-testdata/smime", "mimekit-testdata/smime", "*", SearchOption.TopDirectoryOnly),
            ("mimekit-testdata/openpgp", "mimekit-testdata/openpgp", "*", SearchOption.TopDirectoryOnly),
            ("mimekit-testdata/yenc", "mimekit-testdata/yenc", "*", SearchOption.TopDirectoryOnly),
            ("mimekit-testdata/tnef (mails)", "mimekit-testdata/tnef", "*.eml", SearchOption.TopDirectoryOnly),
            ("extra-charset-broken-mail", "extra-charset-broken-mail", "*", SearchOption.AllDirectories),
            ("zammad-mail-extras/email_signature_detection", "zammad-mail-extras/email_signature_detection", "*", SearchOption.TopDirectoryOnly),
        ];
        var mismatches = new List<Mismatch>();
        var total = 0;
        foreach (var (name, folder, pattern, depth) in sets)
        {
            var files = Files(corpora, folder, pattern, depth);
            Assert.NotEmpty(files);
            var mails = files.Where(f => LooksLikeMail(File.ReadAllBytes(f))).ToList();
            foreach (var file in mails)
            {
                try
                {
                    var mail = MailReader.Read(File.ReadAllBytes(file));
                    Assert.NotNull(mail.MessageId);
                    Assert.NotNull(mail.Attachments);
                }
                catch (Exception e)
                {
                    mismatches.Add(new Mismatch(Key(corpora, file, "read"), $"{e.GetType().Name}: {e.Message}"));
                }
            }
            total += mails.Count;
            var skipped = files.Count - mails.Count;
            output.WriteLine($"{name}: {mails.Count} files ingested" + (skipped > 0 ? $" ({skipped} not mail, only bodies: left out)" : ""));
        }
        Verify("all corpora, read", total, mismatches, key => Field(key) == "read");
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
            var mail = MailReader.Read(File.ReadAllBytes(box));
            void Differ(string field, string detail) => mismatches.Add(new Mismatch(Key(corpora, box, field), detail));

            // Subject: exactly as decoded (zammad, like us, keeps the unfolded header text).
            if (!string.Equals(mail.Subject ?? "", expected.Subject, StringComparison.Ordinal))
            {
                Differ("subject", $"ours {Show(mail.Subject)}, zammad {Show(expected.Subject)}");
            }

            // From: zammad keeps the raw header text in `from`; our address must be in it.
            if (mail.FromAddress is null
                ? expected.From.Length > 0
                : !expected.From.Contains(mail.FromAddress, StringComparison.OrdinalIgnoreCase))
            {
                Differ("from", $"ours {Show(mail.FromAddress)}, zammad {Show(expected.From)}");
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
        Verify("zammad-mail", boxes.Count, mismatches, key => key.StartsWith("zammad-mail/", StringComparison.Ordinal)
            && Field(key) is "subject" or "from" or "body" or "attachments");
    }

    /// <summary>The fields of a zammad test/data/mail/*.yml we compare: from, subject, body, content_type, attachment names.</summary>
    private sealed record ZammadExpectation(string From, string Subject, string Body, string ContentType, IReadOnlyList<string> Attachments)
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
                    attachments.AddRange(AttachmentNames(lines, i + 1, end));
                }
                else
                {
                    top[key.Groups[1].Value] = MiniYaml.Scalar(key.Groups[2].Value, lines[(i + 1)..end], 0);
                }
                i = end - 1;
            }
            return new ZammadExpectation(top.GetValueOrDefault("from", ""), top.GetValueOrDefault("subject", ""),
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

        /// <summary>A line break and the indentation after it become one space; n blank lines become n line breaks.</summary>
        private static string Fold(string text)
        {
            var lines = text.Split('\n');
            var result = new StringBuilder(lines[0].TrimEnd(' ', '\t'));
            var blanks = 0;
            for (var i = 1; i < lines.Length; i++)
            {
                var line = lines[i].Trim(' ', '\t');
                if (line.Length == 0 && i < lines.Length - 1)
                {
                    blanks++;
                    continue;
                }
                result.Append(blanks > 0 ? new string('\n', blanks) : " ");
                result.Append(i < lines.Length - 1 ? line : lines[i].TrimStart(' ', '\t'));
                blanks = 0;
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
                // A value ending the file has one extra empty "line" from the final break.
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
            var mail = MailReader.Read(File.ReadAllBytes(eml));
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

            // Bodies: stalwart lists body parts as JMAP does (text_body falls back to the HTML part and the reverse); we
            // check the first of each kind that really is of that kind.
            if (FirstBody(root, parts, "text_body", "Text") is { } textBody && !SameBody(textBody, mail))
            {
                Differ("text", $"ours {Show(Significant(mail.Text))}, stalwart {Show(Significant(textBody))}");
            }
            if (FirstBody(root, parts, "html_body", "Html") is { } htmlBody && !SameBody(HtmlText(htmlBody), mail))
            {
                Differ("html", $"ours {Show(Significant(HtmlText(mail.Html)))}, stalwart {Show(Significant(HtmlText(htmlBody)))}");
            }

            // Attachments: each named one by name, and at least as many as stalwart has outside the body.
            var bodyParts = Indexes(root, "text_body").Concat(Indexes(root, "html_body")).ToHashSet();
            var attachmentIndexes = Indexes(root, "attachments").ToList();
            var names = attachmentIndexes.Select(i => PartName(parts[i])).OfType<string>().ToList();
            var missing = Missing(names, mail.Attachments.Select(a => a.FileName));
            var separate = attachmentIndexes.Count(i => !bodyParts.Contains(i));
            if (missing.Count > 0 || mail.Attachments.Count < separate)
            {
                Differ("attachments", $"stalwart {separate} separate ({string.Join(", ", names.Select(Show))}), "
                    + $"ours {mail.Attachments.Count} ({string.Join(", ", mail.Attachments.Select(a => Show(a.FileName)))})"
                    + (missing.Count > 0 ? $"; missing {string.Join(", ", missing.Select(Show))}" : ""));
            }
        }
        Verify("stalwart", emls.Count, mismatches, key => key.StartsWith("stalwart-mail-parser/", StringComparison.Ordinal) && Field(key) != "read");
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

    private static string? FirstBody(JsonElement root, List<JsonElement> parts, string list, string kind)
    {
        var first = Indexes(root, list).Select(i => parts[i].GetProperty("body")).FirstOrDefault(b => b.ValueKind == JsonValueKind.Object);
        return first.ValueKind == JsonValueKind.Object && first.TryGetProperty(kind, out var value) ? value.GetString() : null;
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
            var mail = MailReader.Read(WinmailDat(File.ReadAllBytes(file), Path.GetFileName(file)));
            var names = mail.Attachments.Select(a => a.FileName).ToList();
            if (expected.Remove("body.html") && mail.Html is null && !names.Remove("body.html"))
            {
                mismatches.Add(new Mismatch(Key(corpora, file, "body"), "the HTML body in the TNEF was neither the body nor an attachment"));
            }
            var missing = Missing(expected, names);
            if (missing.Count > 0)
            {
                mismatches.Add(new Mismatch(Key(corpora, file, "attachments"),
                    $"missing {string.Join(", ", missing.Select(Show))}; ours {string.Join(", ", names.Select(Show))}"));
            }
        }
        Verify("tnef", files.Count, mismatches, key => key.StartsWith("mimekit-testdata/tnef/", StringComparison.Ordinal) && Field(key) != "read");
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
            var mail = MailReader.Read(File.ReadAllBytes(file));
            if (mail.Bounce is null)
            {
                mismatches.Add(new Mismatch(Key(corpora, file, "bounce"), $"not recognised as a bounce (from {Show(mail.FromAddress)}, subject {Show(mail.Subject)})"));
                continue;
            }
            output.WriteLine($"  bounce {Key(corpora, file, "")[..^2]}: failed={mail.Bounce.Failed}, original={string.Join(" ", mail.Bounce.OriginalMessageIds)}, "
                + $"recipients={string.Join(" ", mail.Bounce.Recipients.Select(r => $"{r.Address} {r.Action} {r.Status}"))}");
            // A delay notice says the mail is still on its way: that is no failure.
            var delayed = mail.Bounce.Recipients.Count > 0 && mail.Bounce.Recipients.All(r => r.Action.Equals("delayed", StringComparison.OrdinalIgnoreCase));
            if (delayed == mail.Bounce.Failed)
            {
                mismatches.Add(new Mismatch(Key(corpora, file, "bounce-failed"), $"Failed={mail.Bounce.Failed} for actions {string.Join(" ", mail.Bounce.Recipients.Select(r => r.Action))}"));
            }
        }
        foreach (var file in ordinary)
        {
            if (MailReader.Read(File.ReadAllBytes(file)).Bounce is { } bounce)
            {
                mismatches.Add(new Mismatch(Key(corpora, file, "no-bounce"), $"taken for a bounce: {bounce.Reason}"));
            }
        }
        foreach (var file in autoReplies)
        {
            if (MailReader.Read(File.ReadAllBytes(file)).AutoSubmittedReason is null)
            {
                mismatches.Add(new Mismatch(Key(corpora, file, "auto-submitted"), "not recognised as automatic"));
            }
        }
        output.WriteLine($"bounces expected: {bounces.Count}; ordinary mail expected no bounce: {ordinary.Count}; auto-replies: {autoReplies.Count}");
        Verify("bounces and auto-replies", bounces.Count + ordinary.Count + autoReplies.Count, mismatches,
            key => Field(key) is "bounce" or "bounce-failed" or "no-bounce" or "auto-submitted");
    }

    // ---------------------------------------------------------------- 3. the list of known mismatches

    [Fact]
    public void Known_mismatches_are_well_formed()
    {
        var known = KnownMismatches();
        var duplicates = known.GroupBy(k => k.Key).Where(g => g.Count() > 1).Select(g => g.Key).ToList();
        Assert.True(duplicates.Count == 0, "Listed twice: " + string.Join(", ", duplicates));
        var unowned = known.Where(k => Field(k.Key) is not ("read" or "subject" or "from" or "body" or "text" or "html" or "attachments"
            or "bounce" or "bounce-failed" or "no-bounce" or "auto-submitted")).Select(k => k.Key).ToList();
        Assert.True(unowned.Count == 0, "No test checks: " + string.Join(", ", unowned));
        Assert.All(known, k => Assert.False(string.IsNullOrWhiteSpace(k.Reason), k.Key + " has no reason"));
    }

    private static List<KnownMismatch> KnownMismatches()
    {
        var root = RepoRoot() ?? throw new InvalidOperationException("Ateb.slnx not found above " + AppContext.BaseDirectory);
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

    /// <summary>
    /// Reports "label: X of N match" and every difference, then fails on a difference that is not listed and on a listed one
    /// (of this test's kind) that no longer happens.
    /// </summary>
    private void Verify(string label, int total, List<Mismatch> found, Func<string, bool> owns)
    {
        var known = KnownMismatches().Where(k => owns(k.Key)).ToDictionary(k => k.Key, k => k.Reason, StringComparer.Ordinal);
        var differing = found.Select(m => FileOf(m.Key)).Distinct(StringComparer.Ordinal).Count();
        output.WriteLine($"{label}: {total - differing} of {total} match ({found.Count} known or new differences)");
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

    private static string Key(string corpora, string file, string field) =>
        Path.GetRelativePath(corpora, file).Replace('\\', '/') + ": " + field;

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

    private static string Corpora()
    {
        var path = FindCorpora();
        if (path is null)
        {
            Assert.Skip("Mail corpora not found: neither $ATEB_CORPORA nor a shared/corpora folder beside or above the repository (../shared/corpora).");
        }
        return path;
    }

    private static string? FindCorpora()
    {
        var configured = Environment.GetEnvironmentVariable("ATEB_CORPORA");
        if (!string.IsNullOrWhiteSpace(configured))
        {
            return Directory.Exists(configured) ? Path.GetFullPath(configured) : null;
        }
        for (var dir = RepoRoot() is { } root ? Directory.GetParent(root) : null; dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "shared", "corpora");
            if (Directory.Exists(candidate))
            {
                return candidate;
            }
        }
        return null;
    }

    private static string? RepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Ateb.slnx")))
            {
                return dir.FullName;
            }
        }
        return null;
    }
}
