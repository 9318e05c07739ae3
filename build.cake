// seiscat build: ./build.sh <target>. Targets: Bootstrap, Build, Test, Fuzz, Bench, Demo, Evaluate, Trace, Publish, Clean.
// Test and Demo depend on Bootstrap, so a clean clone on a fresh Debian/Ubuntu machine needs nothing else.

var target = Argument("target", "Test");
var configuration = Argument("configuration", "Release");
var benchFilter = Argument("filter", "*");
var demoDir = Argument("demo-dir", "artifacts/demo");
var fuzzTrials = Argument("trials", "1200");
var fuzzMinutes = Argument("minutes", "30");
var solution = "./Engine.sln";
var cli = $"./artifacts/bin/Cli/{configuration.ToLowerInvariant()}/seiscat.dll";

// Debian packages that provide the native libraries seiscat binds to (src/Native).
var nativePackages = new[] {
    (Package: "libfftw3-single3", Library: "libfftw3f.so.3"),
    (Package: "libhdf5-103-1", Library: "libhdf5_serial.so.103"),
    // Deflates features.h5 chunks and inflates archive chunks (zlib streams, as HDF5's deflate filter stores them).
    (Package: "libdeflate0", Library: "libdeflate.so.0"),
    // Inflates archive chunks of HDF5's Zstandard filter (32015), for which Debian has no plugin (dpkg needs it: always there).
    (Package: "libzstd1", Library: "libzstd.so.1"),
};
// Fonts for the report's plots (ScottPlot/SkiaSharp render text with a system font), and the browser the report test
// opens the report in (headless).
var filePackages = new[]
{
    (Package: "fonts-dejavu-core", File: "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"),
    (Package: "chromium", File: "/usr/bin/chromium"),
    // A real scheduler for the scale-out test (SlurmTests starts a private slurmctld + slurmd + munged on localhost).
    (Package: "slurm-wlm", File: "/usr/sbin/slurmctld"),
    (Package: "munge", File: "/usr/sbin/munged"),
    // HDF5 filter plugins libhdf5 loads from its default plugin folder, for archives written with LZF (h5py), Blosc, LZ4,
    // BZip2, Bitshuffle or ZFP (seiscat decodes deflate, shuffle, Fletcher-32 and Zstandard itself).
    (Package: "hdf5-plugin-lzf", File: "/usr/lib/x86_64-linux-gnu/hdf5/serial/plugins/liblzf_filter.so"),
    (Package: "hdf5-filter-plugin", File: "/usr/lib/x86_64-linux-gnu/hdf5/serial/plugins/libh5lz4.so"),
    (Package: "hdf5-filter-plugin-blosc-serial", File: "/usr/lib/x86_64-linux-gnu/hdf5/serial/plugins/libH5Zblosc.so"),
    (Package: "bitshuffle", File: "/usr/lib/x86_64-linux-gnu/hdf5/serial/plugins/libh5bshuf.so"),
    (Package: "hdf5-filter-plugin-zfp-serial", File: "/usr/lib/x86_64-linux-gnu/hdf5/serial/plugins/libh5zzfp.so"),
};

int Run(string file, string args, bool throwOnError = true)
{
    var code = StartProcess(file, new ProcessSettings { Arguments = args });
    if (code != 0 && throwOnError) throw new CakeException($"'{file} {args}' exited with {code}");
    return code;
}

bool LibraryPresent(string soname)
{
    IEnumerable<string> lines;
    var code = StartProcess("/sbin/ldconfig", new ProcessSettings { Arguments = "-p", RedirectStandardOutput = true }, out lines);
    return code == 0 && lines.Any(l => l.Contains(soname));
}

Task("Clean").Does(() =>
{
    CleanDirectories("./artifacts");
    CleanDirectories("./BenchmarkDotNet.Artifacts");
});

Task("Bootstrap").Does(() =>
{
    Run("dotnet", "tool restore");
    var missing = nativePackages.Where(p => !LibraryPresent(p.Library)).Select(p => p.Package)
        .Concat(filePackages.Where(f => !FileExists(f.File)).Select(f => f.Package)).ToList();
    if (missing.Count == 0) { Information("native libraries present: " + string.Join(", ", nativePackages.Select(p => p.Library))); return; }

    var names = string.Join(" ", missing);
    var isRoot = Environment.UserName == "root" || EnvironmentVariable("USER") == "root";
    var hasSudo = !isRoot && StartProcess("sudo", new ProcessSettings { Arguments = "-n true", RedirectStandardOutput = true, RedirectStandardError = true }) == 0;
    var hasApt = FileExists("/usr/bin/apt-get");
    if (!hasApt || (!isRoot && !hasSudo))
        throw new CakeException($"seiscat needs the native packages: {names}. Install them with 'sudo apt-get install -y {names}' (or set SEISCAT_FFTW_LIB / SEISCAT_HDF5_LIB / SEISCAT_DEFLATE_LIB / SEISCAT_ZSTD_LIB to the libraries' paths) and rerun.");
    var prefix = isRoot ? "" : "sudo -n ";
    var env = "DEBIAN_FRONTEND=noninteractive";
    Information($"installing {names} with apt-get");
    Run("/bin/sh", $"-c \"{prefix}env {env} apt-get update -qq && {prefix}env {env} apt-get install -y -qq {names}\"");
});

Task("Build").IsDependentOn("Bootstrap").Does(() =>
{
    DotNetBuild(solution, new DotNetBuildSettings { Configuration = configuration });
});

Task("Test").IsDependentOn("Build").IsDependentOn("Publish").Does(() =>
{
    CleanDirectories("./artifacts/test-results");
    // Microsoft.Testing.Platform (global.json): one TRX per test assembly under artifacts/test-results;
    // .ci/run counts passed/failed from them.
    Run("dotnet", $"test --solution {solution} -c {configuration} --no-build --report-xunit-trx --results-directory artifacts/test-results --timeout 30m");
    // Every SIMD kernel, the network and the mixture again with every vector path switched off (ImageSharp/Sep
    // practice): the scalar twins must give the same answers on machines without AVX.
    var scalar = new ProcessSettings
    {
        Arguments = $"test --project tests/Engine.Tests -c {configuration} --no-build --report-xunit-trx --report-xunit-trx-filename scalar-kernels.trx --results-directory artifacts/test-results -- --filter-namespace Seiscat.Engine.Tests.Kernels --filter-namespace Seiscat.Engine.Tests.Scattering --filter-namespace Seiscat.Engine.Tests.Mixture",
        EnvironmentVariables = new Dictionary<string, string> { ["SEISCAT_FORCE_KERNEL"] = "scalar", ["DOTNET_EnableHWIntrinsic"] = "0" },
    };
    var code = StartProcess("dotnet", scalar);
    if (code != 0) throw new CakeException($"scalar-path test rerun exited with {code}");
});

Task("Fuzz").IsDependentOn("Build").Does(() =>
{
    // The fuzz campaign: corrupted copies of real and synthetic archives (bit flips, header bytes, zeroed and duplicated
    // blocks, truncations, bytes after HDF5 structure signatures) through inspect and features. The test suite runs the
    // same test with a short loop; report: artifacts/test-results/fuzz-campaign.txt, failing inputs: artifacts/fuzz/.
    var settings = new ProcessSettings
    {
        Arguments = $"test --project tests/Cli.Tests -c {configuration} --no-build --results-directory artifacts/test-results -- --filter-class Seiscat.Cli.Tests.FuzzCampaignTests",
        EnvironmentVariables = new Dictionary<string, string> { ["SEISCAT_FUZZ_TRIALS"] = fuzzTrials, ["SEISCAT_FUZZ_MINUTES"] = fuzzMinutes },
    };
    if (FileExists("artifacts/test-results/fuzz-campaign.txt")) DeleteFile("artifacts/test-results/fuzz-campaign.txt");
    var code = StartProcess("dotnet", settings);
    Information(System.IO.File.Exists("artifacts/test-results/fuzz-campaign.txt") ? System.IO.File.ReadAllText("artifacts/test-results/fuzz-campaign.txt") : "no report written");
    if (code != 0) throw new CakeException($"fuzz campaign found inputs not handled as documented (exit {code}); see artifacts/fuzz/");
});

Task("Bench").IsDependentOn("Build").Does(() =>
{
    // In-process toolchain: the bench project name differs from its assembly name, which the default toolchain needs.
    Run("dotnet", $"run -c Release --no-build --project bench/Engine.Benchmarks -- --filter \"{benchFilter}\" --inProcess");
});

Task("Demo").IsDependentOn("Build").Does(() =>
{
    CleanDirectories(demoDir);
    var archive = $"{demoDir}/archive";
    Run("dotnet", $"{cli} synth --out {archive} --stations 2 --hours 6 --rate 50 --seed 1");
    Run("dotnet", $"{cli} inspect {archive} --window 40s --step 20s");
    var run = $"{demoDir}/run";
    Run("dotnet", $"{cli} run {archive} --window 40s --step 20s --seed 1 --stability 100,300,1000 --out {run}");
    // From clusters to templates to detections (issue 16): the repeating family comes back as one template group.
    Run("dotnet", $"{cli} templates {run} --out {run}/templates.h5");
    Run("dotnet", $"{cli} match {run}/templates.h5 {archive} --out {run}/detections.csv --report {run}/match");
    Information($"demo outputs: {archive} (waveforms, truth.csv) and {run} (features.h5, model.h5, windows.parquet, windows.csv, evaluation.json, stability.json, report/index.html, templates.h5, detections.csv, match/index.html)");
});

Task("Evaluate").IsDependentOn("Build").Does(() =>
{
    // The evaluation matrix (issue 27): synthetic archives over event rate × size × sampling rate × 5 seeds, the synthetic
    // DAS acquisition and the labelled real windows, through features -> fit -> predict -> evaluate with the defaults.
    // Archives' features are cached under artifacts/evaluation; the table goes to bench/results/<machine>/evaluation/.
    // ./build.sh evaluate [--label=NAME] [--fit-args="--levels 1"] [--quick] [--full]  (bench/evaluation/run.sh documents them)
    var args = $"--label {Argument("label", "defaults")}";
    if (HasArgument("fit-args")) args += $" --fit-args \"{Argument<string>("fit-args")}\"";
    if (HasArgument("quick")) args += " --quick";
    if (HasArgument("full")) args += " --full";
    Run("bash", $"bench/evaluation/run.sh {args}");
});

Task("Trace").IsDependentOn("Build").Does(() =>
{
    // A dotnet-trace of a demo-sized run, for hot-path profiling (open with PerfView or speedscope).
    var archive = $"{demoDir}/archive";
    if (!DirectoryExists(archive)) Run("dotnet", $"{cli} synth --out {archive} --stations 2 --hours 6 --rate 50 --seed 1");
    EnsureDirectoryExists("./artifacts/trace");
    if (FileExists("artifacts/trace/features.h5")) DeleteFile("artifacts/trace/features.h5");
    Run("dotnet", $"tool run dotnet-trace -- collect --format speedscope --output artifacts/trace/seiscat.nettrace -- dotnet {cli} features {archive} --out artifacts/trace/features.h5");
    // The sampled hot spots (all threads: a worker waiting in OrderedPipeline counts there too).
    Run("dotnet", "tool run dotnet-trace -- report artifacts/trace/seiscat.nettrace topN -n 25");
    Information("trace written under artifacts/trace/ (seiscat.nettrace for PerfView, seiscat.speedscope.json for speedscope.app)");
});

Task("Publish").IsDependentOn("Build").Does(() =>
{
    // Self-contained for this machine's architecture: a compute node without a .NET installation runs
    // artifacts/publish/seiscat/seiscat (it needs Debian's libhdf5-103-1, libfftw3-single3 and libdeflate0, as the build does).
    // JIT, not Native AOT: AOT compiles since the JSON is source-generated, but ran the network at ≈ 75 % and the mixture
    // at ≈ 55 % of this build (no Vector512, no tiered PGO; bench/results/amd-epyc-2vcpu/issue14/stored-chunks.txt).
    var rid = System.Runtime.InteropServices.RuntimeInformation.OSArchitecture == System.Runtime.InteropServices.Architecture.Arm64 ? "linux-arm64" : "linux-x64";
    DotNetPublish("./src/Cli/Cli.csproj", new DotNetPublishSettings
    {
        Configuration = configuration, Runtime = rid, SelfContained = true, OutputDirectory = "./artifacts/publish/seiscat",
    });
});

Task("Default").IsDependentOn("Test");

RunTarget(target);
