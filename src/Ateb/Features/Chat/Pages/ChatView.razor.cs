using System;
using System.Collections.Generic;
using System.Linq;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using Ateb;
using Ateb.Components;
using Ateb.Components.Layout;
using Ateb.Components.Session;
using Ateb.Features.Agents;
using Ateb.Features.Kb;
using Ateb.Features.Search;
using Ateb.Features.Tickets;
using Ateb.Features.Tickets.Pages;
using Ateb.Infrastructure.Realtime;
using Ateb.Infrastructure.Text;
using Ateb.Infrastructure.Web;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Components.Forms;
using Microsoft.AspNetCore.Components.Routing;
using Microsoft.AspNetCore.Components.Web;
using Microsoft.AspNetCore.Components.Web.Virtualization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using Microsoft.JSInterop;

namespace Ateb.Features.Chat.Pages;

/// <summary>The chat page's state and actions (markup in ChatView.razor).</summary>
public partial class ChatView
{

    [Parameter] public Guid Id { get; set; }

    private Guid _loaded;
    private ChatSummary? _chat;
    private readonly List<ChatMessageView> _messages = [];
    private readonly HashSet<Guid> _seen = [];
    private ChatMarks? _marks;
    private Guid? _ticketId;
    private string? _ratingComment;
    private bool _offeredToMe;
    private bool _notFound;
    private string? _error;
    private string? _notice;
    private bool _busy;
    private WorkspaceDirectory? _directory;
    private List<(Guid Id, string Name, bool Online)> _agents = [];
    private string _transferTo = "";
    private string? _transferNote;
    private bool _confirmEnd;
    private KbSearchResult[] _suggestions = [];
    private string? _suggestedFor;

    private string _text = "";
    private bool _note;
    private bool _sending;
    private string? _composerError;
    private string _clientId = NewClientId();
    private long _typingSentAt;
    private bool _typing;
    private Timer? _idle;

    private bool _visitorTyping;
    private Timer? _typingLapse;

    private IDisposable? _subscription;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private int _pending;
    private int _rendered;
    private bool _visible = true;
    private Guid? _markedDelivered;
    private Guid? _markedRead;
    private DotNetObjectReference<ChatView>? _self;

    private bool CanWork => Session.Actor.Role.CanWorkTickets();

    private bool IsMine => _chat is { State: ChatState.Active } c && c.AgentId == Session.Actor.MembershipId;

    /// <summary>Only the agent holding the chat writes to the visitor; anyone else (and everyone after the end) writes notes.</summary>
    private bool CanReply => IsMine && CanWork;

    private List<ChatSummary> Others => [.. Chats.Mine.Where(m => m.Id != Id)];

    private string? LastVisitorText => _messages.LastOrDefault(m => m.Author == ChatAuthor.Visitor && m.Text.Length > 0)?.Text;

    private static string NewClientId() => "ws-" + Guid.NewGuid().ToString("N");

    protected override async Task OnParametersSetAsync()
    {
        if (Id == _loaded)
        {
            return;
        }
        Leave();
        _loaded = Id;
        _chat = null;
        _messages.Clear();
        _seen.Clear();
        (_marks, _ticketId, _ratingComment, _notFound, _error, _notice, _confirmEnd) = (null, null, null, false, null, null, false);
        (_suggestions, _suggestedFor, _markedDelivered, _markedRead, _visitorTyping, _rendered) = ([], null, null, null, false, 0);
        (_text, _note, _composerError, _transferTo, _transferNote) = ("", false, null, "", null);
        _directory = await Session.DirectoryAsync();
        var id = Id;
        _subscription = Live.Subscribe(ChatTopics.Chat(id), e => InvokeAsync(async () =>
        {
            if (id != _loaded)
            {
                return;
            }
            if (e.Detail is { } detail && detail.StartsWith("typing:", StringComparison.Ordinal))
            {
                VisitorTyping(detail.StartsWith("typing:1", StringComparison.Ordinal));
            }
            else
            {
                await SyncAsync();
            }
            StateHasChanged();
        }));
        await SyncAsync();
        await LoadAgentsAsync();
    }

    /// <summary>Fetches what is new since the last message shown (and the chat's state and marks); bursts coalesce.</summary>
    private async Task SyncAsync()
    {
        Interlocked.Exchange(ref _pending, 1);
        while (Volatile.Read(ref _pending) == 1 && await _gate.WaitAsync(0))
        {
            try
            {
                while (Interlocked.Exchange(ref _pending, 0) == 1)
                {
                    await SyncOnceAsync();
                }
            }
            finally
            {
                _gate.Release();
            }
        }
    }

    private async Task SyncOnceAsync()
    {
        var id = Id;
        var after = _messages.Count > 0 ? _messages[^1].Id : (Guid?)null;
        ChatDetail detail;
        try
        {
            detail = await Session.RunAsync<ChatDesk, ChatDetail>((desk, actor) => desk.OpenAsync(actor, id, after, CancellationToken.None));
        }
        catch (ChatException e) when (e.Code == "not_found")
        {
            _notFound = true;
            return;
        }
        var previous = _chat?.State;
        _chat = detail.Chat;
        _marks = detail.VisitorMarks;
        var visitorWrote = false;
        foreach (var m in detail.Messages)
        {
            if (_seen.Add(m.Id))
            {
                _messages.Add(m);
                visitorWrote |= m.Author == ChatAuthor.Visitor;
            }
        }
        if (visitorWrote)
        {
            VisitorTyping(false);
        }
        var facts = await Session.QueryAsync(db => db.ChatConversations.AsNoTracking().Where(x => x.Id == id)
            .Select(x => new { x.TicketId, x.RatingComment, x.OfferedToId }).FirstOrDefaultAsync());
        _ticketId = facts?.TicketId;
        _ratingComment = facts?.RatingComment;
        _offeredToMe = facts?.OfferedToId == Session.Actor.MembershipId;
        if (previous is not null && previous != _chat.State && _chat.State == ChatState.Ended)
        {
            _notice = L["The chat has ended."];
        }
        if (!CanReply)
        {
            _note = true;
        }
        await MarkAsync();
        await SuggestAsync();
    }

    /// <summary>Who is available moves with the queue's events: the transfer list follows.</summary>
    protected override void ChatsChanged() => _ = InvokeAsync(async () =>
    {
        await LoadAgentsAsync();
        StateHasChanged();
    });

    private async Task LoadAgentsAsync()
    {
        var me = Session.Actor.MembershipId;
        var seats = await Session.QueryAsync(db => db.Memberships.AsNoTracking()
            .Where(m => m.Active && m.Id != me && (m.Role == Role.Agent || m.Role == Role.Admin || m.Role == Role.Owner))
            .Select(m => new { m.Id, Name = m.Account!.DisplayName == "" ? m.Account.Email ?? "" : m.Account.DisplayName }).ToListAsync());
        var online = await Session.RunAsync<ChatAvailabilityCheck, List<Guid>>((check, _) => check.OnlineAgentsAsync(CancellationToken.None));
        _agents = [.. seats.Select(s => (s.Id, s.Name, online.Contains(s.Id))).OrderByDescending(a => a.Item3).ThenBy(a => a.Name, StringComparer.CurrentCulture)];
    }

    // ---------------------------------------------------------------- marks, typing, suggestions

    /// <summary>The visitor's messages up to the last one are delivered once this page has them, and read while the page is visible.</summary>
    private async Task MarkAsync()
    {
        if (!IsMine || _messages.LastOrDefault(m => m.Author == ChatAuthor.Visitor) is not { } last)
        {
            return;
        }
        var delivered = _markedDelivered == last.Id ? null : (Guid?)last.Id;
        var read = _visible && _markedRead != last.Id ? (Guid?)last.Id : null;
        if (delivered is null && read is null)
        {
            return;
        }
        var id = Id;
        try
        {
            await Session.RunAsync<ChatDesk, bool>(async (desk, actor) =>
            {
                await desk.AgentMarksAsync(actor, id, new MarkRequest(last.Id, read), CancellationToken.None);
                return true;
            });
            _markedDelivered = last.Id;
            _markedRead = read ?? _markedRead;
        }
        catch (ChatException)
        {
            // Best effort, like the hub: the next message marks again.
        }
    }

    [JSInvokable]
    public async Task VisibilityChanged(bool visible)
    {
        _visible = visible;
        if (visible)
        {
            await MarkAsync();
        }
    }

    private void VisitorTyping(bool typing)
    {
        _visitorTyping = typing;
        _typingLapse?.Dispose();
        _typingLapse = typing
            ? new Timer(_ => InvokeAsync(() =>
            {
                _visitorTyping = false;
                StateHasChanged();
            }), null, TimeSpan.FromSeconds(6), Timeout.InfiniteTimeSpan)
            : null;
    }

    /// <summary>Tells the visitor the agent is typing at most every 2 seconds, and that they stopped 4 seconds after the last key.</summary>
    private async Task Typed()
    {
        if (_note || !IsMine)
        {
            return;
        }
        _idle?.Dispose();
        _idle = new Timer(_ => InvokeAsync(() => StopTypingAsync()), null, TimeSpan.FromSeconds(4), Timeout.InfiniteTimeSpan);
        var now = Environment.TickCount64;
        if (!_typing || now - _typingSentAt > 2000)
        {
            _typing = true;
            _typingSentAt = now;
            await SignalTypingAsync(true);
        }
    }

    private async Task StopTypingAsync()
    {
        _idle?.Dispose();
        if (_typing)
        {
            _typing = false;
            await SignalTypingAsync(false);
        }
    }

    private async Task SignalTypingAsync(bool typing, Guid? chat = null)
    {
        var id = chat ?? _loaded;
        try
        {
            await Session.RunAsync<ChatDesk, bool>(async (desk, actor) =>
            {
                await desk.AgentTypingAsync(actor, id, typing, CancellationToken.None);
                return true;
            });
        }
        catch (ChatException)
        {
        }
    }

    /// <summary>Articles for what the visitor last wrote, through the same suggestions the ticket composer uses.</summary>
    private async Task SuggestAsync()
    {
        var text = LastVisitorText;
        if (text is null || text == _suggestedFor)
        {
            return;
        }
        _suggestedFor = text;
        var outcome = await Session.RunScopedAsync(async (sp, actor) => Outcomes.Unwrap<KbSearchResult[]>(await KbFeature.SuggestAsync(text, null, 3,
            sp.GetRequiredService<Ateb.Infrastructure.Data.AtebDb>(), sp.GetRequiredService<ISearchEngine>(), actor, CancellationToken.None)));
        _suggestions = outcome.Value ?? [];
        if (_suggestions.Length > 0 && _helpRoot is null)
        {
            // The workspace's own help center address when it has one (as the ticket composer's article picker does).
            var workspaceId = Session.Actor.WorkspaceId;
            var host = await Session.QueryAsync(db => db.Workspaces.Where(w => w.Id == workspaceId).Select(w => w.HelpCenterHost).FirstOrDefaultAsync());
            _helpRoot = host is null ? Navigation.BaseUri.TrimEnd('/') : $"{new Uri(Navigation.BaseUri).Scheme}://{host}";
        }
    }

    private string? _helpRoot;

    private string ArticleLink(KbSearchResult article) =>
        article.IsInternal ? article.Title : $"{article.Title}: {_helpRoot ?? Navigation.BaseUri.TrimEnd('/')}/help/{article.Language}/articles/{article.ArticleId}";

    // ---------------------------------------------------------------- composer

    private async Task Mode(bool note)
    {
        _note = note || !CanReply;
        if (_note)
        {
            await StopTypingAsync();
        }
        await JS.InvokeVoidAsync("atebFocus", "#chat-text");
    }

    private void Insert(string text) => _text = string.IsNullOrWhiteSpace(_text) ? text : _text.TrimEnd() + "\n" + text;

    private async Task SendAsync()
    {
        if (string.IsNullOrWhiteSpace(_text) || _sending)
        {
            return;
        }
        _sending = true;
        _composerError = null;
        var id = Id;
        var request = new AgentSendRequest(_clientId, _text, _note || !CanReply);
        try
        {
            var sent = await Session.RunAsync<ChatDesk, ChatMessageView>((desk, actor) => desk.AgentSendAsync(actor, id, request, CancellationToken.None));
            if (_seen.Add(sent.Id))
            {
                _messages.Add(sent);
            }
            _text = "";
            _clientId = NewClientId();
            await StopTypingAsync();
        }
        catch (ChatException e)
        {
            // The text stays, and so does the client id: sending again cannot make a second message.
            _composerError = ChatWords.Error(L, e);
        }
        finally
        {
            _sending = false;
        }
    }

    /// <summary>Each file goes at once as its own message (to the visitor, or as a note in note mode), as chat apps do.</summary>
    private async Task AttachAsync(InputFileChangeEventArgs e)
    {
        if (_sending)
        {
            return;
        }
        _sending = true;
        _composerError = null;
        var id = Id;
        try
        {
            foreach (var file in e.GetMultipleFiles(10))
            {
                if (file.Size > BrowserFiles.MaxBytes)
                {
                    _composerError = L["{0} is larger than {1} MB.", file.Name, Session.Clock.Number(BrowserFiles.MaxMegabytes)];
                    continue;
                }
                var upload = await BrowserFiles.ToAttachmentAsync(file);
                var request = new AgentSendRequest(NewClientId(), "", _note || !CanReply);
                var sent = await Session.RunAsync<ChatDesk, ChatMessageView>((desk, actor) => desk.AgentUploadAsync(actor, id, request, upload, CancellationToken.None));
                if (_seen.Add(sent.Id))
                {
                    _messages.Add(sent);
                }
            }
        }
        catch (ChatException ex)
        {
            _composerError = ChatWords.Error(L, ex);
        }
        catch (IOException ex)
        {
            _composerError = ex.Message;
        }
        finally
        {
            _sending = false;
        }
    }

    // ---------------------------------------------------------------- actions

    private async Task AcceptAsync()
    {
        await ActAsync(async () =>
        {
            await Chats.AcceptAsync(Id);
            _note = false;
        });
        await SyncAsync();
    }

    private async Task DeclineAsync()
    {
        await ActAsync(() => Chats.DeclineAsync(Id));
        Navigation.NavigateTo("/chats");
    }

    private async Task TransferAsync()
    {
        var parts = _transferTo.Split(':', 2);
        if (parts.Length != 2 || !Guid.TryParse(parts[1], out var target))
        {
            return;
        }
        var request = parts[0] == "agent" ? new TransferRequest(target, null, _transferNote) : new TransferRequest(null, target, _transferNote);
        var id = Id;
        var done = await ActAsync(() => Session.RunAsync<ChatDesk, ChatSummary>((desk, actor) => desk.TransferAsync(actor, id, request, CancellationToken.None)));
        if (done)
        {
            _notice = parts[0] == "agent"
                ? L["Transferred: the chat is offered to {0}.", _agents.FirstOrDefault(a => a.Id == target).Name ?? ""]
                : L["Transferred: the chat is back in the queue of {0}.", _directory?.TeamName(target) ?? ""];
            (_transferTo, _transferNote) = ("", null);
            await SyncAsync();
            await Chats.RefreshAsync();
        }
    }

    private async Task EndAsync()
    {
        var id = Id;
        if (await ActAsync(() => Session.RunAsync<ChatDesk, ChatSummary>((desk, actor) => desk.EndAsync(actor, id, CancellationToken.None))))
        {
            _confirmEnd = false;
            await SyncAsync();
        }
    }

    private async Task<bool> ActAsync(Func<Task> action)
    {
        _busy = true;
        _error = null;
        try
        {
            await action();
            return true;
        }
        catch (ChatException e)
        {
            _error = ChatWords.Error(L, e);
            return false;
        }
        finally
        {
            _busy = false;
        }
    }

    // ---------------------------------------------------------------- rendering

    private string Kind(ChatMessageView m) => m.Author switch
    {
        ChatAuthor.System => "system",
        _ when m.IsNote => "note",
        ChatAuthor.Visitor => "from-visitor",
        _ => "from-agent",
    };

    /// <summary>"read", "delivered" or "sent": how far the visitor's widget has got with this agent message.</summary>
    private string MarkOf(ChatMessageView m)
    {
        var at = _messages.IndexOf(m);
        if (_marks?.ReadUpTo is { } read && _messages.FindIndex(x => x.Id == read) >= at)
        {
            return "read";
        }
        return _marks?.DeliveredUpTo is { } delivered && _messages.FindIndex(x => x.Id == delivered) >= at ? "delivered" : "sent";
    }

    private string MarkWords(string mark) => mark switch
    {
        "read" => "✓✓ " + L["Read"],
        "delivered" => "✓✓ " + L["Delivered"],
        _ => "✓ " + L["Sent"],
    };

    private string StateName(ChatState state) => state switch
    {
        ChatState.Queued => L["In the queue"],
        ChatState.Offered => L["Being offered"],
        ChatState.Active => L["Active"],
        _ => L["Ended"],
    };

    private static bool IsWebAddress(string url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp);

    protected override async Task OnAfterRenderAsync(bool firstRender)
    {
        if (!RendererInfo.IsInteractive)
        {
            return;
        }
        try
        {
            if (_self is null)
            {
                _self = DotNetObjectReference.Create(this);
                _visible = await JS.InvokeAsync<bool>("atebVisibility", _self);
            }
            if (_messages.Count != _rendered)
            {
                _rendered = _messages.Count;
                await JS.InvokeVoidAsync("atebScrollEnd", "#chat-log");
            }
        }
        catch (JSDisconnectedException)
        {
        }
    }

    private void Leave()
    {
        _subscription?.Dispose();
        _subscription = null;
        _idle?.Dispose();
        _typingLapse?.Dispose();
        if (_typing && _loaded != Guid.Empty)
        {
            _typing = false;
            _ = SignalTypingAsync(false, _loaded);
        }
    }

    public override void Dispose()
    {
        Leave();
        _self?.Dispose();
        base.Dispose();
        GC.SuppressFinalize(this);
    }
}
