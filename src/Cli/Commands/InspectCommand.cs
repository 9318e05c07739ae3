using System.CommandLine;
using System.Text.Json;
using Seiscat.Engine;
using Seiscat.Engine.Io;
using Seiscat.Engine.Pipeline;
using Seiscat.Engine.Windows;

namespace Seiscat.Cli.Commands;

internal static class InspectCommand
{
    public static Command Create()
    {
        var command = new Command("inspect",
            "Describe an archive: layout, stations and channels, rates, time spans, gaps and overlaps, dtypes, storage, and how many windows a " +
                "window/step would make.");
        var archive = new ArchiveOptions();
        archive.AddTo(command);
        var json = new Option<bool>("--json") { Description = "print JSON instead of a table" };
        var window = new Option<string>("--window") { Description = "window length for the window count (e.g. 40s)", DefaultValueFactory = _ => "40s" };
        var step = new Option<string>("--step") { Description = "step between windows (e.g. 20s)", DefaultValueFactory = _ => "20s" };
        var zeroFill = new Option<bool>("--zero-fill-gaps") { Description = "count windows across short gaps (zero-filled) instead of skipping them" };
        foreach (var o in new Option[] { json, window, step, zeroFill }) command.Options.Add(o);
        command.SetAction(p =>
        {
            var a = ArchiveScanner.Open(p.GetValue(archive.Paths)!, archive.Read(p));
            foreach (var w in a.Warnings) p.InvocationConfiguration.Error.WriteLine("seiscat: warning: " + CliSettings.Render(w));
            var summary = InspectJob.Run(a, TimeFormat.ParseSeconds(p.GetValue(window)!, "--window"), TimeFormat.ParseSeconds(p.GetValue(step)!, "--step"),
                p.GetValue(zeroFill) ? GapPolicy.ZeroFill : GapPolicy.Skip);
            var o = p.InvocationConfiguration.Output;
            if (p.GetValue(json))
            {
                o.WriteLine(JsonSerializer.Serialize(summary, CliJson.Default.ArchiveSummary));
                return 0;
            }
            Print(o, summary);
            return 0;
        });
        return command;
    }

    private static void Print(TextWriter o, ArchiveSummary s)
    {
        o.WriteLine($"archive   {Plural.Of(s.Files, "file")}, layout {s.Layout}, {Plural.Of(s.Stations.Count, "station")}, " +
            $"{Plural.Of(s.Stations.Sum(x => x.Channels.Count), "channel")}");
        o.WriteLine($"size      {s.StoredBytes / 1e6:0.0} MB stored, {s.SampleBytes / 1e6:0.0} MB of samples " +
            $"({(s.StoredBytes > 0 ? (double)s.SampleBytes / s.StoredBytes : 0):0.00}x)");
        o.WriteLine($"windows   {TimeFormat.Duration(s.WindowSeconds)} every {TimeFormat.Duration(s.StepSeconds)}: " +
            $"{s.Stations.Where(x => x.Windows > 0).Sum(x => x.Windows)} in all (components aligned, gaps skipped)");
        if (s.Defaults is { } f)
            o.WriteLine($"features  without --config: {f.RateHz:0.###} Hz (the highest rate half the stations reach), {Plural.Of(f.Kept, "station")} kept" +
                (f.Resampled > 0 ? $" ({f.Resampled} resampled)" : "")
                + (f.Skipped.Count > 0 ? $", {f.Skipped.Count} skipped: {string.Join(", ", f.Skipped)}" : "") +
                $"; one row per {f.Unit}" + (f.Unit == "channel" ? " (--unit auto: stations differ in component count)" : ""));
        if (s.Fibre is { } fibre)
        {
            string Metres(double? m) => m is { } v ? $"{v:0.###} m" : "not given";
            o.WriteLine();
            o.WriteLine($"fibre     {fibre.Channels} channels, loci {fibre.FirstLocus}..{fibre.LastLocus}" +
                (fibre.LocusStep is { } k and not 1 ? $" every {k}" : fibre.LocusStep is null ? " (not evenly spaced)" : "") +
                $", spacing {Metres(fibre.SpacingM)}, gauge length {Metres(fibre.GaugeLengthM)}" +
                (fibre.SpacingM is { } dx ? $", {(fibre.LastLocus - fibre.FirstLocus) * dx:0.#} m of fibre" : ""));
            o.WriteLine($"samples   {string.Join(", ", fibre.RatesHz.Select(r => $"{r:0.###} Hz"))}, {fibre.Dtype}, {fibre.Order}, {fibre.Storage}");
            o.WriteLine($"span      {fibre.Start} .. {fibre.End}");
            foreach (var g in fibre.Gaps) o.WriteLine($"  gap of {TimeFormat.Duration(g.Seconds)} at {g.At} ({g.Channels} channels)");
            foreach (var g in fibre.Overlaps) o.WriteLine($"  overlap of {TimeFormat.Duration(g.Seconds)} at {g.At} ({g.Channels} channels)");
            if (fibre.Gaps.Count + fibre.Overlaps.Count == 0) o.WriteLine("  no gaps or overlaps between files");
            o.WriteLine($"(one line per channel: --json)");
            return;
        }
        foreach (var st in s.Stations)
        {
            o.WriteLine();
            o.WriteLine($"{st.Station}  {st.RateHz:0.###} Hz  {st.Start} .. {st.End}  windows: {(st.Windows >= 0 ? st.Windows.ToString() : "n/a " +
                "(components differ in rate)")}");
            o.WriteLine($"  {"channel",-18} {"pieces",6} {"samples",12} {"dtype",6} {"MB",8}  storage");
            foreach (var c in st.Channels)
            {
                o.WriteLine($"  {c.Channel,-18} {c.Pieces,6} {c.Samples,12} {c.Dtype,6} {c.StoredBytes / 1e6,8:0.00}  {c.Storage}");
                if (Math.Abs(c.RateHz - st.RateHz) > 1e-9) o.WriteLine($"    rate {c.RateHz} Hz differs from the station's {st.RateHz} Hz");
                foreach (var g in c.Gaps) o.WriteLine($"    gap of {TimeFormat.Duration(g.Seconds)} at {g.At}");
                foreach (var g in c.Overlaps) o.WriteLine($"    overlap of {TimeFormat.Duration(g.Seconds)} at {g.At}");
            }
        }
    }
}
