using Isko.Tui.Rendering;
using Spectre.Console;

namespace Isko.Tui.Widgets;

/// <summary>
/// One job on one line: name, phase, a progress bar, done/total, elapsed time, and an ETA only
/// when the total is known; at the end, the outcome and result instead of the ETA.
/// </summary>
public static class JobRow
{
    public const int BarWidth = 20;

    public static Line Render(JobProgress job, RenderContext context, Style? fill = null)
    {
        var theme = context.Theme;
        var text = fill ?? theme.Text;
        var muted = fill ?? theme.Muted;
        var spans = new List<Span>
        {
            new(job.Name, fill ?? theme.Title),
            new("  " + job.Phase + "  ", text),
        };
        spans.AddRange(ProgressBar.Spans(job.Fraction, BarWidth, context, fill));
        spans.Add(new Span(job.Total is { } total ? $"  {job.Done}/{total}" : $"  {job.Done} done", text));
        spans.Add(new Span($"  {JobProgress.FormatDuration(job.Elapsed)}", muted));
        if (job.Eta is { } eta)
            spans.Add(new Span($"  ETA {JobProgress.FormatDuration(eta)}", muted));
        if (job.Outcome != JobOutcome.Running)
        {
            var (word, style) = job.Outcome switch
            {
                JobOutcome.Succeeded => (context.Glyphs.Check + " done", theme.Ok),
                JobOutcome.SucceededWithWarnings => (context.Glyphs.Check + " done with warnings", theme.Warning),
                JobOutcome.Failed => (context.Glyphs.Cross + " failed", theme.Error),
                _ => ("cancelled", theme.Warning),
            };
            spans.Add(new Span("  " + word, fill ?? style));
            if (job.Result is { Length: > 0 } result)
                spans.Add(new Span(": " + result, text));
        }
        return new Line(spans) { Fill = fill };
    }
}
