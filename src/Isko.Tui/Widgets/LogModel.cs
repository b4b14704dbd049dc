namespace Isko.Tui.Widgets;

/// <summary>
/// The state of a log pane: a bounded ring of lines (the oldest drop off), following the end by
/// default. Scrolling up pauses following; 'f', G or End resume it. '/' search highlights
/// matches and n/N jump between them; 't' shows timestamps. Lines are numbered from the first
/// ever added, so the view stays put while old lines drop off the other end.
/// </summary>
public sealed class LogModel
{
    private readonly LogLine[] _ring;
    private long _first; // number of the oldest line kept
    private long _count; // lines ever added
    private int _pageSize = 10;

    public LogModel(int capacity = 5000)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        _ring = new LogLine[capacity];
    }

    public int Capacity => _ring.Length;
    public int Count => (int)(_count - _first);
    public bool Following { get; private set; } = true;
    public bool ShowTimestamps { get; private set; }
    public string Search { get; private set; } = string.Empty;

    /// <summary>Number of the first visible line (while paused; following shows the end).</summary>
    public long Top { get; private set; }

    public int PageSize => _pageSize;

    public LogLine this[long number] => _ring[number % _ring.Length];

    public long FirstNumber => _first;
    public long EndNumber => _count;

    public void Append(LogLine line)
    {
        _ring[_count % _ring.Length] = line;
        _count++;
        if (_count - _first > _ring.Length)
            _first = _count - _ring.Length;
        if (Top < _first)
            Top = _first;
    }

    /// <summary>The numbers of the lines in view, oldest first.</summary>
    public IEnumerable<long> Visible()
    {
        var top = Following ? Math.Max(_first, _count - _pageSize) : Top;
        for (var n = top; n < Math.Min(_count, top + _pageSize); n++)
            yield return n;
    }

    public void SetViewport(int rows)
    {
        _pageSize = Math.Max(1, rows);
        ClampTop();
    }

    public void ToggleFollow()
    {
        if (Following)
            Pause();
        else
            Following = true;
    }

    public void ToggleTimestamps() => ShowTimestamps = !ShowTimestamps;

    public void ScrollBy(int lines)
    {
        if (Following)
            Pause();
        Top += lines;
        ClampTop();
        // Scrolling down onto the last page resumes following, as in a pager.
        if (lines > 0 && Top >= _count - _pageSize)
            Following = true;
    }

    public void ScrollToStart()
    {
        Pause();
        Top = _first;
    }

    public void ScrollToEnd() => Following = true;

    public void SetSearch(string term)
    {
        Search = term;
        CurrentMatch = null;
    }

    public bool IsMatch(long number) => Search.Length > 0 && this[number].Text.Contains(Search, StringComparison.OrdinalIgnoreCase);

    /// <summary>Moves the view to the next (or previous) line that matches, pausing follow.
    /// Returns false when there is none.</summary>
    public bool NextMatch(bool backwards = false)
    {
        if (Search.Length == 0 || Count == 0)
            return false;
        var step = backwards ? -1 : 1;
        var visibleTop = Following ? Math.Max(_first, _count - _pageSize) : Top;
        // Start after the last match jumped to, else from the edge of the view in that direction.
        var start = CurrentMatch is { } current && current >= _first
            ? current
            : backwards ? Math.Min(visibleTop + _pageSize, _count) : visibleTop - 1;
        for (var n = start + step; n >= _first && n < _count; n += step)
        {
            if (!IsMatch(n))
                continue;
            Pause();
            Top = n;
            ClampTop();
            CurrentMatch = n;
            return true;
        }
        return false;
    }

    /// <summary>The line last jumped to with n/N, shown more strongly.</summary>
    public long? CurrentMatch { get; private set; }

    private void Pause()
    {
        if (!Following)
            return;
        Following = false;
        Top = Math.Max(_first, _count - _pageSize);
    }

    private void ClampTop() => Top = Math.Clamp(Top, _first, Math.Max(_first, _count - _pageSize));
}
