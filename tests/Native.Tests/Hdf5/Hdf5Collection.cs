namespace Seiscat.Native.Tests.Hdf5;

/// <summary>Native HDF5 tests run one at a time: they share the library's global state and error stack.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class Hdf5Collection
{
    public const string Name = "native-hdf5";
}
