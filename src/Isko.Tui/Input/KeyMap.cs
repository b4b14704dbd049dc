namespace Isko.Tui.Input;

/// <summary>
/// An ordered set of key bindings for one scope (a pane, a dialog, the whole app). Maps are
/// combined by the app in priority order: the focused pane's first, then the screen's, then the
/// global ones; the first binding that has the key wins.
/// </summary>
public sealed class KeyMap
{
    private readonly List<KeyBinding> _bindings = [];

    public KeyMap(string group) => Group = group;

    public static KeyMap Empty { get; } = new(string.Empty);

    /// <summary>The heading these bindings appear under in the help overlay.</summary>
    public string Group { get; }

    public IReadOnlyList<KeyBinding> Bindings => _bindings;

    /// <summary>
    /// Binds keys given by name, separated by spaces ("j Down", "Ctrl-L", "?"), to an action.
    /// A key bound twice in one map is a programming error and throws. <paramref name="alwaysInFooter"/>
    /// keeps the binding in the footer however narrow the terminal (help and quit).
    /// </summary>
    public KeyMap Add(string keys, string description, Action action, bool inFooter = true, bool alwaysInFooter = false)
    {
        var parsed = keys.Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(Key.Parse).ToArray();
        if (parsed.Length == 0)
            throw new ArgumentException("A binding needs at least one key.", nameof(keys));
        foreach (var key in parsed)
            if (Find(key) is { } existing)
                throw new InvalidOperationException($"Key {key} is bound twice in '{Group}': '{existing.Description}' and '{description}'.");
        _bindings.Add(new KeyBinding(parsed, description, action, Group, inFooter || alwaysInFooter, alwaysInFooter));
        return this;
    }

    public KeyBinding? Find(Key key)
    {
        foreach (var binding in _bindings)
            foreach (var k in binding.Keys)
                if (k == key)
                    return binding;
        return null;
    }

    /// <summary>Finds the first binding for <paramref name="key"/> across maps in order and runs it.</summary>
    public static bool Dispatch(Key key, IEnumerable<KeyMap> maps)
    {
        foreach (var map in maps)
        {
            if (map.Find(key) is { } binding)
            {
                binding.Action();
                return true;
            }
        }
        return false;
    }

    /// <summary>
    /// The bindings a user can reach through <paramref name="maps"/>: a key shadowed by an earlier
    /// map is left out of the later binding, and a binding left with no key disappears.
    /// </summary>
    public static IReadOnlyList<KeyBinding> Effective(IEnumerable<KeyMap> maps)
    {
        var taken = new HashSet<Key>();
        var result = new List<KeyBinding>();
        foreach (var map in maps)
        {
            foreach (var binding in map.Bindings)
            {
                var keys = binding.Keys.Where(k => !taken.Contains(k)).ToArray();
                if (keys.Length > 0)
                    result.Add(keys.Length == binding.Keys.Count ? binding : binding with { Keys = keys });
            }
            foreach (var binding in map.Bindings)
                taken.UnionWith(binding.Keys);
        }
        return result;
    }
}
