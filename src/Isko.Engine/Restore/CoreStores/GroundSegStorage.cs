using Isko.Ship.Model;

namespace Isko.Engine.Restore.CoreStores;

/// <summary>
/// Tells whether the ship's %storage points at the object store GroundSeg runs for it
/// (native-planet.md §4): GroundSeg links each ship once to its RustFS (formerly MinIO) with the
/// root credentials, access key id = the ship's @p without <c>~</c>, and endpoint
/// <c>s3.&lt;wg_url&gt;</c> (StarTram: <c>s3.&lt;patp&gt;.&lt;domain&gt;</c>), a custom domain, or
/// <c>http://host.docker.internal:&lt;port&gt;</c> locally. Either sign is enough.
/// </summary>
public static class GroundSegStorage
{
    /// <summary>Why the credentials look like GroundSeg's link, or null when they do not.</summary>
    public static string? Explain(StorageCredentials credentials, string ship)
    {
        var patp = ship.TrimStart('~');
        var host = Uri.TryCreate(credentials.Endpoint, UriKind.Absolute, out var uri) ? uri.Host
            : Uri.TryCreate("https://" + credentials.Endpoint, UriKind.Absolute, out var bare) ? bare.Host : "";
        if (host.StartsWith($"s3.{patp}.", StringComparison.OrdinalIgnoreCase))
            return $"its endpoint {host} is StarTram's s3.<ship> address for GroundSeg's object store";
        if (host.Equals("host.docker.internal", StringComparison.OrdinalIgnoreCase))
            return "its endpoint is host.docker.internal, GroundSeg's local object store";
        if (credentials.AccessKeyId.Length > 0 && credentials.AccessKeyId.Equals(patp, StringComparison.Ordinal))
            return "its access key id is the ship's name, GroundSeg's object store root user";
        return null;
    }
}
