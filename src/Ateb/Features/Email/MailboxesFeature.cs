using System.Security.Cryptography;
using System.Text;
using Ateb.Features.Agents;
using Ateb.Features.Audit;
using Ateb.Features.Tickets;
using Ateb.Infrastructure.Data;
using Ateb.Infrastructure.Outbox;
using Ateb.Infrastructure.Storage;
using Ateb.Infrastructure.Text;
using Ateb.Infrastructure.Web;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace Ateb.Features.Email;

/// <summary>A server's settings; on update, null leaves a value as it was, and an empty host removes the server.</summary>
public sealed record MailServerRequest(string? Host, int? Port, MailSecurity? Security, string? User, MailAuth? Auth, string? Secret);

/// <summary>OAuth2 refresh settings; on update, null leaves a value as it was, and an empty tokenEndpoint removes them.</summary>
public sealed record MailOAuthRequest(string? TokenEndpoint, string? ClientId, string? ClientSecret, string? RefreshToken);

public sealed record MailboxRequest(
    string? Name, string? Address, string? FromName, bool? Enabled, MailServerRequest? Imap, string? ImapFolder, MailServerRequest? Smtp,
    bool? AutoAcknowledge, string? TrustedAuthServId, MailOAuthRequest? OAuth = null);

public sealed record MailOAuthResponse(string? TokenEndpoint, string? ClientId, bool HasRefreshToken, DateTimeOffset? AccessTokenExpiresAt);

public sealed record MailServerResponse(string? Host, int Port, MailSecurity Security, string? User, MailAuth Auth, bool HasSecret);

public sealed record MailboxResponse(
    Guid Id, string Name, string Address, string? FromName, bool Enabled, MailServerResponse Imap, string ImapFolder, MailServerResponse Smtp,
    bool AutoAcknowledge, string? TrustedAuthServId, string PipeUrl, DateTimeOffset? LastPolledAt, string? LastError, DateTimeOffset? LastErrorAt,
    int Quarantined, DateTimeOffset CreatedAt, string? PipeSecret, MailOAuthResponse OAuth);

public sealed record InboundMailResponse(
    Guid Id, Guid MailboxId, InboundMailState State, string Source, string? FromAddress, string? Subject, long Size, int Attempts, string? Note,
    Guid? TicketId, Guid? MessageId, DateTimeOffset ReceivedAt, DateTimeOffset? ProcessedAt, string RawUrl);

public sealed record PipedMailResponse(Guid InboundMailId, bool Duplicate);

internal static partial class MailboxesFeature
{
    public const string PipeSecretHeader = "X-Ateb-Mailbox-Secret";

    public static IServiceCollection AddEmail(this IServiceCollection services, IConfiguration config)
    {
        services.Configure<MailPollingOptions>(config.GetSection("Email"));
        services.AddSingleton<MailKeys>();
        services.AddSingleton<MailSecrets>();
        services.AddScoped<MailCredentials>();
        var allowPrivate = config.GetValue<bool>("Email:AllowPrivateTokenEndpoint");
        services.AddHttpClient(MailCredentials.ClientName, c => c.Timeout = TimeSpan.FromSeconds(15))
            .ConfigurePrimaryHttpMessageHandler(() => Webhooks.WebhookSender.Handler(allowPrivate));
        services.AddScoped<InboundMailStore>();
        services.AddScoped<EmailIngest>();
        services.AddScoped<OutgoingMail>();
        services.AddScoped<IReplyChannel, EmailReplyChannel>();
        services.AddSingleton<IOutboxSender, EmailIngestSender>();
        services.AddSingleton<IOutboxSender, SmtpMailSender>();
        services.AddHostedService<MailboxPoller>();
        return services;
    }

    public static void MapEmail(this IEndpointRouteBuilder api)
    {
        var mailboxes = api.MapGroup("/mailboxes").WithTags("Email").RequireAuthorization(Policies.Admin);
        mailboxes.MapGet("/", ListAsync);
        mailboxes.MapPost("/", CreateAsync);
        mailboxes.MapGet("/{id:guid}", GetAsync);
        mailboxes.MapPatch("/{id:guid}", UpdateAsync);
        mailboxes.MapDelete("/{id:guid}", DeleteAsync);
        mailboxes.MapPost("/{id:guid}/pipe-secret", RotatePipeSecretAsync);
        mailboxes.MapGet("/{id:guid}/inbound-mail", InboundAsync);
        var inbound = api.MapGroup("/inbound-mail").WithTags("Email").RequireAuthorization(Policies.Admin);
        inbound.MapGet("/{id:guid}/raw", RawAsync);
        inbound.MapPost("/{id:guid}/retry", RetryAsync);
        // For MTAs that pipe mail (Postfix: | curl --data-binary @- ...) and forwarding services: the mailbox's own secret, no account.
        api.MapPost("/mailboxes/{id:guid}/raw", PipeAsync).WithTags("Email").AllowAnonymous().DisableAntiforgery()
            .RequireRateLimiting(RateLimits.Pipe);
    }

    internal static async Task<MailboxResponse[]> ListAsync(AtebDb db, CancellationToken ct)
    {
        var list = await db.Mailboxes.AsNoTracking().OrderBy(m => m.CreatedAt).ToListAsync(ct);
        var quarantined = await QuarantinedAsync(db, ct);
        return [.. list.Select(m => m.ToResponse(quarantined.GetValueOrDefault(m.Id), null))];
    }

    private static async Task<Dictionary<Guid, int>> QuarantinedAsync(AtebDb db, CancellationToken ct) =>
        await db.InboundMails.AsNoTracking().Where(m => m.State == InboundMailState.Quarantined).GroupBy(m => m.MailboxId)
            .Select(g => new { g.Key, Count = g.Count() }).ToDictionaryAsync(x => x.Key, x => x.Count, ct);

    internal static async Task<Results<Ok<MailboxResponse>, ProblemHttpResult>> GetAsync(Guid id, AtebDb db, CancellationToken ct)
    {
        var mailbox = await db.Mailboxes.AsNoTracking().FirstOrDefaultAsync(m => m.Id == id, ct);
        if (mailbox is null)
        {
            return Problems.NotFound("mailbox");
        }
        return TypedResults.Ok(mailbox.ToResponse((await QuarantinedAsync(db, ct)).GetValueOrDefault(id), null));
    }

    internal static async Task<Results<Created<MailboxResponse>, ProblemHttpResult>> CreateAsync(MailboxRequest body, Actor actor, AtebDb db,
        MailSecrets secrets, TimeProvider clock, IConfiguration config, CancellationToken ct)
    {
        var check = new Check().Text("name", body.Name, 200, required: true);
        var address = ValidateCommon(check, body, creating: true, config);
        if (!check.Ok)
        {
            return check.Problem();
        }
        if (await db.Mailboxes.AnyAsync(m => m.Address == address, ct))
        {
            return Problems.Field("address", "is already a mailbox of this workspace.");
        }
        var now = clock.GetUtcNow();
        var mailbox = new Mailbox { Name = body.Name!.Trim(), Address = address!, CreatedAt = now, UpdatedAt = now };
        Apply(mailbox, body, secrets);
        var pipeSecret = NewPipeSecret(mailbox);
        db.Mailboxes.Add(mailbox);
        db.AuditEntries.Add(AuditEntry.For(actor, "mailbox", mailbox.Id, "created", now, "address", null, mailbox.Address));
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException e) when (e.IsUniqueViolation())
        {
            return Problems.Field("address", "is already a mailbox of this workspace.");
        }
        return TypedResults.Created($"/api/v1/mailboxes/{mailbox.Id}", mailbox.ToResponse(0, pipeSecret));
    }

    internal static async Task<Results<Ok<MailboxResponse>, ProblemHttpResult>> UpdateAsync(Guid id, MailboxRequest body, Actor actor, AtebDb db,
        MailSecrets secrets, TimeProvider clock, IConfiguration config, CancellationToken ct)
    {
        var mailbox = await db.Mailboxes.FirstOrDefaultAsync(m => m.Id == id, ct);
        if (mailbox is null)
        {
            return Problems.NotFound("mailbox");
        }
        var check = new Check().Text("name", body.Name, 200);
        var address = ValidateCommon(check, body, creating: false, config);
        if (!check.Ok)
        {
            return check.Problem();
        }
        if (address is not null && address != mailbox.Address && await db.Mailboxes.AnyAsync(m => m.Address == address, ct))
        {
            return Problems.Field("address", "is already a mailbox of this workspace.");
        }
        if (!string.IsNullOrWhiteSpace(body.Name))
        {
            mailbox.Name = body.Name.Trim();
        }
        mailbox.Address = address ?? mailbox.Address;
        Apply(mailbox, body, secrets);
        mailbox.UpdatedAt = clock.GetUtcNow();
        db.AuditEntries.Add(AuditEntry.For(actor, "mailbox", mailbox.Id, "updated", mailbox.UpdatedAt));
        await db.SaveChangesAsync(ct);
        return TypedResults.Ok(mailbox.ToResponse((await QuarantinedAsync(db, ct)).GetValueOrDefault(id), null));
    }

    internal static async Task<Results<NoContent, ProblemHttpResult>> DeleteAsync(Guid id, Actor actor, AtebDb db, TimeProvider clock, CancellationToken ct)
    {
        var mailbox = await db.Mailboxes.FirstOrDefaultAsync(m => m.Id == id, ct);
        if (mailbox is null)
        {
            return Problems.NotFound("mailbox");
        }
        // Tickets keep their messages; their replies leave from another mailbox from now on.
        await using var transaction = await db.BeginWriteAsync(ct);
        await db.Tickets.Where(t => t.MailboxId == id).ExecuteUpdateAsync(s => s.SetProperty(t => t.MailboxId, (Guid?)null), ct);
        db.Mailboxes.Remove(mailbox);
        db.AuditEntries.Add(AuditEntry.For(actor, "mailbox", id, "deleted", clock.GetUtcNow(), "address", mailbox.Address, null));
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        return TypedResults.NoContent();
    }

    internal static async Task<Results<Ok<MailboxResponse>, ProblemHttpResult>> RotatePipeSecretAsync(Guid id, Actor actor, AtebDb db, TimeProvider clock,
        CancellationToken ct)
    {
        var mailbox = await db.Mailboxes.FirstOrDefaultAsync(m => m.Id == id, ct);
        if (mailbox is null)
        {
            return Problems.NotFound("mailbox");
        }
        var secret = NewPipeSecret(mailbox);
        db.AuditEntries.Add(AuditEntry.For(actor, "mailbox", id, "pipe_secret_rotated", clock.GetUtcNow()));
        await db.SaveChangesAsync(ct);
        return TypedResults.Ok(mailbox.ToResponse(0, secret));
    }

    /// <summary>Checks the fields shared by create and update; returns the normalized address when one was given.</summary>
    private static string? ValidateCommon(Check check, MailboxRequest body, bool creating, IConfiguration config)
    {
        string? address = null;
        if (creating || body.Address is not null)
        {
            address = ContactAddresses.NormalizeEmail(body.Address);
            check.When(address is null, "address", "must be an email address.");
        }
        check.Text("fromName", body.FromName, 200).Text("imapFolder", body.ImapFolder, 200).Text("trustedAuthServId", body.TrustedAuthServId, 253);
        Server(check, "imap", body.Imap);
        Server(check, "smtp", body.Smtp);
        var allowPrivateTokenEndpoint = config.GetValue<bool>("Email:AllowPrivateTokenEndpoint");
        if (body.OAuth is { } oauth)
        {
            check.Text("oAuth.clientId", oauth.ClientId, 500).Text("oAuth.clientSecret", oauth.ClientSecret, 8000).Text("oAuth.refreshToken", oauth.RefreshToken, 8000)
                .When(oauth.TokenEndpoint is { Length: > 0 } url && Webhooks.UrlGuard.ValidateUrl(url, allowPrivateTokenEndpoint) is not null,
                    "oAuth.tokenEndpoint", Webhooks.UrlGuard.ValidateUrl(oauth.TokenEndpoint, allowPrivateTokenEndpoint) ?? "");
        }
        return address;
    }

    private static void Server(Check check, string prefix, MailServerRequest? server)
    {
        if (server is null)
        {
            return;
        }
        check.Text(prefix + ".host", server.Host, 253).Text(prefix + ".user", server.User, 254).Text(prefix + ".secret", server.Secret, 8000)
            .When(server.Port is < 1 or > 65535, prefix + ".port", "must be between 1 and 65535.")
            .When(server.Host is { Length: > 0 } h && (h.Any(char.IsWhiteSpace) || h.Contains('/', StringComparison.Ordinal)), prefix + ".host",
                "must be a host name or IP address.");
    }

    private static void Apply(Mailbox mailbox, MailboxRequest body, MailSecrets secrets)
    {
        if (body.FromName is not null)
        {
            mailbox.FromName = body.FromName.Trim().Length == 0 ? null : body.FromName.Trim();
        }
        mailbox.Enabled = body.Enabled ?? mailbox.Enabled;
        mailbox.AutoAcknowledge = body.AutoAcknowledge ?? mailbox.AutoAcknowledge;
        if (body.TrustedAuthServId is not null)
        {
            mailbox.TrustedAuthServId = body.TrustedAuthServId.Trim().Length == 0 ? null : body.TrustedAuthServId.Trim();
        }
        var source = (mailbox.ImapHost, mailbox.ImapPort, mailbox.ImapUser, mailbox.ImapFolder);
        if (!string.IsNullOrWhiteSpace(body.ImapFolder))
        {
            mailbox.ImapFolder = body.ImapFolder.Trim();
        }
        if (body.Imap is { } imap)
        {
            mailbox.ImapHost = Host(imap.Host, mailbox.ImapHost);
            mailbox.ImapPort = imap.Port ?? mailbox.ImapPort;
            mailbox.ImapSecurity = imap.Security ?? mailbox.ImapSecurity;
            mailbox.ImapUser = imap.User is null ? mailbox.ImapUser : imap.User.Trim().Length == 0 ? null : imap.User.Trim();
            mailbox.ImapAuth = imap.Auth ?? mailbox.ImapAuth;
            mailbox.ImapSecretProtected = imap.Secret is null ? mailbox.ImapSecretProtected : secrets.Protect(imap.Secret);
        }
        if (source != (mailbox.ImapHost, mailbox.ImapPort, mailbox.ImapUser, mailbox.ImapFolder))
        {
            // Another server, account or folder means other UIDs: start over (the content hash keeps mail already fetched
            // from coming in twice). A new password alone keeps the place.
            mailbox.UidValidity = null;
            mailbox.LastUid = 0;
        }
        if (body.OAuth is { } oauth)
        {
            if (oauth.TokenEndpoint is { } endpoint)
            {
                mailbox.OAuthTokenEndpoint = endpoint.Trim().Length == 0 ? null : endpoint.Trim();
            }
            mailbox.OAuthClientId = oauth.ClientId is null ? mailbox.OAuthClientId : oauth.ClientId.Trim().Length == 0 ? null : oauth.ClientId.Trim();
            mailbox.OAuthClientSecretProtected = oauth.ClientSecret is null ? mailbox.OAuthClientSecretProtected : secrets.Protect(oauth.ClientSecret);
            if (oauth.RefreshToken is not null)
            {
                mailbox.OAuthRefreshTokenProtected = secrets.Protect(oauth.RefreshToken);
                mailbox.OAuthAccessTokenExpiresAt = null;
            }
        }
        if (body.Smtp is { } smtp)
        {
            mailbox.SmtpHost = Host(smtp.Host, mailbox.SmtpHost);
            mailbox.SmtpPort = smtp.Port ?? mailbox.SmtpPort;
            mailbox.SmtpSecurity = smtp.Security ?? mailbox.SmtpSecurity;
            mailbox.SmtpUser = smtp.User is null ? mailbox.SmtpUser : smtp.User.Trim().Length == 0 ? null : smtp.User.Trim();
            mailbox.SmtpAuth = smtp.Auth ?? mailbox.SmtpAuth;
            mailbox.SmtpSecretProtected = smtp.Secret is null ? mailbox.SmtpSecretProtected : secrets.Protect(smtp.Secret);
        }
    }

    private static string? Host(string? given, string? current) => given is null ? current : given.Trim().Length == 0 ? null : given.Trim();

    private static string NewPipeSecret(Mailbox mailbox)
    {
        var secret = "mbx_" + Convert.ToBase64String(RandomNumberGenerator.GetBytes(24)).Replace('+', '-').Replace('/', '_');
        mailbox.PipeSecretHash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(secret)));
        return secret;
    }

    private static MailboxResponse ToResponse(this Mailbox m, int quarantined, string? pipeSecret) => new(
        m.Id, m.Name, m.Address, m.FromName, m.Enabled,
        new MailServerResponse(m.ImapHost, m.ImapPort, m.ImapSecurity, m.ImapUser, m.ImapAuth, m.ImapSecretProtected is not null), m.ImapFolder,
        new MailServerResponse(m.SmtpHost, m.SmtpPort, m.SmtpSecurity, m.SmtpUser, m.SmtpAuth, m.SmtpSecretProtected is not null),
        m.AutoAcknowledge, m.TrustedAuthServId, $"/api/v1/mailboxes/{m.Id}/raw", m.LastPolledAt, m.LastError, m.LastErrorAt, quarantined, m.CreatedAt,
        pipeSecret, new MailOAuthResponse(m.OAuthTokenEndpoint, m.OAuthClientId, m.OAuthRefreshTokenProtected is not null, m.OAuthAccessTokenExpiresAt));
}
