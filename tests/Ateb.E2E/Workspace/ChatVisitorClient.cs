using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Threading.Channels;
using Ateb.Features.Chat;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;

namespace Ateb.E2E.Workspace;

/// <summary>
/// A chat visitor as the widget is one: a token from the public visitors endpoint, then the .NET SignalR client on
/// /hubs/chat (Hello, Send, Typing, Marks, End, Rate), with everything the server pushes kept in order to await.
/// </summary>
internal sealed class ChatVisitorClient : IAsyncDisposable
{
    private readonly HubConnection _hub;
    private readonly string _token;

    private ChatVisitorClient(HubConnection hub, string token)
    {
        _hub = hub;
        _token = token;
        hub.On<ChatMessageView>("Message", Messages.Add);
        hub.On<ChatConversationView>("Conversation", Conversations.Add);
        hub.On<ChatTyping>("Typing", Typing.Add);
        hub.On<ChatMarks>("Marks", Marks.Add);
    }

    public Pushed<ChatMessageView> Messages { get; } = new();
    public Pushed<ChatConversationView> Conversations { get; } = new();
    public Pushed<ChatTyping> Typing { get; } = new();
    public Pushed<ChatMarks> Marks { get; } = new();

    public static async Task<ChatVisitorClient> ConnectAsync(AtebServer server, string name, string language = "en")
    {
        var slug = await SlugAsync(server);
        using var http = server.CreateClient();
        using var response = await http.PostAsJsonAsync($"/api/v1/chat/{slug}/visitors", new VisitorRequest(name, null, null, null, language));
        Assert.True(response.IsSuccessStatusCode, $"POST /api/v1/chat/{slug}/visitors answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        var token = (await response.Content.ReadFromJsonAsync<VisitorToken>(Json))!.Token;
        var hub = new HubConnectionBuilder()
            .WithUrl(server.Url($"/hubs/chat?workspace={slug}"))
            .AddJsonProtocol(o => o.PayloadSerializerOptions.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.CamelCase)))
            .Build();
        var visitor = new ChatVisitorClient(hub, token);
        await hub.StartAsync();
        await hub.InvokeAsync<VisitorSync>("Hello", new HelloRequest(token, null, language));
        return visitor;
    }

    public Task<ChatSendResult> SendAsync(string text) =>
        _hub.InvokeAsync<ChatSendResult>("Send", new VisitorSendRequest(Guid.NewGuid().ToString("N"), text, "https://shop.example/orders/17", "My order"));

    public Task TypingAsync(bool typing) => _hub.InvokeAsync("Typing", typing);

    public Task MarkAsync(Guid? delivered, Guid? read) => _hub.InvokeAsync("Marks", new MarkRequest(delivered, read));

    public Task<ChatConversationView> EndAsync() => _hub.InvokeAsync<ChatConversationView>("End");

    public Task RateAsync(int score, string? comment) => _hub.InvokeAsync("Rate", new RateRequest(score, comment));

    public ValueTask DisposeAsync() => _hub.DisposeAsync();

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private static async Task<string> SlugAsync(AtebServer server)
    {
        var api = await WorkspaceSession.ApiAsync(server);
        var workspace = await api.GetFromJsonAsync<JsonElement>("/api/v1/workspace");
        return workspace.GetProperty("slug").GetString()!;
    }
}

/// <summary>What a hub pushed, awaited in order: the next item that matches, skipping others.</summary>
internal sealed class Pushed<T>
{
    private readonly Channel<T> _items = Channel.CreateUnbounded<T>();
    private readonly List<T> _all = [];

    public void Add(T item)
    {
        lock (_all)
        {
            _all.Add(item);
        }
        _items.Writer.TryWrite(item);
    }

    /// <summary>Everything pushed so far, whether awaited or not.</summary>
    public IReadOnlyList<T> All
    {
        get
        {
            lock (_all)
            {
                return [.. _all];
            }
        }
    }

    public async Task<T> NextAsync(Func<T, bool> match, int seconds = 20)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(seconds));
        try
        {
            while (true)
            {
                var item = await _items.Reader.ReadAsync(timeout.Token);
                if (match(item))
                {
                    return item;
                }
            }
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"No matching {typeof(T).Name} within {seconds} s; got: {string.Join("; ", All)}");
        }
    }
}
