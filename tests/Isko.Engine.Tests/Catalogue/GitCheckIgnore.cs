using Isko.Engine.Tests.Support;

namespace Isko.Engine.Tests.Catalogue;

/// <summary>git's own answer: which <c>desk/agent</c> paths a .gitignore ignores (<c>git check-ignore</c>).</summary>
public static class GitCheckIgnore
{
    private static readonly Dictionary<string, string> CleanGit = new()
    {
        ["GIT_CONFIG_GLOBAL"] = "/dev/null",
        ["GIT_CONFIG_NOSYSTEM"] = "1",
    };

    public static async Task<HashSet<string>> IgnoredAsync(IReadOnlyList<string> rules, IReadOnlyList<string> paths)
    {
        using var repo = new TempDir();
        var init = await Processes.RunAsync("git", ["init", "-q", "."], repo.Path, environment: CleanGit);
        Assert.True(init.ExitCode == 0, init.Stderr);
        await File.WriteAllTextAsync(repo.Combine(".gitignore"), string.Concat(rules.Select(r => r + "\n")));
        foreach (var path in paths)
        {
            var file = repo.Combine(path.Split('/'));
            Directory.CreateDirectory(Path.GetDirectoryName(file)!);
            await File.WriteAllTextAsync(file, "");
        }
        var check = await Processes.RunAsync("git", ["check-ignore", "--no-index", "--stdin"], repo.Path,
            stdin: string.Concat(paths.Select(p => p + "\n")), environment: CleanGit);
        // 0: some ignored, 1: none ignored, anything else: git failed.
        Assert.True(check.ExitCode is 0 or 1, $"git check-ignore failed ({check.ExitCode}): {check.Stderr}");
        return check.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).ToHashSet(StringComparer.Ordinal);
    }
}
