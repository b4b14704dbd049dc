using System.Text;

namespace Isko.Engine.Archive;

/// <summary>
/// The archive's <c>.iskoignore</c>: gitignore lines over <c>desk/agent</c> that the UI edits.
/// Edits keep every comment, blank line and the order of the rules; the file is replaced atomically.
/// </summary>
public sealed class IgnoreFile
{
    private readonly List<string> _lines;

    private IgnoreFile(List<string> lines) => _lines = lines;

    /// <summary>Every line as written, comments included (what <c>IgnoreRules</c> takes).</summary>
    public IReadOnlyList<string> Lines => _lines;

    /// <summary>The lines that are rules: not blank, not comments (a leading <c>\#</c> is a rule).</summary>
    public IEnumerable<string> Rules => _lines.Where(IsRule);

    public static IgnoreFile Empty() => new([]);

    public static async Task<IgnoreFile> ReadAsync(ArchiveLayout layout, CancellationToken cancellationToken)
    {
        if (!File.Exists(layout.IgnoreFile))
            return Empty();
        var text = await File.ReadAllTextAsync(layout.IgnoreFile, Encoding.UTF8, cancellationToken);
        var lines = text.Split('\n').Select(l => l.TrimEnd('\r')).ToList();
        if (lines.Count > 0 && lines[^1].Length == 0)
            lines.RemoveAt(lines.Count - 1); // the final newline ends the last line; it is not a line itself
        return new IgnoreFile(lines);
    }

    /// <summary>Adds a rule at the end unless the same rule is already there. Returns whether it changed.</summary>
    public bool Add(string rule)
    {
        if (rule.Contains('\n') || rule.Contains('\r'))
            throw new ArgumentException("a rule is one line", nameof(rule));
        if (!IsRule(rule))
            throw new ArgumentException($"'{rule}' is blank or a comment, not a rule", nameof(rule));
        if (_lines.Contains(rule, StringComparer.Ordinal))
            return false;
        _lines.Add(rule);
        return true;
    }

    /// <summary>Removes every line that is exactly this rule; comments are never removed.</summary>
    public bool Remove(string rule) => IsRule(rule) && _lines.RemoveAll(l => l == rule) > 0;

    public Task WriteAsync(ArchiveLayout layout, ArchiveFiles? files, CancellationToken cancellationToken) =>
        AtomicFile.WriteAsync(layout.IgnoreFile, async (stream, ct) =>
        {
            var bytes = Encoding.UTF8.GetBytes(string.Concat(_lines.Select(l => l + "\n")));
            await stream.WriteAsync(bytes, ct);
        }, replace: true, files ?? ArchiveFiles.Default, cancellationToken);

    private static bool IsRule(string line) => line.Trim().Length > 0 && !line.StartsWith('#');
}
