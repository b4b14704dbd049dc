using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Isko.Ship.Ports;
using Isko.Ship.Wire;

namespace Isko.Ship.Http;

/// <summary>
/// The Eyre session: logs in with the +code, keeps the <c>urbauth-~ship</c> cookie in memory only
/// (the handler's cookie container is off), and logs in again once when an answer says the session
/// expired (401/403, or a redirect to the login page), then repeats the request.
/// </summary>
internal sealed class EyreSession : IShipSession, IDisposable
{
    private readonly ShipOptions _options;
    private readonly HttpClient _http;
    private readonly SemaphoreSlim _loginLock = new(1, 1);
    private string? _cookie;   // "urbauth-~zod=0v…": never logged, never shown
    private int _generation;   // bumped by every login, so concurrent failures log in only once
    private byte[]? _refusedCode; // SHA-256 of the +code Eyre last refused, so expired requests do not each send it again

    public EyreSession(ShipOptions options, HttpMessageHandler? handler = null)
    {
        _options = options;
        _http = new HttpClient(handler ?? new SocketsHttpHandler
        {
            UseCookies = false,
            AllowAutoRedirect = false,
            PooledConnectionIdleTimeout = TimeSpan.FromSeconds(30),
        })
        {
            BaseAddress = options.Url,
            Timeout = System.Threading.Timeout.InfiniteTimeSpan, // per request, through cancellation
        };
    }

    public ShipName? Ship { get; private set; }

    internal ShipOptions Options => _options;

    internal IShipLog Log => _options.Log;

    /// <summary>Logs in now, even with a +code that was refused before (the user asked to try again).</summary>
    public async Task<ShipName> LoginAsync(CancellationToken cancellationToken)
    {
        await ReloginAsync(-1, cancellationToken).ConfigureAwait(false);
        return Ship!.Value;
    }

    /// <summary>
    /// Logs in unless another caller already did since <paramref name="seenGeneration"/>. A re-login
    /// (not <see cref="LoginAsync"/>) with the very +code Eyre refused last fails at once without
    /// sending it: after a breach every open request expires together, and one refusal says it all.
    /// A code file is read again each time, so a corrected file is tried at the next request.
    /// </summary>
    private async Task ReloginAsync(int seenGeneration, CancellationToken cancellationToken)
    {
        await _loginLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            // Someone else logged in since the caller looked: use that session.
            if (seenGeneration >= 0 && seenGeneration != _generation && _cookie is not null) return;
            var code = await _options.Code.ReadAsync(cancellationToken).ConfigureAwait(false);
            var digest = SHA256.HashData(Encoding.UTF8.GetBytes(code));
            if (seenGeneration >= 0 && _refusedCode is { } refused && CryptographicOperations.FixedTimeEquals(refused, digest))
                throw CodeRefused("(not sent again until it changes)");
            using var timeout = Timeout(cancellationToken, _options.RequestTimeout);
            using var request = new HttpRequestMessage(HttpMethod.Post, EyreWire.LoginPath) { Content = EyreWire.LoginForm(code) };
            HttpResponseMessage response;
            try
            {
                response = await _http.SendAsync(request, timeout.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                throw new ShipTimeoutException($"login to {_options.Url}: no answer within {_options.RequestTimeout.TotalSeconds:0} s");
            }
            catch (HttpRequestException e)
            {
                throw new ShipLoginException($"login to {_options.Url} failed: {e.Message}", e, LoginFailure.Unreachable);
            }
            using (response)
            {
                if (response.StatusCode == HttpStatusCode.BadRequest)
                {
                    _refusedCode = digest;
                    throw CodeRefused("");
                }
                if (!EyreWire.LoginSucceeded(response.StatusCode))
                    throw new ShipLoginException($"login to {_options.Url} answered {(int)response.StatusCode} {response.ReasonPhrase}");
                var found = response.Headers.TryGetValues("Set-Cookie", out var values) ? EyreWire.FindSessionCookie(values) : null;
                if (found is null)
                    throw new ShipLoginException($"login to {_options.Url} succeeded but set no urbauth cookie");
                if (_options.ExpectedShip is { } expected && expected != found.Value.Ship)
                    throw new ShipLoginException($"the ship at {_options.Url} is {found.Value.Ship}, not {expected} as configured", reason: LoginFailure.WrongShip);
                _cookie = found.Value.Cookie;
                _refusedCode = null;
                Ship = found.Value.Ship;
                _generation++;
                _options.Log.Write(ShipLogLevel.Information, $"logged in to {Ship} at {_options.Url}");
            }
        }
        finally
        {
            _loginLock.Release();
        }
    }

    private ShipLoginException CodeRefused(string note) =>
        new($"the ship at {_options.Url} refused the +code ({_options.Code.Origin}): 400{(note.Length > 0 ? " " + note : "")}",
            reason: LoginFailure.CodeRefused);

    /// <summary>
    /// Sends an authenticated request built by <paramref name="build"/> (called again for the retry),
    /// logging in first if needed and once more if the answer says the session expired.
    /// </summary>
    internal async Task<HttpResponseMessage> SendAsync(
        Func<CancellationToken, ValueTask<HttpRequestMessage>> build,
        HttpCompletionOption completion,
        CancellationToken cancellationToken)
    {
        if (_cookie is null) await ReloginAsync(_generation, cancellationToken).ConfigureAwait(false);
        for (var attempt = 0; ; attempt++)
        {
            var generation = _generation;
            using var request = await build(cancellationToken).ConfigureAwait(false);
            request.Headers.TryAddWithoutValidation("Cookie", _cookie);
            HttpResponseMessage response;
            try
            {
                response = await _http.SendAsync(request, completion, cancellationToken).ConfigureAwait(false);
            }
            catch (HttpRequestException e)
            {
                throw new ShipUnreachableException($"{request.Method} {request.RequestUri} to {_options.Url} failed: {e.Message}", e);
            }
            if (attempt > 0 || !EyreWire.IsAuthFailure(response)) return response;
            response.Dispose();
            _options.Log.Write(ShipLogLevel.Information, $"session with {Ship} expired ({request.Method} {request.RequestUri}); logging in again");
            await ReloginAsync(generation, cancellationToken).ConfigureAwait(false);
        }
    }

    internal Task<HttpResponseMessage> SendAsync(Func<HttpRequestMessage> build, HttpCompletionOption completion, CancellationToken cancellationToken) =>
        SendAsync(_ => ValueTask.FromResult(build()), completion, cancellationToken);

    public Task<JsonElement> ScryJsonAsync(string app, string path, CancellationToken cancellationToken) =>
        ScryAsync(app, path, EyreWire.JsonMark, async (content, ct) =>
            JsonRead.Parse(await content.ReadAsByteArrayAsync(ct).ConfigureAwait(false), $"scry %{app} {path}"), cancellationToken);

    public Task<byte[]> ScryJamAsync(string app, string path, CancellationToken cancellationToken) =>
        ScryAsync(app, path, EyreWire.NounMark, (content, ct) => content.ReadAsByteArrayAsync(ct), cancellationToken);

    public async Task<Isko.Nouns.Noun> ScryNounAsync(string app, string path, CancellationToken cancellationToken)
    {
        var jam = await ScryJamAsync(app, path, cancellationToken).ConfigureAwait(false);
        try
        {
            return Isko.Nouns.Cue.Decode(jam);
        }
        catch (Isko.Nouns.CueException e)
        {
            throw new WireFormatException($"scry %{app} {path}.noun: the answer does not cue: {e.Message}");
        }
    }

    private async Task<T> ScryAsync<T>(string app, string path, string mark, Func<HttpContent, CancellationToken, Task<T>> read, CancellationToken cancellationToken)
    {
        var url = EyreWire.ScryPath(app, path, mark);
        using var timeout = Timeout(cancellationToken, _options.RequestTimeout);
        try
        {
            using var response = await SendAsync(() => new HttpRequestMessage(HttpMethod.Get, url), HttpCompletionOption.ResponseContentRead, timeout.Token).ConfigureAwait(false);
            switch (response.StatusCode)
            {
                case HttpStatusCode.OK:
                    return await read(response.Content, timeout.Token).ConfigureAwait(false);
                case HttpStatusCode.Forbidden:
                    throw new ScryForbiddenException(app, path);
                case HttpStatusCode.NotFound:
                    throw new ScryNotFoundException(app, path);
                case HttpStatusCode.InternalServerError:
                    throw new ScryFailedException(app, path, FirstLine(await response.Content.ReadAsStringAsync(timeout.Token).ConfigureAwait(false)));
                default:
                    throw new ShipHttpException($"scry %{app} {path}: unexpected {(int)response.StatusCode} {response.ReasonPhrase}", response.StatusCode);
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new ShipTimeoutException($"scry %{app} {path}: no answer within {_options.RequestTimeout.TotalSeconds:0} s");
        }
    }

    public async Task<JsonElement> GetJsonAsync(string path, CancellationToken cancellationToken)
    {
        using var timeout = Timeout(cancellationToken, _options.RequestTimeout);
        try
        {
            using var response = await SendAsync(() => new HttpRequestMessage(HttpMethod.Get, path), HttpCompletionOption.ResponseContentRead, timeout.Token).ConfigureAwait(false);
            if (response.StatusCode != HttpStatusCode.OK)
                throw new ShipHttpException($"GET {path}: {(int)response.StatusCode} {response.ReasonPhrase}", response.StatusCode);
            return JsonRead.Parse(await response.Content.ReadAsByteArrayAsync(timeout.Token).ConfigureAwait(false), $"GET {path}");
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new ShipTimeoutException($"GET {path}: no answer within {_options.RequestTimeout.TotalSeconds:0} s");
        }
    }

    public async Task<JsonElement> RunThreadAsync(string desk, string inputMark, string thread, string outputMark, JsonNode? input, CancellationToken cancellationToken)
    {
        var url = EyreWire.ThreadPath(desk, inputMark, thread, outputMark);
        using var timeout = Timeout(cancellationToken, _options.ThreadTimeout);
        try
        {
            using var response = await SendAsync(() => new HttpRequestMessage(HttpMethod.Post, url)
            {
                Content = EyreWire.ThreadBody(input),
            }, HttpCompletionOption.ResponseContentRead, timeout.Token).ConfigureAwait(false);
            var text = await response.Content.ReadAsStringAsync(timeout.Token).ConfigureAwait(false);
            if (response.StatusCode == HttpStatusCode.OK)
                return JsonRead.Parse(text, $"thread {desk}/{thread}");
            throw EyreWire.ThreadFailure($"{desk}/{thread}", response.StatusCode, response.Content.Headers.ContentType?.MediaType, text);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new ShipTimeoutException($"thread {desk}/{thread}: no answer within {_options.ThreadTimeout.TotalSeconds:0} s");
        }
    }

    public async IAsyncEnumerable<string> ReadSlogAsync([System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        using var response = await SendAsync(() =>
        {
            var request = new HttpRequestMessage(HttpMethod.Get, EyreWire.SlogPath);
            request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue(EyreWire.EventStreamMediaType));
            return request;
        }, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        if (response.StatusCode != HttpStatusCode.OK)
            throw new ShipHttpException($"GET {EyreWire.SlogPath}: {(int)response.StatusCode} {response.ReasonPhrase}", response.StatusCode);
        await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        await foreach (var item in SseReader.ReadAsync(stream, cancellationToken).ConfigureAwait(false))
            if (!item.IsHeartbeat) yield return item.Data!;
    }

    public async Task<UploadAnswer> UploadAsync(string path, string partName, UploadSource source, CancellationToken cancellationToken)
    {
        using var timeout = Timeout(cancellationToken, _options.UploadTimeout);
        try
        {
            using var response = await SendAsync(async ct =>
            {
                // StreamContent reads the source as the request goes out: nothing is buffered whole.
                var stream = await source.OpenAsync(ct).ConfigureAwait(false);
                var file = new StreamContent(stream, 64 * 1024);
                file.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
                if (source.Length is { } length) file.Headers.ContentLength = length;
                var form = new MultipartFormDataContent { { file, partName, source.FileName } };
                return new HttpRequestMessage(HttpMethod.Post, path) { Content = form };
            }, HttpCompletionOption.ResponseContentRead, timeout.Token).ConfigureAwait(false);
            var body = await response.Content.ReadAsStringAsync(timeout.Token).ConfigureAwait(false);
            return new UploadAnswer(response.StatusCode, body);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new ShipTimeoutException($"upload to {path}: not finished within {_options.UploadTimeout.TotalMinutes:0} min");
        }
    }

    internal static CancellationTokenSource Timeout(CancellationToken cancellationToken, TimeSpan after)
    {
        var cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        cts.CancelAfter(after);
        return cts;
    }

    private static string FirstLine(string text)
    {
        var line = text.Split('\n', 2)[0].Trim();
        return line.Length > 200 ? line[..200] : line;
    }

    public void Dispose()
    {
        _http.Dispose();
        _loginLock.Dispose();
    }
}
