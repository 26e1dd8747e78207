namespace Ateb.Infrastructure.Web;

/// <summary>
/// Marks an endpoint that serves the public (help center pages, their files and forms, public API doors) and picks its
/// workspace itself, by host name or slug. The caller's sign-in is not read: an agent of one workspace reading another
/// workspace's help center is a visitor there.
/// </summary>
public sealed class VisitorEndpoint
{
    public static readonly VisitorEndpoint Instance = new();
}

public static class VisitorEndpoints
{
    public static TBuilder ForVisitors<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(VisitorEndpoint.Instance).AllowAnonymous();

    public static bool IsForVisitors(this HttpContext context) => context.GetEndpoint()?.Metadata.GetMetadata<VisitorEndpoint>() is not null;
}
