namespace Ateb.Features.Chat.Pages;

/// <summary>The chat settings page's editable copy: greetings for the workspace's languages (others are kept as they are),
/// allowed origins one per line.</summary>
internal sealed class ChatSettingsForm
{
    public bool Enabled { get; set; }
    public string BrandColor { get; set; } = "#0f766e";
    public Dictionary<string, string> Greetings { get; } = new(StringComparer.OrdinalIgnoreCase);
    public string Origins { get; set; } = "";
    public PreChatForm PreChat { get; set; }
    public int MaxChatsPerAgent { get; set; }
    public int MaxQueue { get; set; }
    public int OfferSeconds { get; set; }
    public string TeamId { get; set; } = "";
    public bool UseBusinessHours { get; set; }

    public static ChatSettingsForm From(ChatSettingsResponse s, IEnumerable<string> languages)
    {
        var form = new ChatSettingsForm
        {
            Enabled = s.Enabled, BrandColor = s.BrandColor, Origins = string.Join('\n', s.AllowedOrigins), PreChat = s.PreChat,
            MaxChatsPerAgent = s.MaxChatsPerAgent, MaxQueue = s.MaxQueue, OfferSeconds = s.OfferSeconds, TeamId = s.TeamId?.ToString() ?? "",
            UseBusinessHours = s.UseBusinessHours,
        };
        foreach (var (tag, text) in s.Greetings)
        {
            form.Greetings[tag] = text;
        }
        foreach (var tag in languages)
        {
            form.Greetings.TryAdd(tag, "");
        }
        return form;
    }

    /// <summary>Lines go as they are (blank ones too), so a refusal's allowedOrigins[i] is line i + 1.</summary>
    public string[] OriginLines() => Origins.Replace("\r", "", StringComparison.Ordinal).Split('\n');

    public ChatSettingsRequest ToRequest() => new(Enabled, BrandColor, Greetings.ToDictionary(g => g.Key, g => (string?)g.Value), OriginLines(), PreChat,
        MaxChatsPerAgent, MaxQueue, OfferSeconds, Guid.TryParse(TeamId, out var team) ? team : null, UseBusinessHours);

    /// <summary>The tag that goes in the host page: Ateb's own address and the workspace's slug.</summary>
    public static string EmbedCode(string origin, string slug) =>
        $"<script src=\"{origin}/widget.js\" data-workspace=\"{System.Net.WebUtility.HtmlEncode(slug)}\" async></script>";

    public static string NodeExample =>
        """
        // Node.js: on your server, never in the browser.
        const crypto = require("node:crypto");
        const userHash = crypto.createHmac("sha256", process.env.ATEB_CHAT_SECRET)
          .update(String(user.id)).digest("hex");
        // <script src=".../widget.js" data-workspace="..." data-user-id="${user.id}" data-user-hash="${userHash}" async></script>
        """;

    public static string PhpExample =>
        """
        <?php
        // PHP: on your server, never in the browser.
        $userHash = hash_hmac('sha256', (string) $user->id, getenv('ATEB_CHAT_SECRET'));
        // <script src=".../widget.js" data-workspace="..." data-user-id="<?= htmlspecialchars($user->id) ?>" data-user-hash="<?= $userHash ?>" async></script>
        """;

    public static string CSharpExample =>
        """
        // C#: on your server, never in the browser.
        using System.Security.Cryptography;
        using System.Text;

        var secret = Environment.GetEnvironmentVariable("ATEB_CHAT_SECRET")!;
        var userHash = Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes(user.Id)));
        // <script src=".../widget.js" data-workspace="..." data-user-id="@user.Id" data-user-hash="@userHash" async></script>
        """;
}
