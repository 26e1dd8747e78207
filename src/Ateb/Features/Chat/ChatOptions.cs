namespace Ateb.Features.Chat;

/// <summary>Timings of the chat machinery (configuration section "Chat"); the defaults suit production, tests shorten them.</summary>
public sealed class ChatOptions
{
    /// <summary>An agent connection not renewed for this long no longer counts as online (a node died, a laptop slept).</summary>
    public TimeSpan OnlineFor { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>How often each node renews its agent connections.</summary>
    public TimeSpan Heartbeat { get; set; } = TimeSpan.FromSeconds(20);

    /// <summary>After an agent's last connection closes, how long their chats wait for them (a page reload) before going back to the queue.</summary>
    public TimeSpan DisconnectGrace { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>The router's pass interval when nothing wakes it earlier (offer timeouts, stale agents).</summary>
    public TimeSpan RouterTick { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Visitor sends allowed per connection within <see cref="SendWindow"/>.</summary>
    public int SendsPerWindow { get; set; } = 10;

    public TimeSpan SendWindow { get; set; } = TimeSpan.FromSeconds(10);

    public const int MaxText = 5000;
}

/// <summary>A chat call that cannot be done; Code is the wire error (docs/chat-protocol.md).</summary>
public sealed class ChatException(string code, string? detail = null) : Exception(detail ?? code)
{
    public string Code { get; } = code;

    public static ChatException NotFound => new("not_found");

    public static ChatException Forbidden => new("forbidden");
}
