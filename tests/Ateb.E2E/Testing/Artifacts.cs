namespace Ateb.E2E.Testing;

/// <summary>
/// Where browser tests leave what a person looks at afterwards: artifacts/e2e/ at the repository root (git-ignored), or
/// ATEB_E2E_ARTIFACTS. Screenshots in screenshots/, the servers' output in logs/, axe-core reports in axe/.
/// </summary>
public static class Artifacts
{
    public static string Root { get; } = FindRoot();

    /// <summary>The folder (created) under the artifacts root.</summary>
    public static string Folder(string name)
    {
        var path = Path.Combine(Root, name);
        Directory.CreateDirectory(path);
        return path;
    }

    /// <summary>A file name made of letters, digits, '-', '_' and '.' only.</summary>
    public static string SafeName(string name)
    {
        var chars = name.Select(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' ? c : '-').ToArray();
        return new string(chars).Trim('-');
    }

    private static string FindRoot()
    {
        if (Environment.GetEnvironmentVariable("ATEB_E2E_ARTIFACTS") is { Length: > 0 } configured)
        {
            return Path.GetFullPath(configured);
        }
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Ateb.slnx")))
            {
                return Path.Combine(dir.FullName, "artifacts", "e2e");
            }
        }
        return Path.Combine(AppContext.BaseDirectory, "artifacts", "e2e");
    }
}
