using System.Text.Json;
using System.Text.RegularExpressions;
using Ateb.Features.Audit;
using Ateb.Features.Customers;
using Ateb.Features.Tickets;
using Ateb.Infrastructure.Data;
using Ateb.Infrastructure.Outbox;
using Ateb.Infrastructure.Storage;
using Ateb.Infrastructure.Text;
using Microsoft.EntityFrameworkCore;

namespace Ateb.Features.Email;

/// <summary>Runs queued raw mail through EmailIngest; after a few failed tries the mail is quarantined with its error.</summary>
internal sealed class EmailIngestSender(IServiceScopeFactory scopes, IConfiguration config, ILogger<EmailIngestSender> log) : IOutboxSender
{
    public const string KindName = "email.ingest";
    public const int Tries = 3;

    public string Kind => KindName;

    // PostgreSQL takes concurrent writers and each commit waits for its WAL flush: overlap them. SQLite has one writer, and
    // there concurrent ingests only contend for it (measured slower), so one at a time.
    public int Parallelism => config.GetValue("Email:IngestParallelism",
        (config["Database:Provider"] ?? "sqlite").StartsWith("postgres", StringComparison.OrdinalIgnoreCase) ? 4 : 1);

    public static OutboxMessage Job(Guid inboundMailId, DateTimeOffset now) => new()
    {
        Kind = KindName, Payload = JsonSerializer.Serialize(new { inboundMailId }), IdempotencyKey = $"ingest:{inboundMailId:N}:{now.UtcTicks}",
        CreatedAt = now, NextAttemptAt = now,
    };

    public async Task<SendResult> SendAsync(OutboxMessage message, CancellationToken ct)
    {
        var id = JsonDocument.Parse(message.Payload).RootElement.GetProperty("inboundMailId").GetGuid();
        await using var scope = scopes.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<WorkspaceScope>().Enter(message.WorkspaceId);
        var ingest = scope.ServiceProvider.GetRequiredService<EmailIngest>();
        try
        {
            await ingest.ProcessAsync(id, ct);
            return SendResult.Ok;
        }
        catch (Exception e) when (!ct.IsCancellationRequested)
        {
            var error = $"{e.GetType().Name}: {e.Message}";
            var final = message.Attempts >= Tries;
            log.LogWarning(e, "Inbound mail {Id} failed to process (try {Attempt} of {Tries})", id, message.Attempts, Tries);
            await using var fresh = scopes.CreateAsyncScope();
            fresh.ServiceProvider.GetRequiredService<WorkspaceScope>().Enter(message.WorkspaceId);
            await fresh.ServiceProvider.GetRequiredService<EmailIngest>().RecordFailureAsync(id, error, final, ct);
            return final ? SendResult.PermanentFailure("Quarantined: " + error) : SendResult.Retry(error);
        }
    }
}
