"""Golden values for coloured Fashion-MNIST (src/datasets/coloured.ts) and for calibra's colour views on
colour images (src/views/colour.ts, geometric.ts), computed independently of calibra.

Run: /usr/bin/python3 scripts/golden/coloured_reference.py > test/golden/coloured.json

* Tint: out = floor(g * rgb + 0.5) with rgb = colorsys.hsv_to_rgb(hue, 1, 1) (Python standard library).
* Rotation: scipy.ndimage.rotate(channel, angle, reshape=False, order=1, mode='constant', cval=0).
* Colour views: torchvision 0.14's tensor functional ops (rgb_to_grayscale, adjust_brightness, adjust_contrast,
  adjust_saturation, adjust_hue with _rgb2hsv/_hsv2rgb) restated with torch 1.13 float32 tensors, applied to
  tinted Fashion-MNIST images (torchvision itself is not installed here).
Float results are stored as base64 little-endian float32 (HWC). Inputs: the first 6 images of the committed Fashion-MNIST test subset (data/fashion-mnist-subset).
"""
import base64
import colorsys
import gzip
import json
import sys

import numpy as np
import scipy
import torch
from scipy import ndimage

ROOT = sys.argv[1] if len(sys.argv) > 1 else "."


def read_idx(path):
    raw = gzip.open(path, "rb").read()
    nd = raw[3]
    dims = [int.from_bytes(raw[4 + 4 * i:8 + 4 * i], "big") for i in range(nd)]
    return np.frombuffer(raw, dtype=np.uint8, offset=4 + 4 * nd).reshape(dims)


images = read_idx(f"{ROOT}/data/fashion-mnist-subset/t10k-images-idx3-ubyte.gz")[:6]
labels = read_idx(f"{ROOT}/data/fashion-mnist-subset/t10k-labels-idx1-ubyte.gz")[:6]


def b64(a):
    return base64.b64encode(np.ascontiguousarray(a, dtype=np.uint8).tobytes()).decode()


def f32(a):
    """float32 values, little-endian, base64 (HWC order)."""
    return base64.b64encode(np.ascontiguousarray(np.asarray(a, dtype="<f4")).tobytes()).decode()


def tint(grey, hue):
    if hue is None:
        return np.repeat(grey[:, :, None], 3, axis=2)
    rgb = colorsys.hsv_to_rgb(hue % 1.0, 1.0, 1.0)
    g = grey.astype(np.float64)
    return np.stack([np.floor(g * c + 0.5) for c in rgb], axis=2).astype(np.uint8)


out = {"generator": "scripts/golden/coloured_reference.py", "numpy": np.__version__, "scipy": scipy.__version__,
       "torch": torch.__version__, "images": b64(images), "labels": [int(v) for v in labels]}

# --- tint ----------------------------------------------------------------------------------------------------
hues = [0.0, 0.1, 0.37, 0.5, 0.8312, None]
out["tint"] = {"hues": hues, "tinted": [b64(tint(images[i], h)) for i, h in enumerate(hues)]}

# --- rotation: float and end-to-end bytes ----------------------------------------------------------------------
def rotate_hwc(x, angle):
    return np.stack([ndimage.rotate(x[:, :, c], angle, reshape=False, order=1, mode="constant", cval=0.0)
                     for c in range(x.shape[2])], axis=2)


# Sense check: +90 must be np.rot90 (counter-clockwise as displayed), as calibra's rotation view.
probe = np.arange(28 * 28 * 3, dtype=np.float64).reshape(28, 28, 3)
assert np.allclose(rotate_hwc(probe, 90), np.rot90(probe, 1, axes=(0, 1)))
angles = [30.0, -45.0, 17.3, -8.25]
rot = []
for k, a in enumerate(angles):
    t = tint(images[k], hues[k]).astype(np.float32) / np.float32(255)
    r = rotate_hwc(t.astype(np.float64), a)
    rot.append({"angle": a, "hue": hues[k], "image": k,
                "float32": f32(r),
                "bytes": b64(np.floor(np.clip(r, 0, 1) * 255 + 0.5))})
out["rotation"] = rot


# --- torchvision 0.14 tensor colour ops, restated in torch ------------------------------------------------------
def grayscale(img):
    r, g, b = img.unbind(dim=-3)
    return (0.2989 * r + 0.587 * g + 0.114 * b).to(img.dtype).unsqueeze(dim=-3)


def blend(a, b, ratio):
    return (ratio * a + (1.0 - ratio) * b).clamp(0, 1.0).to(a.dtype)


def brightness(img, f):
    return blend(img, torch.zeros_like(img), f)


def contrast(img, f):
    mean = torch.mean(grayscale(img), dim=(-3, -2, -1), keepdim=True)
    return blend(img, mean, f)


def saturation(img, f):
    return blend(img, grayscale(img), f)


def rgb2hsv(img):
    r, g, b = img.unbind(dim=-3)
    maxc = torch.max(img, dim=-3).values
    minc = torch.min(img, dim=-3).values
    eqc = maxc == minc
    cr = maxc - minc
    ones = torch.ones_like(maxc)
    s = cr / torch.where(eqc, ones, maxc)
    crd = torch.where(eqc, ones, cr)
    rc = (maxc - r) / crd
    gc = (maxc - g) / crd
    bc = (maxc - b) / crd
    hr = (maxc == r) * (bc - gc)
    hg = ((maxc == g) & (maxc != r)) * (2.0 + rc - bc)
    hb = ((maxc != g) & (maxc != r)) * (4.0 + gc - rc)
    h = torch.fmod((hr + hg + hb) / 6.0 + 1.0, 1.0)
    return torch.stack((h, s, maxc), dim=-3)


def hsv2rgb(img):
    h, s, v = img.unbind(dim=-3)
    i = torch.floor(h * 6.0)
    f = (h * 6.0) - i
    i = i.to(dtype=torch.int32)
    p = torch.clamp(v * (1.0 - s), 0.0, 1.0)
    q = torch.clamp(v * (1.0 - s * f), 0.0, 1.0)
    t = torch.clamp(v * (1.0 - s * (1.0 - f)), 0.0, 1.0)
    i = i % 6
    mask = i.unsqueeze(dim=-3) == torch.arange(6).view(-1, 1, 1)
    a1 = torch.stack((v, q, p, p, t, v), dim=-3)
    a2 = torch.stack((t, v, v, q, p, p), dim=-3)
    a3 = torch.stack((p, p, t, v, v, q), dim=-3)
    a4 = torch.stack((a1, a2, a3), dim=-4)
    return torch.einsum("...ijk, ...xijk -> ...xjk", mask.to(dtype=img.dtype), a4)


def hue(img, f):
    h, s, v = rgb2hsv(img).unbind(dim=-3)
    h = (h + f) % 1.0
    return hsv2rgb(torch.stack((h, s, v), dim=-3))


OPS = [lambda x, p: brightness(x, p["brightness"]), lambda x, p: contrast(x, p["contrast"]),
       lambda x, p: saturation(x, p["saturation"]), lambda x, p: hue(x, p["hue"])]
jitters = [
    {"order": [0, 1, 2, 3], "brightness": 1.13, "contrast": 0.87, "saturation": 1.18, "hue": 0.07},
    {"order": [3, 2, 1, 0], "brightness": 0.82, "contrast": 1.15, "saturation": 0.85, "hue": -0.09},
    {"order": [2, 0, 3, 1], "brightness": 1.0, "contrast": 1.0, "saturation": 0.0, "hue": 0.5},
]
jitters = [{kk: (vv if kk == "order" else float(np.float32(vv))) for kk, vv in p.items()} for p in jitters]
views = []
for k in (1, 2, 4):
    t = torch.from_numpy(tint(images[k], hues[k]).astype(np.float32) / np.float32(255)).permute(2, 0, 1).contiguous()
    grey = grayscale(t).expand(3, -1, -1)
    case = {"image": k, "hue": hues[k], "greyscale": f32(grey.permute(1, 2, 0).numpy()), "jitter": []}
    for p in jitters:
        x = t.clone()
        for op in p["order"]:
            x = OPS[op](x, p)
        case["jitter"].append({"params": p, "result": f32(x.permute(1, 2, 0).numpy())})
    views.append(case)
out["views"] = views

json.dump(out, sys.stdout)
sys.stdout.write("\n")
