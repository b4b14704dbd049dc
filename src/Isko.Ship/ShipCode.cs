namespace Isko.Ship;

/// <summary>
/// The ship's <c>+code</c>: a secret. It is read only when a login needs it (so a rotated code file
/// is picked up on the next re-login) and never rendered: <see cref="ToString"/> hides it, and no
/// error or log message built in this library contains it.
/// </summary>
public sealed class ShipCode
{
    private readonly Func<CancellationToken, ValueTask<string>> _read;

    private ShipCode(Func<CancellationToken, ValueTask<string>> read, string origin)
    {
        _read = read;
        Origin = origin;
    }

    /// <summary>Where the code comes from, safe to show ("value" or the file path).</summary>
    public string Origin { get; }

    /// <summary>A code given as a value, with or without the leading <c>~</c>.</summary>
    public static ShipCode FromValue(string code)
    {
        ArgumentNullException.ThrowIfNull(code);
        var normalized = Normalize(code, "the configured value");
        return new ShipCode(_ => ValueTask.FromResult(normalized), "value");
    }

    /// <summary>A code kept in a file (first non-empty line), read again at every login.</summary>
    public static ShipCode FromFile(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        return new ShipCode(async ct =>
        {
            string text;
            try
            {
                text = await File.ReadAllTextAsync(path, ct).ConfigureAwait(false);
            }
            catch (IOException e)
            {
                throw new ShipLoginException($"cannot read the +code file '{path}': {e.Message}", e, LoginFailure.CodeUnreadable);
            }
            catch (UnauthorizedAccessException e)
            {
                throw new ShipLoginException($"cannot read the +code file '{path}': {e.Message}", e, LoginFailure.CodeUnreadable);
            }
            var line = text.Split('\n').Select(l => l.Trim()).FirstOrDefault(l => l.Length > 0) ?? "";
            return Normalize(line, $"the file '{path}'");
        }, path);
    }

    /// <summary>
    /// A code asked of the ship's runtime over <c>&lt;pier&gt;/.urb/conn.sock</c> at every login (so a
    /// breached ship's new code is picked up when the old one is refused); held in memory only.
    /// </summary>
    /// <param name="seen">Told each code read, so the caller's redactor can hide it.</param>
    public static ShipCode FromConnSock(string pier, TimeSpan timeout, Action<string>? seen = null)
    {
        var client = new Vere.ConnSockClient(pier, timeout);
        return new ShipCode(async ct =>
        {
            string code;
            try
            {
                code = await client.GetCodeAsync(ct).ConfigureAwait(false);
            }
            catch (Exception e) when (e is VereUnreachableException or WireFormatException)
            {
                throw new ShipLoginException($"cannot ask the runtime for the +code: {e.Message}", e, LoginFailure.CodeUnreadable);
            }
            var normalized = Normalize(code, $"the runtime socket {client.SocketPath}");
            seen?.Invoke(normalized);
            return normalized;
        }, client.SocketPath);
    }

    internal ValueTask<string> ReadAsync(CancellationToken cancellationToken) => _read(cancellationToken);

    /// <summary>Eyre wants the code without its leading <c>~</c> (urbit-ship-api.md §1.1).</summary>
    private static string Normalize(string code, string where)
    {
        var c = code.Trim();
        if (c.StartsWith('~')) c = c[1..];
        // Never echo the code itself: say only what is wrong with it.
        if (c.Length == 0) throw new ShipLoginException($"the +code from {where} is empty", reason: LoginFailure.CodeUnreadable);
        foreach (var ch in c)
            if (!(ch is >= 'a' and <= 'z' || ch == '-'))
                throw new ShipLoginException($"the +code from {where} has a character other than a-z and '-'", reason: LoginFailure.CodeUnreadable);
        return c;
    }

    public override string ToString() => $"+code ({Origin}, hidden)";
}
