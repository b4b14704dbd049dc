using Isko.Tui.App;
using Isko.Tui.Terminal;

namespace Isko.Tui.Tests.Unit;

public class WarmupTests
{
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task The_warm_up_draws_a_whole_frame_without_a_terminal(bool unicode)
    {
        var profile = TerminalProfile.Default with { Unicode = unicode };
        var characters = await Warmup.Start(profile).WaitAsync(TimeSpan.FromMinutes(1));
        // 80×24 cells, most of them borders and text: far more than an empty or failed frame.
        Assert.True(characters > 80 * 24 / 2, $"the warm-up frame was only {characters} characters");
    }
}
