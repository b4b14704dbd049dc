using Isko.Sim.Eyre;
using Isko.Sim.Gall;
using Isko.Sim.Network;

namespace Isko.Sim;

/// <summary>How to build one simulated ship.</summary>
public sealed record ShipOptions
{
    public string Name { get; init; } = "~zod";
    /// <summary>The pier folder; null makes a fresh one under the temp directory.</summary>
    public string? PierPath { get; init; }
    public int Seed { get; init; } = 1;
    public Faults Faults { get; init; } = Faults.None;
    /// <summary>Scales the generated agent states: 1 = demo sizes (one of 50 MB); tests use less.</summary>
    public double StateScale { get; init; } = 1;
}

/// <summary>
/// One simulated ship: clay desks, gall agents, Eyre sessions and channels, a pier folder and its
/// +code. Everything that changes ship state runs under <see cref="Gate"/>, one event at a time.
/// </summary>
public sealed class SimulatedShip : IDisposable
{
    private readonly CancellationTokenSource _lifetime = new();
    private Random _random;
    private readonly string? _temporaryPier;

    public SimulatedShip(ShipOptions options, SimulatedNetwork network)
    {
        Options = options;
        Network = network;
        Name = options.Name;
        PierPath = options.PierPath ?? NewTemporaryPier(Name);
        _temporaryPier = options.PierPath is null ? PierPath : null;
        if (options.PierPath is not null) Directory.CreateDirectory(Path.Combine(PierPath, ".urb", "put"));
        _random = new Random(options.Seed);
        Code = NewCode(_random);
        Gall = new GallRouter(this);
        Clay = new Clay(this);
        Eyre = new EyreState(this);
        network.Add(this);
    }

    /// <summary>A +code: the @p of 64 random bits (four words), without the <c>~</c>.</summary>
    private static string NewCode(Random random) =>
        Isko.Nouns.Auras.PatP.Render(new System.Numerics.BigInteger((ulong)random.NextInt64() | (1UL << 63))).TrimStart('~');

    public ShipOptions Options { get; }
    public string Name { get; }
    public string Code { get; private set; }
    public string PierPath { get; }
    public SimulatedNetwork Network { get; }
    public TimeProvider Time => Network.Time;
    public Faults Faults => Options.Faults;
    public object Gate { get; } = new();
    public GallRouter Gall { get; }
    public Clay Clay { get; }
    public Slog Slog { get; } = new();
    /// <summary>What the ship was asked to do, for tests that check work is not repeated.</summary>
    public SimCounters Counters { get; } = new();
    public EyreState Eyre { get; }
    /// <summary>Seeded randomness (session ids, hark ids, fault draws): one run repeats the next.</summary>
    public Random Random => _random;
    public CancellationToken Lifetime => _lifetime.Token;
    /// <summary>How many breaches this ship went through: states generated after one differ from before.</summary>
    public int Era { get; private set; }

    public DateTimeOffset Now => Time.GetUtcNow();

    /// <summary>Runs <paramref name="action"/> under the gate after <paramref name="delay"/> of simulated time.</summary>
    public void After(TimeSpan delay, Action action)
    {
        _ = RunAfterAsync(delay, action);
    }

    private async Task RunAfterAsync(TimeSpan delay, Action action)
    {
        try
        {
            if (delay > TimeSpan.Zero) await Task.Delay(delay, Time, _lifetime.Token).ConfigureAwait(false);
            else await Task.Yield();
            lock (Gate) action();
        }
        catch (OperationCanceledException) { }
        catch (Exception e) { Slog.Write($"sim: event crashed: {e.Message}"); }
    }

    /// <summary>Runs <paramref name="action"/> under the gate now.</summary>
    public T Run<T>(Func<T> action) { lock (Gate) return action(); }
    public void Run(Action action) { lock (Gate) action(); }

    /// <summary>Starts every new agent of a live desk's bill; existing ones are reloaded (update, revive) or resumed.</summary>
    internal void StartDeskAgents(SimDesk desk, bool reload = false, bool install = false)
    {
        foreach (var name in desk.Content.Bill)
        {
            var existing = Gall.Find(name);
            if (existing is null || existing.Desk != desk.Name) Gall.Start(AgentCatalog.Create(this, name, desk.Name), install);
            else if (reload) Gall.Reload(name);
            else Gall.Resume(name);
        }
    }

    /// <summary>Tells docket and keep that a desk changed (zest, commit or sync).</summary>
    internal void DeskChanged(SimDesk desk, bool updated = false)
    {
        if (Gall.Find("docket") is Agents.Docket docket && Gall.IsRunning("docket")) docket.Refresh(desk.Name);
        if (updated && Gall.Find("keep") is Keep.KeepAgent keep) keep.DeskUpdated(desk.Name);
    }

    /// <summary>
    /// As a publisher: commits the next revision of a desk we serve, and tells every ship that
    /// syncs from it (they download and merge it, which overwrites wrapped apps).
    /// </summary>
    public void PublishUpdate(string desk)
    {
        lock (Gate)
        {
            var d = Clay.Find(desk) ?? throw new InvalidOperationException($"{Name} has no desk %{desk}");
            var content = d.Content with { Revision = d.Content.Revision + 1 };
            Clay.Commit(desk, content, Clay.HashOf(Name, desk, content.Revision));
        }
        foreach (var other in Network.Ships.Where(s => s != this))
            Network.Send(other.Name, s => (s.Gall.Find("hood") as Agents.Hood)?.UpdateAvailable(Name, desk));
    }

    /// <summary>A breach: a fresh ship with a new +code, only %base and %landscape, every agent state gone.</summary>
    public void Breach(Action<SimulatedShip> populate)
    {
        lock (Gate)
        {
            Eyre.Reset();
            Gall.Clear();
            Clay.Clear();
            Era++;
            _random = new Random(Options.Seed + 7919 * Era);
            Code = NewCode(_random);
            var put = Path.Combine(PierPath, ".urb", "put");
            if (Directory.Exists(put)) Directory.Delete(put, recursive: true);
            Directory.CreateDirectory(put);
            populate(this);
        }
    }

    public void Dispose()
    {
        _lifetime.Cancel();
        Eyre.Reset();
        _lifetime.Dispose();
        DeleteTemporaryPier(_temporaryPier);
    }

    /// <summary>A fresh pier folder under the temp folder, for one run (not created here).</summary>
    internal static string NewTemporaryPier(string ship) =>
        Path.Combine(Path.GetTempPath(), "isko-sim", $"{ship.TrimStart('~')}-{Guid.NewGuid():N}");

    /// <summary>
    /// Removes a pier made under the temp folder for one run (left behind, thousands of test piers
    /// slowed every file operation in the temp folder). Best effort: a file still open stays.
    /// </summary>
    internal static void DeleteTemporaryPier(string? pier)
    {
        if (pier is null) return;
        try
        {
            if (Directory.Exists(pier)) Directory.Delete(pier, recursive: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
        }
    }
}
