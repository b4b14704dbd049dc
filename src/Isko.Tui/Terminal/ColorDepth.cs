namespace Isko.Tui.Terminal;

/// <summary>How many colours the terminal shows. <see cref="None"/> is mono (NO_COLOR).</summary>
public enum ColorDepth
{
    None = 0,
    Standard16 = 16,
    EightBit = 256,
    TrueColor = 16_777_216,
}
