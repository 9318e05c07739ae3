using System.Diagnostics;
using System.Text.Json;
using System.Text.RegularExpressions;
using Seiscat.Tests.Shared;

namespace Seiscat.Cli.Tests;

/// <summary>
/// The report as a reader sees it: `run` writes report/index.html, headless Chromium (Debian's chromium, installed by
/// ./build.sh bootstrap) loads it from disk, and every image must have loaded (natural width &gt; 0) with no script or
/// resource error. A probe copy of the page records what the browser saw into the DOM, which --dump-dom prints. A
/// screenshot of the real page is kept at artifacts/report/report.png for people to look at.
/// </summary>
[Collection("cli-native")]
public partial class ReportBrowserTests
{
    private const string Probe = """
        <script>
        window.__seiscatErrors = [];
        window.addEventListener('error', e => window.__seiscatErrors.push(
          (e.target && e.target.src) ? 'failed to load ' + e.target.src : String(e.message)), true);
        for (const level of ['error', 'warn']) {
          const original = console[level];
          console[level] = (...args) => { window.__seiscatErrors.push(level + ': ' + args.join(' ')); original.apply(console, args); };
        }
        window.addEventListener('load', () => {
          const images = [...document.images];
          const result = {
            images: images.length,
            broken: images.filter(i => !(i.complete && i.naturalWidth > 0)).map(i => i.getAttribute('src')),
            widths: images.map(i => i.naturalWidth),
            errors: window.__seiscatErrors,
          };
          const pre = document.createElement('pre');
          pre.id = 'seiscat-probe';
          pre.textContent = JSON.stringify(result);
          document.body.appendChild(pre);
        });
        </script>
        """;

    [Fact]
    public void The_report_opens_in_Chromium_with_every_image_loaded_and_no_errors()
    {
        var chromium = new[] { "/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome" }.FirstOrDefault(File.Exists);
        Assert.True(chromium is not null, "no Chromium: ./build.sh bootstrap installs Debian's package chromium (apt-get install chromium)");
        using var dir = TestPaths.NewTempDir();
        var archive = CliHarness.SyntheticArchive(dir, hours: 2);
        var (exit, output, err) = CliHarness.Run("run", archive, "--config", dir.File("cfg.json"), "--fftw", "estimate", "--clusters", "auto:2-4",
            "--stability", "100,300", "--out", dir.File("out"));
        Assert.True(exit == 0, err);
        var report = Path.Combine(dir.File("out"), "report", "index.html");
        var html = File.ReadAllText(report);
        var referenced = ImageSource().Matches(html).Select(m => m.Groups[1].Value).ToList();
        Assert.True(referenced.Count >= 10, $"{referenced.Count} images in the page");

        var probe = Path.Combine(Path.GetDirectoryName(report)!, "probe.html");
        File.WriteAllText(probe, html.Replace("<head>", "<head>" + Probe, StringComparison.Ordinal));
        var (code, dom, log) = Chromium(chromium!, dir.File("profile"), "--virtual-time-budget=20000", "--dump-dom", new Uri(probe).AbsoluteUri);
        Assert.True(code == 0, $"chromium exit {code}: {log}");
        var json = ProbeResult().Match(dom);
        Assert.True(json.Success, "the probe did not run; the page's DOM:\n" + dom[..Math.Min(2000, dom.Length)]);
        using var result = JsonDocument.Parse(System.Net.WebUtility.HtmlDecode(json.Groups[1].Value));
        var root = result.RootElement;
        Assert.Equal(referenced.Count, root.GetProperty("images").GetInt32());
        Assert.Empty(root.GetProperty("broken").EnumerateArray().Select(e => e.GetString()));
        Assert.All(root.GetProperty("widths").EnumerateArray(), w => Assert.True(w.GetInt32() > 0));
        Assert.Empty(root.GetProperty("errors").EnumerateArray().Select(e => e.GetString()));
        Assert.DoesNotContain("Uncaught", log);

        // A picture of the real page for people (CI keeps artifacts/).
        var shots = Path.Combine(TestPaths.RepoRoot, "artifacts", "report");
        Directory.CreateDirectory(shots);
        var png = Path.Combine(shots, "report.png");
        File.Delete(png);
        (code, _, log) = Chromium(chromium!, dir.File("profile2"), "--hide-scrollbars", "--window-size=1000,5000", $"--screenshot={png}",
            new Uri(report).AbsoluteUri);
        Assert.True(code == 0 && File.Exists(png) && new FileInfo(png).Length > 20_000, $"screenshot: exit {code}: {log}");
        TestPaths.Record("report-browser", $"{referenced.Count} images loaded in Chromium, 0 errors; screenshot {png}");
    }

    private static (int Exit, string Out, string Err) Chromium(string chromium, string profile, params string[] args)
    {
        // The flags a sandboxed CI needs: no setuid sandbox as root, no GPU, and none of Chromium's own network traffic.
        string[] common = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
            "--disable-component-update", "--disable-sync", "--allow-file-access-from-files", $"--user-data-dir={profile}"];
        var info = new ProcessStartInfo(chromium) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in common.Concat(args)) info.ArgumentList.Add(a);
        using var p = Process.Start(info)!;
        var err = p.StandardError.ReadToEndAsync();
        var output = p.StandardOutput.ReadToEnd();
        if (!p.WaitForExit(TimeSpan.FromMinutes(2))) { p.Kill(entireProcessTree: true); return (-1, output, "timed out"); }
        return (p.ExitCode, output, err.Result);
    }

    [GeneratedRegex("<img src=\"([^\"]+)\"")]
    private static partial Regex ImageSource();

    [GeneratedRegex("<pre id=\"seiscat-probe\">(.*?)</pre>", RegexOptions.Singleline)]
    private static partial Regex ProbeResult();
}
