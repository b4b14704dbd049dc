using System.Text.RegularExpressions;
using Tomlyn.Syntax;

namespace Isko.Configuration.Toml;

/// <summary>
/// Edits a TOML document through Tomlyn's lossless syntax tree, so everything not edited (comments,
/// blank lines, alignment, quoting) is written back byte for byte. A replaced value takes over the
/// old value's trivia (so a trailing comment stays, and stays in its column when it can); a new key
/// goes after the last key of its table, or right under a commented-out <c># key = …</c> line, ahead
/// of the blank lines and comments that belong to the next table. Paths are configuration key parts
/// (<c>ship, 0, pier</c>); an edit that cannot be made cleanly is an <see cref="InvalidOperationException"/>
/// saying why.
/// </summary>
public sealed partial class TomlDocumentEditor
{
    private readonly string? _path;

    public TomlDocumentEditor(string text, string? path = null)
    {
        _path = path;
        Document = TomlFile.ParseSyntax(text, path);
    }

    public DocumentSyntax Document { get; }

    /// <summary>The document as it now reads.</summary>
    public string Text => Document.ToString();

    public TomlSyntaxMap Map() => TomlSyntaxMap.Build(Document);

    /// <summary>The value at <paramref name="path"/>, or null.</summary>
    public ValueSyntax? Get(IReadOnlyList<string> path) => Map().Find(path)?.Syntax.Value;

    /// <summary>The 1-based line a key is on as the document now reads (for messages), or null.</summary>
    public int? LineOf(IReadOnlyList<string> path) =>
        TomlSyntaxMap.Build(TomlFile.ParseSyntax(Text, _path)).Find(path)?.Syntax.Span.Start.Line + 1;

    /// <summary>Sets the value at <paramref name="path"/>, replacing it in place or adding the key where it belongs.</summary>
    public void Set(IReadOnlyList<string> path, ValueSyntax value)
    {
        var map = Map();
        if (map.Find(path) is { } existing)
        {
            Replace(existing.Syntax, value);
            return;
        }
        CheckNoValueOnTheWay(map, path);
        if (map.Tables.Any(t => TomlKeys.Same(t.Path, path)))
            throw new InvalidOperationException($"'{TomlKeys.Display(path)}' is a table, not a value");

        // The deepest header whose path leads to the key; the rest is written as a (dotted) key under it.
        var table = map.Tables.Where(t => TomlKeys.StartsWith(path, t.Path) && t.Path.Count < path.Count)
            .MaxBy(t => t.Path.Count);
        var prefix = table?.Path ?? [];
        var rest = path.Skip(prefix.Count).ToList();
        if (rest.Any(TomlKeys.IsIndex))
        {
            var missing = path.Take(path.ToList().FindIndex(prefix.Count, TomlKeys.IsIndex) + 1).ToList();
            throw new InvalidOperationException($"there is no {TomlKeys.Display(missing)}");
        }
        var hasDottedSibling = rest.Count > 1 && map.Keys.Any(k => k.List is not null && TomlKeys.StartsWith(k.Path, [.. prefix, rest[0]]));
        if (rest.Count > 1 && !hasDottedSibling)
        {
            // A new table of its own reads better than a dotted key: [schedule] then backup = ….
            AppendTable(path.Take(path.Count - 1).ToList(), arrayElement: false, [(path[^1], value)]);
            return;
        }
        var list = table?.Syntax.Items ?? Document.KeyValues;
        Insert(list, table?.Syntax, NewKeyValue(rest, value));
    }

    /// <summary>Removes the key, or the table (with its sub-tables), at <paramref name="path"/>; false when there is none.</summary>
    public bool Remove(IReadOnlyList<string> path)
    {
        var map = Map();
        if (map.Find(path) is { } entry)
        {
            if (entry.List is null)
                throw new InvalidOperationException($"'{entry.Display}' is inside an inline table (line {entry.Syntax.Span.Start.Line + 1}): edit that line by hand");
            RemoveNode(entry.Syntax, () => entry.List.RemoveChild(entry.Syntax));
            return true;
        }
        var tables = map.Tables.Where(t => TomlKeys.StartsWith(t.Path, path)).ToList();
        if (tables.Count == 0)
            return false;
        foreach (var table in Enumerable.Reverse(tables))
            RemoveNode(table.Syntax, () => Document.Tables.RemoveChild(table.Syntax));
        return true;
    }

    /// <summary>
    /// Adds a table (<c>[name]</c>, or <c>[[name]]</c> with <paramref name="arrayElement"/>) holding
    /// <paramref name="items"/>: after the last table of the same name, or at the end of the document.
    /// </summary>
    public void AppendTable(IReadOnlyList<string> name, bool arrayElement, IReadOnlyList<(string Key, ValueSyntax Value)> items)
    {
        var key = Key(name);
        TableSyntaxBase table = arrayElement ? new TableArraySyntax(key) : new TableSyntax(key);
        foreach (var (itemKey, value) in items)
            table.Items.Add(NewKeyValue([itemKey], value));

        var map = Map();
        // After the last table (and its sub-tables) of the same name, so [[ship]] tables stay together.
        var same = map.Tables.FindLastIndex(t => TomlKeys.StartsWith(t.Path.Where(p => !TomlKeys.IsIndex(p)).ToList(), name));
        var after = same >= 0 ? map.Tables[same].Syntax : Document.Tables.ChildrenCount > 0 ? Document.Tables.GetChild(Document.Tables.ChildrenCount - 1) : null;
        var anchor = after is not null ? LastNewLine(after) : LastNewLine(Document);
        var moved = new List<SyntaxTrivia>();
        if (anchor is not null)
        {
            var (keep, rest) = Split(anchor.TrailingTrivia, match: null);
            anchor.TrailingTrivia = keep;
            moved = rest;
        }
        else if (Document.ToString().Length > 0 && LastToken(Document) is { } last)
        {
            // The document ends without a newline: end its last line first.
            last.TrailingTrivia ??= [];
            last.TrailingTrivia.Add(new SyntaxTrivia(TokenKind.NewLine, "\n"));
        }
        // One blank line before the new header, unless the document is empty.
        if (Document.ToString().Length > 0)
            FirstToken(table)!.LeadingTrivia = [new SyntaxTrivia(TokenKind.NewLine, "\n")];
        LastNewLine(table)!.TrailingTrivia = moved;

        var index = after is null ? 0 : IndexOf(Document.Tables, after) + 1;
        InsertAt(Document.Tables, index, table);
    }

    // ---- replacing a value -----------------------------------------------------------------

    private static void Replace(KeyValueSyntax keyValue, ValueSyntax value)
    {
        var old = keyValue.Value!;
        var (oldFirst, oldLast) = (FirstToken(old)!, LastToken(old)!);
        var (newFirst, newLast) = (FirstToken(value)!, LastToken(value)!);
        var oldCore = Core(old, oldFirst, oldLast);
        newFirst.LeadingTrivia = oldFirst.LeadingTrivia;
        var trailing = oldLast.TrailingTrivia;
        // Keep a trailing comment in its column: the spaces before it absorb the change in width.
        if (trailing is [{ Kind: TokenKind.Whitespaces } spaces, { Kind: TokenKind.Comment }, ..] && !oldCore.Contains('\n') && !spaces.Text!.Contains('\t'))
        {
            var width = Math.Max(1, spaces.Text!.Length - (value.ToString().Length - oldCore.Length));
            trailing = [new SyntaxTrivia(TokenKind.Whitespaces, new string(' ', width)), .. trailing.Skip(1)];
        }
        newLast.TrailingTrivia = trailing;
        keyValue.Value = value;
    }

    /// <summary>A value's text without the trivia around it.</summary>
    private static string Core(SyntaxNode node, SyntaxToken first, SyntaxToken last)
    {
        var text = node.ToString();
        var lead = Concat(first.LeadingTrivia).Length;
        var trail = Concat(last.TrailingTrivia).Length;
        return text[lead..(text.Length - trail)];
    }

    private static string Concat(List<SyntaxTrivia>? trivia) => trivia is null ? "" : string.Concat(trivia.Select(t => t.Text));

    // ---- adding a key ----------------------------------------------------------------------

    private void Insert(SyntaxList<KeyValueSyntax> list, TableSyntaxBase? table, KeyValueSyntax keyValue)
    {
        // Under a commented-out "# key = …" line of this table when there is one, else after the last key.
        var keyText = Key(keyValue);
        var candidates = new List<(int Index, SyntaxToken Anchor)>();
        if (table?.EndOfLineToken is { } header)
            candidates.Add((0, header));
        for (var i = 0; i < list.ChildrenCount; i++)
            if (list.GetChild(i)?.EndOfLineToken is { } end)
                candidates.Add((i + 1, end));
        var commented = CommentedOut(keyText);
        var chosen = candidates.LastOrDefault(c => c.Anchor.TrailingTrivia?.Any(t => t.Kind == TokenKind.Comment && commented.IsMatch(t.Text!)) == true);
        var match = chosen.Anchor is not null ? commented : null;
        if (chosen.Anchor is null && candidates.Count > 0)
            chosen = candidates[^1];

        if (chosen.Anchor is null)
        {
            // The document has no newline before this point (an empty document or root table).
            InsertAt(list, 0, keyValue);
            return;
        }
        if (chosen.Index == list.ChildrenCount && chosen.Index > 0 && list.GetChild(chosen.Index - 1) is { EndOfLineToken: null } previous)
            previous.EndOfLineToken = new SyntaxToken(TokenKind.NewLine, "\n");
        var (keep, rest) = Split(chosen.Anchor.TrailingTrivia, match);
        chosen.Anchor.TrailingTrivia = keep;
        keyValue.EndOfLineToken!.TrailingTrivia = rest;
        InsertAt(list, chosen.Index, keyValue);
    }

    private static Regex CommentedOut(string key) => new($@"^#\s*{Regex.Escape(key)}\s*=", RegexOptions.CultureInvariant);

    /// <summary>
    /// Splits the lines after a newline token: those that stay with it (up to and including the
    /// comment matching <paramref name="match"/>, or else the comment lines right after it up to the
    /// first blank line), and the rest (blank lines, the next table's comments, the next line's indent).
    /// </summary>
    private static (List<SyntaxTrivia> Keep, List<SyntaxTrivia> Moved) Split(List<SyntaxTrivia>? trivia, Regex? match)
    {
        trivia ??= [];
        var lines = new List<List<SyntaxTrivia>>();
        var current = new List<SyntaxTrivia>();
        foreach (var t in trivia)
        {
            current.Add(t);
            if (t.Kind == TokenKind.NewLine)
            {
                lines.Add(current);
                current = [];
            }
        }
        var keepLines = 0;
        if (match is not null)
            keepLines = lines.FindLastIndex(l => l.Any(t => t.Kind == TokenKind.Comment && match.IsMatch(t.Text!))) + 1;
        else
            while (keepLines < lines.Count && lines[keepLines].Any(t => t.Kind == TokenKind.Comment))
                keepLines++;
        return (lines.Take(keepLines).SelectMany(l => l).ToList(), lines.Skip(keepLines).SelectMany(l => l).Concat(current).ToList());
    }

    private static KeyValueSyntax NewKeyValue(IReadOnlyList<string> key, ValueSyntax value) => new(Key(key), value);

    private static KeySyntax Key(IReadOnlyList<string> parts)
    {
        var key = new KeySyntax(parts[0]);
        foreach (var part in parts.Skip(1))
            key.DotKeys.Add(new DottedKeyItemSyntax(part));
        return key;
    }

    private static string Key(KeyValueSyntax keyValue) => string.Join('.', TomlSyntaxMap.Names(keyValue.Key));

    private static void CheckNoValueOnTheWay(TomlSyntaxMap map, IReadOnlyList<string> path)
    {
        for (var n = path.Count - 1; n > 0; n--)
        {
            if (map.Find(path.Take(n).ToList()) is not { } blocking)
                continue;
            var line = blocking.Syntax.Span.Start.Line + 1;
            throw new InvalidOperationException(blocking.Syntax.Value is InlineTableSyntax
                ? $"'{blocking.Display}' is an inline table (line {line}): add '{path[^1]}' to it by hand"
                : $"'{blocking.Display}' is a value (line {line}), not a table");
        }
    }

    // ---- removing --------------------------------------------------------------------------

    /// <summary>
    /// Removes a node's own lines only: the comments and blank lines after it (which its newline
    /// token holds) move to the newline before it, minus the removed line's indent.
    /// </summary>
    private void RemoveNode(SyntaxNode node, Action remove)
    {
        var before = NewLineBefore(node);
        var lines = LastNewLine(node)?.TrailingTrivia ?? [];
        var lead = node.LeadingTrivia ?? [];
        remove();
        if (before is not null)
        {
            var kept = before.TrailingTrivia ?? [];
            while (kept.Count > 0 && kept[^1].Kind == TokenKind.Whitespaces)
                kept.RemoveAt(kept.Count - 1);
            before.TrailingTrivia = [.. kept, .. lead, .. lines];
        }
        else if (FirstToken(Document) is { } next)
        {
            next.LeadingTrivia = [.. lead, .. lines, .. next.LeadingTrivia ?? []];
        }
    }

    // ---- tree helpers ----------------------------------------------------------------------

    private static IEnumerable<SyntaxToken> TokensOf(SyntaxNode node)
    {
        if (node is SyntaxToken token)
        {
            yield return token;
            yield break;
        }
        for (var i = 0; i < node.ChildrenCount; i++)
            if (node.GetChild(i) is { } child)
                foreach (var t in TokensOf(child))
                    yield return t;
    }

    private static SyntaxToken? FirstToken(SyntaxNode node) => TokensOf(node).FirstOrDefault();

    private static SyntaxToken? LastToken(SyntaxNode node) => TokensOf(node).LastOrDefault();

    private static SyntaxToken? LastNewLine(SyntaxNode node) => TokensOf(node).LastOrDefault(t => t.TokenKind == TokenKind.NewLine);

    private SyntaxToken? NewLineBefore(SyntaxNode node)
    {
        var first = FirstToken(node);
        SyntaxToken? last = null;
        foreach (var token in TokensOf(Document))
        {
            if (ReferenceEquals(token, first))
                return last;
            if (token.TokenKind == TokenKind.NewLine)
                last = token;
        }
        return last;
    }

    private static int IndexOf<T>(SyntaxList<T> list, SyntaxNode node) where T : SyntaxNode
    {
        for (var i = 0; i < list.ChildrenCount; i++)
            if (ReferenceEquals(list.GetChild(i), node))
                return i;
        return -1;
    }

    /// <summary>SyntaxList has Add but no Insert: take the tail off, add, put the tail back.</summary>
    private static void InsertAt<T>(SyntaxList<T> list, int index, T node) where T : SyntaxNode
    {
        var tail = new List<T>();
        while (list.ChildrenCount > index)
        {
            tail.Add(list.GetChild(index)!);
            list.RemoveChildAt(index);
        }
        list.Add(node);
        foreach (var item in tail)
            list.Add(item);
    }
}
