namespace Isko.Nouns;

/// <summary>One of the largest atoms of a noun.</summary>
public sealed record AtomSize(long Bits, Noun Atom);

/// <summary>
/// The shape of a noun, measured on its graph (each distinct noun once), so a "jam bomb" whose
/// tree would have 2^100 nodes is measured in time linear in its few hundred distinct nodes, and in
/// memory of at most <see cref="BytesPerDistinctNode"/> per distinct node (tree counts are
/// <see cref="TreeCount"/>s, a fixed size however large).
/// </summary>
/// <param name="GraphCells">Distinct cells (structurally distinct).</param>
/// <param name="GraphAtoms">Distinct atoms.</param>
/// <param name="TreeCells">Cells counted as a tree, every repeat again.</param>
/// <param name="TreeAtoms">Atoms (leaves) counted as a tree.</param>
/// <param name="Depth">Cells on the longest path from the root to a leaf.</param>
/// <param name="SharedNouns">Distinct nouns reached from more than one place in the graph.</param>
/// <param name="LargestAtoms">The largest distinct atoms, largest first.</param>
public sealed record NounStats(
    long GraphCells,
    long GraphAtoms,
    TreeCount TreeCells,
    TreeCount TreeAtoms,
    long Depth,
    long SharedNouns,
    IReadOnlyList<AtomSize> LargestAtoms)
{
    /// <summary>
    /// The stated bound on what <see cref="Measure"/> allocates per distinct node of the graph (its
    /// tables, stacks and their growth), checked by the tests on a 50,000-level jam bomb.
    /// </summary>
    public const int BytesPerDistinctNode = 600;

    /// <summary>Measures <paramref name="root"/> without recursion.</summary>
    public static NounStats Measure(Noun root, int largest = 5)
    {
        // Structurally equal nouns are one node of the graph (a non-canonical jam may repeat a cell
        // instead of referring back to it); each node's measures are kept once.
        var nodes = new Dictionary<Noun, Node>();
        var stack = new Stack<(Noun Noun, bool Expanded)>();
        var top = new PriorityQueue<Noun, long>();
        long graphCells = 0, graphAtoms = 0, shared = 0;

        stack.Push((root, false));
        while (stack.TryPop(out var item))
        {
            var noun = item.Noun;
            if (!item.Expanded)
            {
                if (nodes.ContainsKey(noun))
                    continue;
                if (noun is Atom atom)
                {
                    nodes[noun] = new Node(TreeCount.Zero, TreeCount.One, 0);
                    graphAtoms++;
                    top.Enqueue(noun, atom.BitLength);
                    if (top.Count > largest)
                        top.Dequeue();
                    continue;
                }
                // Children first, then this cell.
                stack.Push((noun, true));
                stack.Push((noun.Tail, false));
                stack.Push((noun.Head, false));
                continue;
            }
            if (nodes.ContainsKey(noun))
                continue;
            var head = nodes[noun.Head];
            var tail = nodes[noun.Tail];
            nodes[noun] = new Node(TreeCount.One + head.TreeCells + tail.TreeCells, head.TreeAtoms + tail.TreeAtoms, 1 + Math.Max(head.Depth, tail.Depth));
            graphCells++;
        }

        // In-degrees over the graph's edges: a node with two or more parents (or the same child
        // twice) is shared.
        var parents = new Dictionary<Noun, int>();
        foreach (var noun in nodes.Keys)
        {
            if (noun is not Cell)
                continue;
            foreach (var child in (ReadOnlySpan<Noun>)[noun.Head, noun.Tail])
            {
                ref var count = ref System.Runtime.InteropServices.CollectionsMarshal.GetValueRefOrAddDefault(parents, child, out _);
                if (++count == 2)
                    shared++;
            }
        }

        var largestAtoms = new List<AtomSize>(top.Count);
        while (top.TryDequeue(out var atom, out var bits))
            largestAtoms.Add(new AtomSize(bits, atom));
        largestAtoms.Reverse();

        var rootNode = nodes[root];
        return new NounStats(graphCells, graphAtoms, rootNode.TreeCells, rootNode.TreeAtoms, rootNode.Depth, shared, largestAtoms);
    }

    private readonly record struct Node(TreeCount TreeCells, TreeCount TreeAtoms, long Depth);
}
