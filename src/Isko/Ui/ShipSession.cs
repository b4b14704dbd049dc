using Isko.Configuration;
using Isko.Engine.Archive;
using Isko.Engine.Archive.History;
using Isko.Engine.Schedule;
using Isko.Scheduling;
using Isko.Engine.Backup;
using Isko.Engine.Catalogue;
using Isko.Engine.Jobs;
using Isko.Engine.Restore;
using Isko.Hosting;
using Isko.Tui.Widgets;
using LogLevel = Isko.Tui.Widgets.LogLevel;

namespace Isko.Ui;

/// <summary>
/// The adapter between one connected ship and its screen. Every action runs on a background task
/// (one at a time per ship, so two jobs never race on the archive), engine events are read from
/// the job hub on another task, and everything reaches the screen through <c>post</c>, which runs
/// it on the UI thread. Text from the ship and errors are redacted of secrets before they are shown.
/// </summary>
public sealed class ShipSession : IShipActions, IAsyncDisposable
{
    private readonly IskoOptions _options;
    private readonly IskoArchive _archive;
    private readonly string _label;
    private readonly string? _configuredShip;
    private readonly Uri? _url;
    private readonly Func<CancellationToken, Task<ConnectedShip>> _connect;
    private ConnectedShip _ship = null!; // set by Connect, the first job of every session
    private readonly Action<Action> _post;
    private readonly Redactor _redactor;
    private readonly JobEventHub _hub = new();
    private readonly JobEventSubscription _events;
    private readonly Task _pump;
    private readonly SemaphoreSlim _busy = new(1, 1);
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Task> _running = [];
    private readonly Lock _gate = new();

    /// <param name="name">The configured ship's name; null for the embedded simulated ship.</param>
    public ShipSession(IskoOptions options, string? name, IskoArchive archive, Redactor redactor,
        Func<CancellationToken, Task<ConnectedShip>> connect, Action<Action> post)
    {
        _options = options;
        _label = name ?? "the embedded simulated ship";
        _configuredShip = name;
        _url = options.Ships.FirstOrDefault(s => s.Name == name)?.Url
               ?? (name is null ? null : options.GroundSeg.Find(name) is { } box ? box.Ship.Addresses(box.Url).FirstOrDefault()?.Url : null);
        _archive = archive;
        _connect = connect;
        _redactor = redactor;
        _post = post;
        _events = _hub.Subscribe();
        _pump = Task.Run(PumpAsync);
    }

    /// <summary>Set once the screen exists; everything posted goes to it.</summary>
    public ShipScreen Screen { get; set; } = null!;

    public JobEventHub Hub => _hub;

    /// <summary>
    /// Connects (or starts the embedded simulated ship), then reads it; every other action waits for
    /// this. A failure is shown as a <see cref="ConnectProblem"/>: ship, URL, reason, what to do.
    /// </summary>
    public void Connect() => Run("connecting", async ct =>
    {
        // A retry queued behind a connect that then worked has nothing left to connect.
        if (_ship is null)
        {
            Post(s => s.SetConnection("connecting", Tone.Warning));
            try
            {
                _ship = await _connect(ct);
            }
            catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
            {
                var problem = ConnectProblem.From(_label, _url, e, _redactor.Redact);
                Post(s => s.ConnectFailed(problem));
                return;
            }
            var via = _ship.Via == "local http_port" ? "local" : _ship.Via;
            Post(s =>
            {
                s.Via = via;
                s.AddLog($"connected to {_ship.Label}{(_ship.Address is { } at ? $" at {at}" : "")}");
            });
        }
        await ReadInventoryAsync(ct);
        PostArchiveSummary();
    }, needsShip: false);

    /// <summary>Reads the ship again; never connected (a failed connect), it tries to connect first.</summary>
    public void Refresh()
    {
        if (_ship is null)
        {
            Connect();
            return;
        }
        Run("reading the ship", async ct =>
        {
            await ReadInventoryAsync(ct);
            PostArchiveSummary();
        });
    }

    public void ToggleIgnore(AgentRow agent) => Run($"changing the ignore of {agent.Path}", async ct =>
    {
        var file = await _archive.ReadIgnoreFileAsync(ct);
        var ignoring = agent.Status != AgentStatus.Ignored;
        if (ignoring)
            file.Add(agent.Path);
        else if (!file.Remove(agent.Path))
        {
            // Ignored by a rule of the configuration or a desk-wide rule: say which, change nothing.
            Post(s => s.AddLog($"{agent.Path} stays ignored: {agent.Reason ?? "a rule other than its own line"}. Edit that rule to back it up.", LogLevel.Warning));
            return;
        }
        await file.WriteAsync(_archive.Layout, _archive.Files, ct);
        Post(s =>
        {
            s.SetStatus(agent.Path, ignoring ? AgentStatus.Ignored : AgentStatus.NotWrapped, ignoring ? $"ignored by .iskoignore rule '{agent.Path}'" : null);
            s.AddLog($"{agent.Path} {(ignoring ? "ignored" : "no longer ignored")} ({_archive.Layout.IgnoreFile})");
        });
        await ReadInventoryAsync(ct);
    });

    /// <summary>Wraps the agent and waits for its wrapper to report in (the engine's wrap job: progress and result in the jobs pane).</summary>
    public void Wrap(AgentRow agent) => Run($"wrapping {agent.Path}", async ct =>
    {
        await new WrapJob(_ship.Connection, _hub, _options.Backup.Timeouts.Wrap).RunAsync([(agent.Desk, agent.Agent)], ct);
        await ReadInventoryAsync(ct);
    });

    public void BackUp(IReadOnlyList<string>? agents) => Run("backing up", ct => BackUpAsync(agents, ct));

    /// <summary>
    /// Lists the ship's snapshots from the archive on disk; a ship that cannot be reached (a stale
    /// +code after a breach) is listed under its configured name, since that is when they matter.
    /// </summary>
    public void ListSnapshots() => Run("reading the snapshots", async ct =>
    {
        var ship = _ship?.Name ?? _configuredShip!;
        var rows = new List<SnapshotRow>();
        foreach (var id in _archive.Snapshots.List(ship))
        {
            try
            {
                rows.Add(SnapshotRow.From(await _archive.Snapshots.ReadAsync(ship, id, ct)));
            }
            catch (ManifestException e)
            {
                // One bad manifest is named and skipped; the others are still listed.
                var message = _redactor.Redact(e.Message);
                Post(s => s.AddLog($"skipped a snapshot: {message}", LogLevel.Warning));
            }
        }
        Post(s => s.ShowSnapshots(rows));
    }, needsShip: _configuredShip is null);

    public void PlanRestore(string? snapshot) => Run("planning the restore", async ct =>
    {
        var plan = await PlanAsync(snapshot, ct);
        Post(s => s.ShowRestorePlan(plan, confirm: true));
    });

    public void Restore(RestorePlan plan) => Run("restoring", ct => RestoreAsync(plan, ct));

    public void PlanRestoreAgent(string snapshot, string agent) => Run("planning the restore", async ct =>
    {
        var plan = await PlanAsync(snapshot, ct, [agent]);
        Post(s => s.ShowRestorePlan(plan, confirm: true));
    });

    /// <summary>An agent's versions from the archive (works while the ship cannot be reached).</summary>
    public void ShowHistory(AgentRow agent) => Run("reading the history", async ct =>
    {
        var ship = _ship?.Name ?? _configuredShip!;
        var versions = await AgentHistory.ReadAsync(_archive, agent.Path, ship,
            e => Post(s => s.AddLog($"skipped {e.Message}", LogLevel.Warning)), ct);
        Post(s => s.ShowHistory(agent, versions));
    }, needsShip: _configuredShip is null);

    public void ProbeCore() => Run("probing the core agents", async ct =>
    {
        var rules = await ShipTargets.CatalogueRulesAsync(_options, _archive, _ship, ct);
        var inventory = await ShipCatalogue.ReadAsync(_ship.Connection, rules, _archive, null, ct);
        var probes = await Isko.Engine.Catalogue.Probe.CoreProbe.RunAsync(_ship.Connection, inventory, ct);
        Post(s => s.ShowCore(probes.Select(CoreRow.From).ToList()));
    });

    public void Drill() => Run("the drill", async ct =>
    {
        if (_archive.Snapshots.Latest(_ship.Name) is null)
        {
            Post(s => s.AddLog("drill: no snapshot of this ship yet, taking one first"));
            if (!await BackUpAsync(null, ct))
                return;
        }
        Post(s =>
        {
            s.AddLog($"drill: breaching {_ship.Name}: every app and its state are gone, a new +code", LogLevel.Warning);
            s.SetConnection("breached", Tone.Error);
        });
        await _ship.BreachSimulatedAsync(ct);
        Post(s => s.SetConnection("connected (after the breach)", Tone.Ok));
        await ReadInventoryAsync(ct);
        var plan = await PlanAsync(null, ct);
        Post(s => s.ShowRestorePlan(plan, confirm: false));
        await RestoreAsync(plan, ct);
    });

    // ---- the work

    private async Task ReadInventoryAsync(CancellationToken ct)
    {
        var rules = await ShipTargets.CatalogueRulesAsync(_options, _archive, _ship, ct);
        var inventory = await ShipCatalogue.ReadAsync(_ship.Connection, rules, _archive, null, ct);
        Post(s => s.SetInventory(inventory));
    }

    private async Task<bool> BackUpAsync(IReadOnlyList<string>? agents, CancellationToken ct)
    {
        if (ShipTargets.JobOptions(_options, _ship, await ArchiveKeyAsync(ct)) is not { } jobOptions)
        {
            Post(s => s.AddLog($"{_ship.Name} has no pier in the configuration ([[ship]] pier = \"/path/to/pier\"): Isko cannot pick up %keep's backups", LogLevel.Error));
            return false;
        }
        var rules = await ShipTargets.CatalogueRulesAsync(_options, _archive, _ship, ct);
        var inventory = await ShipCatalogue.ReadAsync(_ship.Connection, rules, _archive, null, ct);
        var plan = BackupPlanner.Plan(inventory, agents is null ? null : [.. agents]);
        var result = await new BackupJob(_ship.Connection, _archive, _hub, jobOptions).RunAsync(plan, ct);
        await ReadInventoryAsync(ct);
        PostArchiveSummary();
        return result.Result is JobResult.Completed or JobResult.CompletedWithFailures;
    }

    /// <summary>The archive key, opened once for the session when a passphrase is set (Argon2id is slow by design).</summary>
    private Task<Isko.Engine.Archive.Crypto.ArchiveKey?>? _archiveKey;

    private Task<Isko.Engine.Archive.Crypto.ArchiveKey?> ArchiveKeyAsync(CancellationToken ct)
    {
        // A failed open (a wrong passphrase) is not kept: the next job asks again after the file is fixed.
        if (_archiveKey is null || _archiveKey.IsFaulted || _archiveKey.IsCanceled)
            _archiveKey = ShipTargets.ArchiveKeyAsync(_options, _archive, ct);
        return _archiveKey;
    }

    private async Task<RestorePlan> PlanAsync(string? id, CancellationToken ct, IReadOnlyList<string>? agents = null)
    {
        var snapshot = await RestorePreparation.FindSnapshotAsync(_archive, id ?? "latest", _ship.Name, ct);
        var request = new RestoreRequest(agents ?? [], false, _ship.KeepSource ?? CatalogueRules.DefaultKeepSource);
        // %settings and %storage: the archive key opens the S3 secret; GroundSeg's storage link is kept.
        var coreStores = new Isko.Engine.Restore.CoreStores.CoreStoreRestoreOptions(await ArchiveKeyAsync(ct));
        return await RestorePreparation.PlanAsync(_archive, _ship.Connection, snapshot, request, ct, coreStores);
    }

    private async Task RestoreAsync(RestorePlan plan, CancellationToken ct)
    {
        if (plan.Refused)
        {
            Post(s => s.AddLog($"restore of {plan.Snapshot.Id} refused, nothing changed: " +
                               string.Join("; ", plan.Refusals.Select(r => $"{r.Desk}/{r.Agent}: {r.Reason}")), LogLevel.Error));
            return;
        }
        await new RestoreJob(_archive, _ship.Connection, _hub, ShipTargets.RestoreSettings(_options), coreStores: new Isko.Engine.Restore.CoreStores.CoreStoreRestoreOptions(await ArchiveKeyAsync(ct))).RunAsync(plan, ct);
        await ReadInventoryAsync(ct);
    }

    private void PostArchiveSummary()
    {
        var ids = _archive.Snapshots.List(_ship.Name);
        var text = ids.Count == 0
            ? "archive: no snapshots"
            : $"archive: {ids.Count} snapshot{(ids.Count == 1 ? "" : "s")}, last {ids[^1].Value}";
        Post(s => s.SetArchive(text));
        PostSchedule();
    }

    /// <summary>The next scheduled run (from [schedule] and the archive's run log) and the "Last backup" warning age.</summary>
    private void PostSchedule()
    {
        var schedule = _options.Schedule.Backup;
        if (schedule.Kind == ScheduleKind.Off)
        {
            Post(s => s.SetSchedule("schedule: off", null));
            return;
        }
        DateTimeOffset? last = null;
        try
        {
            last = new ScheduleRunLog(_archive.Layout).Read() is { Count: > 0 } runs ? runs[^1].Started : null;
        }
        catch (InvalidDataException) { }
        var now = TimeProvider.System.GetUtcNow();
        var next = schedule.NextRun(last, TimeProvider.System, MachineSeed.Value);
        var period = schedule.Period(now, TimeProvider.System.LocalTimeZone);
        var text = next is not { } n ? "schedule: none ahead"
            : n <= now ? "next backup: due now"
            : $"next backup {n.ToLocalTime():ddd HH:mm} (in {AgentRow.Age(now, n)})";
        Post(s => s.SetSchedule(text, period * 2));
    }

    /// <summary>
    /// Runs one action at a time in the background; a failure is a log line in plain words, never a
    /// crash. Without a connected ship (<paramref name="needsShip"/>), the action says so instead of running.
    /// </summary>
    private void Run(string what, Func<CancellationToken, Task> work, bool needsShip = true)
    {
        var task = Task.Run(async () =>
        {
            await _busy.WaitAsync(_stop.Token);
            try
            {
                if (needsShip && _ship is null)
                    Post(s => s.AddLog($"{what}: {_label} is not connected; {ConnectProblem.RetryKey} tries again", LogLevel.Warning));
                else
                    await work(_stop.Token);
            }
            catch (OperationCanceledException) when (_stop.IsCancellationRequested)
            {
            }
            catch (Exception e) when (ConnectProblem.IsConnectFailure(e))
            {
                var problem = ConnectProblem.From(_label, _url, e, _redactor.Redact);
                Post(s => s.ConnectFailed(problem));
            }
            catch (Exception e)
            {
                var message = _redactor.Redact(e.Message);
                Post(s => s.AddLog($"{what} failed: {message}", LogLevel.Error));
            }
            finally
            {
                _busy.Release();
            }
        });
        lock (_gate)
        {
            _running.RemoveAll(t => t.IsCompleted);
            _running.Add(task);
        }
    }

    private async Task PumpAsync()
    {
        try
        {
            await foreach (var e in _events.ReadAllAsync())
            {
                var shown = Redact(e);
                Post(s => s.OnJobEvent(shown));
            }
        }
        catch (JobEventListenerOverrunException overrun)
        {
            Post(s => s.AddLog(overrun.Message, LogLevel.Warning));
        }
    }

    private JobEvent Redact(JobEvent e) => e switch
    {
        AgentStep { Detail: { } d } a => a with { Detail = _redactor.Redact(d) },
        JobWarning w => w with { Message = _redactor.Redact(w.Message) },
        JobFinished { Error: { } err } f => f with { Error = _redactor.Redact(err) },
        _ => e,
    };

    private void Post(Action<ShipScreen> action) => _post(() => action(Screen));

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        Task[] running;
        lock (_gate)
            running = [.. _running];
        try
        {
            await Task.WhenAll(running);
        }
        catch (OperationCanceledException)
        {
        }
        _hub.Complete();
        await _pump;
        _events.Dispose();
        _stop.Dispose();
        if (_ship is not null)
            await _ship.DisposeAsync();
    }
}
