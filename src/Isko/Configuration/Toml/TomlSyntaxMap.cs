using System.Globalization;
using Tomlyn.Syntax;

namespace Isko.Configuration.Toml;

/// <summary>
/// Where each key and table of a TOML syntax tree sits, by its full path as configuration keys
/// spell it (<c>ship:0:url</c>, array-of-tables elements numbered in order). Used to name the key
/// in an error and to find what <see cref="TomlDocumentEditor"/> changes.
/// </summary>
public sealed class TomlSyntaxMap
{
    private TomlSyntaxMap(DocumentSyntax document) => Document = document;

    public DocumentSyntax Document { get; }

    /// <summary>Every key = value, including those inside inline tables, in document order.</summary>
    public List<KeyEntry> Keys { get; } = [];

    /// <summary>Every [table] and [[array]] header, in document order.</summary>
    public List<TableEntry> Tables { get; } = [];

    /// <summary>One key = value: its full path, its syntax, and the list holding it.</summary>
    /// <param name="List">The table's (or document's) list of key-values; null inside an inline table.</param>
    /// <param name="Table">The header it is under, or null at the top of the document.</param>
    public sealed record KeyEntry(IReadOnlyList<string> Path, KeyValueSyntax Syntax, SyntaxList<KeyValueSyntax>? List, TableSyntaxBase? Table)
    {
        public string Display => TomlKeys.Display(Path);
    }

    /// <summary>One header with its resolved path (<c>[[ship]]</c> → ship, 1 for the second one).</summary>
    public sealed record TableEntry(IReadOnlyList<string> Path, TableSyntaxBase Syntax)
    {
        public bool IsArrayElement => Syntax is TableArraySyntax;
    }

    public static TomlSyntaxMap Build(DocumentSyntax document)
    {
        var map = new TomlSyntaxMap(document);
        foreach (var keyValue in document.KeyValues)
            map.AddKey([], keyValue, document.KeyValues, null);

        var arrayCounts = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var table in document.Tables)
        {
            var names = Names(table.Name);
            var path = new List<string>();
            for (var i = 0; i < names.Count; i++)
            {
                path.Add(names[i]);
                var joined = string.Join(':', path);
                if (i < names.Count - 1 && arrayCounts.TryGetValue(joined, out var count))
                    path.Add((count - 1).ToString(CultureInfo.InvariantCulture));
            }
            if (table is TableArraySyntax)
            {
                var joined = string.Join(':', path);
                var index = arrayCounts.GetValueOrDefault(joined);
                arrayCounts[joined] = index + 1;
                path.Add(index.ToString(CultureInfo.InvariantCulture));
            }
            map.Tables.Add(new TableEntry(path, table));
            foreach (var keyValue in table.Items)
                map.AddKey(path, keyValue, table.Items, table);
        }
        return map;
    }

    private void AddKey(IReadOnlyList<string> prefix, KeyValueSyntax keyValue, SyntaxList<KeyValueSyntax>? list, TableSyntaxBase? table)
    {
        if (keyValue.Key is null)
            return;
        var path = prefix.Concat(Names(keyValue.Key)).ToList();
        Keys.Add(new KeyEntry(path, keyValue, list, table));
        if (keyValue.Value is InlineTableSyntax inline)
            foreach (var item in inline.Items)
                if (item.KeyValue is { } inner)
                    AddKey(path, inner, null, table);
    }

    /// <summary>The parts of a key: <c>a."b.c".d</c> → a, b.c, d.</summary>
    public static List<string> Names(KeySyntax? key)
    {
        var names = new List<string>();
        if (key?.Key is { } first)
            names.Add(Text(first));
        if (key?.DotKeys is { } dotted)
            foreach (var item in dotted)
                names.Add(Text(item.Key!));
        return names;
    }

    private static string Text(BareKeyOrStringValueSyntax key) => key switch
    {
        BareKeySyntax bare => bare.Key!.Text!,
        StringValueSyntax quoted => quoted.Value!,
        _ => throw new ArgumentException($"unexpected key syntax {key.GetType().Name}"),
    };

    /// <summary>The key-value at <paramref name="path"/> (config key parts, any case), or null.</summary>
    public KeyEntry? Find(IReadOnlyList<string> path) => Keys.FirstOrDefault(k => TomlKeys.Same(k.Path, path));

    /// <summary>The header whose path is exactly <paramref name="path"/>, or null.</summary>
    public TableEntry? FindTable(IReadOnlyList<string> path) => Tables.FirstOrDefault(t => TomlKeys.Same(t.Path, path));

    /// <summary>The key whose line holds a 0-based <paramref name="line"/> (for naming the key in an error).</summary>
    public KeyEntry? KeyAtLine(int line) =>
        Keys.LastOrDefault(k => k.Syntax.Span.Start.Line <= line && line <= k.Syntax.Span.End.Line);
}

/// <summary>Configuration key paths (<c>ship:0:url</c>) and the way a TOML user reads them (<c>ship[0].url</c>).</summary>
public static class TomlKeys
{
    public static bool IsIndex(string part) => part.Length > 0 && part.All(char.IsAsciiDigit);

    public static string Display(IEnumerable<string> path) =>
        string.Concat(path.Select((part, i) => IsIndex(part) ? $"[{part}]" : i == 0 ? part : "." + part));

    public static bool Same(IReadOnlyList<string> a, IReadOnlyList<string> b) =>
        a.Count == b.Count && a.Zip(b).All(p => string.Equals(p.First, p.Second, StringComparison.OrdinalIgnoreCase));

    public static bool StartsWith(IReadOnlyList<string> path, IReadOnlyList<string> prefix) =>
        path.Count >= prefix.Count && Same(path.Take(prefix.Count).ToList(), prefix);
}
