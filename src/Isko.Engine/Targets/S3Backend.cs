using System.Net;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;
using Polly;

namespace Isko.Engine.Targets;

/// <summary>
/// <c>[targets.NAME] type = "s3"</c>: any S3-compatible store (AWS, MinIO, RustFS, s3rver).
/// <paramref name="Prefix"/> is a folder inside the bucket ("" for its root).
/// </summary>
public sealed record S3Settings(string Target, Uri Endpoint, string Bucket, string Prefix, string Region, bool PathStyle,
    string AccessKey, string SecretKey)
{
    // The keys never reach a string made of these settings (records print every property).
    public override string ToString() => $"s3 target {Target} ({Endpoint} bucket {Bucket}{(Prefix.Length > 0 ? "/" + Prefix : "")})";
}

/// <summary>
/// The S3 backend over AWSSDK.S3. The SDK's own retries are off: <see cref="TargetRetry"/> is the one
/// place that retries, and its errors are turned into <see cref="TargetException"/>s that say what to do.
/// </summary>
public sealed class S3Backend : ITargetBackend
{
    private readonly S3Settings _settings;
    private readonly AmazonS3Client _client;
    private readonly ResiliencePipeline _retry;
    private readonly string _prefix;

    public S3Backend(S3Settings settings, ResiliencePipeline? retry = null)
    {
        _settings = settings;
        _retry = retry ?? TargetRetry.Pipeline();
        _prefix = settings.Prefix.Trim('/') is { Length: > 0 } p ? p + "/" : "";
        var config = new AmazonS3Config
        {
            ServiceURL = settings.Endpoint.ToString(),
            ForcePathStyle = settings.PathStyle,
            AuthenticationRegion = settings.Region,
            MaxErrorRetry = 0,
            // S3-compatible stores (RustFS, MinIO, s3rver) do not all take the SDK's trailing checksums.
            RequestChecksumCalculation = RequestChecksumCalculation.WHEN_REQUIRED,
            ResponseChecksumValidation = ResponseChecksumValidation.WHEN_REQUIRED,
            Timeout = TimeSpan.FromMinutes(5),
        };
        _client = new AmazonS3Client(new BasicAWSCredentials(settings.AccessKey, settings.SecretKey), config);
    }

    public string Name => _settings.Target;

    public async Task<IReadOnlyList<RemoteObject>> ListAsync(string prefix, CancellationToken cancellationToken)
    {
        var objects = new List<RemoteObject>();
        string? token = null;
        do
        {
            var request = new ListObjectsV2Request { BucketName = _settings.Bucket, Prefix = _prefix + prefix, ContinuationToken = token };
            var response = await RunAsync("list", prefix, ct => _client.ListObjectsV2Async(request, ct), cancellationToken);
            foreach (var o in response.S3Objects ?? [])
                objects.Add(new RemoteObject(o.Key[_prefix.Length..], o.Size ?? 0));
            token = response.IsTruncated == true ? response.NextContinuationToken : null;
        }
        while (token is not null);
        return objects;
    }

    public Task PutAsync(string name, Func<Stream> open, long length, IProgress<long>? progress, CancellationToken cancellationToken) =>
        RunAsync("upload", name, async ct =>
        {
            await using var body = open();
            var request = new PutObjectRequest
            {
                BucketName = _settings.Bucket,
                Key = _prefix + name,
                InputStream = body,
                AutoCloseStream = false,
                UseChunkEncoding = false,
                // The body is already authenticated by its AEAD; hashing it again for SigV4 would encrypt it twice.
                // The SDK allows an unsigned payload over HTTPS only; over plain HTTP it rewinds the stream after hashing it.
                DisablePayloadSigning = _settings.Endpoint.Scheme == Uri.UriSchemeHttps,
                Headers = { ContentLength = length },
            };
            long sent = 0;
            if (progress is not null)
                request.StreamTransferProgress += (_, e) => { progress.Report(e.TransferredBytes - sent); sent = e.TransferredBytes; };
            await _client.PutObjectAsync(request, ct);
            return true;
        }, cancellationToken);

    public Task GetAsync(string name, Func<Stream, CancellationToken, Task> read, CancellationToken cancellationToken) =>
        RunAsync("download", name, async ct =>
        {
            using var response = await _client.GetObjectAsync(_settings.Bucket, _prefix + name, ct);
            await using var body = response.ResponseStream;
            await read(body, ct);
            return true;
        }, cancellationToken);

    public ValueTask DisposeAsync()
    {
        _client.Dispose();
        return ValueTask.CompletedTask;
    }

    private async Task<T> RunAsync<T>(string what, string name, Func<CancellationToken, Task<T>> action, CancellationToken cancellationToken)
    {
        try
        {
            return await _retry.ExecuteAsync(async ct => await action(ct), cancellationToken);
        }
        catch (AmazonS3Exception e)
        {
            throw Explain(e, what, name);
        }
        catch (AmazonServiceException e) when (!cancellationToken.IsCancellationRequested)
        {
            throw new TargetException($"target {Name}: {what} of '{name}' failed: {e.Message} ({_settings})", e);
        }
        catch (Exception e) when (e is HttpRequestException or IOException && !cancellationToken.IsCancellationRequested)
        {
            throw new TargetException($"target {Name}: {what} of '{name}' failed after retries: {e.Message} ({_settings})", e);
        }
    }

    private TargetException Explain(AmazonS3Exception e, string what, string name)
    {
        var code = $"{(int)e.StatusCode} {e.ErrorCode}".Trim();
        return e.ErrorCode switch
        {
            "NoSuchKey" => new TargetNotFoundException(Name, name),
            "InvalidAccessKeyId" or "SignatureDoesNotMatch" or "AccessDenied" or "InvalidToken" or "ExpiredToken" =>
                new TargetException($"target {Name}: the store refused the access key or secret ({code}); check access_key and secret_key of [targets.{Name}]", e),
            "NoSuchBucket" => new TargetException($"target {Name}: bucket '{_settings.Bucket}' does not exist at {_settings.Endpoint} ({code})", e),
            "QuotaExceeded" or "EntityTooLarge" or "XMinioStorageFull" or "StorageFull" => new TargetException($"target {Name}: the bucket is full or over its quota ({code}); {what} of '{name}' was not stored", e),
            _ when e.StatusCode == HttpStatusCode.InsufficientStorage => new TargetException($"target {Name}: the store is out of space ({code}); {what} of '{name}' was not stored", e),
            _ when e.StatusCode == HttpStatusCode.NotFound && what == "download" => new TargetNotFoundException(Name, name),
            _ => new TargetException($"target {Name}: {what} of '{name}' failed: {code} {e.Message}", e),
        };
    }
}
