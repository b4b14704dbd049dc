using Isko.Tui.Input;
using Isko.Tui.Rendering;

namespace Isko.Tui.Widgets;

/// <summary>
/// A filterable list over the screen to pick one item from (the ship picker), as fuzzy finders do:
/// typing filters at once, Up/Down (or Ctrl-P/Ctrl-N) move, Enter picks the selected item, Esc
/// closes. The list is a <see cref="TablePane{T}"/> with its columns; the filter line sits under it.
/// </summary>
public sealed class PickerOverlay<T> : IOverlay
{
    private readonly TablePane<T> _list;

    public PickerOverlay(string title, TableModel<T> model, Action<T> pick, Action close)
    {
        _list = new TablePane<T>(title, model);
        Input = new TextInput("filter: ");
        Input.Changed += model.SetFilter;
        Input.Submitted += _ =>
        {
            if (model.SelectedItem is not { } item)
                return;
            close();
            pick(item);
        };
        Input.Cancelled += close;
        Input.Keys
            .Add("Up Ctrl-P", "previous", () => model.MoveBy(-1), inFooter: false)
            .Add("Down Ctrl-N", "next", () => model.MoveBy(1), inFooter: false);
    }

    public TableModel<T> Model => _list.Model;
    public KeyMap Keys => Input.Keys;
    public TextInput Input { get; }
    TextInput? IOverlay.Input => Input;

    public void Draw(Surface surface, Rect screen, RenderContext context)
    {
        // Borders, the column header, at least one row, and the filter line.
        var box = screen.Centre(Math.Min(screen.Width - 4, 90), Math.Min(screen.Height - 2, Model.Items.Count + 4));
        var list = box with { Height = box.Height - 1 };
        surface.Buffer.Fill(box, context.Theme.Dialog);
        _list.Draw(surface, list, context, focused: true);
        var hint = $"{context.Glyphs.Bullet} Enter pick {context.Glyphs.Bullet} Esc close";
        surface.Draw(new Line(Input.Render(context, hint).Spans) { Fill = context.Theme.Dialog }, box with { Y = list.Bottom, Height = 1 });
    }
}
