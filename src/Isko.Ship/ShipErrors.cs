using System.Net;

namespace Isko.Ship;

/// <summary>Anything that went wrong talking to a ship. Messages never contain the +code or cookie.</summary>
public class ShipException : Exception
{
    public ShipException(string message, Exception? inner = null) : base(message, inner) { }
}

/// <summary>Why a login failed, so a caller can say it in plain words without reading the message.</summary>
public enum LoginFailure
{
    /// <summary>An answer this client did not expect (another status, no cookie).</summary>
    Unexpected,
    /// <summary>No answer at the URL: connection refused, unknown host, broken connection.</summary>
    Unreachable,
    /// <summary>Eyre refused the +code (400).</summary>
    CodeRefused,
    /// <summary>The +code could not be read (file missing, unreadable, empty or malformed).</summary>
    CodeUnreadable,
    /// <summary>The ship at the URL is another ship than the one configured.</summary>
    WrongShip,
}

/// <summary>The login failed: wrong +code (Eyre answers 400), unreadable code file, or no cookie; <see cref="Reason"/> says which.</summary>
public sealed class ShipLoginException(string message, Exception? inner = null, LoginFailure reason = LoginFailure.Unexpected)
    : ShipException(message, inner)
{
    public LoginFailure Reason { get; } = reason;
}

/// <summary>The request did not get an answer: connection refused or broken.</summary>
public sealed class ShipUnreachableException(string message, Exception inner) : ShipException(message, inner);

/// <summary>An HTTP answer this client did not expect.</summary>
public class ShipHttpException(string message, HttpStatusCode status, Exception? inner = null) : ShipException(message, inner)
{
    public HttpStatusCode Status { get; } = status;
}

/// <summary>A scry failed; see the subclasses for the cases urbit-ship-api.md §1.4 tells apart.</summary>
public abstract class ScryException(string message, string app, string path, HttpStatusCode status)
    : ShipHttpException(message, status)
{
    public string App { get; } = app;
    public string Path { get; } = path;
}

/// <summary>403: not authenticated even after a fresh login.</summary>
public sealed class ScryForbiddenException(string app, string path)
    : ScryException($"scry %{app} {path}: forbidden (403) even after logging in again", app, path, HttpStatusCode.Forbidden);

/// <summary>404 "no scry result": no such agent, agent not running, on-peek crashed, or it answered [~ ~].</summary>
public sealed class ScryNotFoundException(string app, string path)
    : ScryException($"scry %{app} {path}: no result (404): the agent is missing or not running, or has no such path", app, path, HttpStatusCode.NotFound);

/// <summary>500 "failed scry": the agent answered ~, or no mark conversion to the requested mark.</summary>
public sealed class ScryFailedException(string app, string path, string detail)
    : ScryException($"scry %{app} {path}: failed (500){(detail.Length > 0 ? ": " + detail : "")}", app, path, HttpStatusCode.InternalServerError);

/// <summary>A thread failed (500 with term and tang), or spider mapped its term to 400/403/404/504.</summary>
public sealed class ThreadFailedException(string message, HttpStatusCode status, string? term, IReadOnlyList<string> tang)
    : ShipHttpException(message, status)
{
    public string? Term { get; } = term;
    public IReadOnlyList<string> Tang { get; } = tang;
}

/// <summary>The agent nacked a poke; <see cref="Error"/> is gall's traceback text.</summary>
public sealed class PokeNackException(string app, string mark, string error)
    : ShipException($"%{app} refused the {mark} poke: {FirstLine(error)}")
{
    public string App { get; } = app;
    public string Mark { get; } = mark;
    public string Error { get; } = error;
    internal static string FirstLine(string s) => s.Split('\n', 2)[0];
}

/// <summary>The agent refused a subscription (a nack is final).</summary>
public sealed class WatchNackException(string app, string path, string error)
    : ShipException($"%{app} refused the subscription to {path}: {PokeNackException.FirstLine(error)}")
{
    public string App { get; } = app;
    public string Path { get; } = path;
    public string Error { get; } = error;
}

/// <summary>No ack in time. Gall queues pokes and watches to agents that are not running, so this
/// usually means the agent is suspended, not installed yet, or does not exist.</summary>
public sealed class ShipTimeoutException(string message) : ShipException(message);

/// <summary>A subscription ended for good: kicked twice, its re-subscribe refused, or the channel gave up.</summary>
public sealed class SubscriptionEndedException(string app, string path, string reason, Exception? inner = null)
    : ShipException($"subscription %{app} {path} ended: {reason}", inner)
{
    public string App { get; } = app;
    public string Path { get; } = path;
}

/// <summary>The channel was reaped (404) while a poke was in flight: whether it was applied is unknown.</summary>
public sealed class ChannelResetException(string message) : ShipException(message);

/// <summary>A fact, scry result or answer did not have the shape the documents describe. Names the field.</summary>
public sealed class WireFormatException(string message) : ShipException(message);

/// <summary>An upload to a wrapped agent was refused; <see cref="Reason"/> says which of Keep's answers it was.</summary>
public sealed class UploadRejectedException(string agent, HttpStatusCode status, UploadRejection reason, string message)
    : ShipHttpException($"upload to %{agent} refused ({(int)status}): {message}", status)
{
    public string Agent { get; } = agent;
    public UploadRejection Reason { get; } = reason;
}

public enum UploadRejection { MissingData, WrongPartCount, CorruptedBackup, Other }

/// <summary>The runtime's <c>conn.sock</c> could not be reached or did not answer in time.</summary>
public sealed class VereUnreachableException(string message, Exception? inner = null) : ShipException(message, inner);
