namespace Isko.Tui.Demo;

/// <summary>A made-up agent row: the demo's data, so the widgets have something to show.</summary>
public sealed record DemoAgent(string Desk, string Agent, string State, int SizeKb, string Source)
{
    public static IReadOnlyList<DemoAgent> Sample()
    {
        string[] desks = ["base", "groups", "landscape", "garden", "pals", "rumors", "hits", "docs"];
        string[] states = ["wrapped", "not wrapped", "core", "ignored", "not running"];
        var agents = new List<DemoAgent>();
        for (var i = 0; i < 48; i++)
        {
            var desk = desks[i % desks.Length];
            agents.Add(new DemoAgent(desk, $"%{desk}-agent-{i:00}", states[i * 7 % states.Length], 10 + i * 37 % 900, i % 3 == 0 ? "~zod" : "~bus"));
        }
        // Names from outside are shown verbatim: wide characters and markup-like text included.
        agents.Add(new DemoAgent("chat", "%chat-日本", "wrapped", 42, "~zod"));
        agents.Add(new DemoAgent("chat", "[bold]not-markup[/]", "ignored", 7, "~bus"));
        return agents;
    }
}
