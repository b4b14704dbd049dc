using System.Text.Json;
using System.Text.Json.Nodes;

namespace Isko.Ship.Ports;

/// <summary>
/// The authenticated HTTP side of one ship: login (and re-login when the session expires), scry,
/// threads, plain JSON pages and streaming uploads. Everything but the channel.
/// </summary>
public interface IShipSession
{
    /// <summary>The ship, as named by the session cookie; known after the first login.</summary>
    ShipName? Ship { get; }

    /// <summary>Logs in now (otherwise the first request does).</summary>
    Task<ShipName> LoginAsync(CancellationToken cancellationToken);

    /// <summary><c>GET /~/scry/&lt;app&gt;&lt;path&gt;.json</c>. Throws <see cref="ScryForbiddenException"/>,
    /// <see cref="ScryNotFoundException"/> or <see cref="ScryFailedException"/>.</summary>
    Task<JsonElement> ScryJsonAsync(string app, string path, CancellationToken cancellationToken);

    /// <summary><c>GET /~/scry/&lt;app&gt;&lt;path&gt;.noun</c>: the raw jam bytes of the result (cue them).</summary>
    Task<byte[]> ScryJamAsync(string app, string path, CancellationToken cancellationToken);

    /// <summary><c>GET /~/scry/&lt;app&gt;&lt;path&gt;.noun</c>, cued. Bytes that do not cue throw
    /// <see cref="WireFormatException"/> naming the bit offset.</summary>
    Task<Isko.Nouns.Noun> ScryNounAsync(string app, string path, CancellationToken cancellationToken);

    /// <summary>An authenticated GET of a JSON page such as <c>/~debug/apps.json</c>.</summary>
    Task<JsonElement> GetJsonAsync(string path, CancellationToken cancellationToken);

    /// <summary>Runs a spider thread in JSON mode; <paramref name="input"/> null sends JSON <c>null</c>.
    /// Throws <see cref="ThreadFailedException"/>.</summary>
    Task<JsonElement> RunThreadAsync(string desk, string inputMark, string thread, string outputMark, JsonNode? input, CancellationToken cancellationToken);

    /// <summary>The runtime's log lines from <c>GET /~_~/slog</c> (SSE), until cancelled or the stream ends.</summary>
    IAsyncEnumerable<string> ReadSlogAsync(CancellationToken cancellationToken);

    /// <summary>POSTs one multipart file part to <paramref name="path"/>, streaming it from its source.
    /// Returns the status and the (small) answer body; the caller interprets them.</summary>
    Task<UploadAnswer> UploadAsync(string path, string partName, UploadSource source, CancellationToken cancellationToken);
}

/// <summary>What the ship answered to an upload.</summary>
public sealed record UploadAnswer(System.Net.HttpStatusCode Status, string Body);
