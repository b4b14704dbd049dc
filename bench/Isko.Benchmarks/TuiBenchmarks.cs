using Isko.Tui.Demo;

namespace Isko.Benchmarks;

/// <summary>The terminal layer's demo screen (agents table, jobs, log) on made-up data: the scenarios of <see cref="FrameBenchmarks"/>.</summary>
public class TuiBenchmarks : FrameBenchmarks
{
    protected override Scene Create()
    {
        var (app, screen) = DemoApp.Create(Profile, time: new StillClock());
        return new Scene(app, line => screen.AddLog(line), () => screen.Agents.Model.Selected);
    }
}
