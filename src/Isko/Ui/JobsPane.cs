using Isko.Tui.Input;
using Isko.Tui.Rendering;
using Isko.Tui.Widgets;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace Isko.Ui;

/// <summary>The jobs pane: one row per job (newest at the bottom), Enter opens the selected job's steps.</summary>
public sealed class JobsPane : IPane
{
    public JobsPane(JobsModel model)
    {
        Model = model;
        Keys = new KeyMap("Jobs")
            .Add("j Down", "next job", () => Model.MoveBy(1), inFooter: false)
            .Add("k Up", "previous job", () => Model.MoveBy(-1), inFooter: false)
            .Add("Enter", "steps", () => { if (Model.SelectedJob is { } job) Open?.Invoke(job); });
    }

    /// <summary>What Enter does with the selected job.</summary>
    public Action<JobView>? Open { get; set; }

    public string Title => "Jobs";
    public JobsModel Model { get; }
    public KeyMap Keys { get; }
    public TextInput? Input => null;

    public void Draw(Surface surface, Rect area, RenderContext context, bool focused)
    {
        var rows = Math.Max(1, area.Height - 2);
        var jobs = Model.Jobs;
        var first = Math.Clamp(Model.Selected - rows + 1, 0, Math.Max(0, jobs.Count - rows));
        IRenderable body = jobs.Count == 0
            ? new Line("no jobs yet: B backs up every agent, b the selected one", context.Theme.Muted)
            : new Rows(jobs.Skip(first).Take(rows).Select((j, i) => (IRenderable)JobRow.Render(j.ToProgress(context.Now), context,
                focused && first + i == Model.Selected ? context.Theme.Selection : null)));
        surface.Draw(PaneFrame.Create(body, Title, area.Height, context, focused), area);
    }
}
