using Isko.Fuzz;

// make fuzz: 1,000,000 cue inputs and 100,000 of every other kind (scale with --scale, pick with --only).
// Exits 1 when any input crashed, hung over 1 s or allocated past its target's bound.
var scale = 1.0;
var seed = 1;
string? only = null;
for (var i = 0; i < args.Length; i++)
{
    switch (args[i])
    {
        case "--scale": scale = double.Parse(args[++i], System.Globalization.CultureInfo.InvariantCulture); break;
        case "--seed": seed = int.Parse(args[++i], System.Globalization.CultureInfo.InvariantCulture); break;
        case "--only": only = args[++i]; break;
        default:
            Console.Error.WriteLine($"isko-fuzz: unknown argument {args[i]}; use --scale X, --seed N, --only TARGET");
            return 2;
    }
}
var scratch = Directory.CreateTempSubdirectory("isko-fuzz-").FullName;
var findings = Path.Combine(Environment.CurrentDirectory, ".fuzz-findings");
var clean = true;
try
{
    foreach (var target in Targets.All(scratch).Where(t => only is null || t.Name == only))
    {
        var count = (long)Math.Round((target.Name == "cue" ? 1_000_000 : 100_000) * scale);
        var started = DateTime.UtcNow;
        var report = await Campaign.RunAsync(target, count, seed, findings, Console.WriteLine);
        Console.WriteLine($"{report} ({(DateTime.UtcNow - started).TotalSeconds:0} s)");
        foreach (var finding in report.Crashes.Concat(report.Hangs).Concat(report.OverMemory).Take(20))
            Console.WriteLine("  " + finding.Split('\n')[0]);
        clean &= report.Clean;
    }
}
finally
{
    Directory.Delete(scratch, recursive: true);
}
Console.WriteLine(clean ? "fuzz: clean" : $"fuzz: FINDINGS (inputs in {findings})");
return clean ? 0 : 1;
