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
    }
}
