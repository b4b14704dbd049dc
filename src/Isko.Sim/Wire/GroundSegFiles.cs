using System.Text.Json.Nodes;

namespace Isko.Sim.Wire;

/// <summary>
/// GroundSeg's files as the simulated box writes them, from native-planet.md §1–2 (its example pier
/// JSON and SysConfig's keys): where they lie under a box root and what they hold. The sim's own
/// copy, written from the document, not shared with Isko's reader.
/// </summary>
public static class GroundSegFiles
{
    /// <summary>GroundSeg's base folder, relative to the box root.</summary>
    public const string Base = "opt/nativeplanet/groundseg";

    /// <summary>Docker's volume root on a non-eMMC box, relative to the box root.</summary>
    public const string Volumes = "var/lib/docker/volumes";

    public static string SystemJson(string root) => Path.Combine(root, Base, "settings", "system.json");

    /// <summary><c>settings/pier/&lt;patp&gt;.json</c>, the patp without '~'.</summary>
    public static string PierJson(string root, string patp) => Path.Combine(root, Base, "settings", "pier", patp + ".json");

    /// <summary>The pier inside the ship's named volume: <c>&lt;volumes&gt;/&lt;patp&gt;/_data/&lt;patp&gt;</c>.</summary>
    public static string VolumePier(string root, string patp) => Path.Combine(root, Volumes, patp, "_data", patp);

    public static string System(IEnumerable<string> piers) => new JsonObject
    {
        ["setup"] = "complete",
        ["endpointUrl"] = "api.startram.io",
        ["apiVersion"] = "v1",
        ["piers"] = new JsonArray(piers.Select(p => (JsonNode)JsonValue.Create(p)).ToArray()),
        ["netCheck"] = "1.1.1.1:53",
        ["updateMode"] = "auto",
        ["wgOn"] = true,
        ["wgRegistered"] = true,
        ["gsVersion"] = "v2.8.0",
    }.ToJsonString(new() { WriteIndented = true });

    /// <param name="network">"wireguard" or "none".</param>
    /// <param name="bootStatus">"boot", "noboot", …</param>
    public static string Pier(string patp, int httpPort, int amesPort, string network, string bootStatus, string wgUrl, string? customPierLocation) => new JsonObject
    {
        ["pier_name"] = patp,
        ["http_port"] = httpPort,
        ["ames_port"] = amesPort,
        ["loom_size"] = 31,
        ["extra_args"] = "",
        ["urbit_version"] = "v4.0",
        ["urbit_repo"] = "registry.hub.docker.com/nativeplanet/urbit",
        ["minio_repo"] = "rustfs/rustfs",
        ["minio_password"] = "simulated-not-a-real-password",
        ["network"] = network,
        ["wg_url"] = wgUrl,
        ["wg_http_port"] = 31111,
        ["wg_ames_port"] = 31112,
        ["wg_s3_port"] = 31113,
        ["wg_console_port"] = 31114,
        ["meld_schedule"] = false,
        ["boot_status"] = bootStatus,
        ["custom_pier_location"] = customPierLocation,
        ["custom_urbit_web"] = "",
        ["show_urbit_web"] = "default",
        ["dev_mode"] = false,
        ["click"] = true,
        ["minio_linked"] = true,
        ["chop_on_upgrade"] = true,
        ["size_limit"] = 0,
        ["remote_tlon_backup"] = true,
        ["local_tlon_backup"] = true,
        ["backup_time"] = "0000",
        ["disable_ship_restarts"] = false,
        ["snap_time"] = 60,
    }.ToJsonString(new() { WriteIndented = true });
}
