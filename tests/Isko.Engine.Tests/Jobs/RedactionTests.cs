using Isko.Engine.Jobs;
using Isko.Engine.Tests.Support;

namespace Isko.Engine.Tests.Jobs;

public sealed class RedactionTests
{
    private const string PlusCode = "lidlut-tabwed-pillex-ridrup";
    private const string Cookie = "urbauth-~sampel-palnet=0v3.q0p7t.mlkkq.cqtmf.7i0tn.4k5fe";
    private const string AwsKeyId = "AKIAIOSFODNN7EXAMPLE";
    private const string AwsSecret = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
    private const string Passphrase = "correct horse battery staple";

    [Theory]
    [InlineData("login with " + PlusCode + " now", PlusCode)]
    [InlineData("Set-Cookie: " + Cookie + "; Path=/; Max-Age=604800", "0v3.q0p7t.mlkkq")]
    [InlineData("s3 key " + AwsKeyId, AwsKeyId)]
    [InlineData("s3 secret " + AwsSecret + " in use", AwsSecret)]
    [InlineData("{\"password\":\"hunter22\"}", "hunter22")]
    [InlineData("+code: nocode-shaped", "nocode-shaped")]
    [InlineData("Authorization: Bearer abc.def.ghi", "abc.def.ghi")]
    public void Masks_secrets_by_shape(string text, string secret)
    {
        var redacted = new Redactor().Redact(text);
        Assert.DoesNotContain(secret, redacted);
        Assert.Contains(Redactor.Mask, redacted);
    }

    [Theory]
    [InlineData("~sampel-palnet backed up pals/pals")]
    [InlineData("moon ~sampel-palnet-sampel-palnet")]
    [InlineData("blob 9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08")]
    [InlineData("desk hash 0v1a.kt0d8.3ab1c and git 3f786850e387550fdab836ed7e6dc881de23001b")]
    [InlineData("the upload answered 400, exit code: 3")]
    public void Leaves_ordinary_text_alone(string text) => Assert.Equal(text, new Redactor().Redact(text));

    [Fact]
    public void Masks_registered_secrets_of_any_shape()
    {
        var redactor = new Redactor();
        redactor.AddSecret(Passphrase);
        Assert.Equal($"using {Redactor.Mask}!", redactor.Redact($"using {Passphrase}!"));
    }

    [Fact]
    public async Task No_secret_reaches_the_log_file()
    {
        using var temp = new TempDir();
        var redactor = new Redactor();
        redactor.AddSecret(Passphrase);
        var hub = new JobEventHub();
        var listener = new JobLogListener(hub, redactor, temp.Path);
        var t = DateTimeOffset.UtcNow;
        hub.Publish(new JobStarted("job-1", t, JobKind.Backup, "~sampel-palnet", 1));
        hub.Publish(new JobWarning("job-1", t, $"eyre said Set-Cookie: {Cookie}"));
        hub.Publish(new AgentStep("job-1", t, "pals", "pals", "login", StepOutcome.Failed, $"+code {PlusCode} refused"));
        hub.Publish(new JobWarning("job-1", t, $"s3 {AwsKeyId} {AwsSecret}"));
        hub.Publish(new JobFinished("job-1", t, JobResult.Failed, 0, 0, 1, $"passphrase was {Passphrase}"));
        listener.Logger.Error(new InvalidOperationException($"login failed for {PlusCode}"), "direct {Secret}", AwsSecret);
        hub.Complete();
        await listener.DisposeAsync();

        var files = Directory.GetFiles(temp.Path, "isko*.log");
        var text = string.Concat(await Task.WhenAll(files.Select(f => File.ReadAllTextAsync(f))));
        Assert.Single(files);
        Assert.Contains("job-1", text);
        Assert.Contains("pals/pals login failed", text);
        foreach (var secret in new[] { PlusCode, "0v3.q0p7t", AwsKeyId, AwsSecret, Passphrase })
            Assert.DoesNotContain(secret, text);
        Assert.Contains(Redactor.Mask, text);
    }

    [Fact]
    public async Task The_log_rolls_over_by_size_keeps_a_bounded_number_of_files_and_none_holds_a_secret()
    {
        using var temp = new TempDir();
        var redactor = new Redactor();
        redactor.AddSecret(Passphrase);
        var logger = JobLogListener.CreateLogger(temp.Path, redactor, Serilog.Events.LogEventLevel.Information, fileSizeLimitBytes: 2_000);
        for (var i = 0; i < 400; i++)
            logger.Information("line {Number} with the passphrase {Passphrase} in it", i, Passphrase);
        logger.Debug("below the minimum level: never written");
        await logger.DisposeAsync();

        var files = Directory.GetFiles(temp.Path, "isko*.log");
        Assert.Equal(JobLogListener.RetainedFileCount, files.Length);
        // The sink rolls once a line has taken a file to the limit: at most one line over it.
        Assert.True(files.All(f => new FileInfo(f).Length is > 1_000 and <= 2_000 + 200), string.Join(", ", files.Select(f => new FileInfo(f).Length)));
        var text = string.Concat(await Task.WhenAll(files.Select(f => File.ReadAllTextAsync(f))));
        Assert.Contains("line 399", text);
        Assert.DoesNotContain("line 0 ", text);
        Assert.DoesNotContain(Passphrase, text);
        Assert.DoesNotContain("below the minimum level", text);
    }
}
