using System.Text;

namespace Isko.Tui.Input;

/// <summary>
/// Decodes the bytes a terminal sends into keys: UTF-8 text, control keys, CSI and SS3 sequences
/// (arrows, Home/End, PgUp/PgDn, F-keys, Shift-Tab as CSI Z, xterm modifiers "1;5A"), Alt as an
/// ESC prefix, and bracketed paste. A lone ESC is ambiguous (Esc key or the start of Alt-x or
/// of a sequence): it stays pending until more bytes come or the reader's short timeout calls
/// <see cref="Flush"/>. Not thread-safe: one reader thread owns it.
/// </summary>
public sealed class KeyDecoder
{
    private const byte Esc = 0x1b;
    private static readonly byte[] PasteEnd = "\e[201~"u8.ToArray();

    private readonly List<byte> _pending = [];
    private List<byte>? _paste;

    /// <summary>How long a lone ESC waits for the rest of a sequence before it is the Esc key.</summary>
    public static readonly TimeSpan EscapeTimeout = TimeSpan.FromMilliseconds(50);

    /// <summary>How long a paste may pause before it is taken as ended (its end marker lost).
    /// Long, so a slow link never spills the rest of a paste in as typed keys.</summary>
    public static readonly TimeSpan PasteTimeout = TimeSpan.FromSeconds(2);

    /// <summary>
    /// A reply to a DECRQM mode query (<c>ESC[?mode;state$y</c>): the mode and its state (0 not
    /// recognised, 1 set, 2 reset, 3 permanently set, 4 permanently reset). Not a key.
    /// </summary>
    public event Action<int, int>? ModeReported;

    /// <summary>True when bytes wait for more input (a lone ESC or half a sequence or character).</summary>
    public bool HasPending => _pending.Count > 0 || _paste is not null;

    /// <summary>How long the reader should wait for more bytes before calling <see cref="Flush"/>;
    /// null when nothing is pending and it may sleep until input comes.</summary>
    public TimeSpan? FlushAfter => _paste is not null ? PasteTimeout : _pending.Count > 0 ? EscapeTimeout : null;

    /// <summary>Decodes what it can of <paramref name="bytes"/>; the rest waits for the next call.</summary>
    public void Feed(ReadOnlySpan<byte> bytes, List<Key> keys)
    {
        _pending.AddRange(bytes);
        var data = _pending.ToArray();
        var pos = 0;
        while (pos < data.Length)
        {
            var used = _paste is not null ? ReadPaste(data, pos, keys) : ReadKey(data, pos, keys);
            if (used == 0)
                break; // incomplete: wait for more
            pos += used;
        }
        _pending.RemoveRange(0, pos);
    }

    /// <summary>
    /// Called when no more bytes came within the Esc timeout: a pending ESC is the Esc key, and
    /// anything half-finished after it is decoded as plain keys.
    /// </summary>
    public void Flush(List<Key> keys)
    {
        if (_paste is not null)
        {
            _paste.AddRange(_pending);
            keys.Add(Key.Pasted(Encoding.UTF8.GetString(_paste.ToArray())));
            _paste = null;
            _pending.Clear();
            return;
        }
        var data = _pending.ToArray();
        _pending.Clear();
        var pos = 0;
        while (pos < data.Length)
        {
            if (data[pos] == Esc)
            {
                keys.Add(Key.Of(KeyCode.Escape));
                pos++;
                continue;
            }
            var used = ReadKey(data, pos, keys);
            if (used == 0)
            {
                keys.Add(new Key(KeyCode.Char, Rune.ReplacementChar));
                pos++;
                continue;
            }
            pos += used;
        }
    }

    /// <summary>Returns the bytes used, or 0 when the key is not complete yet.</summary>
    private int ReadKey(byte[] d, int i, List<Key> keys)
    {
        var b = d[i];
        if (b != Esc)
            return ReadPlain(d, i, keys, KeyModifiers.None);
        if (i + 1 >= d.Length)
            return 0;
        var next = d[i + 1];
        if (next == (byte)'[')
            return ReadCsi(d, i, keys);
        if (next == (byte)'O')
            return ReadSs3(d, i, keys);
        if (next == Esc)
        {
            keys.Add(Key.Of(KeyCode.Escape)); // ESC ESC: the first is a plain Esc
            return 1;
        }
        var used = ReadPlain(d, i + 1, keys, KeyModifiers.Alt);
        return used == 0 ? 0 : used + 1;
    }

    private static int ReadPlain(byte[] d, int i, List<Key> keys, KeyModifiers mods)
    {
        var b = d[i];
        switch (b)
        {
            case 0x0d or 0x0a:
                keys.Add(Key.Of(KeyCode.Enter, mods));
                return 1;
            case 0x09:
                keys.Add(Key.Of(KeyCode.Tab, mods));
                return 1;
            case 0x7f or 0x08:
                keys.Add(Key.Of(KeyCode.Backspace, mods));
                return 1;
            case 0x00:
                keys.Add(new Key(KeyCode.Char, new Rune(' '), mods | KeyModifiers.Ctrl));
                return 1;
            case < 0x1b:
                keys.Add(new Key(KeyCode.Char, new Rune('a' + b - 1), mods | KeyModifiers.Ctrl));
                return 1;
            case < 0x20:
                keys.Add(new Key(KeyCode.Char, new Rune("\\]^_"[b - 0x1c]), mods | KeyModifiers.Ctrl));
                return 1;
            case < 0x80:
                keys.Add(new Key(KeyCode.Char, new Rune(b), mods));
                return 1;
        }
        var length = b >= 0xf0 ? 4 : b >= 0xe0 ? 3 : b >= 0xc0 ? 2 : 1;
        if (i + length > d.Length)
            return 0;
        var status = Rune.DecodeFromUtf8(d.AsSpan(i, length), out var rune, out var used);
        keys.Add(new Key(KeyCode.Char, status == System.Buffers.OperationStatus.Done ? rune : Rune.ReplacementChar, mods));
        return status == System.Buffers.OperationStatus.Done ? used : 1;
    }

    private int ReadCsi(byte[] d, int i, List<Key> keys)
    {
        // ESC [ parameters (0x30–0x3f) intermediates (0x20–0x2f) final (0x40–0x7e)
        var j = i + 2;
        while (j < d.Length && d[j] is >= 0x20 and <= 0x3f)
            j++;
        if (j >= d.Length)
            return 0;
        var final = (char)d[j];
        var raw = Encoding.ASCII.GetString(d, i + 2, j - i - 2);
        var used = j - i + 1;
        if (final == 'y' && raw.StartsWith('?') && raw.EndsWith('$'))
        {
            var report = raw[1..^1].Split(';');
            if (report.Length == 2 && int.TryParse(report[0], out var mode) && int.TryParse(report[1], out var state))
                ModeReported?.Invoke(mode, state);
            return used;
        }
        var parameters = raw.Split(';');
        var first = int.TryParse(parameters[0], out var p0) ? p0 : 0;
        var mods = parameters.Length > 1 && int.TryParse(parameters[1], out var m) ? Modifiers(m) : KeyModifiers.None;

        if (final == '~' && first == 200)
        {
            _paste = [];
            return used;
        }
        KeyCode? code = final switch
        {
            'Z' => KeyCode.BackTab,
            '~' => first switch
            {
                1 or 7 => KeyCode.Home,
                2 => KeyCode.Insert,
                3 => KeyCode.Delete,
                4 or 8 => KeyCode.End,
                5 => KeyCode.PageUp,
                6 => KeyCode.PageDown,
                11 => KeyCode.F1, 12 => KeyCode.F2, 13 => KeyCode.F3, 14 => KeyCode.F4, 15 => KeyCode.F5,
                17 => KeyCode.F6, 18 => KeyCode.F7, 19 => KeyCode.F8, 20 => KeyCode.F9, 21 => KeyCode.F10,
                23 => KeyCode.F11, 24 => KeyCode.F12,
                _ => null,
            },
            _ => FinalKey(final),
        };
        if (code is { } c)
            keys.Add(Key.Of(c, c == KeyCode.BackTab ? KeyModifiers.None : mods));
        return used; // unknown sequences (focus reports, replies) are swallowed, never typed
    }

    private static int ReadSs3(byte[] d, int i, List<Key> keys)
    {
        if (i + 2 >= d.Length)
            return 0;
        var final = (char)d[i + 2];
        var code = final == 'M' ? KeyCode.Enter : FinalKey(final); // ESC O M: keypad Enter
        if (code is { } c)
            keys.Add(Key.Of(c));
        return 3;
    }

    /// <summary>The keys named by the final byte alone, the same after CSI and SS3.</summary>
    private static KeyCode? FinalKey(char final) => final switch
    {
        'A' => KeyCode.Up,
        'B' => KeyCode.Down,
        'C' => KeyCode.Right,
        'D' => KeyCode.Left,
        'H' => KeyCode.Home,
        'F' => KeyCode.End,
        'P' => KeyCode.F1,
        'Q' => KeyCode.F2,
        'R' => KeyCode.F3,
        'S' => KeyCode.F4,
        _ => null,
    };

    private int ReadPaste(byte[] d, int i, List<Key> keys)
    {
        var paste = _paste!;
        var end = d.AsSpan(i).IndexOf(PasteEnd);
        if (end < 0)
        {
            // Keep a tail that could be the start of the end marker; the rest is pasted text.
            var keep = Math.Min(PasteEnd.Length - 1, d.Length - i);
            var take = d.Length - i - keep;
            paste.AddRange(d.AsSpan(i, take));
            return take;
        }
        paste.AddRange(d.AsSpan(i, end));
        keys.Add(Key.Pasted(Encoding.UTF8.GetString(paste.ToArray())));
        _paste = null;
        return end + PasteEnd.Length;
    }

    private static KeyModifiers Modifiers(int xtermParameter)
    {
        var bits = xtermParameter - 1;
        var mods = KeyModifiers.None;
        if ((bits & 1) != 0) mods |= KeyModifiers.Shift;
        if ((bits & 2) != 0) mods |= KeyModifiers.Alt;
        if ((bits & 4) != 0) mods |= KeyModifiers.Ctrl;
        return mods;
    }
}
