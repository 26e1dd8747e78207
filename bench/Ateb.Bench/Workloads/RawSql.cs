using System.Data.Common;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace Ateb.Bench.Workloads;

/// <summary>
/// The raw-SQL references: the same queries the handlers send, run over a plain ADO.NET connection in the load
/// generator's process, with every column of every row read. The ratio to them is the cost of Ateb around the SQL.
/// </summary>
internal sealed class RawSql(BenchDatabase database) : IAsyncDisposable
{
    private const string Unsolved = "('New','Open','Pending','OnHold')";

    private bool Sqlite => database.Provider == "sqlite";

    private object Id(Guid id) => Sqlite ? id.ToString().ToUpperInvariant() : id;

    public async Task QueuePageAsync()
    {
        var ws = database.Workspace.WorkspaceId;
        var ids = await ReadAsync($"SELECT \"Id\",\"Number\",\"Subject\",\"Status\",\"Priority\",\"Channel\",\"RequesterId\",\"AssigneeId\",\"TeamId\",\"CustomFields\",\"MergedIntoId\",\"CreatedAt\",\"UpdatedAt\",\"FirstAgentReplyAt\",\"SolvedAt\",\"ReopenedAt\",\"ClosedAt\",\"Version\" FROM \"Tickets\" WHERE \"WorkspaceId\" = @ws AND \"Status\" IN {Unsolved} ORDER BY \"Number\" DESC LIMIT 26", ("ws", Id(ws)));
        var list = string.Join(",", ids.Select(r => Sqlite ? $"'{r[0]}'" : $"'{r[0]}'::uuid"));
        if (list.Length == 0)
        {
            return;
        }
        await ReadAsync($"SELECT \"TicketId\",\"Tag\" FROM \"TicketTags\" WHERE \"TicketId\" IN ({list})");
        var requesters = string.Join(",", ids.Select(r => Sqlite ? $"'{r[6]}'" : $"'{r[6]}'::uuid").Distinct());
        await ReadAsync($"SELECT c.\"Id\", c.\"Name\", (SELECT i.\"Normalized\" FROM \"CustomerIdentities\" i WHERE i.\"CustomerId\" = c.\"Id\" AND i.\"Kind\" = 'Email' ORDER BY i.\"CreatedAt\" LIMIT 1) FROM \"Customers\" c WHERE c.\"WorkspaceId\" = @ws AND c.\"Id\" IN ({requesters})", ("ws", Id(ws)));
    }

    public async Task CountsAsync()
    {
        var ws = Id(database.Workspace.WorkspaceId);
        await ReadAsync($"SELECT \"Status\",\"Priority\",\"Channel\",\"TeamId\",\"AssigneeId\", COUNT(*) FROM \"Tickets\" WHERE \"WorkspaceId\" = @ws AND \"Status\" IN {Unsolved} GROUP BY 1,2,3,4,5", ("ws", ws));
        await ReadAsync("SELECT COUNT(*) FROM \"Tickets\" WHERE \"WorkspaceId\" = @ws AND \"Status\" = 'Solved'", ("ws", ws));
        await ReadAsync("SELECT \"Id\",\"Name\" FROM \"Teams\" WHERE \"WorkspaceId\" = @ws ORDER BY \"Name\" LIMIT 5", ("ws", ws));
    }

    public async Task DetailAsync(Guid ticketId)
    {
        var (ws, id) = (Id(database.Workspace.WorkspaceId), Id(ticketId));
        await ReadAsync("SELECT * FROM \"Tickets\" WHERE \"WorkspaceId\" = @ws AND \"Id\" = @id", ("ws", ws), ("id", id));
        await ReadAsync("SELECT \"Tag\" FROM \"TicketTags\" WHERE \"WorkspaceId\" = @ws AND \"TicketId\" = @id", ("ws", ws), ("id", id));
        await ReadAsync("SELECT m.*, a.* FROM \"Messages\" m LEFT JOIN \"Attachments\" a ON a.\"MessageId\" = m.\"Id\" WHERE m.\"WorkspaceId\" = @ws AND m.\"TicketId\" = @id ORDER BY m.\"CreatedAt\", m.\"Id\"", ("ws", ws), ("id", id));
        await ReadAsync("SELECT l.\"Kind\", t.\"Id\", t.\"Number\" FROM \"TicketLinks\" l JOIN \"Tickets\" t ON t.\"Id\" = l.\"LinkedTicketId\" WHERE l.\"WorkspaceId\" = @ws AND l.\"TicketId\" = @id", ("ws", ws), ("id", id));
        await ReadAsync("SELECT c.\"Name\", (SELECT i.\"Normalized\" FROM \"CustomerIdentities\" i WHERE i.\"CustomerId\" = c.\"Id\" AND i.\"Kind\" = 'Email' ORDER BY i.\"CreatedAt\" LIMIT 1) FROM \"Customers\" c WHERE c.\"Id\" = (SELECT \"RequesterId\" FROM \"Tickets\" WHERE \"Id\" = @id)", ("id", id));
    }

    private async Task<List<object[]>> ReadAsync(string sql, params (string Name, object Value)[] parameters)
    {
        // A pooled connection per call, as the app's DbContext gets one.
        await using DbConnection connection = Sqlite ? new SqliteConnection(database.ConnectionString) : new NpgsqlConnection(database.ConnectionString);
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            var p = command.CreateParameter();
            p.ParameterName = "@" + name;
            p.Value = value;
            command.Parameters.Add(p);
        }
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<object[]>();
        while (await reader.ReadAsync())
        {
            var row = new object[reader.FieldCount];
            reader.GetValues(row);
            rows.Add(row);
        }
        return rows;
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
