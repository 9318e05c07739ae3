using Seiscat.Engine.Common;
using Seiscat.Native.Hdf5;

namespace Seiscat.Engine.Templates;

/// <summary>
/// templates.h5, readable with h5py: root attributes <c>format</c> ("seiscat-templates-1"), <c>stacking</c>,
/// <c>pre_onset_share</c>, <c>source</c> (the run folder) and <c>inputs</c> (JSON list of archive files); one group per
/// template, <c>/templates/T000</c>…, holding <c>waveform</c> (float32, components × samples, band-passed, record units),
/// <c>channels</c>, <c>members</c> (float32, members × components × samples, aligned, unit norm),
/// <c>member_onset_ns</c>, <c>member_window_start_ns</c> (int64 UTC ns), <c>member_correlation</c> (float64), and the
/// attributes <c>station</c>, <c>cluster</c>, <c>sampling_rate</c>, <c>onset_sample</c>, <c>onset_offset_s</c>,
/// <c>band_low_hz</c>, <c>band_high_hz</c>, <c>group</c>, <c>group_offset_ns</c>. Written through a temporary name.
/// </summary>
public static class TemplateFile
{
    public sealed record Contents(IReadOnlyList<Template> Templates, string Stacking, double PreOnsetShare, string Source, string InputsJson);

    public static void Save(string path, Contents contents)
    {
        using var output = new AtomicOutput(path);
        using (var f = H5File.Create(output.TempPath))
        {
            FileFormat.Templates.Stamp(f);
            f.WriteAttribute("stacking", contents.Stacking);
            f.WriteAttribute("pre_onset_share", contents.PreOnsetShare);
            f.WriteAttribute("source", contents.Source);
            f.WriteAttribute("inputs", contents.InputsJson);
            using var all = f.CreateGroup("templates");
            foreach (var t in contents.Templates)
            {
                using var g = all.CreateGroup(t.Name);
                var (c, m) = (t.Channels.Length, t.Samples);
                g.WriteDataset<float>("waveform", t.Waveform.SelectMany(x => x).ToArray(), [c, m]);
                g.WriteStringDataset("channels", t.Channels);
                g.WriteDataset<float>("members", t.Members.SelectMany(u => u.SelectMany(x => x)).ToArray(), [t.Members.Length, c, m]);
                g.WriteDataset<long>("member_onset_ns", t.MemberOnsetNs, [t.MemberOnsetNs.Length]);
                g.WriteDataset<long>("member_window_start_ns", t.MemberWindowStartNs, [t.MemberWindowStartNs.Length]);
                g.WriteDataset<double>("member_correlation", t.MemberCorrelation, [t.MemberCorrelation.Length]);
                g.WriteAttribute("station", t.Station);
                g.WriteAttribute("cluster", (long)t.Cluster);
                g.WriteAttribute("sampling_rate", t.Rate);
                g.WriteAttribute("onset_sample", (long)t.OnsetSample);
                g.WriteAttribute("onset_offset_s", t.OnsetSample / t.Rate);
                g.WriteAttribute("band_low_hz", t.LowHz);
                g.WriteAttribute("band_high_hz", t.HighHz);
                g.WriteAttribute("group", (long)t.Group);
                g.WriteAttribute("group_offset_ns", t.GroupOffsetNs);
            }
        }
        output.Commit();
    }

    public static Contents Load(string path)
    {
        const string Fix = "pass the templates.h5 that `seiscat templates` wrote";
        if (!File.Exists(path)) throw SeiscatException.For(path, null, "no such file", Fix);
        if (!H5File.IsHdf5(path)) throw SeiscatException.For(path, null, "is not HDF5", Fix);
        Hdf5Vetting.Ensure([path]);
        try
        {
            using var f = H5File.OpenRead(path);
            FileFormat.Templates.Ensure(f, path);
            if (f.KindOf("templates") != H5ObjectKind.Group)
                throw SeiscatException.For(path, "/templates", "is not a seiscat templates file", Fix);
            using var all = f.OpenGroup("templates");
            var templates = new List<Template>();
            foreach (var name in all.ChildNames())
            {
                using var g = all.OpenGroup(name);
                var channels = g.ReadStringDataset("channels");
                float[][] Rows(float[] flat, int rows, int length)
                    => Enumerable.Range(0, rows).Select(r => flat.AsSpan(r * length, length).ToArray()).ToArray();
                using var wf = g.OpenDataset("waveform");
                if (wf.Dims.Length != 2 || wf.Dims[0] != channels.Length || wf.Dims[1] < 2)
                    throw SeiscatException.For(path, $"/templates/{name}/waveform", $"has shape ({string.Join(", ", wf.Dims)}), not (components, samples)",
                        Fix);
                var m = (int)wf.Dims[1];
                var waveform = Rows(g.ReadDataset<float>("waveform"), channels.Length, m);
                var membersFlat = g.ReadDataset<float>("members");
                var memberCount = membersFlat.Length / Math.Max(1, channels.Length * m);
                var rate = g.ReadDoubleAttribute("sampling_rate");
                if (!(rate > 0) || !double.IsFinite(rate))
                    throw SeiscatException.For(path, $"/templates/{name}", $"sampling_rate {rate} is impossible", Fix);
                if (waveform.Any(c => c.Any(v => !float.IsFinite(v))))
                    throw SeiscatException.For(path, $"/templates/{name}/waveform", "holds NaN or Inf", "rebuild the templates");
                templates.Add(new Template
                {
                    Name = name,
                    Cluster = (int)g.ReadInt64Attribute("cluster"),
                    Station = g.ReadStringAttribute("station"),
                    Channels = channels,
                    Rate = rate,
                    Waveform = waveform,
                    OnsetSample = (int)Math.Clamp(g.ReadInt64Attribute("onset_sample"), 0, m - 1),
                    LowHz = g.ReadDoubleAttribute("band_low_hz"),
                    HighHz = g.ReadDoubleAttribute("band_high_hz"),
                    MemberOnsetNs = g.ReadDataset<long>("member_onset_ns"),
                    MemberWindowStartNs = g.ReadDataset<long>("member_window_start_ns"),
                    MemberCorrelation = g.ReadDataset<double>("member_correlation"),
                    Members = Enumerable.Range(0, memberCount).Select(u => Rows(membersFlat.AsSpan(u * channels.Length * m, channels.Length * m).ToArray(),
                        channels.Length, m)).ToArray(),
                    Group = (int)g.ReadInt64Attribute("group"),
                    GroupOffsetNs = g.ReadInt64Attribute("group_offset_ns"),
                });
            }
            if (templates.Count == 0) throw SeiscatException.For(path, "/templates", "holds no template", "rebuild it with `seiscat templates`");
            return new Contents(templates, f.ReadStringAttribute("stacking"), f.ReadDoubleAttribute("pre_onset_share"), f.ReadStringAttribute("source"),
                f.ReadStringAttribute("inputs"));
        }
        catch (Hdf5Exception e)
        {
            throw SeiscatException.For(path, null, "cannot be read as a templates file: " + e.Hdf5Message, Fix);
        }
    }
}
