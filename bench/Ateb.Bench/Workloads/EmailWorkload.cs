using System.Diagnostics;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using Ateb.Bench.Hosting;
using Ateb.Features.Email;
using Microsoft.EntityFrameworkCore;
using MimeKit;

namespace Ateb.Bench.Workloads;

/// <summary>
/// Email ingest (issue 4): a mixed corpus piped to a mailbox of the server under test, counted until every mail is parsed,
/// deduplicated, threaded and stored; against MimeKit parsing the same corpus, alone, in the same run.
/// </summary>
internal sealed class EmailWorkload(BenchSettings settings, Report report)
{
    private const int Concurrency = 16;

    public async Task RunAsync(BenchDatabase database)
    {
        var count = settings.IsSmoke ? 40 : 4000;
        var warm = settings.IsSmoke ? 10 : 400;
        var corpus = EmailCorpus.Generate(warm + count, settings.Seed);
        var ingests = new List<double>();
        var parses = new List<double>();
        for (var run = 0; run < settings.Runs; run++)
        {
            await using (var ateb = await ServerProcess.StartAsync(Databases.AtebDll, [], database.AtebEnvironment(), "/health", core: 1))
            {
                using var client = new HttpClient { BaseAddress = new Uri(ateb.BaseUrl), Timeout = TimeSpan.FromSeconds(60) };
                client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", database.Token);
                var created = await client.PostAsJsonAsync("/api/v1/mailboxes", new { name = "Bench", address = $"support{run}@bench.test" });
                created.EnsureSuccessStatusCode();
                var mailbox = (await created.Content.ReadFromJsonAsync<MailboxResponse>(BenchJson.Options))!;
                // An MTA pipes mail with the mailbox's secret only; no account token rides along.
                using var mta = new HttpClient { BaseAddress = new Uri(ateb.BaseUrl), Timeout = TimeSpan.FromSeconds(60) };
                await PipeAndWaitAsync(mta, database, mailbox, corpus.Take(warm).ToList());
                var stopwatch = Stopwatch.StartNew();
                await PipeAndWaitAsync(mta, database, mailbox, corpus.Skip(warm).ToList());
                ingests.Add(count / stopwatch.Elapsed.TotalSeconds);
            }
            parses.Add(ParseOnly(corpus));
        }
        var ingest = ingests.Order().ElementAt(settings.Runs / 2);
        var parse = parses.Order().ElementAt(settings.Runs / 2);
        var target = settings.Db == "postgres" ? 500 : 1000;
        report.Add(new("email", $"ingest msgs/s (mixed corpus of {count:N0})", "/s", ingest, "MimeKit parse-only /s", parse,
            $">= {target}/s and ratio >= 0.10", ingest >= target && ingest / parse >= 0.10));
    }

    /// <summary>Pipes mail over HTTP (16 at a time), then waits until the server has processed all of it.</summary>
    private static async Task PipeAndWaitAsync(HttpClient client, BenchDatabase database, MailboxResponse mailbox, List<byte[]> mails)
    {
        var stopwatch = Stopwatch.StartNew();
        var next = -1;
        var failures = 0;
        await Task.WhenAll(Enumerable.Range(0, Concurrency).Select(async _ =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < mails.Count)
            {
                using var request = new HttpRequestMessage(HttpMethod.Post, mailbox.PipeUrl) { Content = new ByteArrayContent(mails[i]) };
                request.Headers.Add(MailboxesFeature.PipeSecretHeader, mailbox.PipeSecret);
                using var response = await client.SendAsync(request);
                if (!response.IsSuccessStatusCode)
                {
                    Interlocked.Increment(ref failures);
                }
            }
        }));
        if (failures > 0)
        {
            throw new InvalidOperationException($"{failures} mails were refused by the pipe endpoint");
        }
        var piped = stopwatch.Elapsed;
        var deadline = DateTime.UtcNow.AddMinutes(10);
        await using var db = database.Open();
        while (await db.InboundMails.IgnoreQueryFilters().CountAsync(m => m.MailboxId == mailbox.Id && m.State == InboundMailState.Pending) > 0)
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException("the server did not process the piped mail within 10 minutes");
            }
            await Task.Delay(20);
        }
        Console.WriteLine($"  email: {mails.Count:N0} mails piped in {piped.TotalSeconds:0.0} s ({mails.Count / piped.TotalSeconds:N0}/s), all processed after {stopwatch.Elapsed.TotalSeconds:0.0} s");
        var quarantined = await db.InboundMails.IgnoreQueryFilters().CountAsync(m => m.MailboxId == mailbox.Id && m.State == InboundMailState.Quarantined);
        if (quarantined > 0)
        {
            throw new InvalidOperationException($"{quarantined} bench mails were quarantined");
        }
    }

    /// <summary>The reference: MimeKit parsing every mail of the corpus, one thread, as many rounds as fit in the run time.</summary>
    private double ParseOnly(List<byte[]> corpus)
    {
        var stopwatch = Stopwatch.StartNew();
        var parsed = 0;
        var duration = settings.IsSmoke ? TimeSpan.FromMilliseconds(300) : settings.Duration;
        while (stopwatch.Elapsed < duration)
        {
            foreach (var mail in corpus)
            {
                using var stream = new MemoryStream(mail, writable: false);
                _ = MimeMessage.Load(stream);
                parsed++;
            }
        }
        return parsed / stopwatch.Elapsed.TotalSeconds;
    }
}

internal static class BenchJson
{
    public static readonly System.Text.Json.JsonSerializerOptions Options = Create();

    private static System.Text.Json.JsonSerializerOptions Create()
    {
        var options = new System.Text.Json.JsonSerializerOptions(System.Text.Json.JsonSerializerDefaults.Web);
        Ateb.Infrastructure.Web.WebFeature.Configure(options);
        return options;
    }
}

/// <summary>
/// What a support mailbox receives, in roughly these shares: plain new mail, replies that thread into earlier tickets, HTML with quoted
/// history, attachments, Persian in windows-1256, auto-replies, inline images, and the same mail twice.
/// </summary>
internal static class EmailCorpus
{
    private static readonly byte[] Pdf = Encoding.ASCII.GetBytes("%PDF-1.4\n" + new string('x', 6000) + "\n%%EOF");
    private static readonly byte[] Png = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, .. new byte[1500]];

    public static List<byte[]> Generate(int count, int seed)
    {
        Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
        var random = new Random(seed);
        var mails = new List<byte[]>(count);
        var sent = new Dictionary<int, string>();
        var run = Guid.NewGuid().ToString("N")[..8];
        for (var i = 0; i < count; i++)
        {
            var customer = random.Next(400);
            var kind = random.Next(100);
            if (kind < 5 && mails.Count > 0)
            {
                mails.Add(mails[random.Next(mails.Count)]);
                continue;
            }
            var message = new MimeMessage();
            message.From.Add(new MailboxAddress($"Customer {customer}", $"customer{customer}.{run}@example.com"));
            message.To.Add(new MailboxAddress("Support", "support@bench.test"));
            message.MessageId = $"{run}.{i}@example.com";
            message.Date = DateTimeOffset.UtcNow;
            message.Subject = $"Order {customer}-{i} has not arrived";
            var text = $"Hello,\n\nmy order {customer}-{i} has not arrived yet. Could you check where it is?\n\nThanks,\nCustomer {customer}\n";
            if (kind < 25 && sent.TryGetValue(customer, out var previous))
            {
                message.Subject = "Re: " + message.Subject;
                message.InReplyTo = previous;
                message.References.Add(previous);
                message.Body = new TextPart("plain") { Text = "Any news?\n\n> " + text.Replace("\n", "\n> ", StringComparison.Ordinal) };
            }
            else if (kind < 45)
            {
                message.Body = new MultipartAlternative
                {
                    new TextPart("plain") { Text = text },
                    new TextPart("html") { Text = $"<div dir=\"auto\"><p>{text.Replace("\n", "<br>", StringComparison.Ordinal)}</p><blockquote type=\"cite\">Earlier mail</blockquote></div>" },
                };
            }
            else if (kind < 55)
            {
                var builder = new BodyBuilder { TextBody = text };
                builder.Attachments.Add("invoice.pdf", Pdf, new ContentType("application", "pdf"));
                message.Body = builder.ToMessageBody();
            }
            else if (kind < 65)
            {
                var persian = new TextPart("plain") { };
                persian.SetText(Encoding.GetEncoding(1256), "سلام، سفارش من هنوز نرسيده است. لطفاً پيگيري کنيد.\nبا سپاس");
                message.Subject = "سفارش " + i;
                message.Body = persian;
            }
            else if (kind < 70)
            {
                message.Headers.Add("Auto-Submitted", "auto-replied");
                message.Subject = "Out of office: " + message.Subject;
                message.Body = new TextPart("plain") { Text = "I am away until Monday." };
            }
            else if (kind < 75)
            {
                var builder = new BodyBuilder();
                var image = builder.LinkedResources.Add("shot.png", Png, new ContentType("image", "png"));
                image.ContentId = $"shot{i}@example.com";
                builder.HtmlBody = $"<p>See the screenshot:</p><img src=\"cid:{image.ContentId}\"><img src=\"https://tracker.example/p.gif\">";
                message.Body = builder.ToMessageBody();
            }
            else
            {
                message.Body = new TextPart("plain") { Text = text };
            }
            sent[customer] = message.MessageId;
            using var buffer = new MemoryStream();
            message.WriteTo(buffer);
            mails.Add(buffer.ToArray());
        }
        return mails;
    }
}
