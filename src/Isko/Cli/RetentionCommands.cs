using System.CommandLine;
using System.Text.Json;
using System.Text.Json.Nodes;
using Isko.Configuration;
using Isko.Engine.Archive;
using Isko.Engine.Archive.History;
using Isko.Engine.Archive.Retention;
using Isko.Hosting;

namespace Isko.Cli;

/// <summary>
/// <c>isko forget</c> (restic's policy flags and meaning) and <c>isko history AGENT</c>
/// (docs/schedules-and-retention.md). Both read the archive only; no ship is needed.
/// </summary>
public static class RetentionCommands
{
    public static IEnumerable<Command> Create() => [Forget(), History()];

    private static Command Forget()
    {
        var config = ConfigCommands.ConfigOption();
        var json = BackupCommands.JsonOption();
        Option<int> Count(string name, string what) => new($"--keep-{name}") { Description = $"Keep the newest snapshot of each of the last N {what} that have one (-1: all)." };
        var last = new Option<int>("--keep-last") { Description = "Keep the N newest snapshots (-1: all)." };
        var hourly = Count("hourly", "hours");
        var daily = Count("daily", "days");
        var weekly = Count("weekly", "weeks (Monday to Sunday)");
        var monthly = Count("monthly", "months");
        var yearly = Count("yearly", "years");
        var within = new Option<string?>("--keep-within") { Description = "Keep every snapshot within this long of the newest: years, months, days, hours, like 2y5m7d3h (m is months)." };
        var dryRun = new Option<bool>("--dry-run") { Description = "Only list what would be forgotten, and why each kept snapshot is kept." };
        var prune = new Option<bool>("--prune") { Description = "Then remove every blob no remaining snapshot names." };
        var includeSafety = new Option<bool>("--include-safety") { Description = "Apply the policy to safety snapshots (taken before a restore) too; without it they are always kept." };
        var ship = new Option<string?>("--ship") { Description = "Only this ship's snapshots." };
        var command = new Command("forget", "Remove snapshots a retention policy does not keep (restic's --keep-* flags), and with --prune the blobs nobody names.")
        {
            config, json, last, hourly, daily, weekly, monthly, yearly, within, dryRun, prune, includeSafety, ship,
        };
        command.SetAction(async (parse, ct) =>
        {
            var within_ = default(CalendarDuration);
            if (parse.GetValue(within) is { } text && !CalendarDuration.TryParse(text, out within_))
            {
                await Console.Error.WriteLineAsync($"isko forget: --keep-within '{text}' is not a duration like 7d, 1m15d or 2y5m7d3h (years, months, days, hours)");
                return ExitCodes.Usage;
            }
            var counts = new[] { last, hourly, daily, weekly, monthly, yearly }.Select(o => (o.Name, Value: parse.GetValue(o))).ToList();
            if (counts.FirstOrDefault(c => c.Value < -1) is { Name: not null } bad)
            {
                await Console.Error.WriteLineAsync($"isko forget: {bad.Name} {bad.Value}: give a count, or -1 for all");
                return ExitCodes.Usage;
            }
            var policy = new RetentionPolicy(counts[0].Value, counts[1].Value, counts[2].Value, counts[3].Value, counts[4].Value, counts[5].Value, within_);
            var asJson = parse.GetValue(json);
            if (policy.IsEmpty && !parse.GetValue(prune))
            {
                await Console.Error.WriteLineAsync("isko forget: no policy given (--keep-last, --keep-daily, …): nothing is forgotten");
                return ExitCodes.Ok;
            }
            var loaded = IskoConfiguration.Load(parse.GetValue(config));
            if (loaded.Options is not { } options)
            {
                foreach (var problem in loaded.Errors)
                    await Console.Error.WriteLineAsync($"isko: {problem}");
                return ExitCodes.Usage;
            }
            var archive = ShipTargets.Archive(options);
            if (!Directory.Exists(archive.Layout.Root))
            {
                await Console.Error.WriteLineAsync($"isko forget: there is no archive at {archive.Layout.Root}");
                return ExitCodes.Failed;
            }
            var dry = parse.GetValue(dryRun);
            try
            {
                using var held = dry ? null : archive.Lock("forget");
                var forgetter = new SnapshotForgetter(archive);
                var report = await forgetter.ForgetAsync(policy, DateTimeOffset.UtcNow, parse.GetValue(includeSafety), parse.GetValue(prune),
                    dry, parse.GetValue(ship), removed =>
                    {
                        if (asJson)
                            BackupCommands.WriteJsonLine(new JsonObject { ["removed"] = removed });
                    }, ct);
                Show(report, policy, dry, asJson);
                return report.Unreadable.Count > 0 || report.PruneRefused is not null ? ExitCodes.Failed : ExitCodes.Ok;
            }
            catch (ArchiveLockedException e)
            {
                await Console.Error.WriteLineAsync($"isko forget: {e.Message}");
                return ExitCodes.Failed;
            }
            catch (Exception e) when (e is IOException or ManifestException or UnauthorizedAccessException)
            {
                await Console.Error.WriteLineAsync($"isko forget: {e.Message}");
                return ExitCodes.Failed;
            }
        });
        return command;
    }

    private static void Show(ForgetReport report, RetentionPolicy policy, bool dry, bool asJson)
    {
        if (asJson)
        {
            foreach (var d in report.Decisions)
                BackupCommands.WriteJsonLine(new JsonObject
                {
                    ["ship"] = d.Ship, ["policy"] = policy.ToString(), ["dry_run"] = dry,
                    ["keep"] = new JsonArray(d.Keep.Select(k => (JsonNode)new JsonObject
                    {
                        ["id"] = k.Snapshot.Id, ["time"] = k.Snapshot.Time, ["trigger"] = k.Snapshot.Trigger,
                        ["reasons"] = new JsonArray(k.Reasons.Select(r => (JsonNode)JsonValue.Create(r)!).ToArray()),
                    }).ToArray()),
                    ["remove"] = new JsonArray(d.Remove.Select(r => (JsonNode)new JsonObject
                    {
                        ["id"] = r.Id, ["time"] = r.Time, ["trigger"] = r.Trigger,
                    }).ToArray()),
                });
            BackupCommands.WriteJsonLine(new JsonObject
            {
                ["summary"] = new JsonObject
                {
                    ["dry_run"] = dry, ["forgotten"] = dry ? 0 : report.Forgotten, ["would_forget"] = dry ? report.Forgotten : 0,
                    ["blobs_removed"] = report.BlobsRemoved, ["bytes_freed"] = report.BytesFreed, ["prune_refused"] = report.PruneRefused,
                    ["unreadable_manifests"] = new JsonArray(report.Unreadable.Select(u => (JsonNode)JsonValue.Create(u.Message)!).ToArray()),
                },
            });
            return;
        }
        foreach (var d in report.Decisions)
        {
            Console.WriteLine($"{d.Ship}: applying policy: {policy}");
            Console.WriteLine($"keep {d.Keep.Count} snapshot(s):");
            foreach (var k in d.Keep.OrderBy(k => k.Snapshot.Time))
                Console.WriteLine($"  {k.Snapshot.Id}  {Local(k.Snapshot.Time)}  {k.Snapshot.Trigger,-14}  {string.Join(", ", k.Reasons)}");
            Console.WriteLine($"{(dry ? "would remove" : "removed")} {d.Remove.Count} snapshot(s):");
            foreach (var r in d.Remove.OrderBy(r => r.Time))
                Console.WriteLine($"  {r.Id}  {Local(r.Time)}  {r.Trigger}");
        }
        foreach (var u in report.Unreadable)
            Console.Error.WriteLine($"UNREADABLE (kept, not judged) {u.Message}");
        if (report.PruneRefused is { } refused)
            Console.Error.WriteLine($"isko forget: {refused}");
        else if (report.BlobsRemoved > 0 || (!dry && report.Decisions.Count > 0))
            Console.WriteLine($"pruned {report.BlobsRemoved} blob(s), {BackupCommands.Bytes(report.BytesFreed)} freed");
    }

    private static string Local(DateTimeOffset time) =>
        time.ToLocalTime().ToString("yyyy-MM-dd HH:mm:ss", System.Globalization.CultureInfo.InvariantCulture);

    private static Command History()
    {
        var config = ConfigCommands.ConfigOption();
        var json = BackupCommands.JsonOption();
        var agent = new Argument<string>("AGENT") { Description = "The agent: its name, or desk/agent." };
        var ship = new Option<string?>("--ship") { Description = "Only this ship's snapshots." };
        var command = new Command("history", "Every snapshot holding an agent: time, size, change from the one before, where copies exist.") { config, json, agent, ship };
        command.SetAction(async (parse, ct) =>
        {
            var loaded = IskoConfiguration.Load(parse.GetValue(config));
            if (loaded.Options is not { } options)
            {
                foreach (var problem in loaded.Errors)
                    await Console.Error.WriteLineAsync($"isko: {problem}");
                return ExitCodes.Usage;
            }
            var archive = ShipTargets.Archive(options);
            var name = parse.GetValue(agent)!;
            var unreadable = new List<ManifestException>();
            IReadOnlyList<AgentVersion> versions;
            try
            {
                versions = await AgentHistory.ReadAsync(archive, name, parse.GetValue(ship), unreadable.Add, ct);
            }
            catch (ArgumentException e)
            {
                await Console.Error.WriteLineAsync($"isko history: {e.Message}");
                return ExitCodes.Usage;
            }
            foreach (var u in unreadable)
                await Console.Error.WriteLineAsync($"warning: skipped {u.Message}");
            if (parse.GetValue(json))
            {
                foreach (var v in versions)
                    BackupCommands.WriteJsonLine(JsonSerializer.SerializeToNode(v, BackupCommands.Json)!);
            }
            else if (versions.Count > 0)
            {
                Console.WriteLine($"{"SNAPSHOT",-26}  {"SHIP",-14}  {"TIME",-19}  {"TRIGGER",-14}  {"SIZE",10}  {"CHANGE",-18}  COPIES");
                foreach (var v in versions)
                    Console.WriteLine($"{v.SnapshotId,-26}  {v.Ship,-14}  {Local(v.Time),-19}  {v.Trigger,-14}  {BackupCommands.Bytes(v.RawSize),10}  {ChangeText(v),-18}  {string.Join(", ", v.Copies)}");
            }
            if (versions.Count == 0)
            {
                await Console.Error.WriteLineAsync($"isko history: no snapshot in {archive.Layout.Root} holds '{name}'");
                return ExitCodes.Failed;
            }
            return ExitCodes.Ok;
        });
        return command;
    }

    internal static string ChangeText(AgentVersion v) => v.Change switch
    {
        HistoryChange.First => "first",
        HistoryChange.Same => "same",
        _ => v.SizeChange >= 0 ? $"changed, +{BackupCommands.Bytes(v.SizeChange)}" : $"changed, -{BackupCommands.Bytes(-v.SizeChange)}",
    };
}
