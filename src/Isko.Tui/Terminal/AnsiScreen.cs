using System.Text;
using Isko.Tui.Rendering;

namespace Isko.Tui.Terminal;

/// <summary>
/// A small terminal emulator for tests: applies what the frame loop writes (text, CUP, CUF, ED,
/// EL, SGR, DEC private modes) to a grid, so a test can read the screen a user would see and the
/// SGR each cell was written with. It knows only the sequences this library sends.
/// </summary>
public sealed class AnsiScreen
{
    private string[,] _text;
    private string[,] _sgr;
    private string _currentSgr = "0";

    public AnsiScreen(int width, int height)
    {
        Width = width;
        Height = height;
        _text = new string[height, width];
        _sgr = new string[height, width];
        Clear();
    }

    public int Width { get; private set; }
    public int Height { get; private set; }
    public int CursorX { get; private set; }
    public int CursorY { get; private set; }
    public bool AlternateScreen { get; private set; }
    public bool CursorVisible { get; private set; } = true;
    public bool AutoWrap { get; private set; } = true;
    public bool BracketedPaste { get; private set; }

    /// <summary>How many synchronised-output blocks were opened and closed (they must pair).</summary>
    public int SyncBegins { get; private set; }
    public int SyncEnds { get; private set; }

    public string Row(int y)
    {
        var sb = new StringBuilder();
        for (var x = 0; x < Width; x++)
            sb.Append(_text[y, x]);
        return sb.ToString();
    }

    public IReadOnlyList<string> Rows => Enumerable.Range(0, Height).Select(Row).ToArray();

    public string Text => string.Join('\n', Rows);

    /// <summary>The SGR parameters in force when cell (x, y) was written, e.g. "0;7".</summary>
    public string SgrAt(int x, int y) => _sgr[y, x];

    public void Resize(int width, int height)
    {
        Width = width;
        Height = height;
        _text = new string[height, width];
        _sgr = new string[height, width];
        Clear();
        CursorX = Math.Min(CursorX, width - 1);
        CursorY = Math.Min(CursorY, height - 1);
    }

    public void Apply(string output)
    {
        var i = 0;
        while (i < output.Length)
        {
            if (output[i] == '\e')
            {
                i = Escape(output, i);
                continue;
            }
            var next = output.IndexOf('\e', i);
            var chunk = next < 0 ? output[i..] : output[i..next];
            foreach (var (g, w) in Graphemes.Enumerate(chunk))
                Put(g, w);
            i = next < 0 ? output.Length : next;
        }
    }

    private void Put(string g, int w)
    {
        if (w == 0)
            return;
        if (CursorX >= Width)
        {
            if (!AutoWrap)
                CursorX = Width - 1;
            else
            {
                CursorX = 0;
                CursorY = Math.Min(CursorY + 1, Height - 1);
            }
        }
        // As a terminal does: writing over either half of a wide character blanks the other half.
        BreakWide(CursorX);
        _text[CursorY, CursorX] = g;
        _sgr[CursorY, CursorX] = _currentSgr;
        if (w == 2 && CursorX + 1 < Width)
        {
            BreakWide(CursorX + 1);
            _text[CursorY, CursorX + 1] = string.Empty;
            _sgr[CursorY, CursorX + 1] = _currentSgr;
        }
        CursorX += w;
        if (!AutoWrap && CursorX >= Width)
            CursorX = Width; // pending: the next character overwrites the last column
    }

    private void BreakWide(int x)
    {
        var y = CursorY;
        if (_text[y, x].Length == 0 && x > 0)
            _text[y, x - 1] = " ";
        else if (x + 1 < Width && _text[y, x + 1].Length == 0)
            _text[y, x + 1] = " ";
    }

    private int Escape(string s, int i)
    {
        if (i + 1 >= s.Length || s[i + 1] != '[')
            throw new FormatException($"Unexpected escape at {i}: {Show(s.Substring(i, Math.Min(8, s.Length - i)))}");
        var j = i + 2;
        while (j < s.Length && s[j] is >= (char)0x20 and <= (char)0x3f)
            j++;
        if (j >= s.Length)
            throw new FormatException("Unterminated CSI sequence.");
        var parameters = s[(i + 2)..j];
        var final = s[j];
        var numbers = parameters.TrimStart('?').Split(';').Select(p => int.TryParse(p, out var n) ? n : 0).ToArray();
        switch (final)
        {
            case 'H':
                CursorY = Math.Clamp((numbers.Length > 0 && numbers[0] > 0 ? numbers[0] : 1) - 1, 0, Height - 1);
                CursorX = Math.Clamp((numbers.Length > 1 && numbers[1] > 0 ? numbers[1] : 1) - 1, 0, Width - 1);
                break;
            case 'C':
                CursorX = Math.Min(Width - 1, CursorX + Math.Max(1, numbers[0]));
                break;
            case 'J' when numbers[0] == 2:
                Clear();
                break;
            case 'X':
                // ECH: blanks from the cursor, which does not move.
                for (var x = CursorX; x < Math.Min(Width, CursorX + Math.Max(1, numbers[0])); x++)
                {
                    BreakWide(x);
                    _text[CursorY, x] = " ";
                    _sgr[CursorY, x] = _currentSgr;
                }
                break;
            case 'K':
                for (var x = CursorX; x < Width; x++)
                    _text[CursorY, x] = " ";
                break;
            case 'm':
                _currentSgr = parameters.Length == 0 ? "0" : parameters;
                break;
            case 'h' or 'l' when parameters.StartsWith('?'):
                SetMode(numbers[0], final == 'h');
                break;
            default:
                throw new FormatException($"Sequence not understood by the test screen: {Show(s[i..(j + 1)])}");
        }
        return j + 1;
    }

    private void SetMode(int mode, bool on)
    {
        switch (mode)
        {
            case 1049: AlternateScreen = on; if (on) Clear(); break;
            case 25: CursorVisible = on; break;
            case 7: AutoWrap = on; break;
            case 2004: BracketedPaste = on; break;
            case 2026: if (on) SyncBegins++; else SyncEnds++; break;
        }
    }

    private void Clear()
    {
        for (var y = 0; y < Height; y++)
            for (var x = 0; x < Width; x++)
            {
                _text[y, x] = " ";
                _sgr[y, x] = "0";
            }
    }

    private static string Show(string s) => s.Replace("\e", "ESC");
}
