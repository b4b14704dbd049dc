using System.CommandLine;
using System.Text.Json.Nodes;
using Isko.Engine.Catalogue;
using Isko.Engine.Jobs;
using Isko.Engine.Restore;
using Isko.Hosting;

namespace Isko.Cli;

/// <summary>
/// <c>isko keep install</c>: what <c>isko agents</c> offers when %keep is missing. Installs the %keep
/// desk from the ship's <c>keep_source</c> (or the built-in source) and waits until %keep answers,
/// printing kiln's progress lines; docs/backup.md.
/// </summary>
public static class KeepCommands
{
    public static Command Create()
    {
        var keep = new Command("keep", "Manage %keep, the on-ship agent Isko backs up through.");
        keep.Subcommands.Add(Install());
        return keep;
    }

    private static Command Install()
    {
        var config = ConfigCommands.ConfigOption();
        var json = BackupCommands.JsonOption();
        var command = new Command("install", "Install %keep from the ship's keep_source (or Isko's built-in source) when it is missing, and wait until it answers.") { config, json };
        command.SetAction((parse, ct) => BackupCommands.WithShipsAsync(parse.GetValue(config), async (options, _, ship) =>
        {
            var asJson = parse.GetValue(json);
            var source = ship.KeepSource ?? CatalogueRules.DefaultKeepSource;
            var events = new JobEventHub();
            using var listener = events.Subscribe();
            var printer = asJson ? Task.CompletedTask : PrintProgressAsync(listener);
            if (!asJson)
                Console.WriteLine($"ship {ship.Label}: installing %keep from {source} (up to {options.Restore.InstallTimeout.TotalMinutes:0.#} min)");
            KeepInstallOutcome outcome;
            try
            {
                outcome = await KeepInstaller.InstallAsync(ship.Connection, source, events, ShipTargets.RestoreSettings(options), ct);
            }
            finally
            {
                events.Complete();
                await printer;
            }
            if (asJson)
                BackupCommands.WriteJsonLine(new JsonObject
                {
                    ["ship"] = ship.Name,
                    ["simulated"] = ship.Simulated,
                    ["source"] = outcome.Source,
                    ["result"] = outcome.Result switch
                    {
                        KeepInstallResult.AlreadyInstalled => "already_installed",
                        KeepInstallResult.Installed => "installed",
                        KeepInstallResult.NotRunning => "not_running",
                        _ => "failed",
                    },
                    ["reason"] = outcome.Reason,
                });
            else
                Console.WriteLine(outcome.Result switch
                {
                    KeepInstallResult.AlreadyInstalled => $"%keep is already installed on {ship.Label}: nothing to do",
                    KeepInstallResult.Installed => $"%keep is installed on {ship.Label} from {outcome.Source} and answers: run isko backup --all",
                    _ => $"%keep is NOT installed on {ship.Label}: {outcome.Reason}",
                });
            return outcome.Result is KeepInstallResult.AlreadyInstalled or KeepInstallResult.Installed ? ExitCodes.Ok : ExitCodes.Failed;
        }, ct, ShipSelection.Of(parse)));
        return command;
    }

    /// <summary>Kiln's own lines about the install, as they come (the only signal of a slow or stuck download).</summary>
    private static async Task PrintProgressAsync(JobEventSubscription events)
    {
        await foreach (var e in events.ReadAllAsync())
            if (e is JobLogLine line)
                Console.WriteLine($"   {line.Desk} | {line.Line}");
            else if (e is JobWarning warning)
                Console.WriteLine($"   warning: {warning.Message}");
    }
}
