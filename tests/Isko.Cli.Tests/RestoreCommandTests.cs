using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Isko.Cli;
using Isko.Configuration;
using Isko.Engine.Archive;
using Isko.Engine.Backup;
using Isko.Engine.Catalogue;
using Isko.Engine.Jobs;
using Isko.Hosting;
using Isko.Ship;
using Isko.Ship.Http;
using Isko.Ship.Ports;
using Isko.Sim;

namespace Isko.Cli.Tests;

/// <summary><c>isko restore</c> against a breached simulated demo ship: the plan, dry runs, no terminal, --yes, refusals.</summary>
public sealed class RestoreCommandTests : IAsyncLifetime
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);
    private readonly string _folder = Directory.CreateTempSubdirectory("isko-restore-cli-").FullName;
    private SimulatedShipHost _host = null!;
    private SimulatedShipEndpoint _endpoint = null!;
    private string _code = "";
    private SnapshotManifest _snapshot = null!;

    private string ArchivePath => Path.Combine(_folder, "archive");

    public async Task InitializeAsync()
    {
        using var cts = new CancellationTokenSource(Timeout);
        _host = new SimulatedShipHost(new SimulatedShipHostOptions { Speed = 50, StateScale = 0.001, Control = true });
        _endpoint = await _host.StartAsync(cts.Token);
        var archive = new IskoArchive(ArchivePath);
        await using (var ship = await Connect(_endpoint.Code, cts.Token))
        {
            var inventory = await ShipCatalogue.ReadAsync(ship, CatalogueRules.Default, archive, null, cts.Token);
            var backup = await new BackupJob(ship, archive, new JobEventHub(), new BackupJobOptions(_endpoint.PierPath))
                .RunAsync(BackupPlanner.Plan(inventory), cts.Token);
            Assert.Equal(JobResult.Completed, backup.Result);
            _snapshot = await archive.Snapshots.ReadAsync(inventory.Ship, new SnapshotId(backup.SnapshotId!), cts.Token);
        }
        using var control = new HttpClient { BaseAddress = _endpoint.Url };
        using var breach = await control.PostAsync("/~isko/breach", null, cts.Token);
        _code = (await breach.Content.ReadFromJsonAsync<JsonObject>(cts.Token))!["code"]!.GetValue<string>();
    }

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
        Directory.Delete(_folder, recursive: true);
    }

    private async Task<IShipConnection> Connect(string code, CancellationToken cancellationToken) =>
        await new ShipConnectionFactory().ConnectAsync(new global::Isko.Ship.ShipOptions
        {
            Url = _endpoint.Url, Code = ShipCode.FromValue(code), InstallPollInterval = TimeSpan.FromMilliseconds(50),
        }, cancellationToken);

    private IskoOptions Options()
    {
        var config = Path.Combine(_folder, "config.toml");
        File.WriteAllText(config, SimConfig.Toml(ArchivePath, _endpoint.Url, _code, _endpoint.PierPath, Path.Combine(_folder, "logs")));
        var loaded = IskoConfiguration.Load(config, new Dictionary<string, string> { ["HOME"] = _folder });
        return loaded.Options ?? throw new InvalidOperationException(string.Join("; ", loaded.Errors));
    }

    private async Task<(int Code, string Output, string Error)> Restore(RestoreArguments arguments, TextReader? terminal = null)
    {
        using var cts = new CancellationTokenSource(Timeout);
        using var output = new StringWriter();
        using var error = new StringWriter();
        var options = Options();
        var code = await RestoreCommands.RunAsync(arguments, options, async ct => (await ShipTargets.ConnectAsync(options, cancellationToken: ct))[0],
            terminal, output, error, cts.Token);
        return (code, output.ToString(), error.ToString());
    }

    private static RestoreArguments Args(bool dryRun = false, bool yes = false, bool json = false, bool force = false, params string[] agents) =>
        new(null, agents, dryRun, force, yes, json);

    [Fact]
    public async Task Dry_run_prints_the_plan_as_json_and_changes_nothing()
    {
        var (code, output, error) = await Restore(Args(dryRun: true, json: true));

        Assert.Equal(ExitCodes.Ok, code);
        Assert.Equal("", error);
        var plan = JsonNode.Parse(output.Split('\n')[0])!["plan"]!;
        Assert.Equal(_snapshot.Id, plan["snapshot"]!.GetValue<string>());
        var steps = plan["steps"]!.AsArray().Select(s => (s!["step"]!.GetValue<string>(), s["desk"]!.GetValue<string>())).ToList();
        Assert.Equal(("install-keep", "keep"), steps[0]);
        Assert.Contains(("install-desk", "pals"), steps);
        Assert.Contains(("load-state", "pals"), steps);
        Assert.Equal(0, _host.Ship.Counters.Installs("keep"));
        Assert.Equal(0, _host.Ship.Counters.Installs("pals"));
    }

    [Fact]
    public async Task Without_a_terminal_it_refuses_to_act_unless_yes_is_given()
    {
        var (code, output, error) = await Restore(Args(agents: "pals"));

        Assert.Equal(ExitCodes.Usage, code);
        Assert.Contains("install-desk", output); // the plan is shown
        Assert.Contains("no terminal", error);
        Assert.Equal(0, _host.Ship.Counters.Installs("pals"));
    }

    [Fact]
    public async Task With_yes_it_restores_the_named_agent_and_reports_it()
    {
        var (code, output, error) = await Restore(Args(yes: true, agents: "pals"));

        Assert.True(code == ExitCodes.Ok, $"exit {code}: {error}\n{output}");
        Assert.Contains("restore completed: 1 restored, 0 failed", output);
        Assert.Contains("pals | kiln: merge into %pals succeeded", output);
        Assert.Equal(1, _host.Ship.Counters.Uploads("pals"));
        Assert.Equal(0, _host.Ship.Counters.Installs("gora"));
    }

    [Fact]
    public async Task A_terminal_answer_other_than_yes_changes_nothing()
    {
        var (code, output, _) = await Restore(Args(agents: "pals"), new StringReader("n\n"));

        Assert.Equal(ExitCodes.Ok, code);
        Assert.Contains("nothing changed", output);
        Assert.Equal(0, _host.Ship.Counters.Installs("pals"));
    }

    [Theory]
    [InlineData("3 minutes", null, "--install-timeout: '3 minutes' is not a duration")]
    [InlineData(null, "0s", "--poll-interval: '0s' is not a duration")]
    [InlineData("1m", "2m", "the poll interval (2m) must be shorter than the install timeout (1m)")]
    public async Task A_bad_install_timeout_or_poll_interval_is_a_usage_error_before_anything_happens(string? install, string? poll, string problem)
    {
        var (code, output, error) = await Restore(Args(yes: true, agents: "pals") with { InstallTimeout = install, PollInterval = poll });

        Assert.Equal(ExitCodes.Usage, code);
        Assert.Contains(problem, error);
        Assert.Equal("", output);
        Assert.Equal(0, _host.Ship.Counters.Installs("pals"));
    }

    [Fact]
    public async Task A_missing_blob_is_refused_with_exit_1_and_force_without_agent_is_a_usage_error()
    {
        File.Delete(new IskoArchive(ArchivePath).Layout.BlobPath(_snapshot.Agents.Single(a => a.Agent == "gora").Blob));

        var (code, _, error) = await Restore(Args(yes: true));
        Assert.Equal(ExitCodes.Failed, code);
        Assert.Contains("refusing to restore", error);
        Assert.Contains("gora/gora: blob", error);
        Assert.Equal(0, _host.Ship.Counters.Installs("keep"));

        (code, _, error) = await Restore(Args(yes: true, force: true));
        Assert.Equal(ExitCodes.Usage, code);
        Assert.Contains("--force", error);
    }
}
