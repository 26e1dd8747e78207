namespace Ateb.Tests.Testing;

/// <summary>
/// The public test data in ../shared/corpora (never copied into the repository) and the repository's own source tree.
/// Tests that need them skip, saying why, when they are absent.
/// </summary>
public static class Corpora
{
    /// <summary>The corpora folder: $ATEB_CORPORA if set, else shared/corpora beside the repository or above it; or the test is skipped.</summary>
    public static string Folder(string what)
    {
        var configured = Environment.GetEnvironmentVariable("ATEB_CORPORA");
        if (!string.IsNullOrWhiteSpace(configured))
        {
            if (!Directory.Exists(configured))
            {
                Assert.Skip($"{what} corpora not found: ATEB_CORPORA={configured} is no folder.");
            }
            return Path.GetFullPath(configured);
        }
        for (var dir = RepositoryRoot() is { } root ? Directory.GetParent(root) : null; dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "shared", "corpora");
            if (Directory.Exists(candidate))
            {
                return candidate;
            }
        }
        Assert.Skip($"{what} corpora not found: no shared/corpora folder beside or above the repository (../shared/corpora), and ATEB_CORPORA is not set.");
        return "";
    }

    /// <summary>A file or folder inside the corpora; missing inside present corpora is a failure, not a skip.</summary>
    public static string Entry(string what, string relative)
    {
        var path = Path.Combine(Folder(what), relative);
        Assert.True(File.Exists(path) || Directory.Exists(path), $"{path} is missing from the corpora");
        return path;
    }

    /// <summary>The folder holding Ateb.slnx above the test binaries, or null when the tests run outside the source tree.</summary>
    public static string? RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Ateb.slnx")))
            {
                return dir.FullName;
            }
        }
        return null;
    }
}
