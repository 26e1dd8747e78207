using System.Diagnostics;

namespace Ateb.Tests.Testing;

/// <summary>The real Ateb binary as its own process, on a test database: for CLI verbs and for crash tests.</summary>
public static class AtebProcess
{
    public static ProcessStartInfo StartInfo(string folder, (string Provider, string ConnectionString, Func<Task> Drop) database,
        IReadOnlyDictionary<string, string> settings, params string[] args)
    {
        var info = new ProcessStartInfo("dotnet") { WorkingDirectory = folder, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "Ateb.dll"));
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }
        info.Environment["Database__Provider"] = database.Provider;
        info.Environment["ConnectionStrings__Ateb"] = database.ConnectionString;
        info.Environment["Database__StrictWriteGate"] = "true";
        info.Environment["Storage__Path"] = Path.Combine(folder, "blobs");
        info.Environment["Logging__LogLevel__Default"] = "Warning";
        foreach (var (key, value) in settings)
        {
            info.Environment[key] = value;
        }
        return info;
    }

    /// <summary>Runs to exit, reading both streams at once so neither can fill up and stall the process.</summary>
    public static async Task<(int Code, string Out, string Err)> RunAsync(ProcessStartInfo info)
    {
        using var process = Process.Start(info)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, await output, await errors);
    }
}
