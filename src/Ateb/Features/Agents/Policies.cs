namespace Ateb.Features.Agents;

public static class Policies
{
    /// <summary>Anyone with a seat in the workspace, light agents included (read, internal notes).</summary>
    public const string Member = "member";
    /// <summary>May work tickets: reply, assign, change status, create.</summary>
    public const string Agent = "agent";
    /// <summary>Owners and admins: people, tokens of others, webhooks, settings.</summary>
    public const string Admin = "admin";

    public static IServiceCollection AddAtebPolicies(this IServiceCollection services)
    {
        services.AddAuthorizationBuilder()
            .AddPolicy(Member, p => p.RequireClaim(Roles.Claim))
            .AddPolicy(Agent, p => p.RequireClaim(Roles.Claim, Role.Agent.ToWire(), Role.Admin.ToWire(), Role.Owner.ToWire()))
            .AddPolicy(Admin, p => p.RequireClaim(Roles.Claim, Role.Admin.ToWire(), Role.Owner.ToWire()));
        return services;
    }
}
