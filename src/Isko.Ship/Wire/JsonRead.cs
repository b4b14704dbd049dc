using System.Text.Json;

namespace Isko.Ship.Wire;

/// <summary>
/// Strict-but-tolerant reading of JSON from the ship: unknown fields are ignored, a missing or
/// mistyped required field throws <see cref="WireFormatException"/> naming what and where.
/// </summary>
internal static class JsonRead
{
    public static JsonElement Required(JsonElement obj, string field, string where)
    {
        if (obj.ValueKind != JsonValueKind.Object)
            throw new WireFormatException($"{where}: expected an object, got {Describe(obj)}");
        if (!obj.TryGetProperty(field, out var value))
            throw new WireFormatException($"{where}: missing required field '{field}'");
        return value;
    }

    public static JsonElement? Optional(JsonElement obj, string field) =>
        obj.ValueKind == JsonValueKind.Object && obj.TryGetProperty(field, out var v) && v.ValueKind != JsonValueKind.Null
            ? v
            : null;

    public static string String(JsonElement obj, string field, string where)
    {
        var v = Required(obj, field, where);
        return v.ValueKind == JsonValueKind.String
            ? v.GetString()!
            : throw new WireFormatException($"{where}: field '{field}' must be a string, got {Describe(v)}");
    }

    public static string? NullableString(JsonElement obj, string field, string where)
    {
        var v = Required(obj, field, where);
        return v.ValueKind switch
        {
            JsonValueKind.Null => null,
            JsonValueKind.String => v.GetString(),
            _ => throw new WireFormatException($"{where}: field '{field}' must be a string or null, got {Describe(v)}"),
        };
    }

    public static string? OptionalString(JsonElement obj, string field, string where)
    {
        var v = Optional(obj, field);
        if (v is null) return null;
        return v.Value.ValueKind == JsonValueKind.String
            ? v.Value.GetString()
            : throw new WireFormatException($"{where}: field '{field}' must be a string, got {Describe(v.Value)}");
    }

    public static bool Bool(JsonElement obj, string field, string where)
    {
        var v = Required(obj, field, where);
        return v.ValueKind switch
        {
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            _ => throw new WireFormatException($"{where}: field '{field}' must be true or false, got {Describe(v)}"),
        };
    }

    public static long Int64(JsonElement obj, string field, string where)
    {
        var v = Required(obj, field, where);
        return v.ValueKind == JsonValueKind.Number && v.TryGetInt64(out var n)
            ? n
            : throw new WireFormatException($"{where}: field '{field}' must be a whole number, got {Describe(v)}");
    }

    public static long? NullableInt64(JsonElement obj, string field, string where)
    {
        var v = Required(obj, field, where);
        if (v.ValueKind == JsonValueKind.Null) return null;
        return v.ValueKind == JsonValueKind.Number && v.TryGetInt64(out var n)
            ? n
            : throw new WireFormatException($"{where}: field '{field}' must be a whole number or null, got {Describe(v)}");
    }

    public static JsonElement Array(JsonElement obj, string field, string where)
    {
        var v = Required(obj, field, where);
        return v.ValueKind == JsonValueKind.Array
            ? v
            : throw new WireFormatException($"{where}: field '{field}' must be an array, got {Describe(v)}");
    }

    public static JsonElement Object(JsonElement obj, string field, string where)
    {
        var v = Required(obj, field, where);
        return v.ValueKind == JsonValueKind.Object
            ? v
            : throw new WireFormatException($"{where}: field '{field}' must be an object, got {Describe(v)}");
    }

    public static string AsString(JsonElement v, string where) =>
        v.ValueKind == JsonValueKind.String
            ? v.GetString()!
            : throw new WireFormatException($"{where}: expected a string, got {Describe(v)}");

    public static void ExpectObject(JsonElement v, string where)
    {
        if (v.ValueKind != JsonValueKind.Object)
            throw new WireFormatException($"{where}: expected an object, got {Describe(v)}");
    }

    public static void ExpectArray(JsonElement v, string where)
    {
        if (v.ValueKind != JsonValueKind.Array)
            throw new WireFormatException($"{where}: expected an array, got {Describe(v)}");
    }

    /// <summary>The one key of a single-key object such as <c>{"glob":null}</c> or <c>{"add-charge":{…}}</c>.</summary>
    public static (string Key, JsonElement Value) SingleKey(JsonElement v, string where)
    {
        ExpectObject(v, where);
        using var e = v.EnumerateObject();
        if (!e.MoveNext()) throw new WireFormatException($"{where}: expected an object with one key, got an empty object");
        var first = e.Current;
        if (e.MoveNext()) throw new WireFormatException($"{where}: expected an object with one key, got several ('{first.Name}', '{e.Current.Name}', …)");
        return (first.Name, first.Value);
    }

    public static ShipName Ship(JsonElement obj, string field, string where)
    {
        var s = String(obj, field, where);
        return ShipName.TryParse(s, out var ship)
            ? ship
            : throw new WireFormatException($"{where}: field '{field}' is not a ship name: '{s}'");
    }

    public static ShipName? NullableShip(JsonElement obj, string field, string where)
    {
        var s = NullableString(obj, field, where);
        if (s is null) return null;
        return ShipName.TryParse(s, out var ship)
            ? ship
            : throw new WireFormatException($"{where}: field '{field}' is not a ship name: '{s}'");
    }

    public static JsonElement Parse(string json, string where)
    {
        try
        {
            using var doc = JsonDocument.Parse(json);
            return doc.RootElement.Clone();
        }
        catch (JsonException e)
        {
            throw new WireFormatException($"{where}: not valid JSON ({e.Message})");
        }
    }

    public static JsonElement Parse(ReadOnlySpan<byte> utf8, string where)
    {
        try
        {
            var reader = new Utf8JsonReader(utf8);
            using var doc = JsonDocument.ParseValue(ref reader);
            return doc.RootElement.Clone();
        }
        catch (JsonException e)
        {
            throw new WireFormatException($"{where}: not valid JSON ({e.Message})");
        }
    }

    private static string Describe(JsonElement v) => v.ValueKind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        JsonValueKind.Null => "null",
        _ => "nothing",
    };
}
