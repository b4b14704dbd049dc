namespace Isko.Sim.Time;

/// <summary>
/// Simulated time that runs <c>speed</c> times faster than its source, so installs and wraps
/// that take "seconds" on the ship finish in milliseconds under test while keeping their order.
/// </summary>
public sealed class ScaledTimeProvider : TimeProvider
{
    private readonly TimeProvider _source;
    private readonly double _speed;
    private readonly DateTimeOffset _origin;

    public ScaledTimeProvider(TimeProvider source, double speed)
    {
        if (speed <= 0 || double.IsNaN(speed)) throw new ArgumentOutOfRangeException(nameof(speed), "speed must be positive");
        _source = source;
        _speed = speed;
        _origin = source.GetUtcNow();
    }

    public double Speed => _speed;

    public override DateTimeOffset GetUtcNow()
    {
        var real = _source.GetUtcNow() - _origin;
        return _origin + TimeSpan.FromTicks((long)(real.Ticks * _speed));
    }

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period) =>
        _source.CreateTimer(callback, state, Scale(dueTime), Scale(period));

    private TimeSpan Scale(TimeSpan span) =>
        span == Timeout.InfiniteTimeSpan || span <= TimeSpan.Zero ? span : TimeSpan.FromTicks(Math.Max(1, (long)(span.Ticks / _speed)));
}
