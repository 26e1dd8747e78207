using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Ateb.E2E.Chat;

/// <summary>
/// A customer's web site embedding the chat widget, on its own origin (127.0.0.1 and another port than Ateb's), with a
/// strict Content-Security-Policy (no inline script or style, scripts and connections only to Ateb) and, unless calm,
/// hostile CSS that unsets every property of every element, hides every div and restyles every button and input. The
/// widget must look and work the same, and must leave the page's own styles alone.
/// </summary>
internal sealed class WidgetHostPage : IAsyncDisposable
{
    public const string HostileCss = """
        * { all: unset !important; }
        :root { font-size: 4px !important; }
        html, body { display: block !important; direction: rtl !important; }
        body { font: 31px/3 "Courier New", monospace !important; color: #a0a !important; letter-spacing: 3px !important; word-spacing: 9px !important; text-transform: uppercase !important; }
        div, section, form, span, p, ul, li, fieldset { display: none !important; }
        button, input, textarea, a { display: inline-block !important; background: lime !important; border: 9px dashed red !important; font-size: 40px !important; padding: 30px !important; color: red !important; }
        h1 { display: block !important; }
        """;

    private readonly HttpListener _listener;
    private readonly AtebServer _ateb;
    private readonly Task _loop;

    private WidgetHostPage(HttpListener listener, int port, AtebServer ateb)
    {
        _listener = listener;
        _ateb = ateb;
        Port = port;
        _loop = Task.Run(ServeAsync);
    }

    public int Port { get; }

    /// <summary>The site's origin, to put among the workspace's allowed origins.</summary>
    public string Origin => $"http://127.0.0.1:{Port}";

    /// <summary>The workspace slug the embed tag names.</summary>
    public required string Workspace { get; init; }

    /// <summary>The Content-Security-Policy every answer carries: only Ateb may be scripted and connected to.</summary>
    public string Csp
    {
        get
        {
            var ateb = _ateb.BaseAddress.GetLeftPart(UriPartial.Authority);
            return $"default-src 'none'; script-src {ateb}; connect-src {ateb} ws://{_ateb.BaseAddress.Authority}; style-src 'self'; img-src 'self'; " +
                "base-uri 'none'; form-action 'none'; frame-ancestors 'none'";
        }
    }

    public static Task<WidgetHostPage> StartAsync(AtebServer ateb, string workspace)
    {
        for (var attempt = 1; ; attempt++)
        {
            var port = FreePort();
            var listener = new HttpListener();
            listener.Prefixes.Add($"http://127.0.0.1:{port}/");
            try
            {
                listener.Start();
                return Task.FromResult(new WidgetHostPage(listener, port, ateb) { Workspace = workspace });
            }
            catch (HttpListenerException) when (attempt < 5)
            {
                listener.Close();
            }
        }
    }

    /// <summary>
    /// The page's address. <paramref name="lang"/> is the page's &lt;html lang&gt;; <paramref name="calm"/> leaves out the
    /// hostile CSS (for axe-core, which judges the whole page); <paramref name="attributes"/> go on the script tag as they are.
    /// </summary>
    public string Url(string lang = "en", bool calm = false, string attributes = "") =>
        $"{Origin}/?lang={Uri.EscapeDataString(lang)}&calm={(calm ? 1 : 0)}&attrs={Uri.EscapeDataString(attributes)}";

    private async Task ServeAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }
            try
            {
                Answer(context);
            }
            catch (HttpListenerException)
            {
            }
        }
    }

    private void Answer(HttpListenerContext context)
    {
        var request = context.Request;
        var response = context.Response;
        response.Headers["Content-Security-Policy"] = Csp;
        response.Headers["X-Content-Type-Options"] = "nosniff";
        string body;
        if (request.Url!.AbsolutePath == "/hostile.css")
        {
            response.ContentType = "text/css; charset=utf-8";
            body = HostileCss;
        }
        else if (request.Url.AbsolutePath == "/favicon.ico")
        {
            response.StatusCode = 204;
            body = "";
        }
        else if (request.Url.AbsolutePath == "/calm.css")
        {
            response.ContentType = "text/css; charset=utf-8";
            body = "body { font: 16px/1.5 serif; margin: 2rem; color: #222; }";
        }
        else if (request.Url.AbsolutePath == "/")
        {
            var query = request.QueryString;
            var lang = WebUtility.HtmlEncode(query["lang"] ?? "en");
            var css = query["calm"] == "1" ? "/calm.css" : "/hostile.css";
            var attrs = query["attrs"] ?? "";
            var script = WebUtility.HtmlEncode(_ateb.Url("/widget.js"));
            var slug = WebUtility.HtmlEncode(Workspace);
            response.ContentType = "text/html; charset=utf-8";
            body = $"""
                <!doctype html>
                <html lang="{lang}">
                <head>
                <meta charset="utf-8">
                <meta name="viewport" content="width=device-width, initial-scale=1">
                <title>Example shop</title>
                <link rel="stylesheet" href="{css}">
                </head>
                <body>
                <main>
                <h1 id="shop-title">Example shop</h1>
                <div class="promo">A div the hostile stylesheet hides.</div>
                <p>Welcome to the example shop. Questions? Chat with us.</p>
                </main>
                <script src="{script}" data-workspace="{slug}" {attrs} async></script>
                </body>
                </html>
                """;
        }
        else
        {
            response.StatusCode = 404;
            body = "not found";
        }
        var bytes = Encoding.UTF8.GetBytes(body);
        response.ContentLength64 = bytes.Length;
        response.OutputStream.Write(bytes);
        response.Close();
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public async ValueTask DisposeAsync()
    {
        _listener.Stop();
        _listener.Close();
        try
        {
            await _loop;
        }
        catch (ObjectDisposedException)
        {
        }
    }
}
