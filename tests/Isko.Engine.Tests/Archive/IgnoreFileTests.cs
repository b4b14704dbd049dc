using Isko.Engine.Archive;
using Isko.Engine.Tests.Support;

namespace Isko.Engine.Tests.Archive;

public sealed class IgnoreFileTests
{
    [Fact]
    public async Task Edits_keep_comments_blank_lines_and_order()
    {
        using var temp = new TempDir();
        var archive = new IskoArchive(temp.Path);
        const string original = "# Tlon's apps are restored by Tlon\ngroups/*\n\n# but keep my chat\n!groups/chat\n*/dev-*\n";
        await File.WriteAllTextAsync(archive.Layout.IgnoreFile, original);

        var file = await archive.ReadIgnoreFileAsync(CancellationToken.None);
        Assert.Equal(["groups/*", "!groups/chat", "*/dev-*"], file.Rules);
        Assert.True(file.Add("pals/old"));
        Assert.False(file.Add("groups/*"));
        Assert.True(file.Remove("*/dev-*"));
        Assert.False(file.Remove("# but keep my chat"));
        await file.WriteAsync(archive.Layout, null, CancellationToken.None);

        Assert.Equal("# Tlon's apps are restored by Tlon\ngroups/*\n\n# but keep my chat\n!groups/chat\npals/old\n",
            await File.ReadAllTextAsync(archive.Layout.IgnoreFile));
        Assert.Single(Directory.GetFiles(temp.Path, "*iskoignore*"));
    }

    [Fact]
    public async Task A_missing_file_has_no_rules_and_a_comment_is_not_a_rule()
    {
        using var temp = new TempDir();
        var file = await IgnoreFile.ReadAsync(new ArchiveLayout(temp.Path), CancellationToken.None);
        Assert.Empty(file.Lines);
        Assert.Throws<ArgumentException>(() => file.Add("# note"));
        Assert.Throws<ArgumentException>(() => file.Add("a\nb"));
        Assert.True(file.Add("\\#literal"));
    }

    [Fact]
    public async Task A_full_disk_keeps_the_old_file_whole()
    {
        using var temp = new TempDir();
        var layout = new ArchiveLayout(temp.Path);
        await File.WriteAllTextAsync(layout.IgnoreFile, "groups/*\n");
        var file = await IgnoreFile.ReadAsync(layout, CancellationToken.None);
        file.Add(new string('x', 500));

        await Assert.ThrowsAsync<IOException>(() => file.WriteAsync(layout, new FaultyFiles(bytesFree: 10), CancellationToken.None));

        Assert.Equal("groups/*\n", await File.ReadAllTextAsync(layout.IgnoreFile));
        Assert.Single(Directory.GetFiles(temp.Path));
    }
}
