using System.CommandLine;
using System.Globalization;
using System.Text;
using System.Text.Unicode;
using Isko.Nouns;

namespace Isko.Cli;

/// <summary>
/// <c>isko noun jam|cue|inspect</c>: Urbit's noun format by hand. Nouns on the command line use the
/// shared vectors' JSON form: atoms as decimal strings, cells as 2-element arrays.
/// </summary>
public static class NounCommands
{
    /// <summary>Above this many nodes as a tree, <c>cue</c> refuses to print (the graph may be tiny).</summary>
    private const long DefaultMaxNodes = 100_000_000;

    public static Command Create()
    {
        var noun = new Command("noun", "Jam, cue and inspect nouns (Urbit's data format, as in .jam files).");
        noun.Subcommands.Add(CreateJam());
        noun.Subcommands.Add(CreateCue());
        noun.Subcommands.Add(CreateInspect());
        return noun;
    }

    private static Command CreateJam()
    {
        var output = new Option<FileInfo?>("--out")
        {
            Description = "Write the jam of the (single) noun to FILE instead of printing hex",
            HelpName = "FILE",
        };
        var each = new Option<bool>("--each")
        {
            Description = "Read a top-level JSON array as a list of nouns even when it has exactly two elements",
        };
        var command = new Command("jam",
            "Read a JSON noun, or a JSON array of nouns, from stdin; print each jam as hex on its own line. " +
            "Atoms are decimal strings, cells 2-element arrays; a top-level array of two nouns is one cell unless --each is given.")
        {
            output,
            each,
        };
        command.SetAction(async (parse, ct) =>
        {
            var stdout = parse.InvocationConfiguration.Output;
            var stderr = parse.InvocationConfiguration.Error;
            byte[] json;
            using (var stdin = Console.OpenStandardInput())
            using (var buffer = new MemoryStream())
            {
                await stdin.CopyToAsync(buffer, ct);
                json = buffer.ToArray();
            }
            IReadOnlyList<Noun> nouns;
            try
            {
                nouns = NounJson.ParseMany(json, parse.GetValue(each));
            }
            catch (FormatException e)
            {
                await stderr.WriteLineAsync($"isko noun jam: stdin: {e.Message}");
                return ExitCodes.Failed;
            }
            var file = parse.GetValue(output);
            if (file is not null)
            {
                if (nouns.Count != 1)
                {
                    await stderr.WriteLineAsync($"isko noun jam: --out takes exactly one noun, stdin has {nouns.Count}");
                    return ExitCodes.Usage;
                }
                try
                {
                    await WriteAtomicallyAsync(file, Jam.Encode(nouns[0]), ct);
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    await stderr.WriteLineAsync($"isko noun jam: {file}: {e.Message}");
                    return ExitCodes.Failed;
                }
                return ExitCodes.Ok;
            }
            foreach (var n in nouns)
                await stdout.WriteLineAsync(Convert.ToHexStringLower(Jam.Encode(n)));
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command CreateCue()
    {
        var input = InputArgument();
        var hex = HexOption();
        var maxNodes = new Option<long>("--max-nodes")
        {
            Description = "Refuse to print a noun with more nodes than this as a tree (see 'isko noun inspect')",
            DefaultValueFactory = _ => DefaultMaxNodes,
        };
        var command = new Command("cue", "Decode a jam (a .jam file, or - for stdin) and print the noun as JSON.")
        {
            input,
            hex,
            maxNodes,
        };
        command.SetAction(async (parse, ct) =>
        {
            var stderr = parse.InvocationConfiguration.Error;
            var name = parse.GetValue(input)!;
            if (await ReadNounAsync("cue", name, parse.GetValue(hex), stderr, ct) is not ({ } noun, _))
                return ExitCodes.Failed;
            var stats = NounStats.Measure(noun, largest: 0);
            var nodes = stats.TreeCells + stats.TreeAtoms;
            if (nodes.Exceeds((ulong)Math.Max(0, parse.GetValue(maxNodes))))
            {
                await stderr.WriteLineAsync(
                    $"isko noun cue: {name}: the noun has {nodes} nodes as a tree ({(stats.GraphCells + stats.GraphAtoms).ToString("N0", CultureInfo.InvariantCulture)} distinct); " +
                    "printing it would not end. Raise --max-nodes, or use 'isko noun inspect'.");
                return ExitCodes.Failed;
            }
            var stdout = parse.InvocationConfiguration.Output;
            await stdout.WriteLineAsync(NounJson.Render(noun));
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command CreateInspect()
    {
        var input = InputArgument();
        var hex = HexOption();
        var top = new Option<int>("--top")
        {
            Description = "How many of the largest atoms to list",
            DefaultValueFactory = _ => 5,
        };
        var command = new Command("inspect",
            "Describe a jam without printing it: size, cells and atoms (as a graph and as a tree), depth, shared nouns, " +
            "the largest atoms, and whether it looks like a Keep backup [wex sup state].")
        {
            input,
            hex,
            top,
        };
        command.SetAction(async (parse, ct) =>
        {
            var name = parse.GetValue(input)!;
            var stderr = parse.InvocationConfiguration.Error;
            if (await ReadNounAsync("inspect", name, parse.GetValue(hex), stderr, ct) is not ({ } noun, var size))
                return ExitCodes.Failed;
            var stats = NounStats.Measure(noun, Math.Max(0, parse.GetValue(top)));
            await parse.InvocationConfiguration.Output.WriteAsync(Describe(name, size, noun, stats));
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Argument<string> InputArgument() => new("FILE")
    {
        Description = "The .jam file, or - for stdin",
    };

    private static Option<bool> HexOption() => new("--hex")
    {
        Description = "The input is hex text (whitespace ignored) rather than raw bytes",
    };

    /// <summary>Reads and cues FILE (or stdin); on failure says what and where on stderr and returns null.</summary>
    private static async Task<(Noun Noun, long Size)?> ReadNounAsync(string verb, string name, bool hex, TextWriter stderr, CancellationToken ct)
    {
        var (noun, size, error) = await TryReadNounAsync(name, hex, ct);
        if (noun is not null)
            return (noun, size);
        await stderr.WriteLineAsync($"isko noun {verb}: {error}");
        return null;
    }

    private static async Task<(Noun? Noun, long Size, string? Error)> TryReadNounAsync(string name, bool hex, CancellationToken ct)
    {
        byte[] bytes;
        try
        {
            if (name == "-")
            {
                using var stdin = Console.OpenStandardInput();
                using var buffer = new MemoryStream();
                await stdin.CopyToAsync(buffer, ct);
                bytes = buffer.ToArray();
            }
            else
            {
                bytes = await File.ReadAllBytesAsync(name, ct);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return (null, 0, $"{name}: {e.Message}");
        }
        if (hex && !TryDecodeHex(bytes, out bytes, out var hexError))
            return (null, 0, $"{name}: {hexError}");
        try
        {
            return (Cue.Decode(bytes), bytes.Length, null);
        }
        catch (CueException e)
        {
            return (null, 0, $"{name}: {e.Message}");
        }
    }

    private static bool TryDecodeHex(byte[] text, out byte[] bytes, out string? error)
    {
        var digits = new StringBuilder(text.Length);
        for (var i = 0; i < text.Length; i++)
        {
            var c = (char)text[i];
            if (char.IsWhiteSpace(c))
                continue;
            if (!char.IsAsciiHexDigit(c))
            {
                bytes = [];
                error = $"byte {i}: '{c}' is not a hex digit";
                return false;
            }
            digits.Append(c);
        }
        if (digits.Length % 2 != 0)
        {
            bytes = [];
            error = $"{digits.Length} hex digits: a byte needs two, so the count must be even";
            return false;
        }
        bytes = Convert.FromHexString(digits.ToString());
        error = null;
        return true;
    }

    private static string Describe(string name, long size, Noun noun, NounStats stats)
    {
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"file:    {name}");
        text.AppendLine(CultureInfo.InvariantCulture, $"size:    {size:N0} bytes");
        text.AppendLine(CultureInfo.InvariantCulture, $"graph:   {stats.GraphCells:N0} cells, {stats.GraphAtoms:N0} atoms (distinct nouns)");
        text.AppendLine(CultureInfo.InvariantCulture, $"tree:    {Count(stats.TreeCells)} cells, {Count(stats.TreeAtoms)} atoms (every repeat counted)");
        text.AppendLine(CultureInfo.InvariantCulture, $"depth:   {stats.Depth:N0}");
        text.AppendLine(CultureInfo.InvariantCulture, $"shared:  {stats.SharedNouns:N0} nouns reached from more than one place");
        if (stats.LargestAtoms.Count > 0)
        {
            text.AppendLine("largest atoms:");
            foreach (var atom in stats.LargestAtoms)
                text.AppendLine(CultureInfo.InvariantCulture, $"  {atom.Bits,12:N0} bits  {Preview(atom.Atom)}");
        }
        text.AppendLine(CultureInfo.InvariantCulture, $"keep backup: {KeepBackupVerdict(noun)}");
        return text.ToString();
    }

    private static string Count(TreeCount count) => count.ToString();

    /// <summary>A short view of an atom: as a cord when it reads as text, else a number.</summary>
    private static string Preview(Noun atom)
    {
        var bytes = atom.AtomSpan();
        if (bytes.Length is > 1 and <= 48 && Utf8.IsValid(bytes))
        {
            var cord = Encoding.UTF8.GetString(bytes);
            if (cord.All(c => !char.IsControl(c)))
                return $"'{cord}'";
        }
        if (bytes.Length <= 8)
            return atom.ToBigInteger().ToString(CultureInfo.InvariantCulture);
        return $"0x{Convert.ToHexStringLower(bytes[^Math.Min(bytes.Length, 8)..].ToArray().Reverse().ToArray())}… ({bytes.Length:N0} bytes)";
    }

    /// <summary>Keep's backup noun is [wex=boat sup=bitt state=*]; boat and bitt are maps, so treaps.</summary>
    private static string KeepBackupVerdict(Noun noun)
    {
        if (!noun.IsCell || !noun.Tail.IsCell)
            return "no: a backup is a cell [wex sup state]";
        var wex = Treap.CountEntries(noun.Head);
        if (wex is null)
            return "no: the head (wex, outgoing subscriptions) is not a map";
        var sup = Treap.CountEntries(noun.Tail.Head);
        if (sup is null)
            return "no: the head of the tail (sup, incoming subscriptions) is not a map";
        var state = noun.Tail.Tail.IsCell ? "a cell" : "an atom";
        return $"looks like one: wex has {wex:N0} subscriptions, sup {sup:N0}, state is {state}";
    }

    /// <summary>Temp file beside the target, flushed to disk, then renamed over it.</summary>
    private static async Task WriteAtomicallyAsync(FileInfo file, byte[] bytes, CancellationToken ct)
    {
        var temp = Path.Combine(file.DirectoryName ?? ".", $".{file.Name}.{Environment.ProcessId}.tmp");
        try
        {
            await using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16, useAsync: true))
            {
                await stream.WriteAsync(bytes, ct);
                stream.Flush(flushToDisk: true);
            }
            File.Move(temp, file.FullName, overwrite: true);
        }
        finally
        {
            if (File.Exists(temp))
                File.Delete(temp);
        }
    }
}
