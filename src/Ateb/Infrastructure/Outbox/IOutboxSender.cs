namespace Ateb.Infrastructure.Outbox;

/// <summary>Delivers one kind of outbox row (mail, webhook...). Throw to retry; return a PermanentFailure to stop.</summary>
public interface IOutboxSender
{
    string Kind { get; }

    /// <summary>How many rows of this kind are sent at once (each with its own scope); 1 keeps them in order.</summary>
    int Parallelism => 1;

    Task<SendResult> SendAsync(OutboxMessage message, CancellationToken ct);
}

public sealed record SendResult(bool Delivered, bool Permanent, string? Error)
{
    public static readonly SendResult Ok = new(true, false, null);

    public static SendResult Retry(string error) => new(false, false, error);

    public static SendResult PermanentFailure(string error) => new(false, true, error);
}
