namespace Seiscat.Engine.Io;

/// <summary>
/// `--stack-channels N` for DAS: the kept loci, in fibre order, are averaged N at a time into one unit — neighbouring
/// channels share most of their signal and little of their noise, so a stack of N raises the SNR of coherent signals
/// by up to √N while dividing the units (and the work) by N. A stack is N consecutive columns of one matrix in every
/// file; it is named after its first locus and placed at its centre. The loci left over at the end (fewer than N) are
/// dropped, and said so by the caller's summary.
/// </summary>
public static class ChannelStacking
{
    public static IReadOnlyList<UnitRecord> Apply(IReadOnlyList<UnitRecord> stations, int n)
    {
        if (n < 1 || n > 10_000) throw new SeiscatException($"{Setting.StackChannels.Ref()} {n}: use 1..10000 neighbouring channels");
        var loci = stations.Select(s => (Station: s, Locus: s.Pieces.Count == 1 ? s.Pieces[0].FirstOrDefault()?.Fibre?.Locus : null)).ToList();
        if (loci.Any(l => l.Locus is null))
            throw new SeiscatException($"{Setting.StackChannels.Ref()} stacks DAS channels; {loci.First(l => l.Locus is null).Station.UnitId} is not " +
                "a DAS locus");
        var ordered = loci.OrderBy(l => l.Locus).Select(l => l.Station).ToList();
        if (ordered.Count < n)
            throw new SeiscatException($"{Setting.StackChannels.Ref()} {n}: only {Plural.Of(ordered.Count, "channel")} " +
                $"{(ordered.Count == 1 ? "is" : "are")} kept; stack fewer");
        var stacked = new List<UnitRecord>();
        for (var g = 0; g + n <= ordered.Count; g += n)
        {
            var group = ordered.GetRange(g, n);
            var first = group[0];
            var pieces = first.Pieces[0].Select(p =>
            {
                for (var k = 1; k < n; k++)
                {
                    var q = group[k].Pieces[0].FirstOrDefault(x => x.File == p.File && x.Dataset == p.Dataset && x.StartNs == p.StartNs);
                    if (q is null || q.Row != p.Row + k || q.Samples != p.Samples || q.Fibre!.Locus != p.Fibre!.Locus + k)
                        throw new SeiscatException($"{Setting.StackChannels.Ref()} {n}: {group[k].UnitId} is not the neighbour of " +
                            $"{first.UnitId} in {p.Where}; stack only neighbouring channels (drop the STEP of {Setting.Channels.Ref()})");
                }
                return p with { Stack = n, Fibre = p.Fibre! with { Stacked = n } };
            }).ToList();
            if (group.Skip(1).Any(s => s.Pieces[0].Count != pieces.Count))
                throw new SeiscatException($"{Setting.StackChannels.Ref()} {n}: the channels of {first.UnitId}'s stack were recorded in different files; " +
                    "stack only channels of one acquisition");
            stacked.Add(first with { Pieces = [pieces] });
        }
        return stacked;
    }
}
