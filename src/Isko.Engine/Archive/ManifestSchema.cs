using System.Collections.Concurrent;
using System.Reflection;
using System.Text.Json;

namespace Isko.Engine.Archive;

/// <summary>
/// Checks a manifest's JSON against the shape of <see cref="SnapshotManifest"/> before it is bound,
/// field by field, so a valid JSON file with a wrong type (<c>"id": 42</c>, <c>"agents": {}</c>) is a
/// <see cref="ManifestException"/> naming the file and the field rather than whatever the binder
/// throws. The schema is read from the records' constructors (snake_case names, nullability,
/// defaults), so a field added to a record is checked without a change here. Unknown properties and
/// unknown values (a new <c>kind</c>) are data, not errors.
/// </summary>
internal static class ManifestSchema
{
    private sealed record Field(string Name, Type Type, bool Nullable, bool Optional);

    private static readonly ConcurrentDictionary<Type, IReadOnlyList<Field>> Fields = new();

    public static void Check(JsonElement root, string file) => Check(typeof(SnapshotManifest), root, file);

    /// <summary>Checks JSON against any record read the same way (snake_case names, constructor parameters).</summary>
    public static void Check(Type record, JsonElement root, string file) => CheckValue(record, nullable: false, root, null, file);

    private static void CheckValue(Type type, bool nullable, JsonElement value, string? at, string file)
    {
        if (value.ValueKind == JsonValueKind.Null)
        {
            if (nullable || System.Nullable.GetUnderlyingType(type) is not null)
                return;
            throw Wrong(file, at, type, value);
        }
        type = System.Nullable.GetUnderlyingType(type) ?? type;
        // Free-form JSON held as data: any value will do.
        if (type == typeof(object) || type == typeof(JsonElement) || typeof(System.Text.Json.Nodes.JsonNode).IsAssignableFrom(type))
            return;
        var ok = type switch
        {
            _ when type == typeof(byte[]) => value.ValueKind == JsonValueKind.String && value.TryGetBytesFromBase64(out _),
            _ when type == typeof(string) => value.ValueKind == JsonValueKind.String,
            _ when type == typeof(bool) => value.ValueKind is JsonValueKind.True or JsonValueKind.False,
            _ when type == typeof(int) => value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out _),
            _ when type == typeof(long) => value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out _),
            _ when type == typeof(double) => value.ValueKind == JsonValueKind.Number,
            _ when type == typeof(DateTimeOffset) => value.ValueKind == JsonValueKind.String && value.TryGetDateTimeOffset(out _),
            _ when type == typeof(DateTime) => value.ValueKind == JsonValueKind.String && value.TryGetDateTime(out _),
            _ => (bool?)null,
        };
        if (ok is { } simple)
        {
            if (!simple)
                throw Wrong(file, at, type, value);
            return;
        }
        if (type.IsEnum)
        {
            if (value.ValueKind is not (JsonValueKind.String or JsonValueKind.Number))
                throw Wrong(file, at, type, value);
            return;
        }
        if (ElementOf(type) is { } element)
        {
            if (value.ValueKind != JsonValueKind.Array)
                throw Wrong(file, at, type, value);
            var i = 0;
            foreach (var item in value.EnumerateArray())
                CheckValue(element, nullable: false, item, $"{at}[{i++}]", file);
            return;
        }
        if (ValueOfMap(type) is { } mapped)
        {
            if (value.ValueKind != JsonValueKind.Object)
                throw Wrong(file, at, type, value);
            foreach (var property in value.EnumerateObject())
                CheckValue(mapped, nullable: false, property.Value, Join(at, property.Name), file);
            return;
        }
        if (type.IsClass && FieldsOf(type) is { Count: > 0 } fields)
        {
            if (value.ValueKind != JsonValueKind.Object)
                throw Wrong(file, at, type, value);
            foreach (var field in fields)
            {
                if (!value.TryGetProperty(field.Name, out var property))
                {
                    if (!field.Optional)
                        throw new ManifestException(file, Join(at, field.Name), $"missing required property '{field.Name}'");
                    continue;
                }
                CheckValue(field.Type, field.Nullable, property, Join(at, field.Name), file);
            }
        }
        // Anything else is left to the binder, whose errors are ManifestExceptions too.
    }

    private static string Join(string? at, string name) => at is null ? name : $"{at}.{name}";

    private static ManifestException Wrong(string file, string? at, Type type, JsonElement value) =>
        new(file, at, $"expected {Describe(type)}, found {Describe(value)}");

    private static string Describe(Type type) => type switch
    {
        _ when type == typeof(string) => "a string",
        _ when type == typeof(byte[]) => "base64 text",
        _ when type == typeof(bool) => "true or false",
        _ when type == typeof(int) || type == typeof(long) => "a whole number",
        _ when type == typeof(double) => "a number",
        _ when type == typeof(DateTimeOffset) || type == typeof(DateTime) => "a time (ISO 8601 string)",
        _ when ElementOf(type) is not null => "a list",
        _ => "an object",
    };

    private static string Describe(JsonElement value)
    {
        var text = value.GetRawText();
        if (text.Length > 40)
            text = text[..37] + "...";
        return value.ValueKind switch
        {
            JsonValueKind.Object => "an object",
            JsonValueKind.Array => "a list",
            JsonValueKind.Null => "null",
            JsonValueKind.String => $"the string {text}",
            _ => text,
        };
    }

    private static Type? ElementOf(Type type)
    {
        if (type.IsArray)
            return type.GetElementType();
        if (!type.IsGenericType)
            return null;
        var definition = type.GetGenericTypeDefinition();
        return definition == typeof(IReadOnlyList<>) || definition == typeof(List<>) || definition == typeof(IList<>)
               || definition == typeof(IEnumerable<>) || definition == typeof(IReadOnlyCollection<>)
            ? type.GetGenericArguments()[0]
            : null;
    }

    private static Type? ValueOfMap(Type type)
    {
        if (!type.IsGenericType)
            return null;
        var definition = type.GetGenericTypeDefinition();
        var arguments = type.GetGenericArguments();
        return (definition == typeof(IReadOnlyDictionary<,>) || definition == typeof(Dictionary<,>) || definition == typeof(IDictionary<,>))
               && arguments[0] == typeof(string)
            ? arguments[1]
            : null;
    }

    /// <summary>The JSON fields of a record: its widest public constructor's parameters, as the binder sees them.</summary>
    private static IReadOnlyList<Field> FieldsOf(Type type) => Fields.GetOrAdd(type, t =>
    {
        var constructor = t.GetConstructors(BindingFlags.Public | BindingFlags.Instance).MaxBy(c => c.GetParameters().Length);
        if (constructor is null)
            return [];
        var nullability = new NullabilityInfoContext();
        return constructor.GetParameters().Select(p => new Field(
            SnapshotStore.Json.PropertyNamingPolicy!.ConvertName(p.Name!),
            p.ParameterType,
            nullability.Create(p).WriteState == NullabilityState.Nullable,
            p.HasDefaultValue)).ToList();
    });
}
