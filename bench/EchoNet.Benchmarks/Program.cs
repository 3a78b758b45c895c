using BenchmarkDotNet.Running;

// dotnet run -c Release --project bench/EchoNet.Benchmarks -- --filter '*'
BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
