using Isko.Nouns;

namespace Isko.Engine.Tests.Support;

/// <summary>%keep backups <c>[wex sup state]</c> built as nouns and jammed by Isko.Nouns.</summary>
public static class Backups
{
    /// <summary>A map of the given nodes: a balanced tree of <c>[n l r]</c> cells with <c>~</c> leaves.</summary>
    public static Noun Treap(IReadOnlyList<Noun> nodes)
    {
        if (nodes.Count == 0)
            return Noun.Zero;
        var middle = nodes.Count / 2;
        return Noun.Tuple(nodes[middle], Treap(nodes.Take(middle).ToList()), Treap(nodes.Skip(middle + 1).ToList()));
    }

    public static Noun Backup(Noun wex, Noun sup, Noun state) => Noun.Tuple(wex, sup, state);

    /// <summary>
    /// A plausible backup: outgoing and incoming subscriptions whose paths repeat (so jam writes
    /// back-references inside them) and a state of about <paramref name="stateBytes"/> bytes of chat-like
    /// records, cords and random atoms that also repeat earlier nouns.
    /// </summary>
    public static Noun Sample(int stateBytes, int seed = 7)
    {
        var random = new Random(seed);
        var path = Noun.List([Noun.Cord("chat"), Noun.Cord("updates")]);
        var wex = Treap(Enumerable.Range(0, 5).Select(i => Noun.Tuple(
            Noun.Tuple(Noun.List([Noun.Cord("sub"), Noun.Atom((ulong)i)]), Noun.Atom(0x1234UL + (ulong)i), Noun.Cord("chat")),
            Noun.Cell(Noun.Atom(1), path))).ToList());
        var sup = Treap(Enumerable.Range(0, 3).Select(i => Noun.Cell(
            Noun.List([Noun.List([Noun.Cord("gall"), Noun.Cord("use"), Noun.Atom((ulong)i)])]),
            Noun.Cell(Noun.Atom(0x1234UL), path))).ToList());
        var records = new List<Noun>();
        var size = 0;
        while (size < stateBytes)
        {
            var text = new string(Enumerable.Range(0, random.Next(10, 120)).Select(_ => (char)random.Next('a', 'z' + 1)).ToArray());
            var blob = new byte[random.Next(1, 64)];
            random.NextBytes(blob);
            records.Add(Noun.Tuple(Noun.Atom((ulong)records.Count), Noun.Cord(text), Noun.Atom(blob), path));
            size += text.Length + blob.Length + 8;
        }
        return Backup(wex, sup, Noun.List(records));
    }

    public static byte[] Jam(Noun noun) => Isko.Nouns.Jam.Encode(noun);

    /// <summary>The reference answer, on the decoded noun: a cell whose head and head of tail are treaps.</summary>
    public static bool IsBackupShape(Noun noun) =>
        noun.IsCell && noun.Tail.IsCell && IsTreap(noun.Head) && IsTreap(noun.Tail.Head);

    private static bool IsTreap(Noun noun)
    {
        var pending = new Stack<Noun>([noun]);
        while (pending.Count > 0)
        {
            var node = pending.Pop();
            if (node.IsAtom)
            {
                if (!node.TryGetUInt64(out var value) || value != 0)
                    return false;
                continue;
            }
            if (!node.Tail.IsCell)
                return false;
            pending.Push(node.Tail.Head);
            pending.Push(node.Tail.Tail);
        }
        return true;
    }
}
