using System.Globalization;
using System.Numerics;
using System.Text;
using System.Text.Json;

namespace Isko.Nouns;

/// <summary>
/// The JSON form of nouns used by the shared test vectors and the <c>isko noun</c> verbs: an atom
/// is a decimal string (a non-negative JSON integer is accepted too), a cell a 2-element array.
/// Reading and writing are iterative, so depth is limited only by memory.
/// </summary>
public static class NounJson
{
    private static readonly JsonReaderOptions ReaderOptions = new() { MaxDepth = int.MaxValue };
    private static readonly JsonWriterOptions WriterOptions = new() { SkipValidation = true, MaxDepth = int.MaxValue };

    /// <summary>Parses exactly one noun.</summary>
    public static Noun Parse(string json) => Parse(Encoding.UTF8.GetBytes(json));

    /// <summary>Parses exactly one noun.</summary>
    public static Noun Parse(ReadOnlySpan<byte> utf8)
    {
        var reader = new Utf8JsonReader(utf8, ReaderOptions);
        ReadToken(ref reader, "a noun");
        var noun = ReadNoun(ref reader);
        ExpectEnd(ref reader);
        return noun;
    }

    /// <summary>
    /// Parses one noun or several. A top-level array holds several nouns, unless it has exactly two
    /// noun elements and <paramref name="each"/> is false, when it is one cell. Top-level array
    /// elements, and the top level itself, may also be objects with a <c>"noun"</c> field (the vectors
    /// file's entries).
    /// </summary>
    public static IReadOnlyList<Noun> ParseMany(ReadOnlySpan<byte> utf8, bool each = false)
    {
        var reader = new Utf8JsonReader(utf8, ReaderOptions);
        ReadToken(ref reader, "a noun or an array of nouns");
        if (reader.TokenType != JsonTokenType.StartArray)
        {
            var single = reader.TokenType == JsonTokenType.StartObject ? ReadNounField(ref reader) : ReadNoun(ref reader);
            ExpectEnd(ref reader);
            return [single];
        }
        var nouns = new List<Noun>();
        var sawObject = false;
        while (true)
        {
            ReadToken(ref reader, "a noun or ']'");
            if (reader.TokenType == JsonTokenType.EndArray)
                break;
            if (reader.TokenType == JsonTokenType.StartObject)
            {
                sawObject = true;
                nouns.Add(ReadNounField(ref reader));
            }
            else
            {
                nouns.Add(ReadNoun(ref reader));
            }
        }
        ExpectEnd(ref reader);
        if (!each && !sawObject && nouns.Count == 2)
            return [Noun.Cell(nouns[0], nouns[1])];
        return nouns;
    }

    public static string Render(Noun noun)
    {
        using var buffer = new MemoryStream();
        Write(noun, buffer);
        return Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }

    public static void Write(Noun noun, Stream output)
    {
        using var writer = new Utf8JsonWriter(output, WriterOptions);
        Write(noun, writer);
    }

    public static void Write(Noun noun, Utf8JsonWriter writer)
    {
        // null marks the end of a cell's array.
        var stack = new Stack<Noun?>();
        stack.Push(noun);
        while (stack.TryPop(out var next))
        {
            if (next is null)
            {
                writer.WriteEndArray();
                continue;
            }
            if (next.TryGetUInt64(out var small))
            {
                writer.WriteStringValue(small.ToString(CultureInfo.InvariantCulture));
                continue;
            }
            if (next.IsAtom)
            {
                writer.WriteStringValue(next.ToBigInteger().ToString(CultureInfo.InvariantCulture));
                continue;
            }
            writer.WriteStartArray();
            stack.Push(null);
            stack.Push(next.Tail);
            stack.Push(next.Head);
        }
        writer.Flush();
    }

    /// <summary>Reads the noun whose first token is current; leaves the reader on its last token.</summary>
    private static Noun ReadNoun(ref Utf8JsonReader reader)
    {
        // Open arrays: the head once read, and where the array began (for messages).
        var open = new Stack<(Noun? Head, long Start)>();
        while (true)
        {
            Noun value;
            switch (reader.TokenType)
            {
                case JsonTokenType.StartArray:
                    open.Push((null, reader.TokenStartIndex));
                    ReadToken(ref reader, "the head of a cell");
                    continue;
                case JsonTokenType.String:
                case JsonTokenType.Number:
                    value = ReadAtom(ref reader);
                    break;
                case JsonTokenType.EndArray when open.Count > 0:
                    throw Error(reader, open.Peek().Head is null
                        ? "an empty array is not a noun: a cell has exactly two elements"
                        : "an array of one element is not a noun: a cell has exactly two elements");
                default:
                    throw Error(reader, $"expected a noun (a decimal string or a 2-element array), found {Describe(reader)}");
            }

            // Hand the value to the arrays it completes.
            while (true)
            {
                if (open.Count == 0)
                    return value;
                var (head, start) = open.Pop();
                if (head is null)
                {
                    open.Push((value, start));
                    ReadToken(ref reader, "the tail of a cell");
                    break;
                }
                ReadToken(ref reader, "']'");
                if (reader.TokenType != JsonTokenType.EndArray)
                    throw Error(reader, $"the array at byte {start} has more than two elements: a cell has exactly two");
                value = Noun.Cell(head, value);
            }
        }
    }

    private static Noun ReadNounField(ref Utf8JsonReader reader)
    {
        Noun? noun = null;
        var start = reader.TokenStartIndex;
        while (true)
        {
            ReadToken(ref reader, "a property or '}'");
            if (reader.TokenType == JsonTokenType.EndObject)
                return noun ?? throw Error(reader, $"the object at byte {start} has no \"noun\" field");
            var isNoun = reader.ValueTextEquals("noun"u8);
            ReadToken(ref reader, "a value");
            if (isNoun)
                noun = ReadNoun(ref reader);
            else
                reader.Skip();
        }
    }

    private static Noun ReadAtom(ref Utf8JsonReader reader)
    {
        if (reader.TokenType == JsonTokenType.Number)
        {
            if (reader.TryGetUInt64(out var number))
                return Noun.Atom(number);
            var raw = Encoding.UTF8.GetString(reader.ValueSpan);
            if (raw.All(char.IsAsciiDigit))
                return Noun.Atom(BigInteger.Parse(raw, CultureInfo.InvariantCulture));
            throw Error(reader, $"an atom is a natural number, not {raw}");
        }
        var text = reader.GetString()!;
        if (text.Length == 0 || !text.All(char.IsAsciiDigit))
            throw Error(reader, $"an atom is a decimal string of digits 0-9, not \"{Shorten(text)}\"");
        if (ulong.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var small))
            return Noun.Atom(small);
        return Noun.Atom(BigInteger.Parse(text, NumberStyles.None, CultureInfo.InvariantCulture));
    }

    private static void ReadToken(ref Utf8JsonReader reader, string expected)
    {
        bool more;
        try
        {
            more = reader.Read();
        }
        catch (JsonException e)
        {
            throw new FormatException($"invalid JSON at byte {reader.BytesConsumed}: {e.Message}", e);
        }
        if (!more)
            throw new FormatException($"the JSON ends at byte {reader.BytesConsumed}, expected {expected}");
    }

    private static void ExpectEnd(ref Utf8JsonReader reader)
    {
        bool more;
        try
        {
            more = reader.Read();
        }
        catch (JsonException e)
        {
            throw new FormatException($"invalid JSON at byte {reader.BytesConsumed}: {e.Message}", e);
        }
        if (more)
            throw Error(reader, "expected the end of the input after the noun");
    }

    private static FormatException Error(Utf8JsonReader reader, string message) =>
        new($"at byte {reader.TokenStartIndex}: {message}");

    private static string Describe(Utf8JsonReader reader) => reader.TokenType switch
    {
        JsonTokenType.StartObject => "an object",
        JsonTokenType.True or JsonTokenType.False => "a boolean",
        JsonTokenType.Null => "null",
        JsonTokenType.EndArray => "']'",
        _ => reader.TokenType.ToString(),
    };

    private static string Shorten(string text) => text.Length <= 40 ? text : text[..40] + "…";
}
