using Ateb.Components.Session;
using Ateb.Features.Agents;
using Ateb.Infrastructure.Realtime;
using Microsoft.AspNetCore.Components.Server.Circuits;

namespace Ateb.Features.Chat.Pages;

/// <summary>
/// The agent's live chat inside one Blazor circuit: it makes the open workspace count as a chat connection
/// (<see cref="ChatPresence"/>, a row per circuit, closed when the browser goes away and back when it reconnects) and keeps
/// what the top bar, the offer pop-up and the navigation show (availability, offers, the agent's chats, the queue),
/// reloaded from <see cref="ChatDesk.AgentSyncAsync"/> whenever LiveEvents say something moved. Components listen to
/// <see cref="Changed"/>. The workspace calls ChatDesk in-process; it never connects to the agents' hub.
/// </summary>
internal sealed class AgentChats(AgentSession session, LiveEvents live, ChatPresence presence, ILogger<AgentChats> log) : CircuitHandler, IAsyncDisposable
{
    private readonly string _connection = "circuit-" + Guid.NewGuid().ToString("N");
    private readonly SemaphoreSlim _reload = new(1, 1);
    private readonly List<IDisposable> _subscriptions = [];
    private int _pending;
    private bool _started;
    private bool _connected;
    private bool _closed;

    public bool Started => _started;

    /// <summary>Whether the agent may take chats at all (light agents may not).</summary>
    public bool CanChat => session.IsLoaded && session.Actor.Role.CanWorkTickets();

    public bool Available { get; private set; }

    public int MaxChats { get; private set; }

    public IReadOnlyList<ChatOffer> Offers { get; private set; } = [];

    /// <summary>The agent's active chats.</summary>
    public IReadOnlyList<ChatSummary> Mine { get; private set; } = [];

    public ChatQueueView Queue { get; private set; } = new(0, 0, null);

    /// <summary>Something above changed; raised on a thread-pool thread (components re-render through InvokeAsync).</summary>
    public event Action? Changed;

    /// <summary>Called by the layout's chat component once its circuit is interactive; later calls do nothing.</summary>
    public async Task StartAsync()
    {
        if (_started || !session.IsLoaded)
        {
            return;
        }
        _started = true;
        var actor = session.Actor;
        _subscriptions.Add(live.Subscribe(ChatTopics.Agent(actor.MembershipId), _ => RefreshAsync()));
        _subscriptions.Add(live.Subscribe(ChatTopics.Queue(actor.WorkspaceId), _ => RefreshAsync()));
        await ConnectAsync();
        await RefreshAsync();
    }

    /// <summary>Reads the agent's chat state again; calls during a reload make it go round once more, not once each.</summary>
    public async Task RefreshAsync()
    {
        Interlocked.Exchange(ref _pending, 1);
        while (!_closed && Volatile.Read(ref _pending) == 1 && await _reload.WaitAsync(0))
        {
            try
            {
                while (!_closed && Interlocked.Exchange(ref _pending, 0) == 1)
                {
                    var sync = await session.RunAsync<ChatDesk, AgentSync>((desk, actor) => desk.AgentSyncAsync(actor, CancellationToken.None));
                    Available = sync.Available;
                    MaxChats = sync.MaxChats;
                    Offers = [.. sync.Offers.OrderBy(o => o.ExpiresAt)];
                    Mine = [.. sync.Chats.Where(c => c.State == ChatState.Active && c.AgentId == session.Actor.MembershipId).OrderBy(c => c.AcceptedAt)];
                    Queue = sync.Queue;
                }
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                log.LogWarning(e, "Reading the agent's chats failed; the next change tries again");
            }
            finally
            {
                _reload.Release();
            }
            Changed?.Invoke();
        }
    }

    public async Task SetAvailableAsync(bool available)
    {
        await session.RunAsync<ChatDesk, bool>(async (desk, actor) =>
        {
            await desk.SetAvailableAsync(actor, available, CancellationToken.None);
            return true;
        });
        Available = available;
        Changed?.Invoke();
        await RefreshAsync();
    }

    public async Task<ChatDetail> AcceptAsync(Guid chatId)
    {
        var detail = await session.RunAsync<ChatDesk, ChatDetail>((desk, actor) => desk.AcceptAsync(actor, chatId, CancellationToken.None));
        Offers = [.. Offers.Where(o => o.ConversationId != chatId)];
        Changed?.Invoke();
        await RefreshAsync();
        return detail;
    }

    public async Task DeclineAsync(Guid chatId)
    {
        await session.RunAsync<ChatDesk, bool>(async (desk, actor) =>
        {
            await desk.DeclineAsync(actor, chatId, CancellationToken.None);
            return true;
        });
        Offers = [.. Offers.Where(o => o.ConversationId != chatId)];
        Changed?.Invoke();
        await RefreshAsync();
    }

    private async Task ConnectAsync()
    {
        if (!CanChat || _closed)
        {
            return;
        }
        try
        {
            await presence.ConnectAsync(session.Actor.WorkspaceId, session.Actor.MembershipId, _connection, CancellationToken.None);
            _connected = true;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            log.LogWarning(e, "Could not mark the agent's workspace connected for chat");
        }
    }

    private async Task DisconnectAsync()
    {
        if (_connected)
        {
            _connected = false;
            await presence.DisconnectAsync(_connection);
        }
    }

    // The browser went away (tab closed, network lost): the agent stops counting as online after the grace period,
    // exactly as a hub connection would; when the same circuit reconnects, they count again.
    public override Task OnConnectionDownAsync(Circuit circuit, CancellationToken cancellationToken) => DisconnectAsync();

    public override async Task OnConnectionUpAsync(Circuit circuit, CancellationToken cancellationToken)
    {
        if (_started && !_connected)
        {
            await ConnectAsync();
            await RefreshAsync();
        }
    }

    public override async Task OnCircuitClosedAsync(Circuit circuit, CancellationToken cancellationToken)
    {
        _closed = true;
        await DisconnectAsync();
        Unsubscribe();
    }

    private void Unsubscribe()
    {
        foreach (var s in _subscriptions)
        {
            s.Dispose();
        }
        _subscriptions.Clear();
    }

    public async ValueTask DisposeAsync()
    {
        _closed = true;
        Unsubscribe();
        await DisconnectAsync();
    }
}
