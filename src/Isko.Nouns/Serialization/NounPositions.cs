using System.Numerics;
using System.Runtime.CompilerServices;

namespace Isko.Nouns.Serialization;

/// <summary>
/// jam's map from noun to the bit position of its first occurrence. Most nouns are new, so the
/// common case is a miss: the probe array packs the top 32 bits of each noun's cached hash with
/// the index of its entry, so a miss reads one 8-byte slot (usually one cache line) and never
/// touches a noun. Entries are appended in order; the structural equality runs only when the
/// tags match (almost always the same noun).
/// </summary>
internal sealed class NounPositions
{
    private ulong[] _slots;  // 0: empty; else hash tag (high 32 bits) | entry index + 1
    private int _mask;
    private Noun[] _keys;
    private ulong[] _hashes;
    private long[] _positions;
    private int _count;

    public NounPositions(int capacity = 1 << 12)
    {
        var entries = (int)BitOperations.RoundUpToPowerOf2((uint)Math.Max(16, capacity));
        _slots = new ulong[entries * 2];
        _mask = _slots.Length - 1;
        _keys = new Noun[entries];
        _hashes = new ulong[entries];
        _positions = new long[entries];
    }

    /// <summary>The first position of <paramref name="noun"/>, or -1 with <paramref name="slot"/> set for <see cref="Add"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public long Find(Noun noun, ulong hash, out int slot)
    {
        var slots = _slots;
        var tag = hash & 0xffff_ffff_0000_0000;
        var i = (int)hash & _mask;
        while (true)
        {
            var packed = slots[i];
            if (packed == 0)
            {
                slot = i;
                return -1;
            }
            if ((packed & 0xffff_ffff_0000_0000) == tag)
            {
                var entry = (int)(uint)packed - 1;
                var key = _keys[entry];
                if (_hashes[entry] == hash && (ReferenceEquals(key, noun) || key.Equals(noun)))
                {
                    slot = i;
                    return _positions[entry];
                }
            }
            i = (i + 1) & _mask;
        }
    }

    /// <summary>The first position of <paramref name="noun"/>, or -1 after recording <paramref name="position"/> as its first.</summary>
    public long FirstOrAdd(Noun noun, long position)
    {
        var hash = noun.Hash64;
        var first = Find(noun, hash, out var slot);
        if (first < 0)
            Add(slot, noun, hash, position);
        return first;
    }

    /// <summary>Records a noun at the empty slot <see cref="Find"/> returned.</summary>
    public void Add(int slot, Noun noun, ulong hash, long position)
    {
        if (_count == _keys.Length)
        {
            Array.Resize(ref _keys, _count * 2);
            Array.Resize(ref _hashes, _count * 2);
            Array.Resize(ref _positions, _count * 2);
        }
        _keys[_count] = noun;
        _hashes[_count] = hash;
        _positions[_count] = position;
        _count++;
        _slots[slot] = (hash & 0xffff_ffff_0000_0000) | (uint)_count;
        if (_count * 2 > _slots.Length)
            Grow();
    }

    private void Grow()
    {
        _slots = new ulong[_slots.Length * 2];
        _mask = _slots.Length - 1;
        for (var entry = 0; entry < _count; entry++)
        {
            var hash = _hashes[entry];
            var i = (int)hash & _mask;
            while (_slots[i] != 0)
                i = (i + 1) & _mask;
            _slots[i] = (hash & 0xffff_ffff_0000_0000) | (uint)(entry + 1);
        }
    }
}
