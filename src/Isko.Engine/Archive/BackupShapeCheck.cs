using System.Buffers.Binary;
using System.Numerics;

namespace Isko.Engine.Archive;

/// <summary>The outcome of a shape check: ok, or what is wrong and at which bit of the jam.</summary>
public sealed record BackupCheck(bool Ok, string? Problem = null, long? BitOffset = null)
{
    public static BackupCheck Passed { get; } = new(true);

    public override string ToString() =>
        Ok ? BackupCheckResult.Ok : BitOffset is { } bit ? $"not a backup: {Problem} (bit {bit})" : $"not a backup: {Problem}";
}

/// <summary>
/// Checks, as the bytes stream past, that a jam cues to a %keep backup <c>[wex sup state]</c>
/// whose <c>wex</c> and <c>sup</c> are treaps (<c>[n l r]</c> or <c>~</c>), without building the noun.
/// <para>
/// It walks jam's bit grammar (tag, length prefix, atom bits, back-references). Atom bodies are
/// skipped, never read, so a 200 MB state costs a few kilobytes. The subscriptions (<c>wex</c>,
/// <c>sup</c>) are small; their nouns are recorded (offset, kind, link, 18 bytes each, up to
/// <see cref="MaxSubscriptionNouns"/>) so back-references inside them are resolved exactly and the
/// treap shape is checked. The state is only counted: a noun is complete when every cell has got
/// its two children. The trade-off: a back-reference inside the state is checked to point before
/// itself (and, when it points into the subscriptions, at a noun's first bit) but not that it
/// points at the first bit of an earlier noun of the state; remembering every noun's offset would
/// cost memory in proportion to the state. The agent's own <c>on-load</c> is the final judge.
/// </para>
/// </summary>
public sealed class BackupShapeCheck : IBlobInspector
{
    /// <summary>Largest number of nouns in <c>wex</c> and <c>sup</c> together that is checked exactly (18 bytes each).</summary>
    public const int MaxSubscriptionNouns = 1 << 20;

    /// <summary>The longest token header (tag, length prefix, a back-reference's offset) is 191 bits.</summary>
    private const int HeaderBits = 256;

    private const byte ZeroAtom = 0, Atom = 1, Cell = 2, BackRef = 3;

    private byte[] _buffer = new byte[1 << 16];
    private int _length;          // valid bytes in _buffer
    private long _bufferStartBit; // absolute bit offset of _buffer[0]
    private long _position;       // bit position within _buffer
    private long _skip;           // atom bits still to skip
    private int _skipNode = -1;   // the subscriptions' atom being skipped, still zero unless a 1 bit turns up

    // The subscriptions part, recorded node by node in stream order.
    private readonly List<long> _offsets = [];
    private readonly List<byte> _kinds = [];
    private readonly List<long> _links = []; // cell: index of its tail node; back-reference: target bit
    private readonly List<bool> _complete = [];
    private readonly List<(int Node, bool InTail)> _open = [];
    private bool _graphMode = true;
    private long _stateStart = -1;
    private long _need;           // nouns still to read in the state (counting mode)
    private bool _done;
    private BackupCheck? _result;

    /// <summary>The outcome; null until <see cref="Complete"/>.</summary>
    public BackupCheck? Result => _result;

    public void Append(ReadOnlySpan<byte> data)
    {
        if (_result is not null || (_done && _skip == 0))
            return; // bytes after the noun are ignored, as cue ignores them
        Compact(data.Length);
        data.CopyTo(_buffer.AsSpan(_length));
        _length += data.Length;
        Run(final: false);
    }

    public void Complete()
    {
        if (_result is not null)
            return;
        Run(final: true);
        if (_result is not null)
            return;
        if (!_done || _skip > 0)
        {
            _result = _bufferStartBit + _length == 0
                ? new BackupCheck(false, "the file is empty")
                : new BackupCheck(false, "the jam ends before the noun is complete (truncated)", _bufferStartBit + _length * 8L);
            return;
        }
        _result = CheckShape();
    }

    /// <summary>Checks a whole jam held in memory, a chunk at a time (so it copies no more than a chunk).</summary>
    public static BackupCheck Check(ReadOnlySpan<byte> jam)
    {
        var check = new BackupShapeCheck();
        for (var at = 0; at < jam.Length; at += BlobStore.ChunkSize)
            check.Append(jam.Slice(at, Math.Min(BlobStore.ChunkSize, jam.Length - at)));
        check.Complete();
        return check.Result!;
    }

    private void Run(bool final)
    {
        var limit = _length * 8L;
        while (_result is null)
        {
            if (_skip > 0)
            {
                var step = Math.Min(_skip, limit - _position);
                // An atom is ~ by value, not by its length: cue reads [b=3 000] as 0 too.
                if (_skipNode >= 0 && _kinds[_skipNode] == ZeroAtom && AnyBitSet(_position, step))
                    _kinds[_skipNode] = Atom;
                _position += step;
                _skip -= step;
                if (_skip == 0)
                    _skipNode = -1;
                if (_skip > 0)
                    return; // the atom goes on in the next bytes (Complete reports it if there are none)
            }
            if (_done || _position >= limit || (!final && limit - _position < HeaderBits))
                return; // wait for more bytes (at the end, Complete reports what is missing)
            var start = _bufferStartBit + _position;
            if (ReadBits(1) == 0)
            {
                var length = ReadLength(start);
                if (_result is not null)
                    return;
                _skip = (long)length;
                var node = _graphMode && length > 0 ? _offsets.Count : -1;
                NounRead(start, ZeroAtom, 0); // a zero until its body shows a 1 bit
                if (node >= 0 && _result is null)
                    _skipNode = node;
            }
            else if (ReadBits(1) == 0)
            {
                CellStarted(start);
            }
            else
            {
                var length = ReadLength(start);
                if (_result is not null)
                    return;
                if (length > 62)
                {
                    Fail("a back-reference's offset is longer than any file", start);
                    return;
                }
                var target = (long)ReadBits((int)length);
                if (_position > limit)
                {
                    Fail("the jam ends inside a noun (truncated)", start);
                    return;
                }
                if (target >= start)
                {
                    Fail($"a back-reference points forward, to bit {target}", start);
                    return;
                }
                if ((_graphMode || target < _stateStart) && !IsCompleteNoun(target))
                {
                    // cue knows only nouns it has finished reading: a noun's first bit, not one of its ancestors
                    Fail($"a back-reference points at bit {target}, where no finished noun starts", start);
                    return;
                }
                NounRead(start, BackRef, target);
            }
            if (final && _position > limit)
                Fail("the jam ends inside a noun (truncated)", start);
        }
    }

    private void CellStarted(long start)
    {
        if (!_graphMode)
        {
            _need++;
            return;
        }
        if (!Record(start, Cell, -1))
            return;
        _open.Add((_offsets.Count - 1, false));
    }

    private void NounRead(long start, byte kind, long link)
    {
        if (!_graphMode)
        {
            if (--_need == 0)
                _done = true;
            return;
        }
        if (!Record(start, kind, link))
            return;
        // A noun is complete: close the cells it completes, or move the innermost open cell to its tail.
        while (true)
        {
            if (_open.Count == 0)
            {
                _done = true;
                return;
            }
            var (node, inTail) = _open[^1];
            if (inTail)
            {
                _open.RemoveAt(_open.Count - 1);
                _complete[node] = true;
                continue;
            }
            _open[^1] = (node, true);
            _links[node] = _offsets.Count; // the next noun is this cell's tail
            break;
        }
        // [wex [sup state]]: once sup is read, the rest is the state, which is only counted.
        if (_open is [(0, true), (_, true)])
        {
            _graphMode = false;
            _stateStart = _bufferStartBit + _position + _skip;
            _need = 1;
        }
    }

    private bool Record(long start, byte kind, long link)
    {
        if (_offsets.Count >= MaxSubscriptionNouns)
        {
            Fail($"the subscriptions hold more than {MaxSubscriptionNouns} nouns, more than Isko checks", start);
            return false;
        }
        _offsets.Add(start);
        _kinds.Add(kind);
        _links.Add(link);
        _complete.Add(kind != Cell);
        return true;
    }

    private bool IsCompleteNoun(long offset)
    {
        var node = _offsets.BinarySearch(offset);
        return node >= 0 && _complete[node];
    }

    private BackupCheck CheckShape()
    {
        if (_kinds[0] != Cell)
            return new BackupCheck(false, "the file is an atom, not a cell [wex sup state]", 0);
        var rest = Resolve(_links[0]);
        if (rest.Problem is not null)
            return rest.Problem;
        if (_kinds[rest.Node] != Cell)
            return new BackupCheck(false, "the tail is an atom, not a cell [sup state]", _offsets[rest.Node]);
        return IsTreap(1, "wex") ?? IsTreap(rest.Node + 1, "sup") ?? BackupCheck.Passed;
    }

    /// <summary>Checks a treap without recursion (a malformed one may be deep); shared subtrees once.</summary>
    private BackupCheck? IsTreap(int root, string name)
    {
        var seen = new HashSet<int>();
        var pending = new Stack<int>();
        pending.Push(root);
        while (pending.Count > 0)
        {
            var at = Resolve(pending.Pop());
            if (at.Problem is not null)
                return at.Problem;
            var node = at.Node;
            if (!seen.Add(node))
                continue;
            switch (_kinds[node])
            {
                case ZeroAtom:
                    continue;
                case Atom:
                    return new BackupCheck(false, $"{name} is not a map: found an atom where a node [n l r] or ~ belongs", _offsets[node]);
            }
            var pair = Resolve((int)_links[node]);
            if (pair.Problem is not null)
                return pair.Problem;
            if (_kinds[pair.Node] != Cell)
                return new BackupCheck(false, $"{name} is not a map: a node's [l r] is an atom", _offsets[pair.Node]);
            pending.Push(pair.Node + 1);
            pending.Push((int)_links[pair.Node]);
        }
        return null;
    }

    /// <summary>Follows back-references to the node they repeat.</summary>
    private (int Node, BackupCheck? Problem) Resolve(long index)
    {
        var node = (int)index;
        for (var hops = 0; _kinds[node] == BackRef; hops++)
        {
            var target = _links[node];
            var found = _offsets.BinarySearch(target);
            if (found < 0 || hops > 64)
                return (node, new BackupCheck(false, $"a back-reference points at bit {target}, where no noun starts", _offsets[node]));
            node = found;
        }
        return (node, null);
    }

    /// <summary>Reads a jam length prefix (<c>rub</c>'s first half): c zeros, a one, c-1 bits.</summary>
    private ulong ReadLength(long start)
    {
        var zeros = BitOperations.TrailingZeroCount(Peek64());
        if (_position + zeros >= _length * 8L)
        {
            Fail("the jam ends inside a noun (truncated)", start); // past the end there are only padding zeros
            return 0;
        }
        if (zeros >= 63)
        {
            Fail("an atom's length prefix is longer than any file", start);
            return 0;
        }
        _position += zeros + 1;
        if (zeros == 0)
            return 0;
        return (1UL << (zeros - 1)) | ReadBits(zeros - 1);
    }

    private ulong ReadBits(int count)
    {
        if (count == 0)
            return 0;
        var value = Peek64() & (count == 64 ? ulong.MaxValue : (1UL << count) - 1);
        _position += count;
        return value;
    }

    private bool AnyBitSet(long position, long count)
    {
        for (; count > 0; position += 64, count -= 64)
        {
            var word = PeekAt(position);
            if ((count >= 64 ? word : word & ((1UL << (int)count) - 1)) != 0)
                return true;
        }
        return false;
    }

    /// <summary>The next 64 bits, least significant first; the buffer is zero-padded past its end.</summary>
    private ulong Peek64() => PeekAt(_position);

    private ulong PeekAt(long position)
    {
        var index = (int)(position >> 3);
        var shift = (int)(position & 7);
        var word = BinaryPrimitives.ReadUInt64LittleEndian(_buffer.AsSpan(index));
        return shift == 0 ? word : (word >> shift) | ((ulong)_buffer[index + 8] << (64 - shift));
    }

    /// <summary>Drops consumed bytes and makes room for <paramref name="incoming"/> more (plus zero padding).</summary>
    private void Compact(int incoming)
    {
        var consumed = (int)Math.Min(_position >> 3, _length);
        var kept = _length - consumed;
        var needed = kept + incoming + 16;
        if (needed > _buffer.Length)
        {
            var larger = new byte[Math.Max(needed, _buffer.Length * 2)];
            _buffer.AsSpan(consumed, kept).CopyTo(larger);
            _buffer = larger;
        }
        else if (consumed > 0)
        {
            _buffer.AsSpan(consumed, kept).CopyTo(_buffer);
        }
        _buffer.AsSpan(kept).Clear();
        _length = kept;
        _bufferStartBit += consumed * 8L;
        _position -= consumed * 8L;
    }

    private void Fail(string problem, long bit) => _result ??= new BackupCheck(false, problem, bit);
}
