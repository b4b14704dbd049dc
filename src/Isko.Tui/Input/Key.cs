using System.Buffers;
using System.Text;

namespace Isko.Tui.Input;

public enum KeyCode
{
    None,
    /// <summary>A printable character in <see cref="Key.Rune"/>; case is part of the rune ('G').</summary>
    Char,
    Enter,
    Escape,
    Tab,
    BackTab,
    Backspace,
    Delete,
    Insert,
    Up,
    Down,
    Left,
    Right,
    Home,
    End,
    PageUp,
    PageDown,
    F1, F2, F3, F4, F5, F6, F7, F8, F9, F10, F11, F12,
    /// <summary>Bracketed paste: the pasted text is in <see cref="Key.Text"/>.</summary>
    Paste,
}

[Flags]
public enum KeyModifiers
{
    None = 0,
    Shift = 1,
    Alt = 2,
    Ctrl = 4,
}

/// <summary>
/// One key press as decoded from the terminal. Letters keep their case in <see cref="Rune"/>
/// (so 'G' is Shift-g); Ctrl-letters are the lower-case letter with <see cref="KeyModifiers.Ctrl"/>.
/// </summary>
public readonly record struct Key(KeyCode Code, Rune Rune = default, KeyModifiers Modifiers = KeyModifiers.None, string? Text = null)
{
    public static Key Char(char c, KeyModifiers modifiers = KeyModifiers.None) => new(KeyCode.Char, new Rune(c), modifiers);
    public static Key Ctrl(char c) => new(KeyCode.Char, new Rune(char.ToLowerInvariant(c)), KeyModifiers.Ctrl);
    public static Key Alt(char c) => new(KeyCode.Char, new Rune(c), KeyModifiers.Alt);
    public static Key Of(KeyCode code, KeyModifiers modifiers = KeyModifiers.None) => new(code, default, modifiers);
    public static Key Pasted(string text) => new(KeyCode.Paste, default, KeyModifiers.None, text);

    /// <summary>True for a character typed without Ctrl or Alt: goes into text inputs.</summary>
    public bool IsText => Code == KeyCode.Char && (Modifiers & (KeyModifiers.Ctrl | KeyModifiers.Alt)) == 0;

    /// <summary>The name shown in the footer and help: "j", "G", "Ctrl-L", "Alt-x", "PgDn", "Shift-Tab".</summary>
    public override string ToString()
    {
        var prefix = new StringBuilder();
        if (Modifiers.HasFlag(KeyModifiers.Ctrl)) prefix.Append("Ctrl-");
        if (Modifiers.HasFlag(KeyModifiers.Alt)) prefix.Append("Alt-");
        if (Modifiers.HasFlag(KeyModifiers.Shift)) prefix.Append("Shift-");
        var name = Code switch
        {
            KeyCode.Char when Rune.Value == ' ' => "Space",
            KeyCode.Char => Modifiers.HasFlag(KeyModifiers.Ctrl) ? Rune.ToString().ToUpperInvariant() : Rune.ToString(),
            KeyCode.Escape => "Esc",
            KeyCode.BackTab => "Shift-Tab",
            KeyCode.PageUp => "PgUp",
            KeyCode.PageDown => "PgDn",
            KeyCode.Delete => "Del",
            KeyCode.Insert => "Ins",
            _ => Code.ToString(),
        };
        return prefix + name;
    }

    /// <summary>Parses a name as <see cref="ToString"/> writes it ("Ctrl-L", "PgDn", "?", "Space").</summary>
    public static Key Parse(string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        var modifiers = KeyModifiers.None;
        var rest = name;
        while (true)
        {
            if (Strip(ref rest, "Ctrl-")) modifiers |= KeyModifiers.Ctrl;
            else if (Strip(ref rest, "Alt-")) modifiers |= KeyModifiers.Alt;
            else if (rest != "Shift-Tab" && Strip(ref rest, "Shift-")) modifiers |= KeyModifiers.Shift;
            else break;
        }
        if (rest.Length == 0)
            throw new FormatException($"Key name '{name}' has no key after its modifiers.");

        if (Rune.DecodeFromUtf16(rest, out var rune, out var used) == OperationStatus.Done && used == rest.Length)
            return modifiers.HasFlag(KeyModifiers.Ctrl)
                ? new Key(KeyCode.Char, new Rune(char.ToLowerInvariant(rest[0])), modifiers)
                : new Key(KeyCode.Char, rune, modifiers);

        var code = rest switch
        {
            "Space" => KeyCode.Char,
            "Esc" => KeyCode.Escape,
            "Shift-Tab" => KeyCode.BackTab,
            "PgUp" => KeyCode.PageUp,
            "PgDn" => KeyCode.PageDown,
            "Del" => KeyCode.Delete,
            "Ins" => KeyCode.Insert,
            _ => Enum.TryParse<KeyCode>(rest, ignoreCase: false, out var c) && c is not (KeyCode.None or KeyCode.Char or KeyCode.Paste)
                ? c
                : throw new FormatException($"Unknown key name '{rest}' in '{name}'."),
        };
        return code == KeyCode.Char ? new Key(KeyCode.Char, new Rune(' '), modifiers) : new Key(code, default, modifiers);
    }

    private static bool Strip(ref string s, string prefix)
    {
        if (s.Length <= prefix.Length || !s.StartsWith(prefix, StringComparison.Ordinal))
            return false;
        s = s[prefix.Length..];
        return true;
    }
}
