namespace Isko.Nouns;

/// <summary>A byte string that is not a valid jam. <see cref="BitOffset"/> is where the fault is.</summary>
public sealed class CueException : Exception
{
    public CueException(long bitOffset, string message)
        : base($"cue failed at bit {bitOffset}: {message}")
    {
        BitOffset = bitOffset;
    }

    /// <summary>The bit offset (LSB-first from the start of the input) of the noun that failed to decode.</summary>
    public long BitOffset { get; }
}
