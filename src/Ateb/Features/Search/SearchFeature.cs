using Ateb.Features.Agents;
using Ateb.Infrastructure.Outbox;

namespace Ateb.Features.Search;

internal static class SearchFeature
{
    public static IServiceCollection AddSearch(this IServiceCollection services, IConfiguration config)
    {
        var postgres = (config["Database:Provider"] ?? "sqlite").StartsWith("postgres", StringComparison.OrdinalIgnoreCase);
        services.AddSingleton<ISearchEngine>(postgres ? new PostgresSearchEngine() : new SqliteSearchEngine());
        services.AddSingleton<IOutboxSender, IndexDocument>();
        services.AddScoped<SearchEverything>();
        services.AddScoped<SearchIndex>();
        services.AddSingleton<SearchBackfill>();
        services.AddHostedService(sp => sp.GetRequiredService<SearchBackfill>());
        return services;
    }

    public static void MapSearch(this IEndpointRouteBuilder api) =>
        api.MapGet("/search", (string? q, int? limit, SearchEverything handler, Actor actor, CancellationToken ct) => handler.HandleAsync(q, limit, actor, ct))
            .WithTags("Search").RequireAuthorization(Policies.Member);
}
