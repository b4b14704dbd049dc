namespace Isko.Tui.Input;

/// <summary>
/// Keys that do one thing. The same record drives dispatch, the footer (the short
/// <see cref="Description"/> of bindings with <see cref="InFooter"/>) and the help overlay (all of
/// them, under <see cref="Group"/>), so what is shown can never drift from what works. When the
/// footer is too narrow it drops bindings from the end, never one that is <see cref="AlwaysInFooter"/>
/// (help and quit: the two keys a lost user needs).
/// </summary>
public sealed record KeyBinding(IReadOnlyList<Key> Keys, string Description, Action Action, string Group, bool InFooter,
    bool AlwaysInFooter = false)
{
    /// <summary>"j/Down", as shown in the footer and help.</summary>
    public string KeyNames => string.Join('/', Keys.Select(k => k.ToString()));
}
