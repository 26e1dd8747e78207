using System.Data.Common;
using Ateb.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage;
using Npgsql;

namespace Ateb.Bench.Data;

/// <summary>
/// Loads many entities fast, driven by the app's own EF model (table, columns, value conversions), so the bulk
/// path can never drift from the schema the migrations create: prepared INSERTs in large transactions on SQLite,
/// binary COPY on PostgreSQL.
/// </summary>
internal sealed class BulkWriter(AtebDb db)
{
    public static (string Table, (IProperty Property, string Column, RelationalTypeMapping Mapping)[] Columns) Map(AtebDb db, Type type)
    {
        var entity = db.Model.FindEntityType(type) ?? throw new InvalidOperationException($"{type.Name} is not mapped.");
        var table = StoreObjectIdentifier.Table(entity.GetTableName()!, entity.GetSchema());
        return (table.Name, entity.GetProperties().Select(p => (p, p.GetColumnName(table)!, (RelationalTypeMapping)p.GetRelationalTypeMapping())).ToArray());
    }

    /// <summary>An INSERT of one row of <paramref name="type"/>, parameters @p0.. in column order, plus a binder for an entity.</summary>
    public static (string Sql, Action<DbCommand, object> Bind, Action<DbCommand> AddParameters) Insert(AtebDb db, Type type)
    {
        var (table, columns) = Map(db, type);
        var sql = $"INSERT INTO \"{table}\" ({string.Join(",", columns.Select(c => $"\"{c.Column}\""))}) VALUES ({string.Join(",", columns.Select((_, i) => "@p" + i))})";
        return (sql,
            (command, entity) =>
            {
                for (var i = 0; i < columns.Length; i++)
                {
                    command.Parameters[i].Value = Provider(columns[i], entity) ?? DBNull.Value;
                }
            },
            command =>
            {
                for (var i = 0; i < columns.Length; i++)
                {
                    command.Parameters.Add(columns[i].Mapping.CreateParameter(command, "@p" + i, null, nullable: true));
                }
            });
    }

    /// <summary>Writes <paramref name="rows"/> to their table, or to <paramref name="table"/> (a staging table of the same columns).</summary>
    public async Task WriteAsync<T>(IEnumerable<T> rows, string? table = null, CancellationToken ct = default) where T : class
    {
        var (tableName, columns) = Map(db, typeof(T));
        tableName = table ?? tableName;
        var connection = db.Database.GetDbConnection();
        if (connection.State != System.Data.ConnectionState.Open)
        {
            await connection.OpenAsync(ct);
        }
        if (connection is NpgsqlConnection npgsql)
        {
            await CopyAsync(npgsql, tableName, columns, rows, db, ct);
        }
        else
        {
            await InsertAsync(connection, tableName, columns, rows, db, ct);
        }
    }

    private static object? Provider((IProperty Property, string Column, RelationalTypeMapping Mapping) column, object entity, AtebDb? db = null)
    {
        // A shadow property (PostgreSQL's search vector) has no CLR member: its value lives in the context's entry for the entity.
        var value = column.Property.IsShadowProperty()
            ? (db ?? throw new InvalidOperationException($"{column.Column} is a shadow property")).Entry(entity).Property(column.Property.Name).CurrentValue
            : column.Property.GetGetter().GetClrValue(entity);
        return value is null ? null : column.Mapping.Converter?.ConvertToProvider(value) ?? value;
    }

    private static async Task InsertAsync<T>(DbConnection connection, string table, (IProperty Property, string Column, RelationalTypeMapping Mapping)[] columns,
        IEnumerable<T> rows, AtebDb db, CancellationToken ct) where T : class
    {
        var sql = $"INSERT INTO \"{table}\" ({string.Join(",", columns.Select(c => $"\"{c.Column}\""))}) VALUES ({string.Join(",", columns.Select((_, i) => "$p" + i))})";
        DbTransaction? transaction = null;
        DbCommand? command = null;
        var count = 0;
        foreach (var row in rows)
        {
            if (command is null)
            {
                transaction = await connection.BeginTransactionAsync(ct);
                command = connection.CreateCommand();
                command.Transaction = transaction;
                command.CommandText = sql;
                for (var i = 0; i < columns.Length; i++)
                {
                    // EF's own parameter set-up (DbType, size) for the column; values are set per row below.
                    command.Parameters.Add(columns[i].Mapping.CreateParameter(command, "$p" + i, null, nullable: true));
                }
                command.Prepare();
            }
            for (var i = 0; i < columns.Length; i++)
            {
                command.Parameters[i].Value = Provider(columns[i], row, db) ?? DBNull.Value;
            }
            await command.ExecuteNonQueryAsync(ct);
            if (++count % 20_000 == 0)
            {
                await transaction!.CommitAsync(ct);
                await command.DisposeAsync();
                await transaction.DisposeAsync();
                command = null;
            }
        }
        if (transaction is not null && command is not null)
        {
            await transaction.CommitAsync(ct);
            await command.DisposeAsync();
            await transaction.DisposeAsync();
        }
    }

    private static async Task CopyAsync<T>(NpgsqlConnection connection, string table, (IProperty Property, string Column, RelationalTypeMapping Mapping)[] columns,
        IEnumerable<T> rows, AtebDb db, CancellationToken ct) where T : class
    {
        var sql = $"COPY \"{table}\" ({string.Join(",", columns.Select(c => $"\"{c.Column}\""))}) FROM STDIN (FORMAT BINARY)";
        await using var importer = await connection.BeginBinaryImportAsync(sql, ct);
        foreach (var row in rows)
        {
            await importer.StartRowAsync(ct);
            foreach (var column in columns)
            {
                switch (Provider(column, row, db))
                {
                    case null: await importer.WriteNullAsync(ct); break;
                    case Guid g: await importer.WriteAsync(g, NpgsqlTypes.NpgsqlDbType.Uuid, ct); break;
                    case string s: await importer.WriteAsync(s, NpgsqlTypes.NpgsqlDbType.Text, ct); break;
                    case long l: await importer.WriteAsync(l, NpgsqlTypes.NpgsqlDbType.Bigint, ct); break;
                    case int n: await importer.WriteAsync(n, NpgsqlTypes.NpgsqlDbType.Integer, ct); break;
                    case bool b: await importer.WriteAsync(b, NpgsqlTypes.NpgsqlDbType.Boolean, ct); break;
                    case DateTimeOffset d: await importer.WriteAsync(d.ToUniversalTime(), NpgsqlTypes.NpgsqlDbType.TimestampTz, ct); break;
                    case NpgsqlTypes.NpgsqlTsVector v: await importer.WriteAsync(v, NpgsqlTypes.NpgsqlDbType.TsVector, ct); break;
                    case var other: throw new NotSupportedException($"{table}.{column.Column}: {other.GetType().Name}");
                }
            }
        }
        await importer.CompleteAsync(ct);
    }
}
