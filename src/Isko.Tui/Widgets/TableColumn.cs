using Isko.Tui.Themes;
using Spectre.Console;

namespace Isko.Tui.Widgets;

/// <summary>
/// One column of a <see cref="TableModel{T}"/>: a header, the cell text for a row, and
/// optionally how rows sort by it (text order when not given) and a style per cell.
/// <see cref="Filterable"/> columns are searched by the '/' filter.
/// </summary>
public sealed record TableColumn<T>(string Header, Func<T, string> Text)
{
    public Comparison<T>? Compare { get; init; }
    public Func<T, Theme, Style?>? StyleOf { get; init; }
    public Justify Align { get; init; } = Justify.Left;
    public bool Filterable { get; init; } = true;

    /// <summary>The widest this column gets; wider text is cut with an ellipsis.</summary>
    public int MaxWidth { get; init; } = 40;

    internal int CompareRows(T a, T b) =>
        Compare?.Invoke(a, b) ?? string.Compare(Text(a), Text(b), StringComparison.OrdinalIgnoreCase);
}
