using Ateb.Infrastructure.Web;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Identity;

namespace Ateb.Features.Agents;

internal static class IdentityProblems
{
    /// <summary>Identity's errors, each under the field it is about.</summary>
    public static ProblemHttpResult From(IdentityResult result)
    {
        var check = new Check();
        foreach (var error in result.Errors)
        {
            var field = error.Code.StartsWith("Password", StringComparison.Ordinal) ? "password"
                : error.Code.Contains("Email", StringComparison.Ordinal) || error.Code.Contains("UserName", StringComparison.Ordinal) ? "email"
                : "$";
            check.Add(field, error.Description);
        }
        return check.Problem();
    }
}
