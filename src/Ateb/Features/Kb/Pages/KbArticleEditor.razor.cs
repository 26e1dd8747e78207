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
using Ateb.Infrastructure.Data;
using Ateb.Infrastructure.Outbox;
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

namespace Ateb.Features.Kb.Pages;

/// <summary>The article editor's state and actions (markup in KbArticleEditor.razor).</summary>
public partial class KbArticleEditor
{

    [Parameter] public Guid? Id { get; set; }
    [SupplyParameterFromQuery] public string? Kind { get; set; }
    [SupplyParameterFromQuery(Name = "lang")] public string? Lang { get; set; }

    /// <summary>What the agent is writing in one language, kept while they switch tabs.</summary>
    private sealed class Draft
    {
        public string Title { get; set; } = "";
        public string Markdown { get; set; } = "";
    }

    private sealed record Report(string Who, DateTimeOffset At, string? Comment);

    private KbArticleResponse? _article;
    private KbCategoryResponse[] _categories = [];
    private WorkspaceDirectory? _directory;
    private readonly Dictionary<string, Draft> _drafts = new(StringComparer.Ordinal);
    private string _lang = "en";
    private KbRevisionResponse[] _revisions = [];
    private int? _shownRevision;
    private Report[] _reports = [];
    private KbFeedbackSummary? _feedback;
    private long? _sourceTicket;

    private KbArticleKind _kind;
    private string _categoryId = "";
    private bool _internal;
    private string _ownerId = "";
    private DateOnly? _reviewBy;

    private string _addChoice = "";
    private string? _addTag;
    private string _newChoice = "en";
    private string? _newTag;

    private bool _loaded;
    private bool _notFound;
    private bool _busy;
    private Guid? _shown;
    private FormProblem? _problem;
    private string? _saved;

    private KbFileResponse[] _files = [];
    private bool _uploading;
    private string? _confirmingFile;
    private bool _confirmingDelete;
    private bool _reporting;
    private string? _reportComment;

    private string? _focus;
    private string? _previewSource;
    private string _previewHtml = "";

    private string Language => Session.Profile.Language;

    private Draft Current => _drafts.TryGetValue(_lang, out var draft) ? draft : _drafts[_lang] = new Draft();

    private KbTranslationResponse? SavedTranslation => _article?.Translations.FirstOrDefault(t => t.Language == _lang);

    private bool Dirty => SavedTranslation is not { } t
        ? Current.Title.Length > 0 || Current.Markdown.Length > 0
        : t.Title != Current.Title || Same(t.Markdown) != Same(Current.Markdown);

    private static string Same(string text) => text.ReplaceLineEndings("\n");

    /// <summary>Saved translations first, then the ones added here and not saved yet.</summary>
    private IEnumerable<string> Tabs => (_article?.Translations.Select(t => t.Language) ?? []).Concat(_drafts.Keys).Distinct();

    private string Heading => _article is null
        ? (_kind == KbArticleKind.Faq ? L["New FAQ entry"] : L["New article"])
        : _article.Preferred(_lang)?.Title ?? L["Article"];

    private string? HeadingLanguage => _article?.Preferred(_lang)?.Language;

    /// <summary>The API's own rendering: Markdig with raw HTML off, then the message sanitizer.</summary>
    private string Preview
    {
        get
        {
            var markdown = Current.Markdown;
            if (!ReferenceEquals(markdown, _previewSource))
            {
                _previewSource = markdown;
                _previewHtml = KbFeature.Render(markdown, _article?.Id);
            }
            return _previewHtml;
        }
    }

    private IReadOnlyDictionary<string, FormField> Fields
    {
        get
        {
            var title = new FormField("kb-title", _kind == KbArticleKind.Faq ? L["Question"] : L["Title"]);
            var body = new FormField("kb-body", _kind == KbArticleKind.Faq ? L["Answer"] : L["Body"]);
            var language = _article is null
                ? new FormField(_newChoice == "other" ? "kb-new-tag" : "kb-new-lang", L["Language"])
                : new FormField(_addChoice == "other" ? "kb-add-tag" : "kb-add-lang", L["Add a translation"]);
            return new Dictionary<string, FormField>
            {
                ["language"] = language, ["translation.language"] = language,
                ["title"] = title, ["translation.title"] = title,
                ["markdown"] = body, ["translation.markdown"] = body,
                ["categoryId"] = new("kb-category", L["Category"]),
                ["ownerId"] = new("kb-owner", L["Owner"]),
                ["reviewBy"] = new("kb-review", L["Review by"]),
                ["file"] = new("kb-file-input", L["Images and files"]),
                ["file.fileName"] = new("kb-file-input", L["Images and files"]),
                ["comment"] = new("kb-outdated-comment", L["What is no longer right? (optional)"]),
            };
        }
    }

    private string? Invalid(string field) => _problem is { } p && (p.Names(field) || p.Names("translation." + field)) ? "true" : null;

    protected override async Task OnParametersSetAsync()
    {
        if (_loaded && Id is not null && Id == _shown)
        {
            // Same article (the address only gained ?lang= after the first save).
            return;
        }
        _directory ??= await Session.DirectoryAsync();
        _categories = await Session.RunScopedAsync((sp, _) => KbFeature.ListCategoriesAsync(sp.GetRequiredService<AtebDb>(), CancellationToken.None));
        _drafts.Clear();
        (_article, _revisions, _reports, _feedback, _shownRevision, _sourceTicket, _notFound) = (null, [], [], null, null, null, false);
        (_files, _confirmingFile, _confirmingDelete, _reporting, _reportComment) = ([], null, false, false, null);
        if (Id is { } id)
        {
            var outcome = await Session.CallEndpointAsync<KbArticleResponse>(async (sp, _) => await KbFeature.GetAsync(id, sp.GetRequiredService<AtebDb>(), CancellationToken.None));
            if (outcome.Value is not { } article)
            {
                _notFound = true;
                return;
            }
            Show(article, null);
            ShowSettings(article);
            var tag = KbFeature.Language(Lang);
            _lang = tag is not null && _drafts.ContainsKey(tag) ? tag : article.Preferred(Language)?.Language ?? Language;
            _addChoice = KbLabels.Offered.FirstOrDefault(x => !_drafts.ContainsKey(x)) ?? "other";
            await LoadSideAsync();
        }
        else
        {
            (_saved, _problem) = (null, null);
            _kind = string.Equals(Kind, "faq", StringComparison.OrdinalIgnoreCase) ? KbArticleKind.Faq : KbArticleKind.Article;
            (_categoryId, _internal, _ownerId, _reviewBy) = (string.Empty, false, Session.Actor.MembershipId.ToString(), null);
            _lang = KbFeature.Language(Lang) ?? KbFeature.Language(Language) ?? "en";
            (_newChoice, _newTag) = KbLabels.Offered.Contains(_lang) ? (_lang, null) : ("other", _lang);
            _drafts[_lang] = new Draft();
        }
        _shown = Id;
        _loaded = true;
    }

    /// <summary>The article as saved. Drafts of other languages keep what the agent is writing; <paramref name="savedLanguage"/> takes the saved text.</summary>
    private void Show(KbArticleResponse article, string? savedLanguage)
    {
        _article = article;
        foreach (var t in article.Translations)
        {
            if (t.Language == savedLanguage || !_drafts.ContainsKey(t.Language))
            {
                _drafts[t.Language] = new Draft { Title = t.Title, Markdown = t.Markdown };
            }
        }
    }

    private void ShowSettings(KbArticleResponse article)
    {
        _kind = article.Kind;
        _categoryId = article.CategoryId?.ToString() ?? string.Empty;
        _internal = article.IsInternal;
        _ownerId = article.OwnerId?.ToString() ?? string.Empty;
        _reviewBy = article.ReviewBy;
    }

    /// <summary>The current language's revisions, the outdated reports and reader feedback.</summary>
    private async Task LoadSideAsync()
    {
        if (_article is not { } article)
        {
            return;
        }
        var id = article.Id;
        var lang = _lang;
        _revisions = SavedTranslation is null ? [] : (await Session.CallEndpointAsync<KbRevisionResponse[]>(async (sp, _) =>
            await KbFeature.RevisionsAsync(id, lang, sp.GetRequiredService<AtebDb>(), CancellationToken.None))).Value ?? [];
        var since = article.OutdatedSince;
        _reports = since is null ? [] : await Session.QueryAsync(db => db.AuditEntries.AsNoTracking()
            .Where(e => e.EntityType == "kb_article" && e.EntityId == id && e.Action == "reported_outdated" && e.At >= since)
            .OrderByDescending(e => e.At).Take(50).Select(e => new Report(e.ActorName, e.At, e.NewValue)).ToArrayAsync());
        _files = (await Session.CallEndpointAsync<KbFileResponse[]>(async (sp, _) =>
            await KbFiles.ListAsync(id, sp.GetRequiredService<AtebDb>(), CancellationToken.None))).Value ?? [];
        _feedback = (await Session.RunScopedAsync(async (sp, _) =>
            Outcomes.From<KbFeedbackSummary>(await HelpCenterForms.SummaryAsync(id, sp.GetRequiredService<AtebDb>(), CancellationToken.None)))).Value;
        if (article.SourceTicketId is { } ticketId && _sourceTicket is null)
        {
            _sourceTicket = await Session.QueryAsync(db => db.Tickets.AsNoTracking().Where(t => t.Id == ticketId).Select(t => (long?)t.Number).FirstOrDefaultAsync());
        }
    }

    private async Task SwitchAsync(string tag)
    {
        // What was said about the other language's save no longer applies here.
        (_lang, _shownRevision, _problem, _saved) = (tag, null, null, null);
        await LoadSideAsync();
    }

    private void NewLanguageChosen()
    {
        var tag = _newChoice == "other" ? KbFeature.Language(_newTag) : _newChoice;
        if (tag is not null && tag != _lang)
        {
            _drafts[tag] = Current;
            _drafts.Remove(_lang);
            _lang = tag;
        }
    }

    private async Task AddTranslationAsync()
    {
        (_problem, _saved) = (null, null);
        var tag = KbFeature.Language(_addChoice == "other" ? _addTag : _addChoice);
        if (tag is null)
        {
            _problem = new FormProblem(L["Enter a language tag, such as pt-BR."], new Dictionary<string, string[]> { ["language"] = [L["Enter a language tag, such as pt-BR."]] });
            return;
        }
        _drafts.TryAdd(tag, new Draft());
        (_addChoice, _addTag) = (KbLabels.Offered.FirstOrDefault(x => !_drafts.ContainsKey(x)) ?? "other", null);
        await SwitchAsync(tag);
        _focus = "#kb-title";
    }

    private Guid? CategoryId => Guid.TryParse(_categoryId, out var id) ? id : null;
    private Guid? OwnerId => Guid.TryParse(_ownerId, out var id) ? id : null;

    /// <summary>Saves the current language: publish true makes it live, false takes it off the help center, null keeps its state.</summary>
    private async Task SaveAsync(bool? publish)
    {
        (_busy, _problem, _saved) = (true, null, null);
        var draft = Current;
        var lang = _lang;
        Outcome<KbArticleResponse> outcome;
        if (_article is null)
        {
            var typed = _newChoice == "other" ? _newTag : _newChoice;
            var request = new CreateKbArticleRequest(CategoryId, _kind, _internal, OwnerId, _reviewBy, new KbTranslationInput(typed, draft.Title, draft.Markdown, publish == true));
            outcome = await Session.CallEndpointAsync<KbArticleResponse>(async (sp, actor) => await KbFeature.CreateArticleAsync(request, actor,
                sp.GetRequiredService<AtebDb>(), sp.GetRequiredService<SearchIndex>(), sp.GetRequiredService<OutboxSignal>(), sp.GetRequiredService<TimeProvider>(),
                CancellationToken.None));
            _busy = false;
            _problem = FormProblem.Of(outcome);
            if (outcome.Value is { } created)
            {
                // Shown from what the save returned, so the address can change without loading it again.
                var tag = created.Translations[0].Language;
                _drafts.Clear();
                Show(created, null);
                (_lang, _shown) = (tag, created.Id);
                _addChoice = KbLabels.Offered.FirstOrDefault(x => !_drafts.ContainsKey(x)) ?? "other";
                _saved = publish == true ? L["Published."] : L["Saved as a draft."];
                await LoadSideAsync();
                Navigation.NavigateTo($"/kb/articles/{created.Id}?lang={Uri.EscapeDataString(tag)}", replace: true);
            }
            return;
        }
        var id = _article.Id;
        var input = new KbTranslationInput(null, draft.Title, draft.Markdown, publish);
        outcome = await Session.CallEndpointAsync<KbArticleResponse>(async (sp, actor) => await KbFeature.SaveTranslationAsync(id, lang, input, actor,
            sp.GetRequiredService<AtebDb>(), sp.GetRequiredService<SearchIndex>(), sp.GetRequiredService<OutboxSignal>(), sp.GetRequiredService<TimeProvider>(),
            CancellationToken.None));
        _busy = false;
        _problem = FormProblem.Of(outcome);
        if (outcome.Value is { } article)
        {
            Show(article, lang);
            _saved = publish switch { true => L["Published."], false => L["Unpublished: saved as a draft."], _ => L["Saved."] };
            await LoadSideAsync();
        }
    }

    /// <summary>An old version comes back as the newest: saved as the text, its state kept.</summary>
    private async Task RestoreAsync(KbRevisionResponse revision)
    {
        (_busy, _problem, _saved) = (true, null, null);
        var id = _article!.Id;
        var lang = _lang;
        var input = new KbTranslationInput(null, revision.Title, revision.Markdown, null);
        var outcome = await Session.CallEndpointAsync<KbArticleResponse>(async (sp, actor) => await KbFeature.SaveTranslationAsync(id, lang, input, actor,
            sp.GetRequiredService<AtebDb>(), sp.GetRequiredService<SearchIndex>(), sp.GetRequiredService<OutboxSignal>(), sp.GetRequiredService<TimeProvider>(),
            CancellationToken.None));
        _busy = false;
        _problem = FormProblem.Of(outcome);
        if (outcome.Value is { } article)
        {
            Show(article, lang);
            _shownRevision = null;
            var now = article.Translations.First(t => t.Language == lang).Version;
            _saved = L["Version {0} was restored as version {1}.", Session.Clock.Number(revision.Version), Session.Clock.Number(now)];
            await LoadSideAsync();
        }
    }

    private async Task SaveSettingsAsync()
    {
        var request = new UpdateKbArticleRequest(Optional.Of(CategoryId), Optional.Of<KbArticleKind?>(_kind), Optional.Of<bool?>(_internal), Optional.Of(OwnerId),
            Optional.Of(_reviewBy), null);
        await UpdateAsync(request, L["Settings saved."]);
    }

    private Task ResolveAsync() => UpdateAsync(new UpdateKbArticleRequest(default, default, default, default, default, true), L["Marked resolved."]);

    private async Task UpdateAsync(UpdateKbArticleRequest request, string done)
    {
        (_busy, _problem, _saved) = (true, null, null);
        var id = _article!.Id;
        var outcome = await Session.CallEndpointAsync<KbArticleResponse>(async (sp, actor) => await UpdateKb.UpdateArticleAsync(id, request, actor,
            sp.GetRequiredService<AtebDb>(), sp.GetRequiredService<SearchIndex>(), sp.GetRequiredService<OutboxSignal>(), sp.GetRequiredService<TimeProvider>(),
            CancellationToken.None));
        _busy = false;
        _problem = FormProblem.Of(outcome);
        if (outcome.Value is { } article)
        {
            Show(article, null);
            ShowSettings(article);
            _saved = done;
            await LoadSideAsync();
        }
    }

    /// <summary>Each chosen file goes through the same handler as POST …/files; each uploaded one is referred to at the end of the text.</summary>
    private async Task UploadAsync(InputFileChangeEventArgs e)
    {
        (_problem, _saved, _uploading) = (null, null, true);
        var id = _article!.Id;
        var added = new List<string>();
        foreach (var browserFile in e.GetMultipleFiles(10))
        {
            var file = browserFile;
            var outcome = await Session.CallAsync<UploadKbFile, KbFileResponse>(async (h, actor) =>
            {
                // One byte over the limit is enough for the handler to refuse the file by name.
                await using var stream = file.OpenReadStream(KbFileTypes.MaxBytes + 1);
                return await h.HandleAsync(id, file.Name, file.Size, stream, actor, CancellationToken.None);
            });
            if (outcome.Value is { } uploaded)
            {
                added.Add(uploaded.Markdown);
            }
            else
            {
                var words = outcome.FieldErrors.Count > 0 ? string.Join(" ", outcome.FieldErrors.SelectMany(f => f.Value)) : outcome.Error;
                _problem = new FormProblem(L["{0}: {1}", Bidi.Isolate(file.Name), words ?? string.Empty],
                    new Dictionary<string, string[]> { ["file"] = [$"{file.Name}: {words}"] });
            }
        }
        _uploading = false;
        if (added.Count > 0)
        {
            var draft = Current;
            draft.Markdown = draft.Markdown.TrimEnd() + (draft.Markdown.Trim().Length > 0 ? "\n\n" : string.Empty) + string.Join("\n\n", added) + "\n";
            _saved = L["Added to the text: save to keep the reference."];
            await LoadSideAsync();
        }
    }

    private void Insert(KbFileResponse file)
    {
        var draft = Current;
        draft.Markdown = draft.Markdown.TrimEnd() + (draft.Markdown.Trim().Length > 0 ? "\n\n" : string.Empty) + file.Markdown + "\n";
        _focus = "#kb-body";
    }

    private void ConfirmFile(KbFileResponse file) => (_confirmingFile, _focus) = (file.Name, "#confirm-delete-file");

    private async Task DeleteFileAsync(KbFileResponse file)
    {
        (_busy, _problem, _saved) = (true, null, null);
        var id = _article!.Id;
        var outcome = await Session.CallEndpointAsync<object>(async (sp, actor) => await KbFiles.DeleteAsync(id, file.Name, actor, sp.GetRequiredService<AtebDb>(),
            sp.GetRequiredService<Ateb.Infrastructure.Storage.IBlobStore>(), sp.GetRequiredService<TimeProvider>(), CancellationToken.None));
        (_busy, _confirmingFile) = (false, null);
        _problem = FormProblem.Of(outcome);
        if (outcome.Ok)
        {
            _saved = L["{0} was deleted.", Bidi.Isolate(file.Name)];
            await LoadSideAsync();
        }
    }

    private void ConfirmDelete() => (_confirmingDelete, _focus) = (true, "#confirm-delete-article");

    private async Task DeleteArticleAsync()
    {
        (_busy, _problem, _saved) = (true, null, null);
        var id = _article!.Id;
        var outcome = await Session.CallEndpointAsync<object>(async (sp, actor) => await UpdateKb.DeleteArticleAsync(id, actor, sp.GetRequiredService<AtebDb>(),
            sp.GetRequiredService<SearchIndex>(), sp.GetRequiredService<OutboxSignal>(), sp.GetRequiredService<TimeProvider>(), CancellationToken.None));
        (_busy, _confirmingDelete) = (false, false);
        _problem = FormProblem.Of(outcome);
        if (outcome.Ok)
        {
            Navigation.NavigateTo("/kb?deleted=1");
        }
    }

    private void StartReport() => (_reporting, _reportComment, _focus) = (true, null, "#kb-outdated-comment");

    private async Task ReportAsync()
    {
        (_busy, _problem, _saved) = (true, null, null);
        var id = _article!.Id;
        var comment = _reportComment;
        var outcome = await Session.CallAsync<ReportOutdated, KbArticleResponse>(async (h, actor) => await h.HandleAsync(id, comment, actor, CancellationToken.None));
        _busy = false;
        _problem = FormProblem.Of(outcome);
        if (outcome.Value is { } article)
        {
            Show(article, null);
            (_reporting, _reportComment) = (false, null);
            _saved = L["Reported outdated: the owner sees it in the outdated list."];
            await LoadSideAsync();
        }
    }

    private string FileSize(long bytes) => bytes >= 1024 * 1024
        ? L["{0} MB", Session.Clock.LocalDigits((bytes / 1024.0 / 1024.0).ToString("0.#", System.Globalization.CultureInfo.InvariantCulture))]
        : L["{0} KB", Session.Clock.Number(Math.Max(1, (long)Math.Round(bytes / 1024.0)))];

    protected override async Task OnAfterRenderAsync(bool firstRender)
    {
        if (_focus is { } selector)
        {
            _focus = null;
            await JS.InvokeVoidAsync("atebFocus", selector);
        }
    }
}
