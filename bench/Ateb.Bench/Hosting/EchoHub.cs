using System.Text.Json;
using System.Text.Json.Serialization;
using Ateb.Features.Chat;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR;

namespace Ateb.Bench.Hosting;

/// <summary>
/// The chat workload's same-run reference ("refserver signalr"): a bare SignalR hub on the same transport and JSON
/// protocol as Ateb's chat hubs, with no database, no authorization and no chat logic. A connection joins the groups of
/// its conversations; Send delivers the message to the conversation's group (both sides, as Ateb delivers a message to
/// the visitor's and the agents' connections) and returns it, the way Ateb's Send returns the stored message.
/// </summary>
internal sealed class EchoHub : Hub
{
    public Task Join(string[] groups) => Task.WhenAll(groups.Select(g => Groups.AddToGroupAsync(Context.ConnectionId, g)));

    /// <summary>What an idle widget connection does after connecting: one call that answers (Ateb's Hello).</summary>
    public string Hello(string token) => token;

    public async Task<ChatMessageView> Send(string group, ChatMessageView message)
    {
        var stored = message with { Id = Guid.CreateVersion7(), CreatedAt = DateTimeOffset.UtcNow };
        await Clients.Group(group).SendAsync("Message", stored);
        return stored;
    }

    public static void Map(WebApplication app) =>
        app.MapHub<EchoHub>("/hubs/echo", o => o.Transports = HttpTransportType.WebSockets | HttpTransportType.LongPolling);

    public static void Add(IServiceCollection services) =>
        services.AddSignalR().AddJsonProtocol(o => o.PayloadSerializerOptions.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.CamelCase)));
}
