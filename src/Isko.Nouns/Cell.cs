namespace Isko.Nouns;

/// <summary>
/// An ordered pair of nouns. Its hash is taken at construction when both halves already have one
/// (the usual bottom-up case), otherwise on first use by an iterative walk.
/// </summary>
public sealed class Cell : Noun
{
    internal readonly Noun HeadNoun;
    internal readonly Noun TailNoun;

    internal Cell(Noun head, Noun tail)
    {
        ArgumentNullException.ThrowIfNull(head);
        ArgumentNullException.ThrowIfNull(tail);
        HeadNoun = head;
        TailNoun = tail;
        var hh = head.CachedHash;
        var th = tail.CachedHash;
        if (hh != 0 && th != 0)
            CachedHash = Combine(hh, th);
    }

    private static ulong Combine(ulong head, ulong tail) =>
        NonZero(Mix(Mix(head ^ 0x2545f4914f6cdd1dUL) + tail * 0x9e3779b97f4a7c15UL));

    /// <summary>Hashes every not-yet-hashed cell below this one, children first, without recursion.</summary>
    private protected override ulong ComputeHash()
    {
        var stack = new Stack<Cell>();
        stack.Push(this);
        while (stack.TryPeek(out var cell))
        {
            if (cell.CachedHash != 0)
            {
                stack.Pop();
                continue;
            }
            var pending = false;
            if (cell.TailNoun is Cell { CachedHash: 0 } tail)
            {
                stack.Push(tail);
                pending = true;
            }
            if (cell.HeadNoun is Cell { CachedHash: 0 } head)
            {
                stack.Push(head);
                pending = true;
            }
            if (pending)
                continue;
            // Children are hashed (or are atoms, which hash on demand in one pass).
            cell.CachedHash = Combine(cell.HeadNoun.Hash64, cell.TailNoun.Hash64);
            stack.Pop();
        }
        return CachedHash;
    }
}
