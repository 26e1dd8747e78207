using System.Text.Json;
using System.Text.Json.Serialization;
using System.Threading.Channels;
using Ateb.Features.Chat;
using Ateb.Features.Customers;
using Ateb.Tests.Testing;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;

namespace Ateb.Tests.Features.Chat;

/// <summary>Ateb with a fast chat router and short presence timings, so offers and disconnects play out in a test's time.</summary>
public sealed class ChatApp : AtebApp
{
    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Chat:RouterTick"] = "00:00:00.100",
        ["Chat:Heartbeat"] = "00:00:00.500",
        ["Chat:OnlineFor"] = "00:00:03",
        ["Chat:DisconnectGrace"] = "00:00:01",
        ["RateLimits:PublicPerMinute"] = "1000",
    };
}

/// <summary>Everything a hub client received, by method, to await in order.</summary>
internal sealed class Inbox<T>
{
    private readonly Channel<T> _items = Channel.CreateUnbounded<T>();

    public void Add(T item) => _items.Writer.TryWrite(item);

    /// <summary>The next item that matches, skipping others; fails after a generous timeout.</summary>
    public async Task<T> NextAsync(Func<T, bool>? match = null, int seconds = 15)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(seconds));
        try
        {
            while (true)
            {
                var item = await _items.Reader.ReadAsync(timeout.Token);
                if (match is null || match(item))
                {
                    return item;
                }
            }
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"No matching {typeof(T).Name} within {seconds} s.");
        }
    }

    public bool TryTake(out T item) => _items.Reader.TryRead(out item!);
}

internal sealed class VisitorClient : IAsyncDisposable
{
    public required HubConnection Connection { get; init; }
    public required string Token { get; init; }
    public Inbox<ChatMessageView> Messages { get; } = new();
    public Inbox<ChatConversationView> Conversations { get; } = new();
    public Inbox<ChatTyping> Typing { get; } = new();
    public Inbox<ChatMarks> Marks { get; } = new();

    public Task<VisitorSync> HelloAsync(Guid? last = null) => Connection.InvokeAsync<VisitorSync>("Hello", new HelloRequest(Token, last, null));

    public Task<ChatSendResult> SendAsync(string text, string? clientId = null) =>
        Connection.InvokeAsync<ChatSendResult>("Send", new VisitorSendRequest(clientId ?? Guid.NewGuid().ToString("N"), text, "https://shop.example/cart", "Cart"));

    public ValueTask DisposeAsync() => Connection.DisposeAsync();
}

internal sealed class AgentClient : IAsyncDisposable
{
    public required HubConnection Connection { get; init; }
    public Guid SeatId { get; init; }
    public Inbox<ChatOffer> Offers { get; } = new();
    public Inbox<Guid> Withdrawn { get; } = new();
    public Inbox<ChatSummary> Chats { get; } = new();
    public Inbox<ChatMessageView> Messages { get; } = new();
    public Inbox<ChatTyping> Typing { get; } = new();
    public Inbox<ChatMarks> Marks { get; } = new();

    public Task<ChatMessageView> SendAsync(Guid chat, string text, bool note = false) =>
        Connection.InvokeAsync<ChatMessageView>("Send", chat, new AgentSendRequest(Guid.NewGuid().ToString("N"), text, note));

    public ValueTask DisposeAsync() => Connection.DisposeAsync();
}

internal static class ChatTesting
{
    public static void Protocol(JsonHubProtocolOptions o) =>
        o.PayloadSerializerOptions.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.CamelCase));

    /// <summary>A visitor as the widget makes one (anonymous: their own customer with a ChatVisitor identity), and their token.</summary>
    public static async Task<(Guid VisitorId, string Token)> NewVisitorAsync(AtebApp app, TestWorkspace ws, string name = "Visitor")
    {
        var visitorId = await ws.DbAsync(async db =>
        {
            var customer = new Customer { Name = name, CreatedAt = DateTimeOffset.UtcNow };
            db.Customers.Add(customer);
            var visitor = new ChatVisitor { CustomerId = customer.Id, Name = name, CreatedAt = DateTimeOffset.UtcNow, LastSeenAt = DateTimeOffset.UtcNow };
            db.ChatVisitors.Add(visitor);
            db.CustomerIdentities.Add(new CustomerIdentity
            {
                CustomerId = customer.Id, Kind = IdentityKind.ChatVisitor, Value = visitor.Id.ToString("N"), Normalized = visitor.Id.ToString("N"), CreatedAt = DateTimeOffset.UtcNow,
            });
            await db.SaveChangesAsync();
            return visitor.Id;
        });
        var token = app.Services.GetRequiredService<VisitorTokens>().Issue(ws.Id, visitorId, verified: false);
        return (visitorId, token.Token);
    }

    public static async Task<string> SlugAsync(this TestWorkspace ws) =>
        await ws.DbAsync(db => Task.FromResult(db.Workspaces.First(w => w.Id == ws.Id).Slug));

    public static async Task<VisitorClient> VisitorAsync(AtebApp app, TestWorkspace ws, string? token = null, string? slug = null)
    {
        token ??= (await NewVisitorAsync(app, ws)).Token;
        slug ??= await SlugAsync(ws);
        var connection = new HubConnectionBuilder()
            .WithUrl(new Uri(app.Server.BaseAddress, $"/hubs/chat?workspace={slug}"), o =>
            {
                o.HttpMessageHandlerFactory = _ => app.Server.CreateHandler();
                o.Transports = HttpTransportType.LongPolling;
            })
            .AddJsonProtocol(Protocol).Build();
        var client = new VisitorClient { Connection = connection, Token = token };
        connection.On<ChatMessageView>("Message", client.Messages.Add);
        connection.On<ChatConversationView>("Conversation", client.Conversations.Add);
        connection.On<ChatTyping>("Typing", client.Typing.Add);
        connection.On<ChatMarks>("Marks", client.Marks.Add);
        await connection.StartAsync();
        return client;
    }

    /// <summary>An agent's hub client with their API token; Hello makes them online, and they switch chat on.</summary>
    public static async Task<AgentClient> AgentAsync(AtebApp app, HttpClient agent, Guid seatId, bool available = true)
    {
        var token = agent.DefaultRequestHeaders.Authorization!.Parameter!;
        var connection = new HubConnectionBuilder()
            .WithUrl(new Uri(app.Server.BaseAddress, "/hubs/agent"), o =>
            {
                o.HttpMessageHandlerFactory = _ => app.Server.CreateHandler();
                o.Transports = HttpTransportType.LongPolling;
                o.Headers["Authorization"] = "Bearer " + token;
            })
            .AddJsonProtocol(Protocol).Build();
        var client = new AgentClient { Connection = connection, SeatId = seatId };
        connection.On<ChatOffer>("Offer", client.Offers.Add);
        connection.On<Guid>("OfferWithdrawn", client.Withdrawn.Add);
        connection.On<ChatSummary>("Chat", client.Chats.Add);
        connection.On<ChatMessageView>("Message", client.Messages.Add);
        connection.On<ChatTyping>("Typing", client.Typing.Add);
        connection.On<ChatMarks>("Marks", client.Marks.Add);
        await connection.StartAsync();
        await connection.InvokeAsync<AgentSync>("Hello");
        if (available)
        {
            await connection.InvokeAsync("SetAvailable", true);
        }
        return client;
    }
}
