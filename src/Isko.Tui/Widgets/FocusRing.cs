namespace Isko.Tui.Widgets;

/// <summary>The panes of a screen in Tab order; Tab moves forward, Shift-Tab back, wrapping.</summary>
public sealed class FocusRing(IReadOnlyList<IPane> panes)
{
    public IReadOnlyList<IPane> Panes { get; } = panes;
    public int Index { get; private set; }
    public IPane? Focused => Panes.Count > 0 ? Panes[Index] : null;

    public void Next() => Move(1);
    public void Previous() => Move(-1);

    public void Focus(IPane pane)
    {
        var i = Panes.ToList().IndexOf(pane);
        if (i < 0)
            throw new ArgumentException($"Pane '{pane.Title}' is not in this ring.", nameof(pane));
        Index = i;
    }

    public bool IsFocused(IPane pane) => ReferenceEquals(Focused, pane);

    private void Move(int step)
    {
        if (Panes.Count == 0)
            return;
        Index = ((Index + step) % Panes.Count + Panes.Count) % Panes.Count;
    }
}
