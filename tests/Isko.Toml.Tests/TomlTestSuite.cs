using System.Globalization;
using System.Text.Json;
using Isko.Configuration.Toml;
using Tomlyn;
using Tomlyn.Model;
using Xunit.Abstractions;

namespace Isko.Toml.Tests;

/// <summary>
/// The toml-test compliance suite (../shared/toml-test) run against Isko's reader (<see cref="TomlFile"/>:
/// Tomlyn, strict syntax parse, then the model): the cases listed in tests/files-toml-1.0.0 and
/// tests/files-toml-1.1.0, read at test time. Each valid case must produce exactly the tagged JSON
/// beside it, each invalid case must be rejected, except the 1.0.0 invalid cases that are TOML 1.1
/// features (<see cref="AcceptedAsToml11"/>): Tomlyn reads TOML 1.1, so those files are accepted,
/// and that list is checked exactly. Equality is the suite's: floats compare by value (every nan is
/// equal), date-times compare by value (so "17:45:56.600Z" equals "17:45:56.6Z"), everything else as text.
/// </summary>
public sealed class TomlTestSuite(ITestOutputHelper output)
{
    private static readonly string Root = FindSuite();

    /// <summary>
    /// The 1.0.0 invalid cases that TOML 1.1 made valid, so Tomlyn (a TOML 1.1 reader) accepts them:
    /// times without seconds, newlines and a trailing comma in inline tables, and the \x escape.
    /// Checked exactly: a case leaving or joining this list fails the run.
    /// </summary>
    public static readonly IReadOnlySet<string> AcceptedAsToml11 = new HashSet<string>(StringComparer.Ordinal)
    {
        "invalid/datetime/no-secs.toml",
        "invalid/inline-table/linebreak-01.toml",
        "invalid/inline-table/linebreak-02.toml",
        "invalid/inline-table/linebreak-03.toml",
        "invalid/inline-table/linebreak-04.toml",
        "invalid/inline-table/trailing-comma.toml",
        "invalid/local-datetime/no-secs.toml",
        "invalid/local-time/no-secs.toml",
        "invalid/string/basic-byte-escapes.toml",
    };

    public static TheoryData<string> Valid_1_0_0() => Cases("files-toml-1.0.0", "valid/", _ => true);

    public static TheoryData<string> Invalid_1_0_0() => Cases("files-toml-1.0.0", "invalid/", n => !AcceptedAsToml11.Contains(n));

    public static TheoryData<string> Accepted_1_1() => Cases("files-toml-1.0.0", "invalid/", AcceptedAsToml11.Contains);

    public static TheoryData<string> Valid_1_1_0() => Cases("files-toml-1.1.0", "valid/", _ => true);

    public static TheoryData<string> Invalid_1_1_0() => Cases("files-toml-1.1.0", "invalid/", _ => true);

    [Theory]
    [MemberData(nameof(Valid_1_0_0))]
    [MemberData(nameof(Valid_1_1_0))]
    public void Valid_case_produces_the_expected_document(string name)
    {
        var problem = CheckValid(name);
        Assert.True(problem is null, problem);
    }

    [Theory]
    [MemberData(nameof(Invalid_1_0_0))]
    [MemberData(nameof(Invalid_1_1_0))]
    public void Invalid_case_is_rejected(string name)
    {
        var problem = CheckInvalid(name);
        Assert.True(problem is null, problem);
    }

    [Theory]
    [MemberData(nameof(Accepted_1_1))]
    public void A_toml_1_0_invalid_case_that_toml_1_1_allows_is_accepted(string name) =>
        Assert.True(CheckInvalid(name) is not null, $"{name} was rejected; TOML 1.1 allows it");

    /// <summary>Runs each list once more as one summary, so the counts are printed in one place (docs/configuration.md quotes them).</summary>
    [Theory]
    [InlineData("1.0.0")]
    [InlineData("1.1.0")]
    public void Every_case_of_the_list_passes(string version)
    {
        var names = File.ReadAllLines(Path.Combine(Root, $"files-toml-{version}")).Where(l => l.EndsWith(".toml", StringComparison.Ordinal)).ToList();
        var valid = names.Where(n => n.StartsWith("valid/", StringComparison.Ordinal)).ToList();
        var invalid = names.Where(n => n.StartsWith("invalid/", StringComparison.Ordinal)).ToList();
        var accepted = invalid.Where(n => CheckInvalid(n) is not null).ToList();
        var failures = valid.Select(n => (n, p: CheckValid(n)))
            .Concat(invalid.Select(n => (n, p: AcceptedAsToml11.Contains(n) ? null : CheckInvalid(n))))
            .Where(r => r.p is not null).Select(r => $"{r.n}: {r.p}").ToList();
        var unexpected = version == "1.0.0" ? AcceptedAsToml11.Except(accepted).Select(n => $"{n}: rejected, but TOML 1.1 allows it").ToList() : [];
        failures.AddRange(unexpected);

        var summary = $"toml-test {version}: {valid.Count} valid, {invalid.Count} invalid" +
                      (accepted.Count > 0 ? $" ({accepted.Count} of them accepted as TOML 1.1)" : "") +
                      $"; {names.Count - failures.Count} passed, {failures.Count} failed";
        output.WriteLine(summary);
        Console.WriteLine(summary);
        foreach (var failure in failures)
            output.WriteLine(failure);
        Assert.True(valid.Count > 0 && invalid.Count > 0, "the suite's list names no cases");
        Assert.True(failures.Count == 0, summary + Environment.NewLine + string.Join(Environment.NewLine, failures));
    }

    private static TheoryData<string> Cases(string list, string prefix, Func<string, bool> keep)
    {
        var data = new TheoryData<string>();
        foreach (var line in File.ReadAllLines(Path.Combine(Root, list)))
            if (line.StartsWith(prefix, StringComparison.Ordinal) && line.EndsWith(".toml", StringComparison.Ordinal) && keep(line))
                data.Add(line);
        return data;
    }

    private static TomlTable Read(string name) => TomlFile.Parse(TomlFile.ReadText(Path.Combine(Root, name)), name);

    private static string? CheckValid(string name)
    {
        TomlTable document;
        try
        {
            document = Read(name);
        }
        catch (TomlFileException e)
        {
            return "rejected: " + e.Message;
        }
        using var expected = JsonDocument.Parse(File.ReadAllText(Path.Combine(Root, Path.ChangeExtension(name, ".json"))));
        return Compare(expected.RootElement, document, "");
    }

    /// <summary>Null when the case is rejected as it should be; otherwise what was accepted.</summary>
    private static string? CheckInvalid(string name)
    {
        try
        {
            var document = Read(name);
            return "accepted: " + string.Join(", ", document.Keys);
        }
        catch (TomlFileException)
        {
            return null;
        }
    }

    private static string? Compare(JsonElement expected, object? actual, string path)
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
                List<object?> items = actual switch
                {
                    TomlArray array => array.ToList(),
                    TomlTableArray tables => tables.Cast<object?>().ToList(),
                    _ => [],
                };
                if (actual is not (TomlArray or TomlTableArray))
                    return $"{path}: expected an array, got {actual}";
                if (items.Count != expected.GetArrayLength())
                    return $"{path}: expected {expected.GetArrayLength()} elements, got {items.Count}";
                var i = 0;
                foreach (var element in expected.EnumerateArray())
                {
                    if (Compare(element, items[i], $"{path}[{i}]") is { } problem)
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

    private static string? CompareLeaf(string type, string value, object? actual, string path)
    {
        var ok = (type, actual) switch
        {
            ("string", string s) => s == value,
            ("integer", long n) => n == long.Parse(value, CultureInfo.InvariantCulture),
            ("float", double f) => SameFloat(value, f),
            ("bool", bool b) => (b ? "true" : "false") == value,
            ("datetime", TomlDateTime d) => d.Kind is TomlDateTimeKind.OffsetDateTimeByZ or TomlDateTimeKind.OffsetDateTimeByNumber &&
                                             d.DateTime == DateTimeOffset.Parse(value, CultureInfo.InvariantCulture) &&
                                             d.DateTime.Offset == DateTimeOffset.Parse(value, CultureInfo.InvariantCulture).Offset,
            ("datetime-local", TomlDateTime d) => d.Kind == TomlDateTimeKind.LocalDateTime &&
                                                   d.DateTime.DateTime == DateTime.Parse(value, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind),
            ("date-local", TomlDateTime d) => d.Kind == TomlDateTimeKind.LocalDate &&
                                               DateOnly.FromDateTime(d.DateTime.DateTime) == DateOnly.ParseExact(value, "yyyy-MM-dd", CultureInfo.InvariantCulture),
            ("time-local", TomlDateTime d) => d.Kind == TomlDateTimeKind.LocalTime &&
                                               TimeOnly.FromDateTime(d.DateTime.DateTime) == TimeOnly.Parse(value, CultureInfo.InvariantCulture),
            _ => false,
        };
        return ok ? null : $"{path}: expected {type} '{value}', got {actual?.GetType().Name} '{actual}'";
    }

    private static bool SameFloat(string expected, double actual) => expected switch
    {
        "nan" or "+nan" or "-nan" => double.IsNaN(actual),
        "inf" or "+inf" => double.IsPositiveInfinity(actual),
        "-inf" => double.IsNegativeInfinity(actual),
        _ => double.Parse(expected, CultureInfo.InvariantCulture) == actual,
    };

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
