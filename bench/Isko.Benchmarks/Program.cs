using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Running;

namespace Isko.Benchmarks;

public static class Program
{
    // BenchmarkDotNet builds a fresh copy of the benchmarks before running them; its default limit of
    // two minutes is too short on a busy two-core machine, where the build alone can take longer.
    public static void Main(string[] args) =>
        BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly)
            .Run(args, ManualConfig.Create(DefaultConfig.Instance).WithBuildTimeout(TimeSpan.FromMinutes(15)));
}
