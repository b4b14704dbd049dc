using System.Numerics;
using System.Security.Cryptography;
using System.Text;

namespace Isko.Sim;

/// <summary>A desk's docket file: what docket shows for it.</summary>
public sealed record DocketFile(string Title, string Info, string Color, string Version, string Website, string License, bool Glob);

/// <summary>What one revision of a desk holds: the agents its bill starts and its docket file.</summary>
public sealed record DeskContent(IReadOnlyList<string> Bill, DocketFile? Docket, int Revision = 1)
{
    public static readonly DeskContent Empty = new([], null, 0);
}

public enum Zest { Live, Dead, Held }

/// <summary>One desk in clay: its content, zest, %cz hash and kiln's sync source.</summary>
public sealed class SimDesk(string name)
{
    public string Name { get; } = name;
    public DeskContent Content { get; set; } = DeskContent.Empty;
    public Zest Zest { get; set; } = Zest.Held;
    /// <summary>0 means no commits yet ("0v0").</summary>
    public BigInteger Hash { get; set; }
    public (string Ship, string Desk)? Sync { get; set; }
    public List<(string Name, int Kelvin)> Wefts { get; } = [];
}

/// <summary>The desks of one ship. Runs under the ship's gate.</summary>
public sealed class Clay(SimulatedShip ship)
{
    private readonly SortedDictionary<string, SimDesk> _desks = new(StringComparer.Ordinal);

    public IEnumerable<SimDesk> Desks => _desks.Values;
    public SimDesk? Find(string desk) => _desks.GetValueOrDefault(desk);
    public bool IsLive(string desk) => _desks.TryGetValue(desk, out var d) && d.Zest == Zest.Live;

    public SimDesk GetOrAdd(string desk)
    {
        if (!_desks.TryGetValue(desk, out var d)) _desks[desk] = d = new SimDesk(desk);
        return d;
    }

    public void Clear() => _desks.Clear();

    /// <summary>
    /// Commits <paramref name="content"/> to a desk (a merge); a held desk goes live and starts its bill.
    /// <paramref name="install"/>: the merge of a kiln install (the crash-on-init fault applies).
    /// </summary>
    public void Commit(string desk, DeskContent content, BigInteger hash, bool install = false)
    {
        var d = GetOrAdd(desk);
        var updated = d.Hash != 0;
        d.Content = content;
        d.Hash = hash;
        if (d.Zest == Zest.Held) d.Zest = Zest.Live;
        if (d.Zest == Zest.Live) ship.StartDeskAgents(d, reload: updated, install);
        ship.DeskChanged(d, updated);
    }

    /// <summary>A %cz-like hash: deterministic from where and which revision the desk came from.</summary>
    public static BigInteger HashOf(string source, string desk, int revision)
    {
        var bytes = SHA256.HashData(Encoding.UTF8.GetBytes($"{source}/{desk}/{revision}"));
        return new BigInteger(bytes.AsSpan(0, 16), isUnsigned: true);
    }
}
