using System.Net;
using Amazon.S3;
using Isko.Engine.Targets;
using Xunit;

namespace Isko.Engine.Tests.Targets;

public sealed class TargetRetryTests
{
    private static AmazonS3Exception S3Error(HttpStatusCode status, string code) =>
        new($"{code} from the store") { StatusCode = status, ErrorCode = code };

    [Theory]
    [InlineData(HttpStatusCode.ServiceUnavailable, "SlowDown")]
    [InlineData(HttpStatusCode.InternalServerError, "InternalError")]
    [InlineData(HttpStatusCode.TooManyRequests, "TooManyRequests")]
    public async Task Throttling_and_5xx_are_retried_until_they_pass(HttpStatusCode status, string code)
    {
        var calls = 0;
        var result = await TargetRetry.Pipeline(attempts: 3, baseDelay: TimeSpan.FromMilliseconds(1)).ExecuteAsync(_ =>
        {
            if (++calls < 3)
                throw S3Error(status, code);
            return ValueTask.FromResult("stored");
        }, CancellationToken.None);
        Assert.Equal("stored", result);
        Assert.Equal(3, calls);
    }

    [Fact]
    public async Task A_dropped_connection_is_retried()
    {
        var calls = 0;
        await TargetRetry.Pipeline(attempts: 2, baseDelay: TimeSpan.FromMilliseconds(1)).ExecuteAsync(_ =>
        {
            if (++calls == 1)
                throw new HttpRequestException("connection reset", new IOException("reset by peer"));
            return ValueTask.CompletedTask;
        }, CancellationToken.None);
        Assert.Equal(2, calls);
    }

    [Theory]
    [InlineData(HttpStatusCode.Forbidden, "InvalidAccessKeyId")]
    [InlineData(HttpStatusCode.NotFound, "NoSuchBucket")]
    [InlineData(HttpStatusCode.Forbidden, "QuotaExceeded")]
    public async Task Refusals_are_not_retried(HttpStatusCode status, string code)
    {
        var calls = 0;
        await Assert.ThrowsAsync<AmazonS3Exception>(() => TargetRetry.Pipeline(attempts: 3, baseDelay: TimeSpan.FromMilliseconds(1)).ExecuteAsync<int>(_ =>
        {
            calls++;
            throw S3Error(status, code);
        }, CancellationToken.None).AsTask());
        Assert.Equal(1, calls);
    }

    [Fact]
    public async Task A_store_that_keeps_failing_is_given_up_on_after_the_retries()
    {
        var calls = 0;
        await Assert.ThrowsAsync<AmazonS3Exception>(() => TargetRetry.Pipeline(attempts: 2, baseDelay: TimeSpan.FromMilliseconds(1)).ExecuteAsync<int>(_ =>
        {
            calls++;
            throw S3Error(HttpStatusCode.ServiceUnavailable, "SlowDown");
        }, CancellationToken.None).AsTask());
        Assert.Equal(3, calls);
    }
}
