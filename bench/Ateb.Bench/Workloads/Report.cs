using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Ateb.Bench.Workloads;

/// <summary>One line of the report: an absolute figure, the same-run reference, their ratio and the target.</summary>
internal sealed record Row(string Workload, string Metric, string Unit, double Value, string Reference, double ReferenceValue, string Target, bool? Met)
{
    public double Ratio => ReferenceValue is 0 or double.NaN ? double.NaN : Value / ReferenceValue;
}

internal sealed class Report
{
    private readonly List<Row> _rows = [];

    public IReadOnlyList<Row> Rows => _rows;

    public void Add(Row row)
    {
        _rows.Add(row);
        Console.WriteLine($"  {row.Workload,-10} {row.Metric,-34} {F(row.Value),10} {row.Unit,-6} ref {F(row.ReferenceValue),10}  ratio {F(row.Ratio),6}  target {row.Target} {(row.Met switch { true => "ok", false => "MISSED", _ => "" })}");
    }

    public async Task WriteAsync(string folder, IDictionary<string, string> machine)
    {
        Directory.CreateDirectory(folder);
        var stamp = DateTime.UtcNow.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture);
        var markdown = new StringBuilder();
        markdown.AppendLine($"Run {stamp} UTC on {string.Join(", ", machine.Select(m => $"{m.Key}: {m.Value}"))}").AppendLine();
        markdown.AppendLine("| workload | metric | value | reference (same run) | ratio | target | met |").AppendLine("|---|---|---|---|---|---|---|");
        foreach (var r in _rows)
        {
            markdown.AppendLine($"| {r.Workload} | {r.Metric} | {F(r.Value)} {r.Unit} | {r.Reference}: {F(r.ReferenceValue)} | {F(r.Ratio)} | {r.Target} | {(r.Met switch { true => "yes", false => "**no**", _ => "" })} |");
        }
        await File.WriteAllTextAsync(Path.Combine(folder, $"bench-{stamp}.md"), markdown.ToString());
        await File.WriteAllTextAsync(Path.Combine(folder, $"bench-{stamp}.json"), JsonSerializer.Serialize(new
        {
            machine,
            rows = _rows.Select(r => new { r.Workload, r.Metric, r.Unit, Value = Finite(r.Value), r.Reference, ReferenceValue = Finite(r.ReferenceValue), Ratio = Finite(r.Ratio), r.Target, r.Met }),
        }, new JsonSerializerOptions { WriteIndented = true }));
        Console.WriteLine($"\nwrote {folder}/bench-{stamp}.md and .json");
    }

    /// <summary>JSON has no NaN or infinity: a figure that does not exist is null.</summary>
    private static double? Finite(double value) => double.IsFinite(value) ? value : null;

    public static string F(double value) => double.IsNaN(value) ? "-" : value >= 100 ? value.ToString("N0", CultureInfo.InvariantCulture) : value.ToString("0.00", CultureInfo.InvariantCulture);
}
