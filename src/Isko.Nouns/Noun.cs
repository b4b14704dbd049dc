using System.Numerics;
using System.Runtime.CompilerServices;
using System.Text;
using AtomNode = Isko.Nouns.Atom;
using CellNode = Isko.Nouns.Cell;

namespace Isko.Nouns;

/// <summary>
/// An Urbit noun: an atom (a natural number) or a cell (an ordered pair of nouns). Immutable, with
/// structural equality and a cached hash. Nouns are DAGs: a subtree may be shared by many parents,
/// and nothing here walks a noun recursively, so deep lists and heavily shared nouns are safe.
/// </summary>
public abstract class Noun : IEquatable<Noun>
{
    /// <summary>
    /// The cached 64-bit structural hash; 0 means "not computed yet" (a real 0 is stored as 1).
    /// 64 bits because hashes of a long list's suffixes are an iterated function: in 32 bits they
    /// fall into a cycle after about 2^16 distinct values, so unequal suffixes would collide and
    /// every comparison would walk the whole list.
    /// </summary>
    internal ulong CachedHash;

    private protected Noun() { }

    /// <summary>The atom 0, also written <c>~</c>.</summary>
    public static Noun Zero => AtomNode.SmallCache[0];

    public static Noun Atom(ulong value) => AtomNode.FromUInt64(value);

    public static Noun Atom(BigInteger value)
    {
        if (value.Sign < 0)
            throw new ArgumentOutOfRangeException(nameof(value), value, "an atom is a natural number, never negative");
        if (value <= ulong.MaxValue)
            return AtomNode.FromUInt64((ulong)value);
        return new AtomNode(value.ToByteArray(isUnsigned: true, isBigEndian: false).AsSpan().TrimEnd((byte)0).ToArray());
    }

    /// <summary>An atom from its little-endian bytes; trailing zero bytes are ignored.</summary>
    public static Noun Atom(ReadOnlySpan<byte> littleEndian) => AtomNode.FromBytes(littleEndian);

    public static Noun Cell(Noun head, Noun tail) => new CellNode(head, tail);

    /// <summary>A cord (@t): the string's UTF-8 bytes as a little-endian atom.</summary>
    public static Noun Cord(string text) => AtomNode.FromBytes(Encoding.UTF8.GetBytes(text));

    /// <summary>A right-nested tuple without terminator: <c>Tuple(a, b, c)</c> is <c>[a [b c]]</c>.</summary>
    public static Noun Tuple(params Noun[] items)
    {
        if (items.Length == 0)
            throw new ArgumentException("a tuple needs at least one noun", nameof(items));
        var noun = items[^1];
        for (var i = items.Length - 2; i >= 0; i--)
            noun = new CellNode(items[i], noun);
        return noun;
    }

    /// <summary>A null-terminated list: <c>List([a, b])</c> is <c>[a b ~]</c>.</summary>
    public static Noun List(IEnumerable<Noun> items)
    {
        var all = items as IReadOnlyList<Noun> ?? items.ToList();
        var noun = Zero;
        for (var i = all.Count - 1; i >= 0; i--)
            noun = new CellNode(all[i], noun);
        return noun;
    }

    public bool IsAtom => this is AtomNode;
    public bool IsCell => this is CellNode;

    public Noun Head => this is CellNode c ? c.HeadNoun : throw NotACell("head");
    public Noun Tail => this is CellNode c ? c.TailNoun : throw NotACell("tail");

    public bool TryGetUInt64(out ulong value)
    {
        if (this is AtomNode { IsSmall: true } a)
        {
            value = a.SmallValue;
            return true;
        }
        value = 0;
        return false;
    }

    public BigInteger ToBigInteger() => AsAtom("a number").ToBigIntegerValue();

    /// <summary>The atom's minimal little-endian bytes (empty for 0), as a fresh array.</summary>
    public byte[] AtomBytes() => AsAtom("bytes").Bytes.ToArray();

    /// <summary>The atom's minimal little-endian bytes without copying.</summary>
    public ReadOnlySpan<byte> AtomSpan() => AsAtom("bytes").Bytes;

    /// <summary>The atom read as a cord: its bytes decoded as UTF-8.</summary>
    public string ToCord() => Encoding.UTF8.GetString(AsAtom("a cord").Bytes);

    private AtomNode AsAtom(string what) =>
        this as AtomNode ?? throw new InvalidOperationException($"a cell has no {what}: only an atom has");

    private static InvalidOperationException NotACell(string what) =>
        new($"an atom has no {what}: only a cell has");

    public override int GetHashCode()
    {
        var h = Hash64;
        return (int)(h ^ (h >> 32));
    }

    /// <summary>The full structural hash, computed on first use.</summary>
    internal ulong Hash64
    {
        get
        {
            var h = CachedHash;
            return h != 0 ? h : ComputeHash();
        }
    }

    private protected abstract ulong ComputeHash();

    public override bool Equals(object? obj) => obj is Noun n && Equals(n);

    public bool Equals(Noun? other) =>
        other is not null && (ReferenceEquals(this, other) || StructurallyEqual(this, other));

    public static bool operator ==(Noun? left, Noun? right) =>
        left is null ? right is null : left.Equals(right);

    public static bool operator !=(Noun? left, Noun? right) => !(left == right);

    /// <summary>
    /// Iterative structural equality. Shared subtrees short-circuit on reference equality, unequal
    /// ones usually on their cached hashes; past a few hundred steps, pairs already compared are
    /// remembered so two equal but separately built DAGs compare in time linear in their graphs.
    /// </summary>
    private static bool StructurallyEqual(Noun a, Noun b)
    {
        var stack = new Stack<(Noun, Noun)>();
        HashSet<(Noun, Noun)>? seen = null;
        var steps = 0;
        stack.Push((a, b));
        while (stack.TryPop(out var pair))
        {
            var (x, y) = pair;
            if (ReferenceEquals(x, y))
                continue;
            if (x is AtomNode ax)
            {
                if (y is not AtomNode ay || !ax.ValueEquals(ay))
                    return false;
                continue;
            }
            if (y is not CellNode cy || x.Hash64 != y.Hash64)
                return false;
            var cx = (CellNode)x;
            if (++steps > 256)
            {
                seen ??= new HashSet<(Noun, Noun)>(ReferencePairComparer.Instance);
                if (!seen.Add((cx, cy)))
                    continue;
            }
            stack.Push((cx.TailNoun, cy.TailNoun));
            stack.Push((cx.HeadNoun, cy.HeadNoun));
        }
        return true;
    }

    /// <summary>Hoon-like text, e.g. <c>[1 2 3]</c>, cut off after <paramref name="maxChars"/> characters.</summary>
    public string ToString(int maxChars) => NounText.Render(this, maxChars);

    public override string ToString() => NounText.Render(this, 4096);

    /// <summary>Keeps 0 free as the "not computed" mark.</summary>
    private protected static ulong NonZero(ulong h) => h == 0 ? 1 : h;

    /// <summary>murmur3's 64-bit finaliser.</summary>
    private protected static ulong Mix(ulong k)
    {
        k ^= k >> 33;
        k *= 0xff51afd7ed558ccdUL;
        k ^= k >> 33;
        k *= 0xc4ceb9fe1a85ec53UL;
        k ^= k >> 33;
        return k;
    }

    private sealed class ReferencePairComparer : IEqualityComparer<(Noun, Noun)>
    {
        public static readonly ReferencePairComparer Instance = new();

        public bool Equals((Noun, Noun) a, (Noun, Noun) b) =>
            ReferenceEquals(a.Item1, b.Item1) && ReferenceEquals(a.Item2, b.Item2);

        public int GetHashCode((Noun, Noun) p) =>
            HashCode.Combine(RuntimeHelpers.GetHashCode(p.Item1), RuntimeHelpers.GetHashCode(p.Item2));
    }
}
