namespace Isko.Sim.Wire;

// PLACEHOLDER until Isko.Nouns lands.
internal static class NounCodec
{
    public static byte[] Jam(object noun) => throw new NotSupportedException("nouns are not wired in yet");
}

internal static class KilnNouns
{
    public static object Sources(IEnumerable<SimDesk> desks) => desks.ToList();
    public static object Our(string ship) => ship;
}
