using Isko.Sim.Eyre;
using Isko.Sim.Keep;
using Isko.Sim.Wire;
using Microsoft.AspNetCore.Http;

namespace Isko.Sim;

/// <summary>Keep's upload page (bound by each wrapper) and the control aids (only with --control).</summary>
internal static class ExtraRoutes
{
    public static async Task<bool> TryHandle(HttpContext ctx, string path, SimulatedShip ship, SimulatedShipHostOptions options, EyreHttp eyre)
    {
        var parts = path.Split('/', StringSplitOptions.RemoveEmptyEntries);
        switch (parts)
        {
            case ["apps", "keep", var agent, "upload"]:
                await Upload(ctx, agent, ship, eyre);
                return true;
            case ["~isko", "breach"] when options.Control:
                await Control.Breach(ctx, ship);
                return true;
            case ["~isko", "state", var agent] when options.Control:
                await Control.State(ctx, agent, ship);
                return true;
            default:
                return false;
        }
    }

    private static async Task Upload(HttpContext ctx, string agent, SimulatedShip ship, EyreHttp eyre)
    {
        var wrapper = ship.Run(() => ship.Gall.Find(agent)?.Wrapper);
        if (wrapper is null) { await ctx.Answer(404, "text/html", EyreWire.ErrorPage(404, "not found")); return; }
        if (!eyre.IsAuthenticated(ctx))
        {
            ctx.Response.Headers.Location = "/~/login?redirect=" + Uri.EscapeDataString(ctx.Request.Path);
            await ctx.Answer(307);
            return;
        }
        if (ctx.Request.Method == "GET") { await ctx.Answer(200, "text/html", KeepWire.UploadForm(agent)); return; }
        if (ctx.Request.Method != "POST") { await ctx.Answer(405); return; }

        List<byte[]> files;
        try
        {
            if (!ctx.Request.HasFormContentType || !(ctx.Request.ContentType ?? "").StartsWith("multipart/form-data", StringComparison.OrdinalIgnoreCase))
                throw new InvalidDataException("not multipart");
            var form = await ctx.Request.ReadFormAsync(ctx.RequestAborted);
            files = [];
            foreach (var file in form.Files.Where(f => f.Name == KeepWire.UploadPart))
            {
                using var buffer = new MemoryStream();
                await file.CopyToAsync(buffer, ctx.RequestAborted);
                files.Add(buffer.ToArray());
            }
            // A part named "file" without a filename is a plain field: it counts too.
            files.AddRange(form[KeepWire.UploadPart].Select(v => System.Text.Encoding.UTF8.GetBytes(v ?? "")));
        }
        catch (Exception e) when (e is InvalidDataException or IOException or InvalidOperationException or BadHttpRequestException)
        {
            await ctx.Answer(400, "text/html", KeepWire.UploadPage(KeepWire.UploadMissing));
            return;
        }
        if (files.Count != 1) { await ctx.Answer(400, "text/html", KeepWire.UploadPage(KeepWire.UploadBadAmount)); return; }
        ship.Counters.Uploaded(agent);
        var ok = ship.Run(() => ship.Gall.Find(agent)?.Wrapper is { } w && w.Upload(files[0]));
        await ctx.Answer(ok ? 200 : 400, "text/html", KeepWire.UploadPage(ok ? KeepWire.UploadOk : KeepWire.UploadCorrupted));
    }
}
