using System.Text.RegularExpressions;
using Isko.Cli;
using Isko.Configuration;

namespace Isko.Config.Tests;

/// <summary>Secrets never print, and a config file that exposes one draws a warning naming the fix.</summary>
public sealed class SecretTests : IDisposable
{
    private const string Code = "lidlut-tabwed-pillex-ridrup";
    private readonly TempConfig _temp = new();

    public void Dispose() => _temp.Dispose();

    private string Config(string secretLines, UnixFileMode mode) =>
        _temp.Write("config.toml", $"[archive]\n{secretLines}\n[[ship]]\nname = \"~zod\"\nurl = \"http://x\"\ncode = \"{Code}\"\n", mode);

    [Fact]
    public void A_secret_formats_as_a_mask_everywhere()
    {
        var result = IskoConfiguration.Load(Config("passphrase = \"open sesame\"", UnixFileMode.UserRead | UnixFileMode.UserWrite), _temp.Env);
        var options = result.Options!;
        Assert.Equal(Secret.Mask, options.Archive.Passphrase!.ToString());
        Assert.Equal("open sesame", options.Archive.Passphrase.Reveal());
        var printed = options.ToString() + string.Join("\n", options.Ships) + System.Text.Json.JsonSerializer.Serialize(options);
        Assert.DoesNotContain("open sesame", printed, StringComparison.Ordinal);
        Assert.DoesNotContain(Code, printed, StringComparison.Ordinal);
    }

    [Fact]
    public void Options_list_every_secret_for_the_redactor()
    {
        var options = IskoConfiguration.Load(Config("passphrase = \"open sesame\"", UnixFileMode.UserRead | UnixFileMode.UserWrite), _temp.Env).Options!;
        Assert.Equal(["open sesame", Code], options.Secrets.Select(s => s.Reveal()));
    }

    [Fact]
    public void Config_check_prints_no_secret_from_a_file_or_inline_or_the_environment()
    {
        _temp.Write("pass.txt", "open sesame\n");
        _temp.Env["ISKO__SHIP__0__CODE"] = "wicdev-wisryt-mapnep-botnyt";
        var path = Config("passphrase_file = \"pass.txt\"", UnixFileMode.UserRead | UnixFileMode.UserWrite);
        using var output = new StringWriter();
        using var error = new StringWriter();

        Assert.Equal(ExitCodes.Ok, ConfigCommands.Check(path, _temp.Env, output, error));

        var all = output.ToString() + error;
        Assert.DoesNotContain("open sesame", all, StringComparison.Ordinal);
        Assert.DoesNotContain("wicdev", all, StringComparison.Ordinal);
        Assert.DoesNotContain(Code, all, StringComparison.Ordinal);
        Assert.Matches($@"archive\.passphrase\s+\*{{8}} \(from file {Regex.Escape(Path.Combine(_temp.Dir, "pass.txt"))}\)", output.ToString());
        Assert.Matches(@"ship\[0\]\.code\s+\*{8}\s+environment ISKO__SHIP__0__CODE", output.ToString());
    }

    [Fact]
    public void An_inline_secret_in_a_file_others_can_read_draws_a_warning_with_the_fix()
    {
        var path = Config("passphrase = \"open sesame\"", UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
        var result = IskoConfiguration.Load(path, _temp.Env);
        Assert.NotNull(result.Options);
        var warning = Assert.Single(result.Warnings);
        Assert.Contains($"{path} holds archive.passphrase, ship[0].code inline and is readable by group or others: run chmod 600 {path}", warning);
    }

    [Fact]
    public void A_private_file_or_a_file_without_secrets_draws_no_warning()
    {
        Assert.Empty(IskoConfiguration.Load(Config("", UnixFileMode.UserRead | UnixFileMode.UserWrite), _temp.Env).Warnings);
        var open = _temp.Write("open.toml", "[ui]\ntheme = \"mono\"\n", UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.OtherRead);
        Assert.Empty(IskoConfiguration.Load(open, _temp.Env).Warnings);
    }

    [Fact]
    public void A_secret_file_others_can_read_draws_a_warning()
    {
        var secret = _temp.Write("pass.txt", "open sesame", UnixFileMode.UserRead | UnixFileMode.GroupRead);
        var result = IskoConfiguration.Load(Config($"passphrase_file = \"{secret}\"", UnixFileMode.UserRead | UnixFileMode.UserWrite), _temp.Env);
        Assert.Equal($"{secret} holds archive.passphrase and is readable by group or others: run chmod 600 {secret}", Assert.Single(result.Warnings));
    }

    [Fact]
    public void A_missing_or_empty_secret_file_is_an_error()
    {
        var missing = Path.Combine(_temp.Dir, "none.txt");
        var result = IskoConfiguration.Load(Config($"passphrase_file = \"{missing}\"", UnixFileMode.UserRead | UnixFileMode.UserWrite), _temp.Env);
        Assert.StartsWith($"archive.passphrase_file: cannot read '{missing}'", Assert.Single(result.Errors).ToString());

        var empty = _temp.Write("empty.txt", "\n");
        result = IskoConfiguration.Load(Config($"passphrase_file = \"{empty}\"", UnixFileMode.UserRead | UnixFileMode.UserWrite), _temp.Env);
        Assert.Equal("archive.passphrase_file: the secret is empty", Assert.Single(result.Errors).ToString());
    }
}
