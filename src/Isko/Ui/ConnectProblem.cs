using System.Net.Http;
using Isko.Ship;

namespace Isko.Ui;

/// <summary>
/// Why a ship could not be reached or logged in to, in plain words for the screen: the ship, its
/// URL, what went wrong, and what to do. It is built from the exception's type and reason, never
/// from the +code or the cookie (neither is in any message of the ship layer, and the text is
/// redacted of the configured +codes besides).
/// </summary>
/// <param name="State">The header's connection state: "cannot reach", "login refused", …</param>
public sealed record ConnectProblem(string Ship, string Url, string State, string Reason, string Advice)
{
    /// <summary>The retry key, named in the advice.</summary>
    public const string RetryKey = "c";

    private const string Check = "'isko config check' shows what Isko reads";

    /// <summary>The message as one paragraph: ship, URL, reason, what to do.</summary>
    public string Sentence => $"Cannot connect to {Ship} at {Url}: {Reason}. {Advice}";

    /// <summary>
    /// Whether <paramref name="e"/> says the ship could not be reached or logged in to (as opposed to
    /// a failure of one request or one agent, which is the job's business).
    /// </summary>
    public static bool IsConnectFailure(Exception e) =>
        e is ShipLoginException or ShipUnreachableException or HttpRequestException or Hosting.BoxShipUnreachableException;

    /// <param name="ship">The ship's name as configured, or a label for the embedded ship.</param>
    /// <param name="url">The configured URL; null for the embedded simulated ship.</param>
    /// <param name="redact">Hides secrets in any text taken from the exception.</param>
    public static ConnectProblem From(string ship, Uri? url, Exception e, Func<string, string> redact)
    {
        var at = url?.ToString().TrimEnd('/') ?? "its built-in address";
        var again = $"Press {RetryKey} to try again.";
        return e switch
        {
            // A ship on the GroundSeg box: every address tried, why each failed, and why GroundSeg has it down.
            Hosting.BoxShipUnreachableException box => new(ship, box.Addresses, box.Ship.Running ? "cannot reach" : $"stopped ({box.Ship.BootStatus})",
                $"tried {box.Reason}", box.Advice),
            ShipLoginException { Reason: LoginFailure.CodeRefused } => new(ship, at, "login refused",
                "login refused: the ship did not accept the +code",
                $"The +code changes when a ship is breached or its code is reset: get the current one (+code in the dojo), put it in the code of this [[ship]] ({Check}), then press {RetryKey}: the configuration is read again."),
            ShipLoginException { Reason: LoginFailure.CodeUnreadable } => new(ship, at, "no +code",
                $"the +code could not be read ({redact(e.Message)})",
                $"Set the code of this [[ship]] to the +code or to a file that holds it ({Check}), then press {RetryKey}."),
            ShipLoginException { Reason: LoginFailure.WrongShip } => new(ship, at, "wrong ship",
                redact(e.Message),
                $"Fix the url or the name of this [[ship]] ({Check}), then press {RetryKey}."),
            ShipLoginException { Reason: LoginFailure.Unreachable, InnerException: HttpRequestException inner } => Unreachable(ship, at, inner, again),
            ShipUnreachableException { InnerException: HttpRequestException inner } => Unreachable(ship, at, inner, again),
            HttpRequestException inner => Unreachable(ship, at, inner, again),
            ShipTimeoutException => new(ship, at, "no answer",
                "the ship did not answer in time",
                $"It may be busy or starting; check that the url of this [[ship]] is right ({Check}). {again}"),
            _ => new(ship, at, "not connected",
                redact(e.Message),
                $"Check this [[ship]] ({Check}). {again}"),
        };
    }

    private static ConnectProblem Unreachable(string ship, string at, HttpRequestException e, string again) => new(ship, at, "cannot reach",
        e.HttpRequestError switch
        {
            HttpRequestError.NameResolutionError => "cannot reach it: the host name in the url is not known",
            HttpRequestError.ConnectionError => "cannot reach it: nothing answered at that address (is the ship running?)",
            _ => "cannot reach it: the connection broke",
        },
        $"Start the ship if it is down, or fix the url of this [[ship]] ({Check}). {again}");
}
