using System.Security.Cryptography;
using Isko.Ship.Http;
using Isko.Ship.Tests.Support;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Net.Http.Headers;

namespace Isko.Ship.Tests;

/// <summary>Runs alone: the memory check counts every allocation in the process.</summary>
[CollectionDefinition(nameof(AllocationSensitive), DisableParallelization = true)]
public sealed class AllocationSensitive;

/// <summary>Multipart uploads to a wrapped agent's upload page, streamed from their source.</summary>
[Collection(nameof(AllocationSensitive))]
public sealed class UploadTests
{
    private static readonly CancellationToken Ct = CancellationToken.None;

    /// <summary>What the scripted upload page received.</summary>
    private sealed class Received
    {
        public List<(string Name, string? FileName, long Bytes, byte[] Sha256)> Parts { get; } = [];
        public long? RequestLength { get; set; }
    }

    /// <summary>An upload page that reads the multipart body as a stream, part by part, and answers like Keep.</summary>
    private static Task<ScriptedShip> StartAsync(Received received, Func<Received, IResult>? answer = null) =>
        ScriptedShip.StartAsync((app, ship) => app.MapPost("/apps/keep/pals/upload", async (HttpContext c) =>
        {
            if (!ship.IsAuthenticated(c)) return Results.Redirect("/~/login?redirect=/apps/keep/pals/upload");
            received.RequestLength = c.Request.ContentLength;
            var boundary = HeaderUtilities.RemoveQuotes(MediaTypeHeaderValue.Parse(c.Request.ContentType).Boundary).Value!;
            var reader = new MultipartReader(boundary, c.Request.Body);
            while (await reader.ReadNextSectionAsync() is { } section)
            {
                var disposition = ContentDispositionHeaderValue.Parse(section.ContentDisposition);
                using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
                var buffer = new byte[81920];
                long total = 0;
                int n;
                while ((n = await section.Body.ReadAsync(buffer)) > 0)
                {
                    sha.AppendData(buffer, 0, n);
                    total += n;
                }
                received.Parts.Add((disposition.Name.Value!, disposition.FileName.Value, total, sha.GetCurrentHash()));
            }
            return answer?.Invoke(received) ?? Results.Content("<html><body>Upload completed successfully!</body></html>", "text/html");
        }));

    [Fact]
    public async Task Large_stream_is_uploaded_as_one_file_part_without_being_held_in_memory()
    {
        const long size = 64L * 1024 * 1024;
        var received = new Received();
        await using var ship = await StartAsync(received);
        await using var connection = await ShipConnection.ConnectAsync(ship.Options(), Ct);
        var source = new GeneratedStream(size);
        var opened = 0;
        var upload = UploadSource.FromStream("pals.jam", _ => { opened++; return ValueTask.FromResult<Stream>(source); });

        var before = GC.GetTotalAllocatedBytes(precise: true);
        await connection.WrappedAgents.UploadAsync("pals", upload, Ct);
        var allocated = GC.GetTotalAllocatedBytes(precise: true) - before;

        var part = Assert.Single(received.Parts);
        Assert.Equal("file", part.Name);
        Assert.Equal("pals.jam", part.FileName);
        Assert.Equal(size, part.Bytes);
        Assert.Equal(source.Sha256(), part.Sha256);
        Assert.Equal(1, opened);
        // Client and server together allocate far less than the upload: nothing buffered it whole.
        Assert.True(allocated < size / 4, $"allocated {allocated / (1024 * 1024)} MB for a {size / (1024 * 1024)} MB upload");
    }

    [Fact]
    public async Task File_upload_sends_its_length_up_front()
    {
        var path = Path.GetTempFileName();
        try
        {
            var bytes = RandomNumberGenerator.GetBytes(300_000);
            await File.WriteAllBytesAsync(path, bytes);
            var received = new Received();
            await using var ship = await StartAsync(received);
            await using var connection = await ShipConnection.ConnectAsync(ship.Options(), Ct);
            await connection.WrappedAgents.UploadAsync("pals", UploadSource.FromFile(path, "pals.jam"), Ct);
            var part = Assert.Single(received.Parts);
            Assert.Equal(SHA256.HashData(bytes), part.Sha256);
            Assert.NotNull(received.RequestLength);
            Assert.True(received.RequestLength > bytes.Length);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public async Task Upload_after_the_session_expired_opens_its_source_again()
    {
        var received = new Received();
        await using var ship = await StartAsync(received);
        await using var connection = await ShipConnection.ConnectAsync(ship.Options(), Ct);
        ship.ExpireSession();
        var opened = 0;
        await connection.WrappedAgents.UploadAsync("pals", UploadSource.FromStream("pals.jam", _ =>
        {
            opened++;
            return ValueTask.FromResult<Stream>(new GeneratedStream(10_000));
        }), Ct);
        Assert.Equal(2, opened);
        Assert.Equal(10_000, Assert.Single(received.Parts).Bytes);
    }

    [Theory]
    [InlineData("Corrupted backup file!", UploadRejection.CorruptedBackup)]
    [InlineData("Bad amount of jam. Need exactly one. Try again!", UploadRejection.WrongPartCount)]
    [InlineData("Missing data in POST. Complete the form!", UploadRejection.MissingData)]
    [InlineData("<html>teapot</html>", UploadRejection.Other)]
    public async Task Refused_upload_says_why(string page, UploadRejection reason)
    {
        var received = new Received();
        await using var ship = await StartAsync(received, _ => Results.Content($"<html><body>{page}</body></html>", "text/html", statusCode: 400));
        await using var connection = await ShipConnection.ConnectAsync(ship.Options(), Ct);
        var e = await Assert.ThrowsAsync<UploadRejectedException>(() =>
            connection.WrappedAgents.UploadAsync("pals", UploadSource.FromStream("pals.jam", _ => ValueTask.FromResult<Stream>(new GeneratedStream(100))), Ct));
        Assert.Equal(reason, e.Reason);
        Assert.Equal("pals", e.Agent);
    }
}
