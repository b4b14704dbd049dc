using System.Globalization;
using System.Text;
using FsCheck;
using FsCheck.Fluent;
using Isko.Configuration.Toml;

namespace Isko.Toml.Tests;

/// <summary>
/// Random values written as TOML the way a person might write them read back as the same values
/// through Isko's reader (<see cref="TomlFile"/>): strings in every quoting style, integers in every radix, floats.
/// </summary>
public sealed class TomlRoundTripProperties
{
    private static readonly Config Runs = Config.QuickThrowOnFailure.WithMaxTest(500);

    [Fact]
    public void Any_string_survives_a_basic_string_with_escapes() =>
        Check.One(Runs, Prop.ForAll(ArbMap.Default.ArbFor<string>(), s =>
        {
            s ??= "";
            if (s.Any(char.IsSurrogate))
                return true; // lone surrogates are not Unicode scalar values: TOML cannot hold them
            return Read($"k = \"{Escape(s)}\"\n") == s && Read($"k = \"\"\"{Escape(s)}\"\"\"\n") == s;
        }));

    [Fact]
    public void A_string_without_quotes_or_controls_survives_literal_strings() =>
        Check.One(Runs, Prop.ForAll(ArbMap.Default.ArbFor<string>(), s =>
        {
            s ??= "";
            if (s.Any(c => c == '\'' || char.IsControl(c) || char.IsSurrogate(c)))
                return true;
            return Read($"k = '{s}'\n") == s && Read($"k = '''{s}'''\n") == s;
        }));

    [Fact]
    public void Any_integer_survives_every_radix() =>
        Check.One(Runs, Prop.ForAll(ArbMap.Default.ArbFor<long>(), n =>
        {
            var doc = TomlFile.Parse($"d = {n.ToString(CultureInfo.InvariantCulture)}\n" + (n >= 0
                ? $"x = 0x{n:x}\no = 0o{Convert.ToString(n, 8)}\nb = 0b{Convert.ToString(n, 2)}\n"
                : "x = 0\no = 0\nb = 0\n"));
            var expected = n >= 0 ? n : 0;
            return (long)doc["d"] == n && (long)doc["x"] == expected && (long)doc["o"] == expected && (long)doc["b"] == expected;
        }));

    [Fact]
    public void Any_finite_float_survives_its_round_trip_text() =>
        Check.One(Runs, Prop.ForAll(ArbMap.Default.ArbFor<double>(), f =>
        {
            if (!double.IsFinite(f))
                return true;
            var text = f.ToString("E17", CultureInfo.InvariantCulture);
            return (double)TomlFile.Parse($"f = {text}\n")["f"] == f;
        }));

    private static string Read(string toml) => (string)TomlFile.Parse(toml)["k"];

    private static string Escape(string s)
    {
        var sb = new StringBuilder();
        foreach (var c in s)
            sb.Append(c switch
            {
                '"' => "\\\"",
                '\\' => "\\\\",
                _ when char.IsControl(c) => $"\\u{(int)c:X4}",
                _ => c.ToString(),
            });
        return sb.ToString();
    }
}
