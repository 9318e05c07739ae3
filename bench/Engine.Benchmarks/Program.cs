using BenchmarkDotNet.Running;

namespace Seiscat.Engine.Benchmarks;

public static class Program
{
    // `dotnet run -c Release --project bench/Engine.Benchmarks -- --filter '*Modulus*'`; results land in
    // BenchmarkDotNet.Artifacts and are copied under bench/results/<cpu>/ by `./build.sh bench`.
    public static void Main(string[] args) => BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
}
