using System.Runtime.CompilerServices;
using System.Text;

namespace Isko.Ship.Wire;

/// <summary>One thing read from the event stream: an event, or a heartbeat comment.</summary>
internal readonly record struct SseItem(long? Id, string? Data)
{
    public bool IsHeartbeat => Data is null;
}

/// <summary>
/// The SSE framing Eyre uses: <c>id: n</c>, <c>data: json</c>, a blank line; a comment line
/// (<c>:</c>) every 20 s as a heartbeat (urbit-ship-api.md §1.3). Follows the SSE rules for
/// several data lines (joined by \n) and the optional space after the colon.
/// </summary>
internal static class SseReader
{
    public static async IAsyncEnumerable<SseItem> ReadAsync(Stream stream, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        using var reader = new StreamReader(stream, Encoding.UTF8, detectEncodingFromByteOrderMarks: false, bufferSize: 16 * 1024, leaveOpen: true);
        long? id = null;
        StringBuilder? data = null;
        while (true)
        {
            var line = await reader.ReadLineAsync(cancellationToken).ConfigureAwait(false);
            if (line is null) yield break;
            if (line.Length == 0)
            {
                if (data is not null) yield return new SseItem(id, data.ToString());
                id = null;
                data = null;
                continue;
            }
            if (line[0] == ':')
            {
                yield return new SseItem(null, null);
                continue;
            }
            var colon = line.IndexOf(':');
            var field = colon < 0 ? line : line[..colon];
            var value = colon < 0 ? "" : line[(colon + 1)..];
            if (value.StartsWith(' ')) value = value[1..];
            switch (field)
            {
                case "id":
                    id = long.TryParse(value, out var n) ? n : throw new WireFormatException($"event stream: id '{value}' is not a number");
                    break;
                case "data":
                    if (data is null) data = new StringBuilder(value);
                    else data.Append('\n').Append(value);
                    break;
                default:
                    break; // event:, retry: and unknown fields are not used by Eyre
            }
        }
    }
}
