using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Ateb.Infrastructure.Data;
using Ateb.Infrastructure.Outbox;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;

namespace Ateb.Features.Webhooks;

/// <summary>Delivers webhook outbox rows: Standard Webhooks headers, HMAC-SHA256 signature, no redirects.</summary>
internal sealed class WebhookSender(IHttpClientFactory http, IServiceScopeFactory scopes, IDataProtectionProvider protection, TimeProvider clock)
    : IOutboxSender
{
    public const string KindName = "webhook";
    public const string ClientName = "webhooks";

    public string Kind => KindName;

    public async Task<SendResult> SendAsync(OutboxMessage message, CancellationToken ct)
    {
        var subscriptionId = JsonDocument.Parse(message.Payload).RootElement.GetProperty("subscriptionId").GetGuid();
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AtebDb>();
        var subscription = await db.WebhookSubscriptions.IgnoreQueryFilters().AsNoTracking()
            .FirstOrDefaultAsync(s => s.Id == subscriptionId && s.WorkspaceId == message.WorkspaceId, ct);
        if (subscription is null || !subscription.Active)
        {
            return SendResult.PermanentFailure("The subscription was removed or disabled.");
        }
        var secret = WebhookSecrets.Protector(protection).Unprotect(subscription.ProtectedSecret);
        var timestamp = clock.GetUtcNow().ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture);
        using var request = new HttpRequestMessage(HttpMethod.Post, subscription.Url)
        {
            Content = new StringContent(message.Payload, Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("webhook-id", message.IdempotencyKey);
        request.Headers.Add("webhook-timestamp", timestamp);
        request.Headers.Add("webhook-signature", "v1," + Sign(secret, message.IdempotencyKey, timestamp, message.Payload));
        using var response = await http.CreateClient(ClientName).SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct);
        var status = (int)response.StatusCode;
        return status switch
        {
            >= 200 and < 300 => SendResult.Ok,
            >= 300 and < 400 => SendResult.Retry($"HTTP {status}: redirects are not followed."),
            _ => SendResult.Retry($"HTTP {status}"),
        };
    }

    public static string Sign(string secret, string id, string timestamp, string body)
    {
        var key = Convert.FromBase64String(secret.StartsWith("whsec_", StringComparison.Ordinal) ? secret[6..] : secret);
        return Convert.ToBase64String(HMACSHA256.HashData(key, Encoding.UTF8.GetBytes($"{id}.{timestamp}.{body}")));
    }

    /// <summary>The connection-level half of the SSRF guard: checks the address really dialled.</summary>
    public static SocketsHttpHandler Handler(bool allowPrivate) => new()
    {
        AllowAutoRedirect = false,
        ConnectTimeout = TimeSpan.FromSeconds(10),
        PooledConnectionLifetime = TimeSpan.FromMinutes(5),
        ConnectCallback = async (context, ct) =>
        {
            var addresses = await System.Net.Dns.GetHostAddressesAsync(context.DnsEndPoint.Host, ct);
            var target = addresses.FirstOrDefault(a => allowPrivate || UrlGuard.IsPublic(a))
                ?? throw new HttpRequestException($"{context.DnsEndPoint.Host} resolves only to private addresses.");
            var socket = new Socket(target.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                await socket.ConnectAsync(target, context.DnsEndPoint.Port, ct);
                return new NetworkStream(socket, ownsSocket: true);
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        },
    };
}

internal static class WebhookSecrets
{
    public static IDataProtector Protector(IDataProtectionProvider provider) => provider.CreateProtector("Ateb.Webhooks.Secret.v1");

    public static string New() => "whsec_" + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
}
