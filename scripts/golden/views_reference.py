"""Golden values for src/views/ from NumPy's legacy RNG and SciPy's ndimage (Debian python3-numpy/scipy).

Run: python3 scripts/golden/views_reference.py > test/golden/views.json
Each case restates the reference corruption code (hendrycks/robustness make_cifar_c.py, google-research/mnist-c
corruptions.py) with NumPy/SciPy calls only (no OpenCV, scikit-image, Pillow or torch here: the affine warp of
elastic_transform is left at identity, OpenCV's GaussianBlur/filter2D are SciPy correlate with mode='mirror',
which is OpenCV's BORDER_REFLECT_101, and skimage's gaussian is scipy.ndimage.gaussian_filter).
"""
import json
import numpy as np
import scipy
from scipy.ndimage import correlate, correlate1d, gaussian_filter, map_coordinates, zoom as scizoom


def test_image(h, w, c, seed):
    return np.random.RandomState(seed).randint(0, 256, size=(h, w, c) if c else (h, w)).astype(np.uint8)


def flat(a):
    return [float(v) for v in np.asarray(a, dtype=np.float64).ravel()]


out = {"generator": "scripts/golden/views_reference.py", "numpy": np.__version__, "scipy": scipy.__version__}

# --- NumPy legacy RNG streams -------------------------------------------------------------------------------
np.random.seed(0)
uniforms = np.random.random_sample(5)
normals = np.random.normal(size=6)
lams = [0.5, 3.0, 9.99, 10.0, 37.3, 120.0, 500.0]
np.random.seed(3)
poissons = [[int(v) for v in np.random.poisson(l, size=4)] for l in lams]
out["numpy_rng"] = {"seed0_uniforms_then_normals": {"uniforms": flat(uniforms), "normals": flat(normals)},
                    "seed3_poisson": {"lams": lams, "draws": poissons}}

# --- gaussian / shot noise with np.random.seed (CIFAR formulas, uint8 truncation) ------------------------------
img = test_image(4, 4, 3, 1)
x = img / 255.0
np.random.seed(5)
g = np.uint8(np.clip(x + np.random.normal(size=x.shape, scale=0.08), 0, 1) * 255)
np.random.seed(7)
s = np.uint8(np.clip(np.random.poisson(x * 50) / 50.0, 0, 1) * 255)
out["noise"] = {"image": flat(img), "shape": [4, 4, 3],
                "gaussian_seed5_sigma0.08": flat(g), "shot_seed7_c50": flat(s)}

# --- plasma fractal (hendrycks plasma_fractal, seed 0) ---------------------------------------------------------
def plasma_fractal(mapsize=32, wibbledecay=3):
    maparray = np.empty((mapsize, mapsize), dtype=np.float64)
    maparray[0, 0] = 0
    stepsize = mapsize
    wibble = 100

    def wibbledmean(array):
        return array / 4 + wibble * np.random.uniform(-wibble, wibble, array.shape)

    def fillsquares():
        cornerref = maparray[0:mapsize:stepsize, 0:mapsize:stepsize]
        squareaccum = cornerref + np.roll(cornerref, shift=-1, axis=0)
        squareaccum += np.roll(squareaccum, shift=-1, axis=1)
        maparray[stepsize // 2:mapsize:stepsize, stepsize // 2:mapsize:stepsize] = wibbledmean(squareaccum)

    def filldiamonds():
        drgrid = maparray[stepsize // 2:mapsize:stepsize, stepsize // 2:mapsize:stepsize]
        ulgrid = maparray[0:mapsize:stepsize, 0:mapsize:stepsize]
        ltsum = drgrid + np.roll(drgrid, 1, axis=0) + ulgrid + np.roll(ulgrid, -1, axis=1)
        maparray[0:mapsize:stepsize, stepsize // 2:mapsize:stepsize] = wibbledmean(ltsum)
        ttsum = drgrid + np.roll(drgrid, 1, axis=1) + ulgrid + np.roll(ulgrid, -1, axis=0)
        maparray[stepsize // 2:mapsize:stepsize, 0:mapsize:stepsize] = wibbledmean(ttsum)

    while stepsize >= 2:
        fillsquares()
        filldiamonds()
        stepsize //= 2
        wibble /= wibbledecay
    maparray -= maparray.min()
    return maparray / maparray.max()

np.random.seed(0)
pm = plasma_fractal(32, 3)
np.random.seed(11)
pm8 = plasma_fractal(8, 1.75)
out["plasma"] = {"seed0_size32_decay3": flat(pm), "seed11_size8_decay1.75": flat(pm8)}

# --- SciPy gaussian_filter (skimage.filters.gaussian mode='reflect', truncate=3) --------------------------------
field = np.random.RandomState(2).uniform(-1, 1, size=(9, 7))
out["gaussian_filter"] = {"field": flat(field), "shape": [9, 7],
                          "sigmas": [0.28, 1.3, 2.24, 19.6],
                          "outputs": [flat(gaussian_filter(field, s, mode="reflect", truncate=3)) for s in [0.28, 1.3, 2.24, 19.6]]}

# --- elastic resampling (identity affine): map_coordinates order 1 ----------------------------------------------
eimg = test_image(10, 10, 3, 4).astype(np.float32) / 255.0
rs = np.random.RandomState(9)
fx = rs.uniform(-1, 1, size=(10, 10))
fy = rs.uniform(-1, 1, size=(10, 10))
alpha, sigma = 3.2, 1.28
dx = (gaussian_filter(fx, sigma, mode="reflect", truncate=3) * alpha).astype(np.float32)
dy = (gaussian_filter(fy, sigma, mode="reflect", truncate=3) * alpha).astype(np.float32)
xx, yy, zz = np.meshgrid(np.arange(10), np.arange(10), np.arange(3))
ind = np.reshape(yy + dy[..., None], (-1, 1)), np.reshape(xx + dx[..., None], (-1, 1)), np.reshape(zz, (-1, 1))
cifar_el = np.clip(map_coordinates(eimg, ind, order=1, mode="reflect").reshape(eimg.shape), 0, 1) * 255
alpha_m, sigma_m = 56.0, 2.24
gimg = eimg[..., 0]
dxm = (gaussian_filter(fx, sigma_m, mode="reflect", truncate=3) * alpha_m).astype(np.float32)
dym = (gaussian_filter(fy, sigma_m, mode="reflect", truncate=3) * alpha_m).astype(np.float32)
xm, ym = np.meshgrid(np.arange(10), np.arange(10))
indm = np.reshape(ym + dym, (-1, 1)), np.reshape(xm + dxm, (-1, 1))
mnist_el = np.clip(map_coordinates(gimg, indm, order=1, mode="constant").reshape(gimg.shape), 0, 1) * 255
out["elastic_identity_affine"] = {"image": flat(eimg), "shape": [10, 10, 3], "fieldX": flat(fx), "fieldY": flat(fy),
                                  "cifar": {"alpha": alpha, "sigma": sigma, "out255": flat(cifar_el)},
                                  "mnist_grey_channel0": {"alpha": alpha_m, "sigma": sigma_m, "out255": flat(mnist_el)}}

# --- zoom blur (hendrycks clipped_zoom with scipy zoom order 1) -------------------------------------------------
def clipped_zoom(img, zoom_factor):
    h = img.shape[0]
    ch = int(np.ceil(h / zoom_factor))
    top = (h - ch) // 2
    img = scizoom(img[top:top + ch, top:top + ch], (zoom_factor, zoom_factor, 1), order=1)
    trim_top = (img.shape[0] - h) // 2
    return img[trim_top:trim_top + h, trim_top:trim_top + h]

zimg = (test_image(12, 12, 3, 6) / 255.0).astype(np.float32)
zooms = np.arange(1, 1.16, 0.01)
zacc = np.zeros_like(zimg)
for z in zooms:
    zacc += clipped_zoom(zimg, z)
zout = np.clip((zimg + zacc) / (len(zooms) + 1), 0, 1) * 255
out["zoom_blur"] = {"image": flat(zimg), "shape": [12, 12, 3], "count": len(zooms), "step": 0.01, "out255": flat(zout)}

# --- defocus blur (disk kernel; cv2.GaussianBlur and filter2D as SciPy correlate, mode='mirror') ----------------
def disk(radius, alias_blur):
    if radius <= 8:
        L = np.arange(-8, 8 + 1); ksize = 3
    else:
        L = np.arange(-radius, radius + 1); ksize = 5
    X, Y = np.meshgrid(L, L)
    k = np.array((X ** 2 + Y ** 2) <= radius ** 2, dtype=np.float64)
    k /= np.sum(k)
    t = np.arange(ksize) - (ksize - 1) / 2
    g = np.exp(-t ** 2 / (2 * alias_blur ** 2)); g /= g.sum()
    k = correlate1d(k, g, axis=0, mode="mirror")
    return correlate1d(k, g, axis=1, mode="mirror")

dimg = test_image(9, 9, 3, 8) / 255.0
dcases = []
for (r, a) in [(0.3, 0.4), (0.5, 0.6), (1, 0.2), (1.5, 0.1), (3, 0.1), (10, 0.5)]:
    k = disk(r, a)
    o = np.stack([correlate(dimg[:, :, d], k, mode="mirror") for d in range(3)], axis=2)
    dcases.append({"radius": r, "alias": a, "kernelSum": float(k.sum()), "out255": flat(np.clip(o, 0, 1) * 255)})
out["defocus_blur"] = {"image": flat(dimg), "shape": [9, 9, 3], "cases": dcases}

# --- torchvision GaussianBlur((5, 9), sigma) as SciPy correlate1d, mode='mirror' (torch 'reflect') -------------
def k1d(size, sigma):
    t = np.arange(size, dtype=np.float32) - (size - 1) / 2
    w = np.exp(-0.5 * (t / np.float32(sigma)) ** 2).astype(np.float32)
    return (w / w.sum()).astype(np.float32)

bimg = (test_image(11, 7, 3, 10) / 255.0).astype(np.float32)
bout = correlate1d(correlate1d(bimg.astype(np.float64), k1d(9, 2.3).astype(np.float64), axis=0, mode="mirror"),
                   k1d(5, 2.3).astype(np.float64), axis=1, mode="mirror")
out["gaussian_blur"] = {"image": flat(bimg), "shape": [11, 7, 3], "sigma": 2.3, "out": flat(bout)}

print(json.dumps(out))
