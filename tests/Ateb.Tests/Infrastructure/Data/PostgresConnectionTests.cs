using Ateb.Infrastructure.Data;
using Npgsql;

namespace Ateb.Tests.Infrastructure.Data;

[Trait("Db", "none")]
public sealed class PostgresConnectionTests
{
    [Fact]
    public void Frequent_statements_are_prepared_unless_the_connection_string_says_otherwise()
    {
        var added = new NpgsqlConnectionStringBuilder(DataFeature.PostgresConnectionString("Host=127.0.0.1;Username=ateb;Database=ateb"));
        Assert.Equal(200, added.MaxAutoPrepare);
        Assert.Equal(2, added.AutoPrepareMinUsages);
        Assert.Equal("ateb", added.Database);

        var chosen = new NpgsqlConnectionStringBuilder(DataFeature.PostgresConnectionString("Host=127.0.0.1;Max Auto Prepare=0"));
        Assert.Equal(0, chosen.MaxAutoPrepare);
        Assert.Null(chosen.Options);
    }

    [Fact]
    public void Prepared_statements_are_planned_for_their_values()
    {
        var added = new NpgsqlConnectionStringBuilder(DataFeature.PostgresConnectionString("Host=127.0.0.1"));
        Assert.Equal("-c plan_cache_mode=force_custom_plan", added.Options);
        // Other server options are kept; a plan cache mode the operator chose wins.
        var kept = new NpgsqlConnectionStringBuilder(DataFeature.PostgresConnectionString("Host=127.0.0.1;Options=-c statement_timeout=5000"));
        Assert.Equal("-c statement_timeout=5000 -c plan_cache_mode=force_custom_plan", kept.Options);
        var chosen = new NpgsqlConnectionStringBuilder(DataFeature.PostgresConnectionString("Host=127.0.0.1;Options=-c plan_cache_mode=auto"));
        Assert.Equal("-c plan_cache_mode=auto", chosen.Options);
    }
}
