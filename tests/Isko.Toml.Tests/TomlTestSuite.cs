using System.Globalization;
using Xunit.Abstractions;
using System.Text.Json;

namespace Isko.Toml.Tests;

/// <summary>
/// The toml-test compliance suite (../shared/toml-test): the cases listed in tests/files-toml-1.0.0,
/// read at test time. Each valid case must produce exactly the tagged JSON beside it, each invalid
/// case must be rejected. Equality is the suite's: floats compare by value (every nan is equal),
/// date-times compare by value (so "17:45:56.600Z" equals "17:45:56.6Z"), everything else as text.
/// </summary>
public sealed class TomlTestSuite(ITestOutputHelper output)
{
    private static readonly string Root = FindSuite();

    public static TheoryData<string> ValidCases() => Cases("valid/");

    public static TheoryData<string> InvalidCases() => Cases("invalid/");

    [Theory]
    [MemberData(nameof(ValidCases))]
    public void Valid_case_produces_the_expected_document(string name)
    {
        var problem = CheckValid(name);
        Assert.True(problem is null, problem);
    }

    [Theory]
    [MemberData(nameof(InvalidCases))]
    public void Invalid_case_is_rejected(string name)
    {
        var problem = CheckInvalid(name);
        Assert.True(problem is null, problem);
    }

    /// <summary>Runs the whole list once more as one summary, so the counts are printed in one place.</summary>
    [Fact]
    public void Every_toml_1_0_0_case_passes()
    {
        var names = File.ReadAllLines(Path.Combine(Root, "files-toml-1.0.0")).Where(l => l.EndsWith(".toml", StringComparison.Ordinal)).ToList();
        var valid = names.Where(n => n.StartsWith("valid/", StringComparison.Ordinal)).ToList();
        var invalid = names.Where(n => n.StartsWith("invalid/", StringComparison.Ordinal)).ToList();
        var failures = valid.Select(n => (n, p: CheckValid(n))).Concat(invalid.Select(n => (n, p: CheckInvalid(n))))
            .Where(r => r.p is not null).Select(r => $"{r.n}: {r.p}").ToList();

        var summary = $"toml-test 1.0.0: {valid.Count} valid, {invalid.Count} invalid; {names.Count - failures.Count} passed, {failures.Count} failed";
        output.WriteLine(summary);
        Console.WriteLine(summary);
        foreach (var failure in failures)
            output.WriteLine(failure);
        Assert.True(valid.Count > 0 && invalid.Count > 0, "the suite's list names no cases");
        Assert.True(failures.Count == 0, summary + Environment.NewLine + string.Join(Environment.NewLine, failures));
    }

    private static TheoryData<string> Cases(string prefix)
    {
        var data = new TheoryData<string>();
        foreach (var line in File.ReadAllLines(Path.Combine(Root, "files-toml-1.0.0")))
            if (line.StartsWith(prefix, StringComparison.Ordinal) && line.EndsWith(".toml", StringComparison.Ordinal))
                data.Add(line);
        return data;
    }

    private static string? CheckValid(string name)
    {
        TomlTable document;
        try
        {
            document = TomlReader.Parse(File.ReadAllBytes(Path.Combine(Root, name)));
        }
        catch (TomlException e)
        {
            return "rejected: " + e.Message;
        }
        using var expected = JsonDocument.Parse(File.ReadAllText(Path.Combine(Root, Path.ChangeExtension(name, ".json"))));
        return Compare(expected.RootElement, document, "");
    }

    private static string? CheckInvalid(string name)
    {
        try
        {
            var document = TomlReader.Parse(File.ReadAllBytes(Path.Combine(Root, name)));
            return "accepted: " + document;
        }
        catch (TomlException)
        {
            return null;
        }
    }

    private static string? Compare(JsonElement expected, TomlValue actual, string path)
    {
        if (IsTagged(expected))
            return CompareLeaf(expected.GetProperty("type").GetString()!, expected.GetProperty("value").GetString()!, actual, path);
        switch (expected.ValueKind)
        {
            case JsonValueKind.Object:
                if (actual is not TomlTable table)
                    return $"{path}: expected a table, got {actual}";
                var keys = expected.EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal).ToList();
                var actualKeys = table.Keys.Order(StringComparer.Ordinal).ToList();
                if (!keys.SequenceEqual(actualKeys))
                    return $"{path}: expected keys [{string.Join(", ", keys)}], got [{string.Join(", ", actualKeys)}]";
                foreach (var property in expected.EnumerateObject())
                    if (Compare(property.Value, table[property.Name], path + "." + property.Name) is { } problem)
                        return problem;
                return null;
            case JsonValueKind.Array:
                if (actual is not TomlArray array)
                    return $"{path}: expected an array, got {actual}";
                if (array.Count != expected.GetArrayLength())
                    return $"{path}: expected {expected.GetArrayLength()} elements, got {array.Count}";
                var i = 0;
                foreach (var element in expected.EnumerateArray())
                {
                    if (Compare(element, array[i], $"{path}[{i}]") is { } problem)
                        return problem;
                    i++;
                }
                return null;
            default:
                return $"{path}: unexpected JSON {expected.ValueKind} in the expected document";
        }
    }

    private static bool IsTagged(JsonElement e) =>
        e.ValueKind == JsonValueKind.Object && e.EnumerateObject().Count() == 2 &&
        e.TryGetProperty("type", out var t) && t.ValueKind == JsonValueKind.String &&
        e.TryGetProperty("value", out var v) && v.ValueKind == JsonValueKind.String;

    private static string? CompareLeaf(string type, string value, TomlValue actual, string path)
    {
        var ok = (type, actual) switch
        {
            ("string", TomlString s) => s.Value == value,
            ("integer", TomlInteger n) => n.Value == long.Parse(value, CultureInfo.InvariantCulture),
            ("float", TomlFloat f) => SameFloat(value, f.Value),
            ("bool", TomlBoolean b) => (b.Value ? "true" : "false") == value,
            ("datetime", TomlOffsetDateTime d) => SameOffsetDateTime(value, d),
            ("datetime-local", TomlLocalDateTime d) => d.Value == DateTime.Parse(value, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind),
            ("date-local", TomlLocalDate d) => d.Value == DateOnly.ParseExact(value, "yyyy-MM-dd", CultureInfo.InvariantCulture),
            ("time-local", TomlLocalTime t) => t.Value == TimeOnly.Parse(value, CultureInfo.InvariantCulture),
            _ => false,
        };
        return ok ? null : $"{path}: expected {type} '{value}', got {actual.GetType().Name} '{actual}'";
    }

    private static bool SameFloat(string expected, double actual) => expected switch
    {
        "nan" or "+nan" or "-nan" => double.IsNaN(actual),
        "inf" or "+inf" => double.IsPositiveInfinity(actual),
        "-inf" => double.IsNegativeInfinity(actual),
        _ => double.Parse(expected, CultureInfo.InvariantCulture) == actual,
    };

    private static bool SameOffsetDateTime(string expected, TomlOffsetDateTime actual)
    {
        var parsed = DateTimeOffset.Parse(expected, CultureInfo.InvariantCulture);
        return parsed.Offset == actual.Offset && parsed.DateTime == actual.DateTime;
    }

    /// <summary>The suite lives in shared/ beside the repository root (the folder holding Isko.sln).</summary>
    private static string FindSuite()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Isko.sln")))
            {
                var suite = Path.Combine(dir.FullName, "..", "shared", "toml-test", "tests");
                if (Directory.Exists(suite))
                    return Path.GetFullPath(suite);
                throw new DirectoryNotFoundException($"toml-test suite not found at {Path.GetFullPath(suite)}");
            }
        }
        throw new DirectoryNotFoundException("repository root (Isko.sln) not found above " + AppContext.BaseDirectory);
    }
}
