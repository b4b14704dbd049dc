using BenchmarkDotNet.Running;

// One file per topic; pick with --filter, e.g. `make bench FILTER='*Channel*'`.
BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
