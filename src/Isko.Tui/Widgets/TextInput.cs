using System.Globalization;
using Isko.Tui.Input;
using Isko.Tui.Rendering;

namespace Isko.Tui.Widgets;

/// <summary>
/// A one-line text input (the '/' filter, the ':' command line): typed characters and pastes go
/// in at the cursor; Enter submits, Esc cancels, Up/Down walk the history when one is given.
/// <see cref="Changed"/> fires on every edit, so a filter applies as you type.
/// </summary>
public sealed class TextInput
{
    private readonly List<string> _graphemes = [];
    private readonly IList<string>? _history;
    private int _historyIndex;

    public TextInput(string prompt, string initial = "", IList<string>? history = null)
    {
        Prompt = prompt;
        _history = history;
        _historyIndex = history?.Count ?? 0;
        Set(initial);
        Keys = new KeyMap("Text input")
            .Add("Enter", "apply", () => Submitted?.Invoke(Value))
            .Add("Esc", "cancel", () => Cancelled?.Invoke())
            .Add("Backspace", "delete back", Backspace, inFooter: false)
            .Add("Del", "delete", Delete, inFooter: false)
            .Add("Left", "cursor left", () => Cursor = Math.Max(0, Cursor - 1), inFooter: false)
            .Add("Right", "cursor right", () => Cursor = Math.Min(_graphemes.Count, Cursor + 1), inFooter: false)
            .Add("Home Ctrl-A", "start of line", () => Cursor = 0, inFooter: false)
            .Add("End Ctrl-E", "end of line", () => Cursor = _graphemes.Count, inFooter: false)
            .Add("Ctrl-U", "clear", () => SetAndNotify(string.Empty), inFooter: false);
        if (history is not null)
        {
            Keys.Add("Up", "older", () => Walk(-1), inFooter: false)
                .Add("Down", "newer", () => Walk(+1), inFooter: false);
        }
    }

    public string Prompt { get; }
    public KeyMap Keys { get; }
    public string Value => string.Concat(_graphemes);
    public int Cursor { get; private set; }

    public event Action<string>? Changed;
    public event Action<string>? Submitted;
    public event Action? Cancelled;

    /// <summary>Handles a key: a binding, or typed text. Returns false for keys it does not use.</summary>
    public bool Handle(Key key)
    {
        if (Keys.Find(key) is { } binding)
        {
            binding.Action();
            return true;
        }
        if (key.Code == KeyCode.Paste && key.Text is { } pasted)
        {
            // A pasted newline must not submit: the input is one line.
            Insert(pasted.ReplaceLineEndings(" "));
            return true;
        }
        if (key.IsText)
        {
            Insert(key.Rune.ToString());
            return true;
        }
        return false;
    }

    public void Insert(string text)
    {
        var e = StringInfo.GetTextElementEnumerator(text);
        while (e.MoveNext())
            _graphemes.Insert(Cursor++, (string)e.Current);
        Changed?.Invoke(Value);
    }

    public Line Render(RenderContext context, string? hint = null)
    {
        var before = string.Concat(_graphemes.Take(Cursor));
        var after = string.Concat(_graphemes.Skip(Cursor));
        var spans = new List<Span>
        {
            new(Prompt, context.Theme.FooterKey),
            new(before, context.Theme.Input),
            new(context.Glyphs.Cursor, context.Theme.FooterKey),
            new(after, context.Theme.Input),
        };
        if (hint is not null)
            spans.Add(new Span("  " + hint, context.Theme.Muted));
        return new Line(spans);
    }

    private void Backspace()
    {
        if (Cursor == 0)
            return;
        _graphemes.RemoveAt(--Cursor);
        Changed?.Invoke(Value);
    }

    private void Delete()
    {
        if (Cursor >= _graphemes.Count)
            return;
        _graphemes.RemoveAt(Cursor);
        Changed?.Invoke(Value);
    }

    private void Walk(int direction)
    {
        if (_history is null || _history.Count == 0)
            return;
        _historyIndex = Math.Clamp(_historyIndex + direction, 0, _history.Count);
        SetAndNotify(_historyIndex < _history.Count ? _history[_historyIndex] : string.Empty);
    }

    private void SetAndNotify(string value)
    {
        Set(value);
        Changed?.Invoke(Value);
    }

    private void Set(string value)
    {
        _graphemes.Clear();
        var e = StringInfo.GetTextElementEnumerator(value);
        while (e.MoveNext())
            _graphemes.Add((string)e.Current);
        Cursor = _graphemes.Count;
    }
}
