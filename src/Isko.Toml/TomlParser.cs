using System.Globalization;
using System.Text;

namespace Isko.Toml;

/// <summary>
/// A recursive-descent reader for TOML 1.0.0 (https://toml.io/en/v1.0.0). One instance reads one
/// document; the first error throws a <see cref="TomlException"/>, so nothing partial escapes.
/// </summary>
internal sealed class TomlParser
{
    // Arrays and inline tables nest by recursion; this keeps a hostile file from overflowing the stack.
    private const int MaxDepth = 256;

    private readonly string _text;
    private readonly TomlTable _root = new(TableOrigin.Root);
    private TomlTable _current;
    private int _pos;
    private int _depth;

    private TomlParser(string text)
    {
        _text = text;
        _current = _root;
    }

    public static TomlTable Parse(string text) => new TomlParser(text).ParseDocument();

    private bool AtEnd => _pos >= _text.Length;

    private char Peek(int ahead = 0) => _pos + ahead < _text.Length ? _text[_pos + ahead] : '\0';

    private TomlTable ParseDocument()
    {
        if (Peek() == '\uFEFF')
            _pos++;
        while (true)
        {
            SkipWhitespace();
            if (AtEnd)
                return _root;
            var c = Peek();
            if (c == '[')
                ParseHeader();
            else if (c != '#' && c != '\n' && c != '\r')
                ParseKeyValue(_current, "");
            SkipWhitespace();
            SkipComment();
            if (!AtEnd)
                ExpectNewline(c == '[' ? "after a table header" : c is '#' or '\n' or '\r' ? "" : "after a value");
        }
    }

    // ---- lexical helpers -------------------------------------------------------------------

    private void SkipWhitespace()
    {
        while (_pos < _text.Length && _text[_pos] is ' ' or '\t')
            _pos++;
    }

    private void SkipComment()
    {
        if (Peek() != '#')
            return;
        _pos++;
        while (!AtEnd)
        {
            var c = _text[_pos];
            if (c == '\n' || (c == '\r' && Peek(1) == '\n'))
                return;
            if (IsControl(c))
                throw Error($"control character {Describe(c)} is not allowed in a comment");
            _pos++;
        }
    }

    /// <summary>Whitespace, comments and newlines, as allowed between array elements.</summary>
    private void SkipBlank()
    {
        while (true)
        {
            SkipWhitespace();
            SkipComment();
            if (Peek() == '\n')
                _pos++;
            else if (Peek() == '\r' && Peek(1) == '\n')
                _pos += 2;
            else
                return;
        }
    }

    private void ExpectNewline(string context)
    {
        var c = Peek();
        if (c == '\n')
        {
            _pos++;
            return;
        }
        if (c == '\r' && Peek(1) == '\n')
        {
            _pos += 2;
            return;
        }
        if (c == '\r')
            throw Error("a carriage return must be followed by a line feed");
        throw Error(context.Length == 0 ? $"unexpected {DescribeNext()}" : $"expected a newline or end of file {context}, found {DescribeNext()}");
    }

    /// <summary>Tab is the only control character TOML allows in comments and strings.</summary>
    private static bool IsControl(char c) => (c < 0x20 && c != '\t') || c == 0x7F;

    private string DescribeNext() => AtEnd ? "end of file" : Describe(Peek());

    private static string Describe(char c) => c switch
    {
        '\n' => "end of line",
        '\r' => "carriage return",
        '\t' => "tab",
        _ when c < 0x20 || c == 0x7F => $"U+{(int)c:X4}",
        _ => $"'{c}'",
    };

    private TomlException Error(string reason) => Error(reason, _pos);

    private TomlException Error(string reason, int position)
    {
        int line = 1, column = 1;
        for (var i = 0; i < position && i < _text.Length; i++)
        {
            if (_text[i] == '\n')
            {
                line++;
                column = 1;
            }
            else if (!char.IsLowSurrogate(_text[i]))
            {
                column++;
            }
        }
        return new TomlException(reason, line, column);
    }

    // ---- keys and tables ------------------------------------------------------------------

    private List<string> ParseKey()
    {
        var parts = new List<string>();
        while (true)
        {
            SkipWhitespace();
            parts.Add(ParseSimpleKey());
            SkipWhitespace();
            if (Peek() != '.')
                return parts;
            _pos++;
        }
    }

    private string ParseSimpleKey()
    {
        var c = Peek();
        if (c == '"' || c == '\'')
        {
            if (Peek(1) == c && Peek(2) == c)
                throw Error("a multi-line string cannot be a key");
            return c == '"' ? ParseBasicString() : ParseLiteralString();
        }
        var start = _pos;
        while (_pos < _text.Length && IsBareKeyChar(_text[_pos]))
            _pos++;
        if (_pos == start)
            throw Error($"expected a key, found {DescribeNext()}");
        return _text[start.._pos];
    }

    private static bool IsBareKeyChar(char c) => c is (>= 'A' and <= 'Z') or (>= 'a' and <= 'z') or (>= '0' and <= '9') or '_' or '-';

    private static string Render(IEnumerable<string> parts) => string.Join('.', parts.Select(RenderPart));

    private static string RenderPart(string part) =>
        part.Length > 0 && part.All(IsBareKeyChar) ? part : "\"" + part.Replace("\\", "\\\\").Replace("\"", "\\\"") + "\"";

    private static string Join(string prefix, IEnumerable<string> parts) =>
        prefix.Length == 0 ? Render(parts) : prefix + "." + Render(parts);

    private void ParseHeader()
    {
        var start = _pos;
        var arrayOfTables = Peek(1) == '[';
        _pos += arrayOfTables ? 2 : 1;
        var key = ParseKey();
        if (Peek() != ']' || (arrayOfTables && Peek(1) != ']'))
            throw Error($"expected '{(arrayOfTables ? "]]" : "]")}' to close the table header [{(arrayOfTables ? "[" : "")}{Render(key)}, found {DescribeNext()}");
        _pos += arrayOfTables ? 2 : 1;

        var table = _root;
        for (var i = 0; i < key.Count - 1; i++)
        {
            if (!table.TryGetValue(key[i], out var existing))
            {
                var made = new TomlTable(TableOrigin.Implicit);
                table.Add(key[i], made);
                table = made;
            }
            else if (existing is TomlTable { Origin: not TableOrigin.Inline } t)
                table = t;
            else if (existing is TomlArray { IsArrayOfTables: true } a)
                table = (TomlTable)a[^1];
            else
                throw Error($"cannot define table '{Render(key)}': '{Render(key.Take(i + 1))}' is already {Kind(existing)}", start);
        }

        var last = key[^1];
        table.TryGetValue(last, out var current);
        if (arrayOfTables)
        {
            var element = new TomlTable(TableOrigin.Header);
            if (current is null)
            {
                var array = new TomlArray(isArrayOfTables: true);
                array.Add(element);
                table.Add(last, array);
            }
            else if (current is TomlArray { IsArrayOfTables: true } array)
                array.Add(element);
            else
                throw Error($"cannot define array of tables '{Render(key)}': it is already {Kind(current)}", start);
            _current = element;
        }
        else
        {
            if (current is null)
            {
                var made = new TomlTable(TableOrigin.Header);
                table.Add(last, made);
                _current = made;
            }
            else if (current is TomlTable { Origin: TableOrigin.Implicit } t)
            {
                t.Origin = TableOrigin.Header;
                _current = t;
            }
            else
                throw Error($"cannot define table '{Render(key)}': it is already {Kind(current)}", start);
        }
    }

    private static string Kind(TomlValue value) => value switch
    {
        TomlTable { Origin: TableOrigin.Inline } => "an inline table",
        TomlTable { Origin: TableOrigin.Dotted } => "a table defined by dotted keys",
        TomlTable { Origin: TableOrigin.Implicit } => "a table made by a sub-table header",
        TomlTable => "a table",
        TomlArray { IsArrayOfTables: true } => "an array of tables",
        TomlArray => "an array",
        TomlString => "a string",
        TomlInteger => "an integer",
        TomlFloat => "a float",
        TomlBoolean => "a boolean",
        _ => "a date/time",
    };

    /// <summary>Reads <c>key = value</c> into <paramref name="table"/>; <paramref name="path"/> names the table in errors.</summary>
    private void ParseKeyValue(TomlTable table, string path)
    {
        var start = _pos;
        var key = ParseKey();
        if (Peek() != '=')
            throw Error($"expected '=' after key '{Render(key)}', found {DescribeNext()}");
        _pos++;
        SkipWhitespace();
        var value = ParseValue();

        for (var i = 0; i < key.Count - 1; i++)
        {
            if (!table.TryGetValue(key[i], out var existing))
            {
                var made = new TomlTable(TableOrigin.Dotted);
                table.Add(key[i], made);
                table = made;
            }
            else if (existing is TomlTable { Origin: TableOrigin.Dotted } t)
                table = t;
            else
                throw Error($"cannot set '{Join(path, key)}': '{Join(path, key.Take(i + 1))}' is already {Kind(existing)}", start);
        }
        if (table.ContainsKey(key[^1]))
            throw Error($"duplicate key '{Join(path, key)}'", start);
        table.Add(key[^1], value);
    }

    // ---- values ---------------------------------------------------------------------------

    private TomlValue ParseValue()
    {
        var c = Peek();
        switch (c)
        {
            case '"':
                return new TomlString(Peek(1) == '"' && Peek(2) == '"' ? ParseMultiLineString('"') : ParseBasicString());
            case '\'':
                return new TomlString(Peek(1) == '\'' && Peek(2) == '\'' ? ParseMultiLineString('\'') : ParseLiteralString());
            case '[':
                return Nested(ParseArray);
            case '{':
                return Nested(ParseInlineTable);
            case 't' when Matches("true"):
                _pos += 4;
                return new TomlBoolean(true);
            case 'f' when Matches("false"):
                _pos += 5;
                return new TomlBoolean(false);
            case 'i' or 'n' or '+' or '-' or (>= '0' and <= '9'):
                return ParseNumberOrDate();
            default:
                throw Error($"expected a value, found {DescribeNext()}");
        }
    }

    private bool Matches(string word) => string.CompareOrdinal(_text, _pos, word, 0, word.Length) == 0;

    private TomlValue Nested(Func<TomlValue> parse)
    {
        if (++_depth > MaxDepth)
            throw Error($"arrays and inline tables nest deeper than {MaxDepth} levels");
        var value = parse();
        _depth--;
        return value;
    }

    private TomlArray ParseArray()
    {
        _pos++;
        var array = new TomlArray(isArrayOfTables: false);
        while (true)
        {
            SkipBlank();
            if (Peek() == ']')
            {
                _pos++;
                return array;
            }
            array.Add(ParseValue());
            SkipBlank();
            if (Peek() == ',')
                _pos++;
            else if (Peek() == ']')
            {
                _pos++;
                return array;
            }
            else
                throw Error($"expected ',' or ']' in array, found {DescribeNext()}");
        }
    }

    private TomlTable ParseInlineTable()
    {
        _pos++;
        var table = new TomlTable(TableOrigin.Inline);
        SkipWhitespace();
        if (Peek() == '}')
        {
            _pos++;
            return table;
        }
        while (true)
        {
            ParseKeyValue(table, "");
            SkipWhitespace();
            if (Peek() == '}')
            {
                _pos++;
                return table;
            }
            if (Peek() != ',')
                throw Error($"expected ',' or '}}' in inline table, found {DescribeNext()}");
            _pos++;
            SkipWhitespace();
            if (Peek() == '}')
                throw Error("a trailing comma is not allowed in an inline table");
        }
    }

    // ---- strings ---------------------------------------------------------------------------

    private string ParseBasicString()
    {
        _pos++;
        var sb = new StringBuilder();
        while (true)
        {
            var c = Peek();
            if (AtEnd || c == '\n' || c == '\r')
                throw Error("unterminated string: expected '\"'");
            _pos++;
            if (c == '"')
                return sb.ToString();
            if (c == '\\')
                ParseEscape(sb);
            else if (IsControl(c))
                throw Error($"control character {Describe(c)} is not allowed in a string; escape it", _pos - 1);
            else
                sb.Append(c);
        }
    }

    /// <summary>A multi-line basic ("""…""", with escapes) or literal ('''…''', without) string.</summary>
    private string ParseMultiLineString(char quote)
    {
        _pos += 3;
        SkipFirstNewline();
        var sb = new StringBuilder();
        while (true)
        {
            if (AtEnd)
                throw Error($"unterminated multi-line string: expected {new string(quote, 3)}");
            var c = _text[_pos];
            if (c == quote)
            {
                if (CloseMultiLine(quote, sb))
                    return sb.ToString();
                continue;
            }
            if (c == '\\' && quote == '"')
            {
                _pos++;
                if (!SkipLineEndingBackslash())
                    ParseEscape(sb);
                continue;
            }
            AppendMultiLineChar(c, sb);
        }
    }

    private string ParseLiteralString()
    {
        _pos++;
        var start = _pos;
        while (true)
        {
            var c = Peek();
            if (AtEnd || c == '\n' || c == '\r')
                throw Error("unterminated literal string: expected \"'\"");
            if (c == '\'')
                break;
            if (IsControl(c))
                throw Error($"control character {Describe(c)} is not allowed in a literal string");
            _pos++;
        }
        _pos++;
        return _text[start..(_pos - 1)];
    }

    private void SkipFirstNewline()
    {
        if (Peek() == '\n')
            _pos++;
        else if (Peek() == '\r' && Peek(1) == '\n')
            _pos += 2;
    }

    /// <summary>Newlines are kept as '\n'; other control characters but tab are errors.</summary>
    private void AppendMultiLineChar(char c, StringBuilder sb)
    {
        if (c == '\r' && Peek(1) == '\n')
        {
            sb.Append('\n');
            _pos += 2;
            return;
        }
        if (c != '\n' && IsControl(c))
            throw Error($"control character {Describe(c)} is not allowed in a string");
        sb.Append(c);
        _pos++;
    }

    /// <summary>
    /// At a quote inside a multi-line string: a run of 3 to 5 quotes closes it (the extra one or two
    /// belong to the content); a shorter run is content.
    /// </summary>
    private bool CloseMultiLine(char quote, StringBuilder sb)
    {
        var run = 0;
        while (Peek(run) == quote)
            run++;
        if (run < 3)
        {
            sb.Append(quote, run);
            _pos += run;
            return false;
        }
        if (run > 5)
            throw Error($"too many quotes: at most two {quote} may come right before the closing {new string(quote, 3)}", _pos + 5);
        sb.Append(quote, run - 3);
        _pos += run;
        return true;
    }

    /// <summary>A backslash at the end of a line trims the newline and all whitespace after it.</summary>
    private bool SkipLineEndingBackslash()
    {
        var p = _pos;
        while (p < _text.Length && _text[p] is ' ' or '\t')
            p++;
        if (p >= _text.Length || !(_text[p] == '\n' || (_text[p] == '\r' && p + 1 < _text.Length && _text[p + 1] == '\n')))
            return false;
        _pos = p;
        while (_pos < _text.Length)
        {
            if (_text[_pos] is ' ' or '\t' or '\n')
                _pos++;
            else if (_text[_pos] == '\r' && Peek(1) == '\n')
                _pos += 2;
            else
                break;
        }
        return true;
    }

    /// <summary>After a backslash: one of TOML 1.0's escapes.</summary>
    private void ParseEscape(StringBuilder sb)
    {
        var c = Peek();
        _pos++;
        switch (c)
        {
            case 'b': sb.Append('\b'); return;
            case 't': sb.Append('\t'); return;
            case 'n': sb.Append('\n'); return;
            case 'f': sb.Append('\f'); return;
            case 'r': sb.Append('\r'); return;
            case '"': sb.Append('"'); return;
            case '\\': sb.Append('\\'); return;
            case 'u': AppendCodePoint(4, sb); return;
            case 'U': AppendCodePoint(8, sb); return;
            default:
                throw Error($"invalid escape sequence '\\{(AtEnd ? "" : c)}': expected one of \\b \\t \\n \\f \\r \\\" \\\\ \\uXXXX \\UXXXXXXXX", _pos - 2);
        }
    }

    private void AppendCodePoint(int digits, StringBuilder sb)
    {
        var start = _pos - 2;
        if (_pos + digits > _text.Length || !Chars.AllHex(_text.AsSpan(_pos, digits)))
            throw Error($"expected {digits} hex digits after '\\{_text[_pos - 1]}'", start);
        var value = long.Parse(_text.AsSpan(_pos, digits), NumberStyles.HexNumber, CultureInfo.InvariantCulture);
        if (value > 0x10FFFF || value is >= 0xD800 and <= 0xDFFF)
            throw Error($"'\\{_text[_pos - 1]}{_text.Substring(_pos, digits)}' is not a Unicode scalar value", start);
        _pos += digits;
        sb.Append(char.ConvertFromUtf32((int)value));
    }

    // ---- numbers and dates ----------------------------------------------------------------

    private static bool LooksLikeDateOrTime(string token) =>
        token.Length >= 5 && ((token[2] == ':' && Chars.AllDigits(token.AsSpan(0, 2))) ||
                              (token[4] == '-' && Chars.AllDigits(token.AsSpan(0, 4))));

    private TomlValue ParseNumberOrDate()
    {
        var start = _pos;
        while (_pos < _text.Length && _text[_pos] is (>= '0' and <= '9') or (>= 'a' and <= 'z') or (>= 'A' and <= 'Z') or '_' or '+' or '-' or '.' or ':')
            _pos++;
        // A space may separate a date from its time: "1979-05-27 07:32:00".
        if (_pos - start == 10 && _text[start + 4] == '-' && Peek() == ' ' && char.IsAsciiDigit(Peek(1)) && char.IsAsciiDigit(Peek(2)) && Peek(3) == ':')
        {
            _pos++;
            while (_pos < _text.Length && _text[_pos] is (>= '0' and <= '9') or (>= 'a' and <= 'z') or (>= 'A' and <= 'Z') or '+' or '-' or '.' or ':')
                _pos++;
        }
        var token = _text[start.._pos];
        try
        {
            if (LooksLikeDateOrTime(token))
                return TomlDates.Parse(token);
            return TomlNumbers.Parse(token);
        }
        catch (FormatException e)
        {
            throw Error(e.Message, start);
        }
    }
}
