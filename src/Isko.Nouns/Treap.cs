namespace Isko.Nouns;

/// <summary>
/// hoon's maps and sets are treaps: <c>~</c> (0) when empty, otherwise a node <c>[n l r]</c> whose
/// <c>l</c> and <c>r</c> are treaps. This checks the shape only (not the ordering by <c>mug</c>).
/// </summary>
public static class Treap
{
    /// <summary>The number of nodes, or null when <paramref name="noun"/> is not shaped like a treap.</summary>
    public static long? CountEntries(Noun noun)
    {
        long entries = 0;
        var seen = new HashSet<Noun>(ReferenceEqualityComparer.Instance);
        var stack = new Stack<Noun>();
        stack.Push(noun);
        while (stack.TryPop(out var node))
        {
            if (node.IsAtom)
            {
                if (node != Noun.Zero)
                    return null;
                continue;
            }
            // A treap never holds itself twice; a shared subtree is counted once.
            if (!seen.Add(node))
                continue;
            if (!node.Tail.IsCell)
                return null;
            entries++;
            stack.Push(node.Tail.Head);
            stack.Push(node.Tail.Tail);
        }
        return entries;
    }
}
