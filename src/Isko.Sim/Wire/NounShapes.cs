using System.Numerics;
using Isko.Nouns;
using Isko.Nouns.Auras;

namespace Isko.Sim.Wire;

/// <summary>
/// The noun shapes the sim produces and checks: treap maps, kiln's sources, a Keep backup
/// <c>[wex=boat sup=bitt state=*]</c>. Maps are valid treaps <c>[n l r]</c> but not in mug order.
/// </summary>
public static class NounShapes
{
    /// <summary>A treap holding <paramref name="nodes"/>: each node <c>[n ~ rest]</c>, ~ when empty.</summary>
    public static Noun Treap(IEnumerable<Noun> nodes)
    {
        var treap = Noun.Zero;
        foreach (var node in nodes.Reverse()) treap = Noun.Tuple(node, Noun.Zero, treap);
        return treap;
    }

    /// <summary>True when <paramref name="noun"/> is ~ or <c>[n l r]</c> with treaps l and r (checked without recursion).</summary>
    public static bool IsTreap(Noun noun)
    {
        var pending = new Stack<Noun>();
        pending.Push(noun);
        while (pending.TryPop(out var t))
        {
            if (t.IsAtom)
            {
                if (!t.TryGetUInt64(out var v) || v != 0) return false;
                continue;
            }
            if (!t.Tail.IsCell) return false;
            pending.Push(t.Tail.Head);
            pending.Push(t.Tail.Tail);
        }
        return true;
    }

    public static Noun Ship(string ship) => Noun.Atom(PatP.Parse(ship));

    public static Noun Path(string path) =>
        Noun.List(path.Split('/', StringSplitOptions.RemoveEmptyEntries).Select(Noun.Cord));

    /// <summary>kiln's <c>/kiln/sources</c>: <c>(map desk [ship desk])</c>.</summary>
    public static Noun Sources(IEnumerable<SimDesk> desks) => Treap(
        desks.Where(d => d.Sync is not null).Select(d => Noun.Cell(Noun.Cord(d.Name), Noun.Cell(Ship(d.Sync!.Value.Ship), Noun.Cord(d.Sync.Value.Desk)))));

    /// <summary>A Keep backup: <c>[wex sup state]</c>.</summary>
    public static Noun Backup(Noun wex, Noun sup, Noun state) => Noun.Tuple(wex, sup, state);

    /// <summary>
    /// Reads a backup: a cell whose head and head-of-tail are treaps (keep-protocol.md, "The backup noun").
    /// </summary>
    public static bool TryReadBackup(ReadOnlySpan<byte> jam, out Noun state)
    {
        state = Noun.Zero;
        Noun backup;
        try { backup = Cue.Decode(jam); }
        catch (CueException) { return false; }
        if (!backup.IsCell || !backup.Tail.IsCell || !IsTreap(backup.Head) || !IsTreap(backup.Tail.Head)) return false;
        state = backup.Tail.Tail;
        return true;
    }

    /// <summary><c>sup</c> (bitt): <c>(map duct [ship path])</c> from an agent's subscribers (all ours: channels).</summary>
    public static Noun Bitt(SimulatedShip ship, string agent) => Treap(
        ship.Gall.SubscribersOf(agent).Select((s, i) => Noun.Cell(
            Noun.List([Path($"/gall/use/{agent}/{i}")]),
            Noun.Cell(Ship(ship.Name), Path(s.Path)))));
}
