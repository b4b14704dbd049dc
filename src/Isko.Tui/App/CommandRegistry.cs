namespace Isko.Tui.App;

/// <summary>
/// The ':' commands. A command is one or more words ("backup all", "q"); the longest registered
/// name that starts the typed line wins and gets the rest of the line as its argument.
/// </summary>
public sealed class CommandRegistry
{
    private readonly List<(string[] Words, string Description, Action<string> Run)> _commands = [];

    public IEnumerable<(string Name, string Description)> All => _commands.Select(c => (string.Join(' ', c.Words), c.Description));

    public CommandRegistry Add(string name, string description, Action<string> run)
    {
        var words = Words(name);
        if (words.Length == 0)
            throw new ArgumentException("A command needs a name.", nameof(name));
        if (_commands.Any(c => c.Words.SequenceEqual(words)))
            throw new InvalidOperationException($"Command ':{name}' is registered twice.");
        _commands.Add((words, description, run));
        return this;
    }

    /// <summary>Runs the command the line names; false when no command matches.</summary>
    public bool TryRun(string line)
    {
        var words = Words(line);
        var match = _commands
            .Where(c => c.Words.Length <= words.Length && c.Words.SequenceEqual(words.Take(c.Words.Length), StringComparer.OrdinalIgnoreCase))
            .OrderByDescending(c => c.Words.Length)
            .FirstOrDefault();
        if (match.Words is null)
            return false;
        match.Run(string.Join(' ', words.Skip(match.Words.Length)));
        return true;
    }

    private static string[] Words(string s) => s.Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
