namespace Isko.Ship;

public enum ShipLogLevel { Debug, Information, Warning, Error }

/// <summary>
/// The one logging hook of the ship client, small on purpose so the executable can route it to
/// Serilog without this layer depending on it. Messages never contain the +code or the cookie.
/// </summary>
public interface IShipLog
{
    void Write(ShipLogLevel level, string message);
}

/// <summary>Drops everything.</summary>
public sealed class NullShipLog : IShipLog
{
    public static readonly NullShipLog Instance = new();
    public void Write(ShipLogLevel level, string message) { }
}
