using Spectre.Console;

namespace Isko.Tui.Terminal;

/// <summary>
/// What the terminal can do, read once from the environment: colour depth (NO_COLOR, COLORTERM,
/// TERM), whether it is UTF-8 (LC_ALL, LC_CTYPE, LANG) and whether frames are wrapped in
/// synchronised output (DEC mode 2026). Terminals that do not know mode 2026 ignore it, so it is
/// on unless the terminal is known to be a bare console or ISKO_SYNC_OUTPUT=0.
/// </summary>
public sealed record TerminalProfile(ColorDepth Colors, bool Unicode, bool SynchronizedOutput)
{
    /// <summary>What tests and benchmarks use unless they say otherwise.</summary>
    public static readonly TerminalProfile Default = new(ColorDepth.EightBit, Unicode: true, SynchronizedOutput: true);

    public bool NoColor => Colors == ColorDepth.None;

    /// <summary>Spectre's view of these capabilities, for rendering widgets into cells.</summary>
    public IReadOnlyCapabilities Capabilities => new RenderCapabilities(this);

    public static TerminalProfile FromEnvironment() =>
        Detect(name => Environment.GetEnvironmentVariable(name));

    public static TerminalProfile Detect(Func<string, string?> env)
    {
        var term = (env("TERM") ?? string.Empty).ToLowerInvariant();
        return new TerminalProfile(DetectColors(env, term), DetectUnicode(env), DetectSync(env, term));
    }

    private static ColorDepth DetectColors(Func<string, string?> env, string term)
    {
        // NO_COLOR: present and not empty (no-color.org); an override wins over everything.
        if (!string.IsNullOrEmpty(env("NO_COLOR")))
            return ColorDepth.None;
        switch (env("ISKO_COLORS")?.Trim().ToLowerInvariant())
        {
            case "none" or "mono" or "0": return ColorDepth.None;
            case "16": return ColorDepth.Standard16;
            case "256": return ColorDepth.EightBit;
            case "truecolor" or "24bit": return ColorDepth.TrueColor;
        }
        if (term is "dumb")
            return ColorDepth.None;
        var colorterm = (env("COLORTERM") ?? string.Empty).ToLowerInvariant();
        if (colorterm is "truecolor" or "24bit" || term.EndsWith("-direct", StringComparison.Ordinal))
            return ColorDepth.TrueColor;
        if (term.Contains("256color", StringComparison.Ordinal))
            return ColorDepth.EightBit;
        return ColorDepth.Standard16; // linux console, vt100, xterm, screen: only the 16 are certain
    }

    private static bool DetectUnicode(Func<string, string?> env)
    {
        // The first of LC_ALL, LC_CTYPE, LANG that is set decides, as in setlocale(3).
        foreach (var name in new[] { "LC_ALL", "LC_CTYPE", "LANG" })
        {
            var value = env(name);
            if (string.IsNullOrEmpty(value))
                continue;
            var v = value.ToUpperInvariant();
            return v.Contains("UTF-8", StringComparison.Ordinal) || v.Contains("UTF8", StringComparison.Ordinal);
        }
        return false;
    }

    private static bool DetectSync(Func<string, string?> env, string term)
    {
        switch (env("ISKO_SYNC_OUTPUT"))
        {
            case "0": return false;
            case "1": return true;
        }
        return term is not ("linux" or "dumb" or "vt100" or "vt220" or "");
    }

    private sealed class RenderCapabilities(TerminalProfile profile) : IReadOnlyCapabilities
    {
        public ColorSystem ColorSystem => profile.Colors switch
        {
            ColorDepth.None => ColorSystem.NoColors,
            ColorDepth.Standard16 => ColorSystem.Standard,
            ColorDepth.EightBit => ColorSystem.EightBit,
            _ => ColorSystem.TrueColor,
        };

        public bool Ansi => true;
        public bool Links => false;
        public bool Legacy => false;
        public bool IsTerminal => true;
        public bool Interactive => true;
        public bool Unicode => profile.Unicode;
    }
}
