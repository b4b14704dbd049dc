using System.Text;
using System.Text.RegularExpressions;

namespace Isko.Engine.Catalogue;

/// <summary>
/// One gitignore line, read as git reads it (gitignore(5) and git's wildmatch with WM_PATHNAME):
/// <c>!</c> negates, a trailing <c>/</c> matches folders only, a <c>/</c> at the start or in the
/// middle anchors the pattern to the root (else it matches the last path component at any depth),
/// <c>*</c> <c>?</c> <c>[...]</c> never match <c>/</c>, <c>**/</c> <c>/**/</c> <c>/**</c> cross
/// folders, and <c>\</c> makes the next character literal. Replaces MAB.DotIgnore's matcher, which
/// differs from git on <c>\!x</c>, a leading <c>/**</c> and anchored patterns that start with
/// <c>[</c> (docs/archive.md, "Ignore rules").
/// </summary>
public sealed class GitIgnorePattern
{
    private readonly Regex _regex;

    private GitIgnorePattern(Regex regex, bool negated, bool foldersOnly, bool lastComponentOnly)
    {
        _regex = regex;
        Negated = negated;
        FoldersOnly = foldersOnly;
        LastComponentOnly = lastComponentOnly;
    }

    public bool Negated { get; }
    public bool FoldersOnly { get; }
    public bool LastComponentOnly { get; }

    /// <summary>Null for lines that are no rule: blank, comments, a bare <c>!</c> or <c>/</c>.</summary>
    /// <exception cref="FormatException">A pattern git gives up on (an unclosed <c>[</c>, a trailing <c>\</c>).</exception>
    public static GitIgnorePattern? Parse(string line)
    {
        line = TrimTrailingSpaces(line.TrimEnd('\r'));
        if (line.Length == 0 || line[0] == '#')
            return null;
        var negated = line[0] == '!';
        if (negated)
            line = line[1..];
        var foldersOnly = line.EndsWith('/') && !line.EndsWith("\\/", StringComparison.Ordinal);
        if (foldersOnly)
            line = line[..^1];
        var lastComponentOnly = !line.Contains('/');
        if (line.StartsWith('/'))
            line = line[1..];
        if (line.Length == 0)
            return null;
        Regex regex;
        try
        {
            regex = new Regex("^" + Translate(line) + "$", RegexOptions.CultureInvariant | RegexOptions.Singleline);
        }
        catch (RegexParseException e)
        {
            // A range written backwards ("[z-a]") matches nothing in git; found by the fuzz campaign,
            // it once escaped as an unhandled exception. The rule is refused with a warning instead.
            throw new FormatException($"not a pattern git can match: {e.Error switch
            {
                RegexParseError.ReversedCharacterRange => "a [x-y] range in reverse order",
                _ => e.Error.ToString(),
            }}", e);
        }
        return new GitIgnorePattern(regex, negated, foldersOnly, lastComponentOnly);
    }

    /// <summary>Whether the pattern matches a path (components joined by <c>/</c>, from the root).</summary>
    public bool IsMatch(string path, bool isFolder)
    {
        if (FoldersOnly && !isFolder)
            return false;
        return _regex.IsMatch(LastComponentOnly ? path[(path.LastIndexOf('/') + 1)..] : path);
    }

    private static string Translate(string glob)
    {
        var regex = new StringBuilder();
        for (var i = 0; i < glob.Length;)
        {
            var c = glob[i];
            switch (c)
            {
                case '*':
                {
                    var end = i;
                    while (end < glob.Length && glob[end] == '*')
                        end++;
                    var wholeComponent = end - i >= 2 && (i == 0 || glob[i - 1] == '/') && (end == glob.Length || glob[end] == '/');
                    if (!wholeComponent)
                        regex.Append("[^/]*"); // git: a run of asterisks inside a component is one asterisk
                    else if (end == glob.Length)
                        regex.Append(".*");
                    else
                    {
                        regex.Append("(?:.*/)?");
                        end++; // the slash is part of "**/"
                    }
                    i = end;
                    break;
                }
                case '?':
                    regex.Append("[^/]");
                    i++;
                    break;
                case '[':
                    i = TranslateClass(glob, i, regex);
                    break;
                case '\\':
                    if (i + 1 >= glob.Length)
                        throw new FormatException("the pattern ends in a lone backslash");
                    regex.Append(Regex.Escape(glob[i + 1].ToString()));
                    i += 2;
                    break;
                default:
                    regex.Append(Regex.Escape(c.ToString()));
                    i++;
                    break;
            }
        }
        return regex.ToString();
    }

    /// <summary>A bracket expression; returns the index after its closing <c>]</c>. Never matches <c>/</c>.</summary>
    private static int TranslateClass(string glob, int start, StringBuilder regex)
    {
        var i = start + 1;
        var negated = i < glob.Length && glob[i] is '!' or '^';
        if (negated)
            i++;
        var members = new StringBuilder();
        var first = true;
        while (true)
        {
            if (i >= glob.Length)
                throw new FormatException($"'[' at {start} is never closed");
            var c = glob[i];
            if (c == ']' && !first)
                break;
            first = false;
            if (c == '[' && i + 1 < glob.Length && glob[i + 1] == ':')
            {
                var close = glob.IndexOf(":]", i + 2, StringComparison.Ordinal);
                if (close < 0)
                    throw new FormatException($"'[:' at {i} is never closed");
                members.Append(PosixClass(glob[(i + 2)..close]));
                i = close + 2;
                continue;
            }
            if (c == '\\')
            {
                if (++i >= glob.Length)
                    throw new FormatException("the pattern ends in a lone backslash");
                c = glob[i];
            }
            i++;
            if (i + 1 < glob.Length && glob[i] == '-' && glob[i + 1] != ']')
            {
                var high = glob[i + 1];
                var next = i + 2;
                if (high == '\\' && next < glob.Length)
                    high = glob[next++];
                members.Append(EscapeInClass(c)).Append('-').Append(EscapeInClass(high));
                i = next;
            }
            else
            {
                members.Append(EscapeInClass(c));
            }
        }
        regex.Append(negated ? $"[^/{members}]" : $"(?!/)[{members}]");
        return i + 1;
    }

    private static string PosixClass(string name) => name switch
    {
        "alnum" => "a-zA-Z0-9",
        "alpha" => "a-zA-Z",
        "blank" => @" \t",
        "cntrl" => @"\x00-\x1f\x7f",
        "digit" => "0-9",
        "graph" => @"\x21-\x7e",
        "lower" => "a-z",
        "print" => @"\x20-\x7e",
        "punct" => @"!-/:-@\[-`{-~",
        "space" => @" \t\n\r\f\v",
        "upper" => "A-Z",
        "xdigit" => "0-9a-fA-F",
        _ => throw new FormatException($"[:{name}:] is not a character class"),
    };

    private static string EscapeInClass(char c) => c is '\\' or ']' or '[' or '^' or '-' ? "\\" + c : c.ToString();

    /// <summary>git drops trailing spaces unless the last one is escaped with a backslash.</summary>
    private static string TrimTrailingSpaces(string line)
    {
        var end = line.Length;
        while (end > 0 && line[end - 1] == ' ' && !(end > 1 && line[end - 2] == '\\'))
            end--;
        return line[..end];
    }
}
