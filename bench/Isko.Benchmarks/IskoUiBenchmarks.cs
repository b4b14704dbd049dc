using System.Reflection;
using Isko.Engine.Catalogue;
using Isko.Tui.App;
using Isko.Tui.Themes;
using Isko.Ui;

namespace Isko.Benchmarks;

/// <summary>
/// Isko's own ship screen (60 agents as the embedded simulated ship has, jobs, log): the scenarios
/// of <see cref="FrameBenchmarks"/>. Start-up and idling of the real process are measured through a
/// pty in <see cref="IskoStartBenchmarks"/>.
/// </summary>
public class IskoUiBenchmarks : FrameBenchmarks
{
    protected override Scene Create()
    {
        var app = new TuiApp(BuiltInThemes.Dark, Glyphs.Unicode, new StillClock());
        var screen = new ShipScreen(app, "~zod", simulated: true, NoActions.Create(), unicode: true);
        screen.ShowAgents();
        var agents = Enumerable.Range(0, 60).Select(i => new AgentInfo($"desk{i / 3}", $"agent{i}", true,
            i % 2 == 0 ? WrapState.Wrapped : WrapState.NotWrapped, i < 40 ? AgentStatus.Core : i % 2 == 0 ? AgentStatus.Wrapped : AgentStatus.NotWrapped,
            null, $"~sampel-palnet/desk{i / 3}", "0v1", null)).ToList();
        screen.SetInventory(new ShipInventory("~zod", Noon, [], agents, KeepStatus.Running, CatalogueRules.DefaultKeepSource, null, [], []));
        screen.SetArchive("archive: 3 snapshots, last 20261121T115456320Z-bfc854");
        app.Header.Right = "12:00:00";
        for (var i = 0; i < 20; i++)
            screen.AddLog($"agent{i} wrap done");
        return new Scene(app, line => screen.AddLog(line), () => screen.Agents.Model.Selected);
    }

    /// <summary>Actions that do nothing, whatever the interface grows: the benchmark only draws.</summary>
    public class NoActions : DispatchProxy
    {
        public static IShipActions Create() => Create<IShipActions, NoActions>();

        protected override object? Invoke(MethodInfo? targetMethod, object?[]? args) => null;
    }
}
