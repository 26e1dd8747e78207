using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Serialization;
using Ateb.Features.Chat;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;

namespace Ateb.E2E.Chat;

/// <summary>
/// An agent's client on /hubs/agent (the .NET SignalR client, an API token in the Authorization header), as another
/// help-desk app would be: it says Hello, switches chat on, and records everything the hub calls on it so a test can
/// wait for the offer, the visitor's message, typing and marks.
/// </summary>
internal sealed class ChatAgent : IAsyncDisposable
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(15);

    private readonly HubConnection _hub;
    private readonly List<object> _events = [];
    private readonly SemaphoreSlim _signal = new(0);

    private ChatAgent(HubConnection hub)
    {
        _hub = hub;
        hub.On<ChatOffer>(nameof(IChatAgentClient.Offer), e => Record(e));
        hub.On<ChatMessageView>(nameof(IChatAgentClient.Message), e => Record(e));
        hub.On<ChatTyping>(nameof(IChatAgentClient.Typing), e => Record(e));
        hub.On<ChatMarks>(nameof(IChatAgentClient.Marks), e => Record(e));
        hub.On<ChatSummary>(nameof(IChatAgentClient.Chat), e => Record(e));
        hub.On<ChatQueueView>(nameof(IChatAgentClient.Queue), _ => { });
        hub.On<Guid>(nameof(IChatAgentClient.OfferWithdrawn), _ => { });
    }

    private readonly List<Guid> _accepted = [];

    public HubConnection Hub => _hub;

    /// <summary>Takes the chat (ended again when this client goes away, so no chat of one test waits in the next one's queue).</summary>
    public async Task<ChatDetail> AcceptAsync(Guid chatId)
    {
        var detail = await _hub.InvokeAsync<ChatDetail>("Accept", chatId);
        _accepted.Add(chatId);
        return detail;
    }

    /// <summary>The offer of the chat whose first message contains <paramref name="text"/>; offers of other chats are left alone.</summary>
    public Task<ChatOffer> OfferAsync(string text) => NextAsync<ChatOffer>(o => o.Preview.Contains(text, StringComparison.Ordinal));

    /// <summary>Connects with a fresh API token of the person <paramref name="signedIn"/> is signed in as, says Hello and switches chat on.</summary>
    public static async Task<ChatAgent> ConnectAsync(AtebServer server, HttpClient signedIn)
    {
        using var created = await signedIn.PostAsJsonAsync("/api/v1/tokens", new { name = $"e2e chat agent {Guid.NewGuid():N}", expiresInDays = 1 });
        created.EnsureSuccessStatusCode();
        var token = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("token").GetString()!;
        var hub = new HubConnectionBuilder()
            .WithUrl(server.Url("/hubs/agent"), o => o.Headers["Authorization"] = $"Bearer {token}")
            .AddJsonProtocol(o => o.PayloadSerializerOptions.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.CamelCase)))
            .Build();
        var agent = new ChatAgent(hub);
        await hub.StartAsync();
        await hub.InvokeAsync<AgentSync>("Hello");
        await hub.InvokeAsync("SetAvailable", true);
        return agent;
    }

    private void Record(object e)
    {
        lock (_events)
        {
            _events.Add(e);
        }
        _signal.Release();
    }

    /// <summary>Waits for the first event of type T (already received or still to come) that matches, and takes it.</summary>
    public async Task<T> NextAsync<T>(Func<T, bool>? match = null, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? Wait);
        while (true)
        {
            lock (_events)
            {
                var i = _events.FindIndex(e => e is T t && (match is null || match(t)));
                if (i >= 0)
                {
                    var found = (T)_events[i];
                    _events.RemoveAt(i);
                    return found;
                }
            }
            var left = deadline - DateTime.UtcNow;
            if (left <= TimeSpan.Zero || !await _signal.WaitAsync(left))
            {
                lock (_events)
                {
                    throw new TimeoutException($"The agent's client got no matching {typeof(T).Name} within {(timeout ?? Wait).TotalSeconds:0} s; it got: " +
                        string.Join("; ", _events.Select(s => s.ToString())));
                }
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (_hub.State == HubConnectionState.Connected)
            {
                foreach (var chat in _accepted)
                {
                    try
                    {
                        await _hub.InvokeAsync<ChatSummary>("End", chat);
                    }
                    catch (HubException)
                    {
                        // Ended already.
                    }
                }
                await _hub.InvokeAsync("SetAvailable", false);
            }
        }
        catch (Exception)
        {
            // Going away anyway.
        }
        await _hub.DisposeAsync();
        _signal.Dispose();
    }
}
