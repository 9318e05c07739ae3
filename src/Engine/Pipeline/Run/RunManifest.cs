using System.Text.Json;
using Seiscat.Engine.Common;

namespace Seiscat.Engine.Pipeline.Run;

/// <summary>
/// DIR/run.json: the fingerprint each finished stage was made with. A stage is up to date when its recorded key equals
/// the key of this run and its outputs exist; finishing a stage invalidates the stages that consume it.
/// </summary>
public sealed class RunManifest
{
    private readonly string _path;
    private readonly string _dir;
    private readonly Dictionary<string, string> _keys;

    private RunManifest(string dir, Dictionary<string, string> keys)
    {
        _dir = dir;
        _path = Path.Combine(dir, "run.json");
        _keys = keys;
    }

    public static RunManifest Open(string dir)
    {
        var path = Path.Combine(dir, "run.json");
        if (!File.Exists(path)) return new RunManifest(dir, []);
        try { return new RunManifest(dir, JsonSerializer.Deserialize(File.ReadAllText(path), ManifestJson.Default.DictionaryStringString) ?? []); }
        catch (JsonException) { return new RunManifest(dir, []); } // unreadable: every stage reruns
    }

    public bool UpToDate(string stage, string key, params string[] outputs)
        => _keys.GetValueOrDefault(stage) == key && outputs.All(f => File.Exists(Path.Combine(_dir, f)));

    /// <summary>Records a finished stage (atomically) and forgets the ones it invalidates.</summary>
    public void Finished(string stage, string key, params string[] invalidates)
    {
        _keys[stage] = key;
        foreach (var s in invalidates) _keys.Remove(s);
        using var atomic = new AtomicOutput(_path);
        File.WriteAllText(atomic.TempPath, JsonSerializer.Serialize(_keys, ManifestJson.Default.DictionaryStringString));
        atomic.Commit();
    }
}
