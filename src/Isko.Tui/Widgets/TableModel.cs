namespace Isko.Tui.Widgets;

/// <summary>
/// The state of a table pane, with no drawing in it: the items, a filter (case-insensitive
/// substring over the filterable columns), a sort column and direction, the selected row and the
/// first visible row. The selection follows its item (by key) when items are replaced, filtered
/// or re-sorted, so a live list does not jump under the cursor.
/// </summary>
public sealed class TableModel<T>
{
    private readonly Func<T, string> _keyOf;
    private IReadOnlyList<T> _items = [];
    private List<T> _view = [];
    private int _pageSize = 10;

    public TableModel(IReadOnlyList<TableColumn<T>> columns, Func<T, string> keyOf)
    {
        if (columns.Count == 0)
            throw new ArgumentException("A table needs at least one column.", nameof(columns));
        Columns = columns;
        _keyOf = keyOf;
    }

    public IReadOnlyList<TableColumn<T>> Columns { get; }
    public IReadOnlyList<T> Items => _items;

    /// <summary>The rows shown: filtered, then sorted.</summary>
    public IReadOnlyList<T> Rows => _view;

    public string Filter { get; private set; } = string.Empty;
    public int? SortColumn { get; private set; }
    public bool Descending { get; private set; }
    public int Selected { get; private set; }
    public int ScrollTop { get; private set; }
    public T? SelectedItem => _view.Count > 0 ? _view[Selected] : default;

    public void SetItems(IReadOnlyList<T> items)
    {
        var key = SelectedKey();
        _items = items;
        Rebuild(key);
    }

    public void SetFilter(string filter)
    {
        var key = SelectedKey();
        Filter = filter;
        Rebuild(key);
    }

    /// <summary>
    /// Sorts by the next column (<paramref name="step"/> 1: none → 0 → 1 … → none) or the previous
    /// one (-1: none → last … → 0 → none), ascending.
    /// </summary>
    public void CycleSort(int step = 1)
    {
        var key = SelectedKey();
        // "No sort" is position -1 of a ring of Columns.Count + 1 positions.
        var ring = Columns.Count + 1;
        var next = ((SortColumn ?? -1) + 1 + Math.Sign(step) + ring) % ring - 1;
        SortColumn = next < 0 ? null : next;
        Descending = false;
        Rebuild(key);
    }

    public void SortBy(int column, bool descending)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(column, Columns.Count);
        var key = SelectedKey();
        SortColumn = column;
        Descending = descending;
        Rebuild(key);
    }

    public void ReverseSort()
    {
        if (SortColumn is null)
            return;
        var key = SelectedKey();
        Descending = !Descending;
        Rebuild(key);
    }

    public void MoveBy(int delta) => Select(Selected + delta);
    public void MoveToStart() => Select(0);
    public void MoveToEnd() => Select(_view.Count - 1);
    public void PageDown() => MoveBy(_pageSize);
    public void PageUp() => MoveBy(-_pageSize);

    public void Select(int index)
    {
        Selected = _view.Count == 0 ? 0 : Math.Clamp(index, 0, _view.Count - 1);
        KeepVisible();
    }

    /// <summary>
    /// Sets how many rows are visible (called when drawing) and moves the window so the
    /// selected row is inside it.
    /// </summary>
    public void SetViewport(int rows)
    {
        _pageSize = Math.Max(1, rows);
        KeepVisible();
    }

    private void KeepVisible()
    {
        if (Selected < ScrollTop)
            ScrollTop = Selected;
        else if (Selected >= ScrollTop + _pageSize)
            ScrollTop = Selected - _pageSize + 1;
        ScrollTop = Math.Clamp(ScrollTop, 0, Math.Max(0, _view.Count - _pageSize));
    }

    private string? SelectedKey() => _view.Count > 0 ? _keyOf(_view[Selected]) : null;

    private void Rebuild(string? keepKey)
    {
        IEnumerable<T> rows = _items;
        if (Filter.Length > 0)
            rows = rows.Where(Matches);
        var list = rows.ToList();
        if (SortColumn is { } c)
        {
            var column = Columns[c];
            // A stable sort, so equal rows keep their given order.
            var indexed = list.Select((row, i) => (row, i)).ToList();
            indexed.Sort((a, b) =>
            {
                var r = column.CompareRows(a.row, b.row);
                if (Descending) r = -r;
                return r != 0 ? r : a.i.CompareTo(b.i);
            });
            list = indexed.Select(x => x.row).ToList();
        }
        _view = list;
        var found = keepKey is null ? -1 : _view.FindIndex(r => _keyOf(r) == keepKey);
        Select(found >= 0 ? found : Selected);
    }

    private bool Matches(T row)
    {
        foreach (var column in Columns)
            if (column.Filterable && column.Text(row).Contains(Filter, StringComparison.OrdinalIgnoreCase))
                return true;
        return false;
    }
}
