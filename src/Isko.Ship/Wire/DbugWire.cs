using System.Text.Json;
using Isko.Ship.Model;

namespace Isko.Ship.Wire;

/// <summary>%dbug's <c>/~debug/apps.json</c>: every agent gall knows, true when running (urbit-ship-api.md §2.3).</summary>
internal static class DbugWire
{
    public const string AppsPath = "/~debug/apps.json";

    public static IReadOnlyList<AgentRunning> ParseApps(JsonElement root)
    {
        const string where = "/~debug/apps.json";
        JsonRead.ExpectObject(root, where);
        return root.EnumerateObject().Select(p => new AgentRunning(p.Name, p.Value.ValueKind switch
        {
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            _ => throw new WireFormatException($"{where}: agent '{p.Name}' must be true or false"),
        })).ToList();
    }
}
