using Isko.Sim.Gall;
using Isko.Sim.Wire;

namespace Isko.Sim.Keep;

// PLACEHOLDER bytes until Isko.Nouns lands: then jam([wex sup state]) and a real cue check.
internal static class BackupCodec
{
    public static string Da(DateTimeOffset time) => TempAuras.RenderDa(TempAuras.DaFromUnixMilliseconds(time.ToUnixTimeMilliseconds()));

    public static byte[] Encode(Agent agent) => [1, 2, 3];

    public static bool TryDecode(byte[] bytes, out object? state)
    {
        state = null;
        return bytes.Length == 3;
    }
}
