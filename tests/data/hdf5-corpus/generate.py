#!/usr/bin/python3
"""Writes the corpus of valid-but-unusual HDF5 files (tests/data/hdf5-corpus) that seiscat must read or refuse for a
named reason, never call damaged. Run at fixture-generation time, not in tests:

    HDF5_PLUGIN_PATH=/usr/lib/x86_64-linux-gnu/hdf5/serial/plugins /usr/bin/python3 tests/data/hdf5-corpus/generate.py

Needs Debian's python3-h5py, python3-zstd, hdf5-plugin-lzf, hdf5-filter-plugin, hdf5-filter-plugin-blosc-serial and
bitshuffle (the plugins write the filtered files). Every file holds one or more waveforms (1-D numeric datasets with
sampling_rate and starttime_ns attributes) beside the construct it exercises. manifest.json says, per file, what it
exercises, which channels seiscat must find, and whether it must read (values equal to what h5py reads, stored as
little-endian float64 in expected/FILE.CHANNEL.f64) or be refused with a line naming the reason.
"""
import json, os, shutil, struct, sys
import numpy as np
import h5py

HERE = os.path.dirname(os.path.abspath(__file__))
EXPECTED = os.path.join(HERE, "expected")
N = 2000          # samples per waveform: 20 s at 100 Hz
RATE = 100.0
START = 1_546_300_800_000_000_000  # 2019-01-01T00:00:00Z
manifest = []


def wave(seed, dtype="f4"):
    """A deterministic record: a decaying burst on noise, integers (exact in float32 for every dtype used)."""
    rng = np.random.default_rng(seed)
    t = np.arange(N)
    burst = 3000 * np.exp(-((t - 700) / 120.0) ** 2) * np.sin(2 * np.pi * t / 17.0)
    v = np.round(rng.normal(0, 200, N) + burst)
    return v.astype(dtype)


def stamp(ds, rate=RATE, start=START):
    ds.attrs["sampling_rate"] = rate
    ds.attrs["starttime_ns"] = np.int64(start)


def add(name, about, channels, expect="read", reason=None, args=None, files=None):
    """Records a file: channels maps channel id -> dataset path (values read back with h5py for the expectation)."""
    entry = {"file": name, "about": about, "expect": expect, "channels": sorted(channels)}
    if reason: entry["reason"] = reason
    if args: entry["args"] = args
    if expect == "read":
        with h5py.File(os.path.join(HERE, name), "r") as f:
            for cid, path in channels.items():
                values = np.asarray(f[path][...], dtype="<f8")
                values.tofile(os.path.join(EXPECTED, f"{name}.{cid}.f64"))
    manifest.append(entry)


def simple(name, about, dtype="f4", seed=None, make=None, **kw):
    """One waveform XX.Cnn..HHZ at the root plus whatever make(f, ds) adds."""
    seed = seed if seed is not None else len(manifest) + 1
    cid = f"XX.C{seed:02d}..HHZ"
    with h5py.File(os.path.join(HERE, name), "w", **kw) as f:
        ds = f.create_dataset(cid, data=wave(seed, dtype))
        stamp(ds)
        if make: make(f, ds)
    add(name, about, {cid: cid})


def filter_pairs():
    """tests/data/hdf5-filters/CODEC/XX.F01.h5: one 3-component record, 10 min at 20 Hz, stored with gzip, LZF, Zstandard
    and Blosc, so `features` can be compared across codecs (they must give the same bytes)."""
    import hdf5plugin, zstd
    root = os.path.join(os.path.dirname(HERE), "hdf5-filters")
    shutil.rmtree(root, ignore_errors=True)
    rng = np.random.default_rng(2026)
    n, rate = 12000, 20.0
    t = np.arange(n)
    records = {}
    for c in "ENZ":
        bursts = sum(4000 * np.exp(-((t - k) / 60.0) ** 2) * np.sin(2 * np.pi * t / (5 + k % 7)) for k in (1500, 4200, 9100))
        records[c] = np.round(rng.normal(0, 300, n) + bursts).astype("f4")
    codecs = {"gzip": dict(compression="gzip", compression_opts=4, shuffle=True), "lzf": dict(compression="lzf"),
              "blosc": dict(**hdf5plugin.Blosc(cname="lz4", clevel=5, shuffle=hdf5plugin.Blosc.SHUFFLE)), "zstd": None}
    for codec, kw in codecs.items():
        os.makedirs(os.path.join(root, codec))
        with h5py.File(os.path.join(root, codec, "XX.F01.h5"), "w") as f:
            for c, data in records.items():
                name = f"XX.F01..HH{c}"
                if kw is None:
                    d = f.create_dataset(name, shape=(n,), dtype="f4", chunks=(2000,), compression=Zstd_ID, compression_opts=(3,),
                                         allow_unknown_filter=True)
                    for k in range(0, n, 2000): d.id.write_direct_chunk((k,), zstd.compress(data[k:k + 2000].tobytes(), 3))
                else:
                    d = f.create_dataset(name, data=data, chunks=(2000,), **kw)
                stamp(d, rate=rate)


Zstd_ID = 32015


def main():
    for old in os.listdir(HERE):
        if old.endswith(".h5"): os.remove(os.path.join(HERE, old))
    shutil.rmtree(EXPECTED, ignore_errors=True)
    os.makedirs(EXPECTED)

    # --- attributes of every shape and class --------------------------------------------------------------------
    simple("attr_zero_length.h5", "root attribute with a zero-length simple dataspace (Terra15 Treble's cpu_temperature)",
           make=lambda f, d: f.attrs.create("cpu_temperature", np.zeros((0,), "f8")))
    simple("attr_zero_length_on_dataset.h5", "zero-length int and string attributes on the waveform itself",
           make=lambda f, d: (d.attrs.create("gains", np.zeros((0,), "i4")),
                              d.attrs.create("names", np.array([], dtype=h5py.string_dtype()))))
    simple("attr_null_numeric.h5", "null-dataspace numeric attribute (h5py.Empty)",
           make=lambda f, d: f.attrs.create("empty", h5py.Empty("f4")))
    simple("attr_null_string.h5", "null-dataspace string attribute (PyTables' empty TITLE)",
           make=lambda f, d: f.attrs.create("TITLE", h5py.Empty(h5py.string_dtype("ascii", 1))))
    simple("attr_compound.h5", "compound attribute (a record of float, int and fixed string)",
           make=lambda f, d: f.attrs.create("sensor", np.array([(1.5, 7, b"GS-11D")],
                                                                 dtype=[("gain", "<f8"), ("id", "<i4"), ("model", "S8")])))
    simple("attr_enum.h5", "enum attribute",
           make=lambda f, d: f.attrs.create("state", 2, dtype=h5py.enum_dtype({"off": 0, "on": 1, "fault": 2}, basetype="i1")))
    simple("attr_bool.h5", "bool attribute (h5py's enum of int8) on the waveform",
           make=lambda f, d: (d.attrs.create("clipped", np.bool_(False)), f.attrs.create("flags", np.array([True, False, True]))))
    simple("attr_array_type.h5", "attribute of an HDF5 array type (3x3 float64 per element)",
           make=lambda f, d: f.attrs.create("rotation", np.array([np.eye(3)]), dtype=np.dtype(("<f8", (3, 3)))))
    simple("attr_object_reference.h5", "object-reference attribute pointing at the waveform",
           make=lambda f, d: f.attrs.create("main", d.ref, dtype=h5py.ref_dtype))
    simple("attr_region_reference.h5", "region-reference attribute (a slice of the waveform)",
           make=lambda f, d: f.attrs.create("pick", d.regionref[100:200], dtype=h5py.regionref_dtype))
    simple("attr_opaque.h5", "opaque attribute (raw bytes, np.void)",
           make=lambda f, d: f.attrs.create("blob", np.void(b"\x00\x01\x02\xffseiscat")))

    def bitfield(f, d):
        space = h5py.h5s.create(h5py.h5s.SCALAR)
        attr = h5py.h5a.create(f.id, b"bits", h5py.h5t.STD_B8LE, space)
        attr.write(np.array(0b1011, dtype="u1"))
    simple("attr_bitfield.h5", "bitfield attribute (H5T_STD_B8LE)", make=bitfield)

    def strings(f, d):
        f.attrs.create("fixed_ascii", np.bytes_(b"ASDF"))
        f.attrs.create("fixed_utf8", "Zürich".encode("utf-8"), dtype=h5py.string_dtype("utf-8", 7))
        f.attrs.create("vlen_ascii", "plain", dtype=h5py.string_dtype("ascii"))
        f.attrs["vlen_utf8"] = "Station Zürich – 東京 ✓"
        f.attrs.create("vlen_array", ["BHE", "BHN", "BHZ"], dtype=h5py.string_dtype())
        f.attrs.create("fixed_array", np.array([b"a", b"bb", b"ccc"], dtype="S3"))
        f.attrs.create("empty_vlen", "", dtype=h5py.string_dtype())
        d.attrs["units"] = "m/s"
        d.attrs["comment"] = "µ-strain – ünïcode"
    def ap_sensing(f, d):
        f.attrs.create("AppVersion", ["APSensing DAS Data Collector (Version: 3.6.0)"], dtype=h5py.string_dtype("ascii"))
        f.attrs.create("FileVersion", np.int32(2))
        d.attrs.create("Unit", ["m"], dtype=h5py.string_dtype("ascii"))
    simple("attr_vlen_ascii_array.h5", "one-element arrays of variable-length ASCII strings (as AP Sensing writes them; "
           "libhdf5 1.10 converts no ASCII vlen string to UTF-8)", make=ap_sensing)
    simple("attr_strings.h5", "string attributes: fixed and variable, ASCII and UTF-8, arrays, empty", make=strings)

    def vlen_seq(f, d):
        f.attrs.create("ragged", np.array([np.array([1, 2, 3], "i4"), np.array([4], "i4")], dtype=object),
                       dtype=h5py.vlen_dtype(np.dtype("i4")))
    simple("attr_vlen_sequence.h5", "variable-length sequence attribute (ragged int arrays)", make=vlen_seq)

    def big_endian_attrs(f, d):
        d.attrs.create("sampling_rate", RATE, dtype=">f8")
        d.attrs.create("starttime_ns", START, dtype=">i8")
        f.attrs.create("gain", np.array([1.0, 2.0], ">f4"))
    simple("attr_big_endian.h5", "big-endian rate, start and gain attributes", make=big_endian_attrs)

    def many_attrs(f, d):
        for i in range(40): f.attrs[f"meta_{i:02d}"] = i * 0.5
        f.attrs["large"] = np.arange(20000, dtype="f8")  # 160 KB: stored densely
    simple("attr_dense_storage.h5", "40 attributes and a 160 KB one (dense attribute storage in a fractal heap)", make=many_attrs,
           libver="latest")
    simple("attr_creation_order.h5", "attributes and groups with creation order tracked", track_order=True,
           make=lambda f, d: (f.attrs.create("z_first", 1), f.attrs.create("a_second", 2),
                              f.create_group("meta", track_order=True).attrs.create("x", 3)))

    # --- datatypes ----------------------------------------------------------------------------------------------
    def committed(f, d):
        f["sample_type"] = np.dtype("<f4")
        d2 = f.create_dataset("XX.C90..HHZ", data=wave(90), dtype=f["sample_type"])
        stamp(d2)
        f.attrs.create("typed", 1.0, dtype=f["sample_type"])
    simple("committed_datatype.h5", "a committed (named) datatype used by a waveform and an attribute", make=committed)
    manifest[-1]["channels"] = sorted(manifest[-1]["channels"] + ["XX.C90..HHZ"])
    np.asarray(h5py.File(os.path.join(HERE, "committed_datatype.h5"), "r")["XX.C90..HHZ"][...], "<f8").tofile(
        os.path.join(EXPECTED, "committed_datatype.h5.XX.C90..HHZ.f64"))

    simple("wave_big_endian_f4.h5", "big-endian float32 waveform", dtype=">f4")
    simple("wave_big_endian_i4.h5", "big-endian int32 waveform", dtype=">i4")
    simple("wave_int16.h5", "int16 waveform", dtype="<i2")
    simple("wave_float64.h5", "float64 waveform", dtype="<f8")
    def side_datasets(f, d):
        f.create_dataset("enum_state", data=np.array([0, 1, 2, 1], "i1"),
                         dtype=h5py.enum_dtype({"off": 0, "on": 1, "fault": 2}, basetype="i1"))
        f.create_dataset("picks", data=np.array([(1.0, b"P"), (2.5, b"S")], dtype=[("t", "<f8"), ("phase", "S2")]))
        f.create_dataset("names", data=["Zürich", "東京", ""], dtype=h5py.string_dtype())
        f.create_dataset("fixed_names", data=np.array([b"BHZ", b"BHN"], "S3"))
        f.create_dataset("empty", shape=(0,), dtype="f4")
        f.create_dataset("null", data=h5py.Empty("f8"))
        f.create_dataset("scalar", data=3.25)
        f.create_dataset("refs", data=[d.ref], dtype=h5py.ref_dtype)
        f.create_dataset("ragged", data=np.array([np.array([1.0]), np.array([2.0, 3.0])], dtype=object),
                         dtype=h5py.vlen_dtype(np.dtype("f8")))
        f.create_dataset("flags", data=np.array([True, False]))
        f.create_dataset("empty_strings", shape=(0,), dtype=h5py.string_dtype())
    simple("side_datasets.h5", "non-waveform datasets beside the waveform: enum, compound, vlen/fixed strings, zero-length, "
           "null, scalar, references, ragged, bool, empty string array", make=side_datasets)

    # --- links --------------------------------------------------------------------------------------------------
    simple("link_soft.h5", "a soft link /alias -> the waveform (one channel, named by the dataset's own path)",
           make=lambda f, d: f.__setitem__("alias", h5py.SoftLink("/" + d.name.lstrip("/"))))
    def soft_group(f, d):
        g = f.create_group("station")
        g["trace"] = h5py.SoftLink(d.name)
        f["shortcut"] = h5py.SoftLink("/station")
    simple("link_soft_group.h5", "soft links to a group and through it to the waveform", make=soft_group)
    simple("link_dangling_soft.h5", "a dangling soft link", make=lambda f, d: f.__setitem__("gone", h5py.SoftLink("/nowhere")))
    simple("link_hard_twice.h5", "the waveform reached by two hard links (one channel)",
           make=lambda f, d: f.create_group("z_copy").__setitem__("same", d))
    simple("link_dangling_external.h5", "an external link to a file that does not exist (warned once)",
           make=lambda f, d: f.__setitem__("remote", h5py.ExternalLink("missing_file.h5", "/data")))
    simple("link_external_target.h5", "the target of link_external.h5's external link")
    simple("link_external.h5", "an external link to link_external_target.h5's waveform (not followed: the target file is "
           "read when it is in the archive)", make=lambda f, d: f.__setitem__(
               "XX.C99..HHZ", h5py.ExternalLink("link_external_target.h5", "/" + manifest[-1]["channels"][0])))
    def cycle(f, d):
        g = f.create_group("a")
        g["back"] = f            # a hard link to the root: a cycle
        g["self"] = h5py.SoftLink("/a")
    simple("link_cycle.h5", "a group holding a hard link to the root and a soft link to itself (cycles)", make=cycle)

    # --- layouts and storage --------------------------------------------------------------------------------------
    def compact(name, about, seed):
        cid = f"XX.C{seed:02d}..HHZ"
        with h5py.File(os.path.join(HERE, name), "w") as f:
            space = h5py.h5s.create_simple((N,))
            dcpl = h5py.h5p.create(h5py.h5p.DATASET_CREATE)
            dcpl.set_layout(h5py.h5d.COMPACT)
            dsid = h5py.h5d.create(f.id, cid.encode(), h5py.h5t.IEEE_F32LE, space, dcpl=dcpl)
            dsid.write(h5py.h5s.ALL, h5py.h5s.ALL, wave(seed))
            stamp(f[cid])
        add(name, about, {cid: cid})
    compact("layout_compact.h5", "compact layout (samples inside the object header)", 60)
    def chunked(name, about, seed, **kw):
        cid = f"XX.C{seed:02d}..HHZ"
        with h5py.File(os.path.join(HERE, name), "w") as f:
            d = f.create_dataset(cid, data=wave(seed), **kw)
            stamp(d)
        add(name, about, {cid: cid})
    chunked("layout_chunked.h5", "chunked, no filters, last chunk partial", 61, chunks=(300,))
    chunked("layout_chunked_unlimited.h5", "chunked with unlimited maxshape (resizable)", 62, chunks=(256,), maxshape=(None,))
    chunked("layout_gzip_shuffle_fletcher.h5", "shuffle + gzip 9 + Fletcher-32", 63, chunks=(512,), shuffle=True,
            compression="gzip", compression_opts=9, fletcher32=True)
    chunked("layout_scaleoffset.h5", "HDF5's scale-offset filter (integer, lossless)", 64, chunks=(500,), dtype="<i4", scaleoffset=0)
    def nbit(f_name, seed):
        cid = f"XX.C{seed:02d}..HHZ"
        with h5py.File(os.path.join(HERE, f_name), "w") as f:
            space = h5py.h5s.create_simple((N,))
            dcpl = h5py.h5p.create(h5py.h5p.DATASET_CREATE)
            dcpl.set_chunk((500,))
            import ctypes  # h5py does not bind H5Pset_nbit
            ctypes.CDLL('libhdf5_serial.so.103').H5Pset_nbit(ctypes.c_int64(dcpl.id))
            t = h5py.h5t.STD_I32LE.copy()
            t.set_precision(20)
            dsid = h5py.h5d.create(f.id, cid.encode(), t, space, dcpl=dcpl)
            dsid.write(h5py.h5s.ALL, h5py.h5s.ALL, wave(seed, "<i4"))
            stamp(f[cid])
        add(f_name, "HDF5's n-bit filter on a 20-bit integer type", {cid: cid})
    nbit("layout_nbit.h5", 65)
    def fill(f_name, seed):
        cid = f"XX.C{seed:02d}..HHZ"
        with h5py.File(os.path.join(HERE, f_name), "w") as f:
            d = f.create_dataset(cid, shape=(N,), dtype="f4", chunks=(250,), fillvalue=-1.5)
            d[:750] = wave(seed)[:750]
            d[1500:] = wave(seed)[1500:]
            stamp(d)
        add(f_name, "chunked with a fill value and never-written chunks in the middle (read as the fill value)", {cid: cid})
    fill("layout_fill_value.h5", 66)
    def vds(f_name, seed):
        cid = f"XX.C{seed:02d}..HHZ"
        with h5py.File(os.path.join(HERE, f_name), "w", libver="latest") as f:
            src = f.create_dataset("raw/block", data=wave(seed))
            layout = h5py.VirtualLayout(shape=(N,), dtype="f4")
            layout[:] = h5py.VirtualSource(".", "raw/block", shape=(N,))
            v = f.create_virtual_dataset(cid, layout, fillvalue=0)
            stamp(v)
        add(f_name, "a virtual dataset (VDS) over a dataset of the same file; the source is also a dataset without "
            "rate/start (skipped as not a waveform)", {cid: cid}, args={"dataset": "/" + cid})
    vds("layout_virtual.h5", 67)

    # --- files from other writers --------------------------------------------------------------------------------
    simple("h5py_userblock.h5", "a 512-byte user block before the superblock", userblock_size=512)
    simple("h5py_libver_latest.h5", "newest file format (superblock v3, new-style groups)", libver="latest")
    simple("h5py_libver_earliest.h5", "earliest file format", libver="earliest")
    def pytables(f, d):
        for o in (f, d):
            o.attrs.create("CLASS", np.bytes_(b"GROUP" if o is f else b"ARRAY"))
            o.attrs.create("VERSION", np.bytes_(b"1.0" if o is f else b"2.4"))
            o.attrs.create("TITLE", h5py.Empty(h5py.string_dtype("ascii", 1)))
        f.attrs.create("PYTABLES_FORMAT_VERSION", np.bytes_(b"2.1"))
        tbl = f.create_dataset("events", data=np.array([(1, 2.0), (2, 3.5)], dtype=[("id", "<i8"), ("mag", "<f8")]),
                               chunks=(2,), maxshape=(None,))
        tbl.attrs.create("CLASS", np.bytes_(b"TABLE"))
        tbl.attrs.create("FIELD_0_NAME", np.bytes_(b"id"))
        tbl.attrs.create("FIELD_1_FILL", np.float64(0))
        tbl.attrs.create("NROWS", np.int64(2))
    simple("pytables_style.h5", "PyTables' conventions: CLASS/VERSION/TITLE attributes (empty TITLE), a TABLE", make=pytables)

    def matlab():
        name = "matlab_v73_style.h5"
        cid = "XX.C70..HHZ"
        path = os.path.join(HERE, name)
        with h5py.File(path, "w", userblock_size=512) as f:
            d = f.create_dataset(cid, data=wave(70, "<f8"))
            d.attrs.create("MATLAB_class", np.bytes_(b"double"))
            stamp(d)
            s = f.create_group("meta")
            s.attrs.create("MATLAB_class", np.bytes_(b"struct"))
            c = s.create_dataset("name", data=np.frombuffer("BHZ".encode("utf-16-le"), "<u2").reshape(3, 1))
            c.attrs.create("MATLAB_class", np.bytes_(b"char"))
            c.attrs.create("MATLAB_int_decode", np.int32(2))
            e = f.create_dataset("empty_matrix", data=np.array([0, 0], "<u8"))
            e.attrs.create("MATLAB_class", np.bytes_(b"double"))
            e.attrs.create("MATLAB_empty", np.uint8(1))
        header = b"MATLAB 7.3 MAT-file, Platform: GLNXA64, Created on: Mon Dec  7 00:00:00 2026 HDF5 schema 1.00 ."
        with open(path, "r+b") as fh:
            fh.write(header.ljust(116, b" ") + b"\x00" * 8 + struct.pack("<H", 0x0200) + b"IM")
        add(name, "MATLAB v7.3 conventions: 512-byte MAT header in the user block, MATLAB_class attributes, a char "
            "matrix and an empty matrix (2-element uint64 marked MATLAB_empty)", {cid: cid},
            args={"dataset": "/" + cid})
    matlab()

    def netcdf():
        name = "netcdf4_style.h5"
        cid = "XX.C71..HHZ"
        with h5py.File(os.path.join(HERE, name), "w", libver="earliest", track_order=True) as f:
            f.attrs.create("_NCProperties", np.bytes_(b"version=2,netcdf=4.9.0,hdf5=1.10.8"))
            f.attrs["Conventions"] = "CF-1.8"
            t = f.create_dataset("time", data=np.arange(N, dtype="f8") / RATE)
            t.attrs.create("units", np.bytes_(b"seconds since 2019-01-01T00:00:00Z"))
            t.make_scale("time")
            t.attrs.create("_Netcdf4Dimid", np.int32(0))
            d = f.create_dataset(cid, data=wave(71), chunks=(500,), compression="gzip", fillvalue=np.float32(9.96921e36))
            d.dims[0].attach_scale(t)
            d.attrs.create("_FillValue", np.float32(9.96921e36))
            stamp(d)
        add(name, "netCDF-4 conventions: _NCProperties, a dimension scale (DIMENSION_LIST/REFERENCE_LIST reference "
            "attributes), _FillValue; the time coordinate is a 1-D float dataset too, so the waveform is named",
            {cid: cid}, args={"dataset": "/" + cid})
    netcdf()

    def asdf_like():
        name = "pyasdf_style.h5"
        cid = "XX.C72..HHZ"
        with h5py.File(os.path.join(HERE, name), "w") as f:
            f.attrs.create("file_format", np.bytes_(b"ASDF"))
            f.attrs.create("file_format_version", np.bytes_(b"1.0.3"))
            f.create_group("AuxiliaryData")
            f.create_group("Provenance")
            f.create_dataset("QuakeML", data=np.frombuffer(b"<?xml version='1.0'?><q:quakeml xmlns:q='x'/>", "i1"))
            g = f.create_group("Waveforms/XX.C72")
            g.create_dataset("StationXML", data=np.frombuffer(b"<?xml version='1.0'?><FDSNStationXML/>", "i1"))
            d = g.create_dataset("XX.C72..HHZ__2019-01-01T00:00:00__2019-01-01T00:00:20__raw_recording", data=wave(72))
            d.attrs["sampling_rate"] = RATE
            d.attrs["starttime"] = np.int64(START)
            d.attrs.create("event_ids", np.frombuffer(b"smi:local/event/1", "i1"))
        add(name, "ASDF as pyasdf writes it: fixed-length format attributes, QuakeML/StationXML as int8 blobs, event_ids",
            {cid: "Waveforms/XX.C72/XX.C72..HHZ__2019-01-01T00:00:00__2019-01-01T00:00:20__raw_recording"})
    asdf_like()

    # --- compression filters --------------------------------------------------------------------------------------
    import hdf5plugin  # Debian's: the filter classes; the plugins come from HDF5_PLUGIN_PATH
    chunked("filter_lzf.h5", "h5py's LZF filter (32000)", 80, chunks=(500,), compression="lzf")
    chunked("filter_lzf_shuffle.h5", "shuffle + LZF", 81, chunks=(500,), shuffle=True, compression="lzf")
    chunked("filter_blosc.h5", "Blosc (32001) with its internal byte shuffle, lz4 inside", 82, chunks=(500,),
            **hdf5plugin.Blosc(cname="lz4", clevel=5, shuffle=hdf5plugin.Blosc.SHUFFLE))
    chunked("filter_blosc_zstd.h5", "Blosc with zstd inside and bit shuffle", 83, chunks=(500,),
            **hdf5plugin.Blosc(cname="zstd", clevel=3, shuffle=hdf5plugin.Blosc.BITSHUFFLE))
    chunked("filter_lz4.h5", "LZ4 (32004)", 84, chunks=(500,), **hdf5plugin.LZ4())
    chunked("filter_bzip2.h5", "BZip2 (307)", 85, chunks=(500,), **hdf5plugin.BZip2())
    chunked("filter_bitshuffle.h5", "Bitshuffle (32008) without compression", 86, chunks=(500,), **hdf5plugin.Bitshuffle(nelems=0, cname="none"))
    chunked("filter_bitshuffle_lz4.h5", "Bitshuffle with LZ4 (32008)", 87, chunks=(500,), **hdf5plugin.Bitshuffle(nelems=0, cname="lz4"))

    # Zstd (32015): Debian ships no plugin; h5py declares the unknown filter and the chunks are compressed here.
    import zstd
    def zstd_file(f_name, seed, shuffle):
        cid = f"XX.C{seed:02d}..HHZ"
        data = wave(seed)
        with h5py.File(os.path.join(HERE, f_name), "w") as f:
            d = f.create_dataset(cid, shape=(N,), dtype="f4", chunks=(500,), shuffle=shuffle, compression=32015,
                                 compression_opts=(3,), allow_unknown_filter=True)
            for k in range(0, N, 500):
                raw = data[k:k + 500].tobytes()
                if shuffle: raw = np.frombuffer(raw, "u1").reshape(-1, 4).T.tobytes()
                d.id.write_direct_chunk((k,), zstd.compress(raw, 3))
            stamp(d)
        manifest.append({"file": f_name, "about": "Zstandard (32015)" + (" after shuffle" if shuffle else "") +
                         ": chunks written directly (Debian ships no Zstd plugin)", "expect": "read", "channels": [cid]})
        data.astype("<f8").tofile(os.path.join(EXPECTED, f"{f_name}.{cid}.f64"))
    zstd_file("filter_zstd.h5", 88, False)
    zstd_file("filter_zstd_shuffle.h5", 89, True)

    # A filter nobody provides: refused with its id, never called damaged.
    cid = "XX.C91..HHZ"
    with h5py.File(os.path.join(HERE, "filter_unavailable.h5"), "w") as f:
        d = f.create_dataset(cid, shape=(N,), dtype="f4", chunks=(500,), compression=32017, allow_unknown_filter=True)
        for k in range(0, N, 500): d.id.write_direct_chunk((k,), b"\x00" * 64)
        stamp(d)
    manifest.append({"file": "filter_unavailable.h5", "about": "SZ3 (32017), for which no plugin is installed",
                     "expect": "refused", "reason": "filter 32017", "channels": [cid]})

    filter_pairs()

    manifest.sort(key=lambda e: e["file"])
    with open(os.path.join(HERE, "manifest.json"), "w") as fh:
        json.dump({"generator": "generate.py", "h5py": h5py.version.version, "hdf5": h5py.version.hdf5_version,
                   "samples": N, "files": manifest}, fh, indent=1, ensure_ascii=False)
        fh.write("\n")
    print(f"{len(manifest)} files")


if __name__ == "__main__":
    main()
