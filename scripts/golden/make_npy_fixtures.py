"""Writes the small .npy/.npz fixtures in test/fixtures/npy/ with Debian's python3-numpy, plus
manifest.json holding what numpy itself reads back from each valid file (shape, descr, C-order values),
so the TypeScript parsers are checked against numpy, not against themselves.

Run from the repository root:  python3 scripts/golden/make_npy_fixtures.py
"""
import io
import json
import os
import sys
import zipfile

import numpy as np
from numpy.lib import format as npf

OUT = os.path.join("test", "fixtures", "npy")
os.makedirs(OUT, exist_ok=True)
manifest = {"generator": "scripts/golden/make_npy_fixtures.py", "numpy": np.__version__, "python": sys.version.split()[0], "files": {}}

A = np.arange(12, dtype=np.float64).reshape(3, 4) * 0.5 - 2.25  # exact in float16 too


def path(name):
    return os.path.join(OUT, name)


def record(name, arr=None, **extra):
    entry = dict(extra)
    if arr is not None:
        entry.update(shape=list(arr.shape), descr=arr.dtype.str)
        if arr.dtype.kind in "U":
            entry["values"] = [str(v) for v in arr.ravel(order="C")]
        elif arr.dtype.kind == "b":
            entry["values"] = [int(v) for v in arr.ravel(order="C")]
        elif arr.dtype.kind in "iu":
            entry["values"] = [str(int(v)) for v in arr.ravel(order="C")]  # strings: 64-bit exact
        else:
            entry["values"] = [float(v) for v in arr.ravel(order="C")]
    manifest["files"][name] = entry


def save(name, arr, **kw):
    with open(path(name), "wb") as f:
        np.save(f, arr, allow_pickle=kw.pop("allow_pickle", False))
    if kw.get("expect_error") is None:
        back = np.load(path(name), allow_pickle=False)
        record(name, back)
    else:
        record(name, None, **kw)


def save_version(name, arr, version):
    with open(path(name), "wb") as f:
        npf.write_array(f, arr, version=version, allow_pickle=False)
    record(name, np.load(path(name)), version=version[0])


# Floats, both byte orders.
for t in ["f2", "f4", "f8"]:
    save(f"{t}_le.npy", A.astype("<" + t))
    save(f"{t}_be.npy", A.astype(">" + t))
# Every integer dtype at its extremes, both byte orders.
for t in ["i1", "i2", "i4", "i8", "u1", "u2", "u4", "u8"]:
    info = np.iinfo(np.dtype(t))
    vals = np.array([info.min, 0, 1, 2, info.max], dtype="<" + t)
    save(f"{t}_le.npy", vals)
    if t[1] != "1":
        save(f"{t}_be.npy", vals.astype(">" + t))
save("b1.npy", np.array([True, False, True, True]))
save("labels_i8.npy", np.array([0, 2, 1, 3, 3], dtype=np.int64))
# Format versions 1.0, 2.0, 3.0 (3.0 uses a UTF-8 header).
save_version("v1.npy", A.astype("<f4"), (1, 0))
save_version("v2.npy", A.astype("<f4"), (2, 0))
save_version("v3.npy", A.astype("<f4"), (3, 0))
# Fortran order: numpy keeps it on save when the array is F-contiguous.
save("fortran_2d.npy", np.asfortranarray(A))
save("fortran_3d.npy", np.asfortranarray(np.arange(24, dtype="<i4").reshape(2, 3, 4)))
save("fortran_be.npy", np.asfortranarray(A.astype(">f4")))
save("scalar.npy", np.float64(3.5))
save("empty_rows.npy", np.zeros((0, 4), dtype="<f8"))
save("strings.npy", np.array(["rotation", "greyscale", "colorjitter"]))
# Refused dtypes.
save("object.npy", np.array([{"a": 1}, None], dtype=object), allow_pickle=True, expect_error="E_PICKLE")
save("complex.npy", A.astype(np.complex64), expect_error="E_DTYPE")
save("structured.npy", np.zeros(3, dtype=[("x", "<f4"), ("y", "<i4")]), expect_error="E_DTYPE")
save("datetime.npy", np.array(["2020-01-01"], dtype="datetime64[D]"), expect_error="E_DTYPE")
# Damaged files made from a valid one.
good = open(path("f8_le.npy"), "rb").read()
open(path("truncated.npy"), "wb").write(good[:-5])
record("truncated.npy", None, expect_error="E_TRUNCATED")
lying = good.replace(b"'shape': (3, 4)", b"'shape': (2, 4)")
open(path("lying_shape.npy"), "wb").write(lying)
record("lying_shape.npy", None, expect_error="E_FORMAT")


def raw_npy(header_text, data):
    """A v1 .npy with the given header text (padded as numpy pads it) and data bytes."""
    h = header_text.encode("latin1")
    total = -(-(10 + len(h) + 1) // 64) * 64
    h = h + b" " * (total - 10 - len(h) - 1) + b"\n"
    return b"\x93NUMPY\x01\x00" + len(h).to_bytes(2, "little") + h + data


data = A.astype("<f8").tobytes()
open(path("huge_shape.npy"), "wb").write(raw_npy("{'descr': '<f8', 'fortran_order': False, 'shape': (99999999, 99999), }", data))
record("huge_shape.npy", None, expect_error="E_TOO_LARGE")
open(path("code_in_header.npy"), "wb").write(raw_npy("{'descr': __import__('os').system('touch pwned'), 'fortran_order': False, 'shape': (3, 4), }", data))
record("code_in_header.npy", None, expect_error="E_FORMAT")
open(path("extra_key.npy"), "wb").write(raw_npy("{'descr': '<f8', 'fortran_order': False, 'shape': (3, 4), 'x': 1}", data))
record("extra_key.npy", None, expect_error="E_FORMAT")
open(path("not_npy.npy"), "wb").write(b"hello, world\n")
record("not_npy.npy", None, expect_error="E_FORMAT")

# .npz: stored (np.savez) and deflated (np.savez_compressed), members in keyword order.
logits = A.astype(np.float32)
labels = np.array([0, 3, 1], dtype=np.int64)
np.savez(path("stored.npz"), logits=logits, labels=labels)
np.savez_compressed(path("deflated.npz"), logits=logits, labels=labels)
for name in ["stored.npz", "deflated.npz"]:
    with np.load(path(name)) as z:
        manifest["files"][name] = {"names": list(z.files), "arrays": {}}
        for k in z.files:
            arr = z[k]
            manifest["files"][name]["arrays"][k] = {"shape": list(arr.shape), "descr": arr.dtype.str,
                                                    "values": [float(v) for v in arr.ravel()]}
# Views files as a Python user would write them.
rng = np.random.default_rng(7)
o, r, g, c = (rng.normal(size=(5, 3)).astype(np.float32) for _ in range(4))
y = np.array([0, 1, 2, 1, 0])
np.savez(path("views_named.npz"), original=o, rotation=r, greyscale=g, colorjitter=c, labels=y,
         view_names=np.array(["rotation", "greyscale", "colorjitter"]))
np.savez_compressed(path("views_unnamed.npz"), original=o, greyscale=g, rotation=r, labels=y)
manifest["files"]["views"] = {"original": [float(v) for v in o.ravel()], "rotation": [float(v) for v in r.ravel()],
                              "greyscale": [float(v) for v in g.ravel()], "colorjitter": [float(v) for v in c.ravel()],
                              "labels": [int(v) for v in y]}
# A genuine zip bomb in miniature: 64 MiB of zeros declared truthfully, deflated to ~64 KiB.
with zipfile.ZipFile(path("bomb.npz"), "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as zf:
    with zf.open("x.npy", "w", force_zip64=True) as fid:
        npf.write_array_header_1_0(fid, {"descr": "<f8", "fortran_order": False, "shape": (8 * 1024 * 1024,)})
        chunk = bytes(1 << 20)
        for _ in range(64):
            fid.write(chunk)
record("bomb.npz", None, expect_error="E_TOO_LARGE", note="64 MiB declared; test sets maxBytes to 1 MiB")

with open(os.path.join(OUT, "manifest.json"), "w") as f:
    json.dump(manifest, f, indent=1)
print("wrote", len(os.listdir(OUT)), "files to", OUT)
