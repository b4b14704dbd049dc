using Isko.Sim.Box;
using Isko.Tui.Tests.Terminal;

namespace Isko.Ui.Tests.Terminal;

/// <summary>
/// Issue 12 end to end in a real terminal: <c>isko</c> with no configuration at all, on a simulated
/// Native Planet box (<see cref="SimulatedBox"/>: GroundSeg's files, a Docker volume per ship, real
/// HTTP and conn.sock), lists the box's three ships, connects to the running one with the +code its
/// runtime gives, backs it up with B, and says plainly why the stopped one cannot be reached.
/// </summary>
public sealed class BoxUnderTmuxTests : IAsyncLifetime
{
    private static readonly TimeSpan Long = TimeSpan.FromMinutes(3);
    // Short: each pier's conn.sock path must stay under the Unix socket limit.
    private readonly string _root = Path.Combine("/tmp", "ibt-" + Guid.NewGuid().ToString("N")[..8]);
    private SimulatedBox _box = null!;
    private TmuxSession _tmux = null!;

    private string Data => Path.Combine(_tmux.Work, "data");

    public async Task InitializeAsync()
    {
        _box = new SimulatedBox(_root, speed: 20);
        await _box.StartAsync();
        _tmux = await TmuxSession.StartAsync(120, 40, "isko-box-e2e-");
    }

    public async Task DisposeAsync()
    {
        await _tmux.DisposeAsync();
        await _box.DisposeAsync();
        try { Directory.Delete(_root, recursive: true); } catch (IOException) { }
    }

    private static bool Shows(string[] rows, string text) => rows.Any(r => r.Contains(text, StringComparison.Ordinal));

    [Fact]
    public async Task With_an_empty_config_isko_lists_the_boxs_ships_backs_up_the_running_one_and_says_why_the_stopped_one_is_down()
    {
        // No config.toml at all: XDG_CONFIG_HOME is an empty folder; only ISKO_GROUNDSEG points at the box.
        await _tmux.RunRecordedAsync(
            $"env XDG_CONFIG_HOME={_tmux.Work}/config XDG_DATA_HOME={Data} XDG_STATE_HOME={_tmux.Work}/state ISKO_GROUNDSEG={_root} " +
            $"'{TmuxSession.DotnetHost}' '{Path.Combine(AppContext.BaseDirectory, "isko.dll")}'");

        // It opens on the picker: every ship with its boot status and network mode; the running ones connect.
        var rows = await _tmux.WaitForAsync(r => Shows(r, "Ships 3/3") && Shows(r, SimulatedBox.Local) && Shows(r, SimulatedBox.WireGuard) && Shows(r, SimulatedBox.Stopped),
            "the three ships listed", Long);
        Assert.Contains(rows, r => r.Contains(SimulatedBox.Stopped, StringComparison.Ordinal) && r.Contains("noboot, local", StringComparison.Ordinal));
        Assert.Contains(rows, r => r.Contains(SimulatedBox.WireGuard, StringComparison.Ordinal) && r.Contains("boot, wireguard", StringComparison.Ordinal));
        await _tmux.WaitForAsync(r => r.Any(l => l.Contains(SimulatedBox.Local, StringComparison.Ordinal) && l.Contains("connected (local)", StringComparison.Ordinal))
                                      && r.Any(l => l.Contains(SimulatedBox.WireGuard, StringComparison.Ordinal) && l.Contains("connected (StarTram)", StringComparison.Ordinal))
                                      && r.Any(l => l.Contains(SimulatedBox.Stopped, StringComparison.Ordinal) && l.Contains("stopped (noboot)", StringComparison.Ordinal)),
            "the running ships connected (the +code from conn.sock), the stopped one not", Long);

        // Enter on the first: its agents, read with the +code no one typed.
        await _tmux.SendKeysAsync("Enter");
        await _tmux.WaitForTextAsync($"Agents {SimulatedBox.Local} (", Long);

        // B backs it up: the plan in numbers, then the job and a snapshot in the archive.
        await _tmux.SendKeysAsync("B");
        await _tmux.WaitForTextAsync("Back up ");
        await _tmux.SendKeysAsync("y");
        rows = await _tmux.WaitForTextAsync("backup done", Long);
        Assert.Contains(rows, r => r.Contains("0 failed", StringComparison.Ordinal));
        await _tmux.WaitForTextAsync("archive: 1 snapshot");
        Assert.Single(Directory.GetFiles(Path.Combine(Data, "isko", "snapshots", SimulatedBox.Local.TrimStart('~')), "*.json"));
        // Keep's disk backups stay under .urb/put/keep/: never a top-level .jam for GroundSeg's Tlon backup to sweep up.
        Assert.Empty(Directory.GetFiles(Path.Combine(_box.Ships.Single(s => s.Ship == SimulatedBox.Local).Pier, ".urb", "put"), "*.jam"));

        // 3: the stopped ship, and plainly why it cannot be reached.
        await _tmux.SendKeysAsync("3");
        rows = await _tmux.WaitForTextAsync("GroundSeg has it stopped (boot status noboot)");
        Assert.True(Shows(rows, $"Cannot connect to {SimulatedBox.Stopped}"), string.Join("\n", rows));
        Assert.True(Shows(rows, "nothing answers there"), string.Join("\n", rows));

        await _tmux.SendKeysAsync("q");
        await _tmux.AssertTerminalGivenBackAsync("0", Long);
    }
}
