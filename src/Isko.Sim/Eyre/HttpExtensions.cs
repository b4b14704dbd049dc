using System.Text;
using Microsoft.AspNetCore.Http;

namespace Isko.Sim.Eyre;

internal static class HttpExtensions
{
    public static async Task Answer(this HttpContext ctx, int status, string? contentType = null, string? body = null)
    {
        ctx.Response.StatusCode = status;
        if (contentType is not null) ctx.Response.ContentType = contentType;
        if (body is not null) await ctx.Response.Body.WriteAsync(Encoding.UTF8.GetBytes(body), ctx.RequestAborted);
    }

    public static Task Answer(this HttpContext ctx, int status, byte[] body, string contentType)
    {
        ctx.Response.StatusCode = status;
        ctx.Response.ContentType = contentType;
        ctx.Response.ContentLength = body.Length;
        return ctx.Response.Body.WriteAsync(body, ctx.RequestAborted).AsTask();
    }

    public static async Task<string> ReadBody(this HttpContext ctx)
    {
        using var reader = new StreamReader(ctx.Request.Body, Encoding.UTF8);
        return await reader.ReadToEndAsync(ctx.RequestAborted);
    }

    public static async Task<byte[]> ReadBytes(this HttpContext ctx)
    {
        using var buffer = new MemoryStream();
        await ctx.Request.Body.CopyToAsync(buffer, ctx.RequestAborted);
        return buffer.ToArray();
    }

    /// <summary>The value of cookie <paramref name="name"/>, tolerating http-api's verbatim set-cookie string.</summary>
    public static string? Cookie(this HttpContext ctx, string name)
    {
        foreach (var header in ctx.Request.Headers.Cookie)
            foreach (var part in (header ?? "").Split(';', StringSplitOptions.TrimEntries))
                if (part.StartsWith(name + "=", StringComparison.Ordinal)) return part[(name.Length + 1)..];
        return null;
    }
}
