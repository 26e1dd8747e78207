using Ateb.Features.Agents;
using Microsoft.AspNetCore.Http;

namespace Ateb.Components.Session;

internal static class EndpointCalls
{
    /// <summary>
    /// Calls an endpoint written as a static method and unwraps its typed result, like <see cref="AgentSession.CallAsync{THandler, T}"/> does
    /// for handlers: <c>CallEndpointAsync&lt;X&gt;(async (sp, actor) =&gt; await SomeFeature.UpdateAsync(..., actor, sp.GetRequiredService&lt;AtebDb&gt;(), ...))</c>.
    /// The endpoint's route policy is not applied here: the page's own [Authorize] must be at least as strict.
    /// </summary>
    public static async Task<Outcome<T>> CallEndpointAsync<T>(this AgentSession session, Func<IServiceProvider, Actor, Task<INestedHttpResult>> work) =>
        (await session.RunScopedAsync(work)).Unwrap<T>();
}
