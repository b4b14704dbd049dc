using System.Text;
using Isko.Tui.Terminal;
using Spectre.Console;

namespace Isko.Tui.Rendering;

/// <summary>
/// Turns the difference between two frames into the fewest bytes it can: for each row, the runs
/// of changed cells, joined when the gap between them is shorter than a cursor move; one cursor
/// move per run, one SGR per style change. The whole frame is one string, wrapped in
/// synchronised output (DEC mode 2026) when the profile says so, so the terminal never shows
/// half a frame. It remembers the cursor position and style it left the terminal in.
/// </summary>
public sealed class DiffWriter(TerminalProfile profile)
{
    private const string SyncBegin = "\e[?2026h";
    private const string SyncEnd = "\e[?2026l";

    /// <summary>Unchanged cells shorter than a cursor move are rewritten rather than jumped.</summary>
    private const int JoinGap = 4;

    private readonly StringBuilder _sb = new(16 * 1024);

    /// <summary>Whether frames are wrapped in mode 2026: from the profile, then from the
    /// terminal's own answer when it gives one.</summary>
    public bool SynchronizedOutput { get; set; } = profile.SynchronizedOutput;
    private int _cursorX = -1;
    private int _cursorY = -1;
    private Style? _style;

    /// <summary>
    /// The bytes that turn <paramref name="previous"/> into <paramref name="next"/> on screen; empty
    /// when nothing changed. With no previous frame (first frame, resize, Ctrl-L) the screen is
    /// cleared and every non-blank cell written.
    /// </summary>
    public string Diff(ScreenBuffer? previous, ScreenBuffer next)
    {
        _sb.Clear();
        if (previous is null || previous.Width != next.Width || previous.Height != next.Height)
        {
            // Clear with the default background, then only what is not blank needs sending.
            _sb.Append(Sgr.Reset).Append("\e[H\e[2J");
            _style = Style.Plain;
            _cursorX = 0;
            _cursorY = 0;
            previous = new ScreenBuffer(next.Width, next.Height);
        }

        for (var y = 0; y < next.Height; y++)
            DiffRow(previous.Row(y), next.Row(y), y);

        if (_sb.Length == 0)
            return string.Empty;
        if (_style is not null && !_style.Equals(Style.Plain))
        {
            _sb.Append(Sgr.Reset);
            _style = Style.Plain;
        }
        return SynchronizedOutput ? SyncBegin + _sb + SyncEnd : _sb.ToString();
    }

    /// <summary>Forgets where the cursor is and which style is set (after anything else wrote).</summary>
    public void Invalidate()
    {
        _cursorX = _cursorY = -1;
        _style = null;
    }

    private void DiffRow(ReadOnlySpan<Cell> before, ReadOnlySpan<Cell> after, int y)
    {
        var width = after.Length;
        var x = 0;
        while (x < width)
        {
            if (before[x] == after[x])
            {
                x++;
                continue;
            }
            var start = x;
            var end = x + 1; // exclusive
            var probe = end;
            while (probe < width)
            {
                if (before[probe] != after[probe])
                {
                    end = probe + 1;
                    probe++;
                    continue;
                }
                if (probe - end >= JoinGap)
                    break;
                probe++;
            }
            WriteRun(after, start, end, y);
            x = end;
        }
    }

    private void WriteRun(ReadOnlySpan<Cell> row, int start, int end, int y)
    {
        // A run never starts or ends in the middle of a wide grapheme.
        if (row[start].IsContinuation && start > 0)
            start--;
        if (end < row.Length && row[end].IsContinuation)
            end++;
        MoveTo(start, y);
        for (var x = start; x < end; x++)
        {
            var cell = row[x];
            if (cell.IsContinuation)
                continue;
            if (_style is null || !_style.Equals(cell.Style))
            {
                Sgr.Append(_sb, cell.Style, profile.Colors);
                _style = cell.Style;
            }
            var blanks = PlainBlanks(row, x, end);
            if (blanks >= MinErase)
            {
                // ECH then CUF: a long run of plain blanks costs ten bytes, not one per cell.
                _sb.Append("\e[").Append(blanks).Append("X\e[").Append(blanks).Append('C');
                _cursorX += blanks;
                x += blanks - 1;
                continue;
            }
            var wideFits = cell.Width == 2 && x + 1 < row.Length && row[x + 1].IsContinuation;
            if (cell.Width == 2 && !wideFits)
            {
                _sb.Append(' ');
                _cursorX++;
                continue;
            }
            _sb.Append(cell.Text);
            _cursorX += cell.Width;
        }
    }

    /// <summary>Below this many blanks, spaces are as short as an erase and a cursor move.</summary>
    private const int MinErase = 12;

    /// <summary>
    /// How many cells from <paramref name="x"/> are blanks in a style that shows nothing on a
    /// blank (default background, no underline, reverse or strike). Only those are erased: an
    /// erase paints the current background, and terminals without background-colour erase
    /// (GNU screen by default) would paint the default instead.
    /// </summary>
    private static int PlainBlanks(ReadOnlySpan<Cell> row, int x, int end)
    {
        var first = row[x];
        if (first.Text != " " || !ShowsNothingWhenBlank(first.Style))
            return 0;
        var n = 1;
        while (x + n < end && row[x + n] == first)
            n++;
        return n;
    }

    private static bool ShowsNothingWhenBlank(Style style) =>
        style.Background == Color.Default &&
        (style.Decoration & (Decoration.Underline | Decoration.Invert | Decoration.Strikethrough | Decoration.Conceal)) == 0;

    private void MoveTo(int x, int y)
    {
        if (x == _cursorX && y == _cursorY)
            return;
        if (y == _cursorY && x > _cursorX && _cursorX >= 0 && x - _cursorX <= 3)
        {
            _sb.Append("\e[").Append(x - _cursorX).Append('C'); // cursor forward: shorter than CUP
        }
        else if (x == 0)
        {
            _sb.Append("\e[").Append(y + 1).Append('H');
        }
        else
        {
            _sb.Append("\e[").Append(y + 1).Append(';').Append(x + 1).Append('H');
        }
        _cursorX = x;
        _cursorY = y;
    }
}
