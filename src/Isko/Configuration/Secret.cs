namespace Isko.Configuration;

/// <summary>
/// A secret (+code, passphrase, later S3 keys). Its text is reachable only through <see cref="Reveal"/>,
/// so formatting, logging or serialising an options record can never print it by accident.
/// </summary>
public sealed class Secret : IEquatable<Secret>
{
    public const string Mask = "********";

    private readonly string _value;

    public Secret(string value, string source)
    {
        ArgumentException.ThrowIfNullOrEmpty(value);
        _value = value;
        Source = source;
    }

    /// <summary>Where the secret was read from, e.g. "file /etc/isko/zod.code" (never the secret itself).</summary>
    public string Source { get; }

    /// <summary>The secret's text: only for the one place that sends it (a login, a key derivation).</summary>
    public string Reveal() => _value;

    public override string ToString() => Mask;

    public bool Equals(Secret? other) => other is not null && _value == other._value;

    public override bool Equals(object? obj) => obj is Secret other && Equals(other);

    public override int GetHashCode() => _value.GetHashCode(StringComparison.Ordinal);
}
