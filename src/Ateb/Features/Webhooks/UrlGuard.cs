using System.Net;
using System.Net.Sockets;

namespace Ateb.Features.Webhooks;

/// <summary>
/// Keeps webhooks away from the server's own network (SSRF). Checked when a URL is saved and again on the
/// address actually connected to, so DNS rebinding and odd IP spellings (127.1, 2130706433) do not slip through.
/// </summary>
internal static class UrlGuard
{
    public static string? ValidateUrl(string? value, bool allowPrivate)
    {
        if (string.IsNullOrWhiteSpace(value) || value.Length > 2000 || !Uri.TryCreate(value, UriKind.Absolute, out var uri))
        {
            return "must be an absolute http or https URL.";
        }
        if (uri.Scheme is not ("http" or "https"))
        {
            return "must use http or https.";
        }
        if (!string.IsNullOrEmpty(uri.UserInfo))
        {
            return "must not contain credentials.";
        }
        if (!allowPrivate && (uri.IsLoopback || (IPAddress.TryParse(uri.DnsSafeHost, out var ip) && !IsPublic(ip))
            || uri.DnsSafeHost.EndsWith(".localhost", StringComparison.OrdinalIgnoreCase)
            || (uri.HostNameType == UriHostNameType.Dns && !uri.DnsSafeHost.Contains('.'))))
        {
            return "must point to a public address.";
        }
        return null;
    }

    public static bool IsPublic(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }
        if (IPAddress.IsLoopback(address) || address.Equals(IPAddress.Any) || address.Equals(IPAddress.IPv6Any)
            || address.Equals(IPAddress.Broadcast))
        {
            return false;
        }
        if (address.AddressFamily == AddressFamily.InterNetworkV6)
        {
            return !(address.IsIPv6LinkLocal || address.IsIPv6SiteLocal || address.IsIPv6UniqueLocal || address.IsIPv6Multicast);
        }
        var b = address.GetAddressBytes();
        return b[0] switch
        {
            0 or 10 or 127 => false,
            100 when b[1] >= 64 && b[1] <= 127 => false,
            169 when b[1] == 254 => false,
            172 when b[1] >= 16 && b[1] <= 31 => false,
            192 when b[1] == 168 => false,
            192 when b[1] == 0 && b[2] == 0 => false,
            198 when b[1] is 18 or 19 => false,
            >= 224 => false,
            _ => true,
        };
    }
}
