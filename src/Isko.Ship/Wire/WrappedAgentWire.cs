using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Isko.Ship.Model;

namespace Isko.Ship.Wire;

/// <summary>
/// What Keep's wrapper adds to an agent: the <c>keep</c> poke (<c>mend</c>), the
/// <c>/keep/website</c> subscription, and the upload page (keep-protocol.md).
/// </summary>
internal static class WrappedAgentWire
{
    public const string Mark = "keep";
    public const string WebsitePath = "/keep/website";
    public const string UploadPartName = "file";

    public static JsonNode Mend(ShipName provider) => new JsonObject { ["mend"] = provider.WithSig };

    public static string UploadPath(string agent) => $"/apps/keep/{agent}/upload";

    public static WrappedAgentEvent ParseEvent(JsonElement fact)
    {
        const string where = "wrapped agent /keep/website fact";
        var typeName = JsonRead.String(fact, "type", where);
        var diff = JsonRead.Required(fact, "diff", where);
        var state = JsonRead.Object(fact, "state", where);
        var pending = JsonRead.Array(state, "pending", where + " state").EnumerateArray()
            .Select(p => new KeepPending(JsonRead.Ship(p, "ship", where + " pending"), JsonRead.String(p, "status", where + " pending")))
            .ToList();
        var type = typeName switch
        {
            "initial" => WrappedAgentEventType.Initial,
            "saved" => WrappedAgentEventType.Saved,
            "pending" => WrappedAgentEventType.Pending,
            "restored" => WrappedAgentEventType.Restored,
            "fail-restore" => WrappedAgentEventType.FailRestore,
            _ => WrappedAgentEventType.Other,
        };
        ShipName? ship = null;
        DateTimeOffset? time = null;
        if (type is WrappedAgentEventType.Saved or WrappedAgentEventType.Restored or WrappedAgentEventType.FailRestore)
        {
            var at = $"{where} ({typeName}) diff";
            ship = JsonRead.NullableShip(diff, "ship", at);
            time = KeepWire.Seconds(diff, "time", at);
        }
        return new WrappedAgentEvent(type, typeName, ship, time, pending);
    }

    /// <summary>The upload page answers in HTML; the message inside tells the cases apart.</summary>
    public static UploadRejectedException? UploadFailure(string agent, HttpStatusCode status, string body)
    {
        if (status == HttpStatusCode.OK && body.Contains("Upload completed successfully", StringComparison.Ordinal)) return null;
        var (reason, message) =
            body.Contains("Missing data in POST", StringComparison.Ordinal) ? (UploadRejection.MissingData, "Missing data in POST") :
            body.Contains("Bad amount of jam", StringComparison.Ordinal) ? (UploadRejection.WrongPartCount, "Bad amount of jam: need exactly one file part") :
            body.Contains("Corrupted backup file", StringComparison.Ordinal) ? (UploadRejection.CorruptedBackup, "Corrupted backup file: it does not load into this agent") :
            (UploadRejection.Other, status == HttpStatusCode.OK ? "the page did not say the upload completed" : $"unexpected answer {(int)status}");
        return new UploadRejectedException(agent, status, reason, message);
    }
}
