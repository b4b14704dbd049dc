using System.Collections;
using System.Diagnostics.CodeAnalysis;

namespace Isko.Toml;

/// <summary>A TOML table; keys keep the order they were written in.</summary>
public sealed record TomlTable : TomlValue, IReadOnlyDictionary<string, TomlValue>
{
    private readonly Dictionary<string, TomlValue> _values = new(StringComparer.Ordinal);
    private readonly List<string> _order = [];

    internal TomlTable(TableOrigin origin) => Origin = origin;

    /// <summary>How the table came to be; decides what later headers and dotted keys may add to it.</summary>
    internal TableOrigin Origin { get; set; }

    public int Count => _order.Count;

    public IEnumerable<string> Keys => _order;

    public IEnumerable<TomlValue> Values => _order.Select(k => _values[k]);

    public TomlValue this[string key] => _values[key];

    public bool ContainsKey(string key) => _values.ContainsKey(key);

    public bool TryGetValue(string key, [MaybeNullWhen(false)] out TomlValue value) => _values.TryGetValue(key, out value);

    internal void Add(string key, TomlValue value)
    {
        _values.Add(key, value);
        _order.Add(key);
    }

    public IEnumerator<KeyValuePair<string, TomlValue>> GetEnumerator() =>
        _order.Select(k => new KeyValuePair<string, TomlValue>(k, _values[k])).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    public override string ToInvariantString() =>
        "{" + string.Join(", ", this.Select(kv => $"{kv.Key} = {kv.Value.ToInvariantString()}")) + "}";

    public bool Equals(TomlTable? other) =>
        other is not null && Count == other.Count &&
        _values.All(kv => other._values.TryGetValue(kv.Key, out var v) && kv.Value.Equals(v));

    public override int GetHashCode() => Count;
}

/// <summary>TOML's rules on redefining tables depend on how each table was first made.</summary>
internal enum TableOrigin
{
    /// <summary>The document itself.</summary>
    Root,
    /// <summary>A parent made on the way to a header (<c>a</c> in <c>[a.b]</c>); one later <c>[a]</c> may still define it.</summary>
    Implicit,
    /// <summary>Defined by its own <c>[header]</c>, or an element of an array of tables.</summary>
    Header,
    /// <summary>Made by a dotted key (<c>a.b = 1</c>); more dotted keys may extend it, headers may not define it.</summary>
    Dotted,
    /// <summary>An inline table: complete as written.</summary>
    Inline,
}
