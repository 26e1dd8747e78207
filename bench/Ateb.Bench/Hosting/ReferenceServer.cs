using System.Text.Json;

namespace Ateb.Bench.Hosting;

/// <summary>
/// The same-run references: a bare Kestrel app that accepts the ticket JSON and does nothing else ("echo"), and an
/// empty app ("hello") for start-up time and memory, and a bare SignalR hub ("signalr", <see cref="EchoHub"/>) for chat. Same process model, same pinning as Ateb.
/// </summary>
internal static class ReferenceServer
{
    public static async Task<int> RunAsync(string mode)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        if (mode == "signalr")
        {
            EchoHub.Add(builder.Services);
        }
        var app = builder.Build();
        app.MapGet("/health", () => "Healthy");
        if (mode == "echo")
        {
            app.MapPost("/echo", async (HttpRequest request) =>
            {
                using var document = await JsonDocument.ParseAsync(request.Body);
                var subject = document.RootElement.GetProperty("subject").GetString();
                return Results.Json(new { id = Guid.CreateVersion7(), subject }, statusCode: 201);
            });
        }
        if (mode == "signalr")
        {
            EchoHub.Map(app);
        }
        await app.RunAsync();
        return 0;
    }
}
