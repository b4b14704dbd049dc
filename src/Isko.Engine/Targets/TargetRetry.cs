using System.Net;
using System.Net.Sockets;
using Amazon.Runtime;
using Amazon.S3;
using Polly;
using Polly.Retry;

namespace Isko.Engine.Targets;

/// <summary>
/// Retries with exponential backoff and jitter through Polly, for what passes: 5xx, throttling
/// (503 SlowDown, 429), a connection dropped or refused mid-request, a timeout. Refused credentials,
/// a missing bucket or a full one are not retried: they are said at once.
/// </summary>
public static class TargetRetry
{
    public static ResiliencePipeline Pipeline(int attempts = 5, TimeSpan? baseDelay = null) =>
        new ResiliencePipelineBuilder()
            .AddRetry(new RetryStrategyOptions
            {
                MaxRetryAttempts = attempts,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = baseDelay ?? TimeSpan.FromMilliseconds(500),
                MaxDelay = TimeSpan.FromSeconds(30),
                ShouldHandle = new PredicateBuilder().Handle<Exception>(IsTransient),
            })
            .Build();

    public static bool IsTransient(Exception e) => e switch
    {
        AmazonS3Exception s3 => (int)s3.StatusCode >= 500 || s3.StatusCode == HttpStatusCode.TooManyRequests
                                || s3.ErrorCode is "SlowDown" or "RequestTimeout" or "InternalError" or "ServiceUnavailable"
                                || (s3.StatusCode == 0 && s3.InnerException is { } inner && IsTransient(inner)),
        AmazonServiceException { InnerException: { } inner } => IsTransient(inner),
        HttpRequestException http => http.StatusCode is null || (int)http.StatusCode >= 500 || http.StatusCode == HttpStatusCode.TooManyRequests,
        IOException or SocketException => true,
        TaskCanceledException { InnerException: TimeoutException } => true,
        TransientTargetException => true,
        _ => false,
    };
}

/// <summary>A failure the backend knows will pass (a 5xx from a hand-written client); retried.</summary>
public sealed class TransientTargetException(string message, Exception? inner = null) : TargetException(message, inner);
