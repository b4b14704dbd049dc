using Isko.Ship.Model;

namespace Isko.Engine.Schedule;

/// <summary>
/// The hark notification a scheduled run leaves on the ship when something went wrong
/// (urbit-ship-api.md §4, <c>new-yarn</c>): nobody watches a timer, so the ship is where the user
/// hears of it. One thread per ship, under %landscape as restore's notices are.
/// </summary>
public static class ScheduleNotices
{
    private static HarkRope Rope => new("landscape", "/isko/schedule");
    private const string Where = "/apps/landscape/";

    /// <summary>The backup failed outright, or some agents failed, or retention failed.</summary>
    public static HarkYarn Failure(string ship, IReadOnlyList<string> failedAgents, IReadOnlyList<string> problems)
    {
        var content = new List<HarkContent> { new HarkText($"Isko's scheduled backup of {ship} had problems") };
        if (failedAgents.Count > 0)
        {
            content.Add(new HarkText($": {failedAgents.Count} agent(s) not backed up ("));
            content.Add(new HarkEmphasis(string.Join(", ", failedAgents.Select(a => "%" + a))));
            content.Add(new HarkText(")"));
        }
        if (problems.Count > 0)
            content.Add(new HarkText((failedAgents.Count > 0 ? "; " : ": ") + string.Join("; ", problems)));
        content.Add(new HarkText(". Run 'isko schedule status' on the box for details."));
        return new HarkYarn(Rope, content, Where);
    }
}
