namespace Ateb.Features.Kb;

public sealed record KbNameInput(string? Language, string? Name, string? Description);

public sealed record KbCategoryRequest(Guid? ParentId, int? Position, KbNameInput[]? Names);

public sealed record KbCategoryResponse(Guid Id, Guid? ParentId, int Position, KbNameInput[] Names);

public sealed record KbTranslationInput(string? Language, string? Title, string? Markdown, bool? Publish);

public sealed record CreateKbArticleRequest(Guid? CategoryId, KbArticleKind? Kind, bool? IsInternal, Guid? OwnerId, DateOnly? ReviewBy, KbTranslationInput? Translation);

public sealed record KbArticleFromTicketRequest(Guid? TicketId, Guid? MessageId, string? Title, string? Language);

public sealed record KbOutdatedRequest(string? Comment);

public sealed record KbTranslationResponse(Guid Id, string Language, string Title, string Markdown, string Html, KbState State, DateTimeOffset? PublishedAt,
    DateTimeOffset UpdatedAt, int Version);

public sealed record KbArticleResponse(Guid Id, Guid? CategoryId, KbArticleKind Kind, bool IsInternal, Guid? OwnerId, DateOnly? ReviewBy, int OutdatedReports,
    DateTimeOffset? OutdatedSince, Guid? SourceTicketId, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt, KbTranslationResponse[] Translations);

public sealed record KbRevisionResponse(int Version, string Title, string Markdown, string AuthorName, DateTimeOffset CreatedAt);

public sealed record KbSearchResult(Guid ArticleId, Guid TranslationId, string Language, string Title, bool IsInternal, string Snippet);
