using System.CommandLine;
using System.Globalization;
using System.Numerics;
using System.Text;
using Isko.Nouns;
using Isko.Nouns.Auras;

namespace Isko.Cli;

/// <summary><c>isko aura render|parse</c>: Urbit's text forms of atoms (@p, @da, @dr, @uv, @ud, @t, @ta, @tas).</summary>
public static class AuraCommands
{
    private sealed record Aura(string Name, Func<BigInteger, string> Render, Func<string, BigInteger> Parse);

    private static readonly Aura[] Auras =
    [
        new("p", PatP.Render, PatP.Parse),
        new("da", PatDa.Render, PatDa.Parse),
        new("dr", PatDr.Render, PatDr.Parse),
        new("uv", PatUv.Render, PatUv.Parse),
        new("ud", PatUd.Render, PatUd.Parse),
        new("t", atom => CordText(atom, "@t", _ => true), text => CordAtom(text, "@t", _ => true, "any text")),
        new("ta", atom => CordText(atom, "@ta", Cords.IsValidTa), text => CordAtom(text, "@ta", Cords.IsValidTa, "a knot: a-z 0-9 - ~ . _")),
        new("tas", atom => CordText(atom, "@tas", Cords.IsValidTas), text => CordAtom(text, "@tas", Cords.IsValidTas, "a term: a-z first, then a-z 0-9 -")),
    ];

    private static string Names => string.Join(", ", Auras.Select(a => "@" + a.Name));

    public static Command Create()
    {
        var aura = new Command("aura", $"Render atoms as Urbit text and parse it back ({Names}).");
        aura.Subcommands.Add(CreateRender());
        aura.Subcommands.Add(CreateParse());
        return aura;
    }

    private static Command CreateRender()
    {
        var auraName = AuraArgument();
        var atom = new Argument<string>("ATOM") { Description = "The atom, in decimal" };
        var command = new Command("render", "Print an atom (decimal) in the aura's text form, e.g. 'isko aura render p 256' prints ~marzod.")
        {
            auraName,
            atom,
        };
        command.SetAction(async (parse, ct) =>
        {
            var stderr = parse.InvocationConfiguration.Error;
            if (await FindOrReportAsync("render", parse.GetValue(auraName)!, stderr) is not { } found)
                return ExitCodes.Usage;
            var text = parse.GetValue(atom)!;
            if (text.Length == 0 || !text.All(char.IsAsciiDigit))
            {
                await stderr.WriteLineAsync($"isko aura render: ATOM \"{text}\" is not a natural number in decimal digits");
                return ExitCodes.Failed;
            }
            try
            {
                var value = BigInteger.Parse(text, NumberStyles.None, CultureInfo.InvariantCulture);
                await parse.InvocationConfiguration.Output.WriteLineAsync(found.Render(value));
                return ExitCodes.Ok;
            }
            catch (FormatException e)
            {
                await stderr.WriteLineAsync($"isko aura render: ATOM {text}: {e.Message}");
                return ExitCodes.Failed;
            }
        });
        return command;
    }

    private static Command CreateParse()
    {
        var auraName = AuraArgument();
        var input = new Argument<string>("TEXT") { Description = "The text, e.g. ~sampel-palnet or ~2024.1.2..03.04.05" };
        var command = new Command("parse", "Print the atom (decimal) that the aura's text stands for; non-canonical text is refused.")
        {
            auraName,
            input,
        };
        command.SetAction(async (parse, ct) =>
        {
            var stderr = parse.InvocationConfiguration.Error;
            if (await FindOrReportAsync("parse", parse.GetValue(auraName)!, stderr) is not { } found)
                return ExitCodes.Usage;
            try
            {
                var value = found.Parse(parse.GetValue(input)!);
                await parse.InvocationConfiguration.Output.WriteLineAsync(value.ToString(CultureInfo.InvariantCulture));
                return ExitCodes.Ok;
            }
            catch (FormatException e)
            {
                await stderr.WriteLineAsync($"isko aura parse: {e.Message}");
                return ExitCodes.Failed;
            }
        });
        return command;
    }

    private static Argument<string> AuraArgument() => new("AURA")
    {
        Description = $"One of {Names} (the @ is optional)",
    };

    private static async Task<Aura?> FindOrReportAsync(string verb, string name, TextWriter stderr)
    {
        var found = Auras.FirstOrDefault(a => a.Name == (name.StartsWith('@') ? name[1..] : name));
        if (found is null)
            await stderr.WriteLineAsync($"isko aura {verb}: unknown aura '{name}'; known: {Names}");
        return found;
    }

    private static string CordText(BigInteger atom, string aura, Func<string, bool> valid)
    {
        var bytes = Noun.Atom(atom).AtomBytes();
        if (!Cords.IsValidT(bytes))
            throw new FormatException($"the atom's bytes are not UTF-8, so it is not a {aura}");
        var text = Encoding.UTF8.GetString(bytes);
        if (!valid(text))
            throw new FormatException($"\"{text}\" is not a valid {aura}");
        return text;
    }

    private static BigInteger CordAtom(string text, string aura, Func<string, bool> valid, string expected) =>
        valid(text) ? Noun.Cord(text).ToBigInteger() : throw new AuraParseException(aura, text, expected);
}
