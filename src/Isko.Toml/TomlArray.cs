using System.Collections;

namespace Isko.Toml;

/// <summary>A TOML array: either a value array (<c>[1, 2]</c>) or an array of tables (<c>[[ship]]</c>).</summary>
public sealed record TomlArray : TomlValue, IReadOnlyList<TomlValue>
{
    private readonly List<TomlValue> _items = [];

    internal TomlArray(bool isArrayOfTables) => IsArrayOfTables = isArrayOfTables;

    /// <summary>Built by <c>[[header]]</c> sections; only such arrays may be extended by later headers.</summary>
    public bool IsArrayOfTables { get; }

    public int Count => _items.Count;

    public TomlValue this[int index] => _items[index];

    internal void Add(TomlValue value) => _items.Add(value);

    public IEnumerator<TomlValue> GetEnumerator() => _items.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    public override string ToInvariantString() => "[" + string.Join(", ", _items.Select(i => i.ToInvariantString())) + "]";

    public bool Equals(TomlArray? other) =>
        other is not null && IsArrayOfTables == other.IsArrayOfTables && _items.SequenceEqual(other._items);

    public override int GetHashCode() => HashCode.Combine(IsArrayOfTables, _items.Count);
}
