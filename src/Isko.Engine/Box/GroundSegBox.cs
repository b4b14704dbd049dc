namespace Isko.Engine.Box;

/// <summary>
/// Where GroundSeg lives on this machine. <see cref="Root"/> is the box's file system root: "/" on a
/// real box, a folder for a simulated one laid out as a box (opt/nativeplanet/groundseg,
/// var/lib/docker/volumes, a custom drive…), so every absolute path GroundSeg writes is read under it.
/// </summary>
/// <param name="FoundVia">How it was found, for <c>isko config check</c>: "--box", "ISKO_GROUNDSEG", "[groundseg] path", "GS_BASE_PATH", "standard path".</param>
public sealed record GroundSegLocation(string Base, string Root, string FoundVia)
{
    /// <summary>GroundSeg's standard folder (native-planet.md §1).</summary>
    public const string StandardBase = GroundSegWire.StandardBase;

    /// <summary>A path as GroundSeg writes it (absolute, on the box), as this machine reads it.</summary>
    public string OnBox(string path) => Root == "/" || !Path.IsPathRooted(path) ? path : Path.Join(Root, path);

    /// <summary>
    /// Finds GroundSeg: an explicit folder (<paramref name="explicitPath"/>, from <c>--box</c>,
    /// <c>$ISKO_GROUNDSEG</c> or <c>[groundseg] path</c>) is GroundSeg's base folder, or a box root
    /// holding one under opt/nativeplanet/groundseg; else <c>$GS_BASE_PATH</c> (GroundSeg's own
    /// override), else the standard path. Null when no GroundSeg is here; an explicit folder without
    /// one is a <see cref="GroundSegNotFoundException"/>.
    /// </summary>
    public static GroundSegLocation? Locate(string? explicitPath, string explicitVia, string? gsBasePath, IBoxFiles? files = null)
    {
        files ??= RealBoxFiles.Instance;
        if (explicitPath is not null)
        {
            var full = Path.GetFullPath(explicitPath);
            if (IsBase(full, files))
                return new GroundSegLocation(full, "/", explicitVia);
            var under = Path.Join(full, GroundSegWire.StandardBase);
            if (IsBase(under, files))
                return new GroundSegLocation(under, full, explicitVia);
            throw new GroundSegNotFoundException(
                $"{explicitVia} names '{full}', which holds no GroundSeg: neither {GroundSegWire.SystemFile(full)} " +
                $"nor {GroundSegWire.SystemFile(under)} exists" + (files.DirectoryExists(full) ? "" : " (the folder does not exist)"));
        }
        if (!string.IsNullOrWhiteSpace(gsBasePath) && IsBase(gsBasePath, files))
            return new GroundSegLocation(Path.GetFullPath(gsBasePath), "/", "GS_BASE_PATH");
        return IsBase(GroundSegWire.StandardBase, files) || files.DirectoryExists(GroundSegWire.StandardBase)
            ? new GroundSegLocation(GroundSegWire.StandardBase, "/", "standard path")
            : null;
    }

    // A settings folder Isko may not look into still marks GroundSeg's base: reading it then says what permission is missing.
    private static bool IsBase(string dir, IBoxFiles files) =>
        files.FileExists(GroundSegWire.SystemFile(dir)) || files.DirectoryExists(Path.Join(dir, "settings"));
}

/// <summary>An explicitly named GroundSeg folder holds none.</summary>
public sealed class GroundSegNotFoundException(string message) : Exception(message);

/// <summary>Where a ship's pier lies.</summary>
public enum PierPlace
{
    /// <summary>The Docker volume named after the ship: <c>&lt;volumes&gt;/&lt;patp&gt;/_data/&lt;patp&gt;</c>.</summary>
    DockerVolume,

    /// <summary>A custom drive (<c>custom_pier_location</c>) bound to the container's /urbit.</summary>
    CustomDrive,
}

/// <summary>One way to reach a ship's web interface, and why it is a candidate.</summary>
/// <param name="Via">"configured url", "local http_port", "StarTram".</param>
public sealed record ShipAddress(Uri Url, string Via);

/// <summary>
/// One ship GroundSeg runs, from its pier JSON: settings, where its pier is on this machine (null,
/// with <see cref="PierProblem"/> saying why, when it cannot be found) and how it may be reached.
/// </summary>
/// <param name="Name">The ship's @p with its '~'.</param>
public sealed record BoxShip(string Name, PierSettings Settings, string SettingsFile, PierPlace Place, string ExpectedPier, string? Pier, string? PierProblem)
{
    public string BootStatus => Settings.BootStatus;
    public string NetworkMode => Settings.NetworkMode;

    /// <summary>GroundSeg starts this ship (boot status <c>boot</c>); otherwise it is stopped or in maintenance.</summary>
    public bool Running => Settings.Boots;

    /// <summary><c>http://127.0.0.1:&lt;http_port&gt;</c>, the port GroundSeg maps to the ship's Eyre on the box.</summary>
    public Uri? LocalUrl => Settings.HttpPort is { } port ? new Uri($"http://127.0.0.1:{port}") : null;

    /// <summary>The StarTram address, for a ship in WireGuard mode.</summary>
    public Uri? StarTramUrl => Settings.WireGuard ? GroundSegWire.StarTramUrl(Settings) : null;

    /// <summary>
    /// Where to try, in order: a configured url alone (it wins); else the local http_port, then,
    /// in WireGuard mode, the StarTram address.
    /// </summary>
    public IReadOnlyList<ShipAddress> Addresses(Uri? configured)
    {
        if (configured is not null)
            return [new ShipAddress(configured, "configured url")];
        var addresses = new List<ShipAddress>();
        if (LocalUrl is { } local)
            addresses.Add(new ShipAddress(local, "local http_port"));
        if (StarTramUrl is { } startram)
            addresses.Add(new ShipAddress(startram, "StarTram"));
        return addresses;
    }
}

/// <summary>Something on the box Isko could not use; <see cref="File"/> is the file or folder concerned.</summary>
public sealed record BoxProblem(string File, string Message)
{
    public override string ToString() => $"{File}: {Message}";
}

/// <summary>
/// What GroundSeg runs on this box, read from its files (never written): every ship of
/// system.json's <c>piers</c> whose pier JSON reads, and a problem for each one that does not (that
/// ship alone is left out, as GroundSeg itself does).
/// </summary>
public sealed record GroundSegBox(GroundSegLocation Location, string? VolumeRoot, IReadOnlyList<BoxShip> Ships, IReadOnlyList<BoxProblem> Problems)
{
    /// <summary>The permission a file of GroundSeg's needs, in words.</summary>
    public const string PermissionAdvice =
        "GroundSeg's files and the Docker volumes belong to root: run Isko as root (sudo isko), or give your user read access (for example through the docker group)";

    public BoxShip? Find(string name) =>
        Ships.FirstOrDefault(s => string.Equals(s.Name.TrimStart('~'), name.TrimStart('~'), StringComparison.OrdinalIgnoreCase));

    public static GroundSegBox Read(GroundSegLocation location, IBoxFiles? files = null)
    {
        files ??= RealBoxFiles.Instance;
        var problems = new List<BoxProblem>();
        var volumeRoot = GroundSegWire.VolumeRoots.Select(location.OnBox).FirstOrDefault(files.DirectoryExists);
        var system = GroundSegWire.SystemFile(location.Base);
        if (Read(files, system, problems) is not { } systemJson)
            return new GroundSegBox(location, volumeRoot, [], problems);
        IReadOnlyList<string> piers;
        try
        {
            piers = GroundSegWire.ReadPiers(systemJson, system);
        }
        catch (GroundSegFormatException e)
        {
            problems.Add(new BoxProblem(system, e.Problem + "; no ship of this box can be listed"));
            return new GroundSegBox(location, volumeRoot, [], problems);
        }

        var ships = new List<BoxShip>();
        foreach (var patp in piers.Distinct(StringComparer.Ordinal))
        {
            var file = GroundSegWire.PierFile(location.Base, patp);
            if (Read(files, file, problems, $"~{patp} is hidden until it can be read") is not { } json)
                continue;
            PierSettings settings;
            try
            {
                settings = GroundSegWire.ReadPier(json, file, patp);
            }
            catch (GroundSegFormatException e)
            {
                problems.Add(new BoxProblem(file, $"{e.Problem}; ~{patp} is hidden until GroundSeg rewrites it (the pier itself is untouched)"));
                continue;
            }
            ships.Add(Place(location, volumeRoot, patp, settings, file, files));
        }
        return new GroundSegBox(location, volumeRoot, ships, problems);
    }

    private static BoxShip Place(GroundSegLocation location, string? volumeRoot, string patp, PierSettings settings, string file, IBoxFiles files)
    {
        var name = "~" + patp;
        if (settings.CustomPierLocation is { } custom)
        {
            var pier = GroundSegWire.CustomPier(location.OnBox(custom), patp);
            return files.DirectoryExists(pier)
                ? new BoxShip(name, settings, file, PierPlace.CustomDrive, pier, pier, null)
                : new BoxShip(name, settings, file, PierPlace.CustomDrive, pier, null,
                    $"no pier at {pier} (custom_pier_location {custom}): is the drive mounted?{NotRootHint}");
        }
        var expected = GroundSegWire.VolumePier(volumeRoot ?? location.OnBox(GroundSegWire.VolumeRoots[^1]), patp);
        if (volumeRoot is null)
            return new BoxShip(name, settings, file, PierPlace.DockerVolume, expected, null,
                $"no Docker volume folder here ({string.Join(" or ", GroundSegWire.VolumeRoots.Select(location.OnBox))}){NotRootHint}");
        return files.DirectoryExists(expected)
            ? new BoxShip(name, settings, file, PierPlace.DockerVolume, expected, expected, null)
            : new BoxShip(name, settings, file, PierPlace.DockerVolume, expected, null,
                $"no pier at {expected}: the Docker volume {patp} is missing (deleted in GroundSeg?){NotRootHint}");
    }

    // Docker's volume folder is root's alone: without root, a pier that is there looks missing.
    private static string NotRootHint => Environment.IsPrivilegedProcess ? "" : " Without root, Isko cannot see into Docker's volumes: " + PermissionAdvice + ".";

    private static string? Read(IBoxFiles files, string path, List<BoxProblem> problems, string? consequence = null)
    {
        var then = consequence is null ? "" : $"; {consequence}";
        try
        {
            return files.ReadAllText(path);
        }
        catch (UnauthorizedAccessException) when (files.DirectoryExists(path))
        {
            // Opening a folder as a file reports "access denied": say what is really wrong.
            problems.Add(new BoxProblem(path, $"it is a folder, where GroundSeg keeps a file{then}"));
        }
        catch (UnauthorizedAccessException)
        {
            problems.Add(new BoxProblem(path, $"Isko may not read it ({PermissionAdvice}){then}"));
        }
        catch (FileNotFoundException)
        {
            problems.Add(new BoxProblem(path, $"it does not exist{then}"));
        }
        catch (DirectoryNotFoundException)
        {
            problems.Add(new BoxProblem(path, $"its folder does not exist{then}"));
        }
        catch (IOException e)
        {
            problems.Add(new BoxProblem(path, $"cannot read it: {e.Message}{then}"));
        }
        return null;
    }
}
