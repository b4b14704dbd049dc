namespace Isko.Engine.Box;

/// <summary>
/// One ship's <c>settings/pier/&lt;patp&gt;.json</c> as GroundSeg writes it (native-planet.md §1,
/// struct <c>UrbitDocker</c>): the fields Isko and its off-box targets use, read only. Parsed in
/// <see cref="GroundSegWire"/>, the one place that knows the file's keys.
/// </summary>
/// <param name="PierName">The ship without its '~', as GroundSeg names it (<c>pier_name</c>).</param>
/// <param name="HttpPort">The host port mapped to the container's :80 (<c>http_port</c>); null when absent.</param>
/// <param name="Network"><c>network</c>: "wireguard" (StarTram) or "none" (local).</param>
/// <param name="BootStatus"><c>boot_status</c>: "boot", "noboot", "ignore", "pack", …</param>
/// <param name="WgUrl">The ship's StarTram host name (<c>wg_url</c>), filled from StarTram's retrieve.</param>
/// <param name="CustomPierLocation"><c>custom_pier_location</c>: a custom drive bound to the container's /urbit, or null for the Docker volume.</param>
/// <param name="ShowUrbitWeb"><c>show_urbit_web</c>: "default" or "custom" (then <see cref="CustomUrbitWeb"/> is the web address).</param>
public sealed record PierSettings(
    string PierName,
    int? HttpPort,
    int? AmesPort,
    string Network,
    string BootStatus,
    string? WgUrl,
    int? WgHttpPort,
    int? WgS3Port,
    string? CustomPierLocation,
    string ShowUrbitWeb,
    string? CustomUrbitWeb,
    bool MinioLinked,
    string? CustomS3Web)
{
    /// <summary>The ship is reached through StarTram (WireGuard) rather than only on the box.</summary>
    public bool WireGuard => string.Equals(Network, "wireguard", StringComparison.OrdinalIgnoreCase);

    /// <summary>"local" or "wireguard", as the picker shows it.</summary>
    public string NetworkMode => WireGuard ? "wireguard" : "local";

    /// <summary>GroundSeg starts the container (<c>boot</c>); every other status leaves the ship down or in maintenance.</summary>
    public bool Boots => string.Equals(BootStatus, "boot", StringComparison.OrdinalIgnoreCase);

    /// <summary>The object store's password (<c>minio_password</c>): a secret, never shown (see <see cref="PrintMembers"/>).</summary>
    public string? MinioPassword { get; init; }

    // Records print every property; this one holds a secret.
    private bool PrintMembers(System.Text.StringBuilder builder)
    {
        builder.Append($"PierName = {PierName}, HttpPort = {HttpPort}, Network = {Network}, BootStatus = {BootStatus}, WgUrl = {WgUrl}, " +
                       $"CustomPierLocation = {CustomPierLocation}, MinioPassword = {(MinioPassword is null ? "(none)" : "(hidden)")}");
        return true;
    }
}
