#!/usr/bin/env python3
"""Exact reference values of smooth ECE (Blasiok & Nakkiran, ICLR 2024) for test/golden/smece.json.

Written from the definition, independently of calibra's cosine-series code (src/metrics/smooth-ece.ts):
- kernel: the Gaussian reflected at 0 and 1 with ALL its images, K(t, x) = sum_k phi(t - x - 2k) + phi(t + x - 2k),
  summed directly (every image within 9 sigma of [0, 1]; the next is below e^-40);
- smECE_sigma = int_0^1 |h(t)| dt, h = (1/N) sum_i r_i K(t, x_i), r = c - a: the sign changes of h are found on a
  mesh of 64/sigma cells (at least 4096), refined by brentq, and each piece is integrated exactly with the
  antiderivative sum_i r_i sum_k [ndtr((t - x_i - 2k)/sigma) + ndtr((t + x_i - 2k)/sigma)] / N;
- as a check of the integral, composite Simpson on the same direct sums (4096 intervals; 'simpson');
- the fixed point sigma* = smECE_sigma* by brentq (xtol 1e-15) on [|mean r|, mean |r|];
- 'relplot': a numpy emulation of relplot 1.0.3's smECE_fast convention (residuals deposited on a 200-point
  grid refined x4 while round(20/sigma) > grid, kernel sampled on the grid and cut at half-width 0.5, one
  reflection each side, sum/grid, 10 bisection steps keeping the upper end), to state the convention gap.

Run:  /usr/bin/python3 scripts/golden/smece_reference.py > test/golden/smece.json   (about 2 minutes)
"""
import json
import sys

import numpy as np
import scipy
import scipy.optimize
import scipy.special


def images(x, sigma):
    """(sign, shift) pairs of the images s*x + 2k that come within 9 sigma of [0, 1]."""
    out = []
    kmax = int(np.ceil(4.5 * sigma)) + 2
    for s in (1.0, -1.0):
        for k in range(-kmax, kmax + 1):
            y = s * x + 2 * k
            d = np.maximum(np.maximum(-y, y - 1), 0).min()
            if d < 9 * sigma:
                out.append((s, 2.0 * k))
    return out


class Smooth:
    def __init__(self, c, a):
        self.x = np.asarray(c, dtype=np.float64)
        self.r = (self.x - np.asarray(a, dtype=np.float64)) / len(self.x)

    def h(self, t, sigma, ims):
        t = np.atleast_1d(t)
        out = np.zeros(len(t))
        for lo in range(0, len(t), 256):
            tt = t[lo:lo + 256, None]
            acc = np.zeros(tt.shape[0])
            for s, k in ims:
                u = (tt - (s * self.x[None, :] + k)) / sigma
                acc += (np.exp(-0.5 * u * u) * self.r[None, :]).sum(axis=1)
            out[lo:lo + 256] = acc / (sigma * np.sqrt(2 * np.pi))
        return out

    def H(self, t, sigma, ims):
        # antiderivative in t of h: images s*x + k contribute ndtr((t - s*x - k)/sigma)
        return sum((self.r * scipy.special.ndtr((t - (s * self.x + k)) / sigma)).sum() for s, k in ims)

    def at(self, sigma):
        ims = images(self.x, sigma)
        m = max(4096, int(np.ceil(64 / sigma)))
        t = np.linspace(0, 1, m + 1)
        hv = self.h(t, sigma, ims)
        pts = [0.0]
        for j in np.nonzero(np.sign(hv[:-1]) * np.sign(hv[1:]) < 0)[0]:
            pts.append(scipy.optimize.brentq(lambda u: self.h(u, sigma, ims)[0], t[j], t[j + 1], xtol=1e-16, rtol=1e-15))
        pts.append(1.0)
        Hs = [self.H(p, sigma, ims) for p in pts]
        return float(sum(abs(Hs[i + 1] - Hs[i]) for i in range(len(Hs) - 1)))

    def simpson(self, sigma, mesh=4096):
        ims = images(self.x, sigma)
        hv = np.abs(self.h(np.linspace(0, 1, mesh + 1), sigma, ims))
        w = np.ones(mesh + 1)
        w[1:-1:2], w[2:-1:2] = 4, 2
        return float((w * hv).sum() / mesh / 3)

    def fixed_point(self):
        lo, hi = abs(self.r.sum()), np.abs(self.r).sum()
        if hi - lo <= 1e-15 * hi:
            return lo, lo
        lo = max(lo, 1e-3)  # the sets here all have sigma* > 1e-3 (asserted below)
        if self.at(lo) - lo <= 0:
            assert lo == abs(self.r.sum()), 'sigma* below 1e-3'
            return lo, lo
        s = scipy.optimize.brentq(lambda u: self.at(u) - u, lo, hi, xtol=1e-15, rtol=1e-15)
        return self.at(s), s


def relplot_emulation(c, a):
    f = np.asarray(c, dtype=np.float64)
    res = f - np.asarray(a, dtype=np.float64)

    def deposit(m):
        v = np.zeros(m)
        b = np.clip((f * (m - 1)).astype(int), 0, m - 2)
        fr = f * (m - 1) - b
        np.add.at(v, b, (1 - fr) * res)
        np.add.at(v, b + 1, fr * res)
        return v / len(f)

    state = {'m': 200}
    state['v'] = deposit(200)

    def value(sigma):
        m = state['m']
        while round(20 / sigma) > m:
            m *= 4
        if m != state['m']:
            state['m'], state['v'] = m, deposit(m)
        v = state['v']
        g = np.linspace(0, 1, m)
        ker = np.exp(-(g - 0.5) ** 2 / (2 * sigma * sigma)) / (np.sqrt(2 * np.pi) * sigma)
        ext = np.concatenate([v[::-1][:-1], v, v[::-1][1:]])
        conv = np.convolve(ext, ker, 'valid')[m // 2: m // 2 + m]
        return float(np.abs(conv).sum() / m)

    pred = lambda s: s < 1e-3 or s < value(s)
    if pred(1.0):
        return value(1.0)
    hi, lo = 1.0, 0.0
    for _ in range(10):
        mid = (hi + lo) / 2
        if pred(mid):
            lo = mid
        else:
            hi = mid
    return value(hi)


def sets():
    rng = np.random.default_rng(20261203)
    d1c = [0.71, 0.63, 0.57, 0.83, 0.43, 0.93, 0.47, 0.67]
    d1a = [1, 0, 1, 1, 0, 1, 0, 1]
    yield 'D1 (metrics.md fixture, oracle 9)', d1c, d1a
    # calibrated model, N = 4000: a ~ Bernoulli(c)
    c = rng.uniform(0.3, 1.0, 4000)
    yield 'calibrated N=4000', c, (rng.uniform(size=4000) < c).astype(int)
    # near-exactly calibrated: correctness from a low-discrepancy (golden-ratio) sequence, sigma* near 0.01
    for n in (600, 2000):
        c = 0.3 + 0.7 * (np.arange(n) + 0.5) / n
        phi = (np.sqrt(5) - 1) / 2
        yield f'low-discrepancy calibrated N={n} (sigma* ~ 0.01)', c, ((np.arange(n) * phi) % 1 < c).astype(int)
    # mildly over-confident
    c = rng.uniform(0.5, 1.0, 2000)
    yield 'over-confident 0.1, N=2000', c, (rng.uniform(size=2000) < c - 0.1).astype(int)
    # 100-class style: high confidence, accuracy about one half
    c = 1 - rng.beta(0.5, 8, 3000)
    yield 'over-confident 100-class style, N=3000', c, (rng.uniform(size=3000) < 0.5).astype(int)
    # extremely over-confident: confidence near 1, accuracy 5 %
    c = 1 - rng.beta(0.3, 30, 1500)
    yield 'extreme over-confidence, N=1500 (sigma* ~ 0.9)', c, (rng.uniform(size=1500) < 0.05).astype(int)
    # under-confident
    c = rng.uniform(0.2, 0.6, 2000)
    yield 'under-confident, N=2000', c, (rng.uniform(size=2000) < c + 0.3).astype(int)
    # lower-bound cases: residuals almost all of one sign, with exact 0 and 1 confidences and ties
    c = np.concatenate([np.ones(300), np.full(100, 0.999), rng.uniform(0.9, 1.0, 200)])
    a = np.zeros(600, dtype=int)
    a[::37] = 1
    yield 'lower bound: wrong at confidence 1 (ties), N=600', c, a
    c = np.concatenate([np.zeros(50), rng.uniform(0, 0.2, 250), np.full(20, 0.5)])
    a = np.ones(320, dtype=int)
    a[::11] = 0
    yield 'lower bound: right at confidence 0..0.2 (ties), N=320', c, a
    c = np.round(rng.uniform(0.4, 1.0, 1000), 2)
    yield 'two-decimal ties, N=1000', c, (rng.uniform(size=1000) < c - 0.2).astype(int)


def main():
    cases = []
    for name, c, a in sets():
        c = np.asarray(c, dtype=np.float64)
        a = np.asarray(a, dtype=np.int64)
        sm = Smooth(c, a)
        value, sigma = sm.fixed_point()
        probe = {}
        for s in (0.01, 0.05, 0.2, 0.5, 1.0):
            probe[repr(s)] = {'exact': sm.at(s), 'simpson': sm.simpson(s)}
        cases.append({
            'name': name, 'conf': c.tolist(), 'correct': a.tolist(),
            'smece': value, 'sigma': sigma, 'mean_residual_abs': float(abs((c - a).mean())),
            'at': probe, 'relplot': relplot_emulation(c, a),
        })
        print(f'{name}: smece {value:.12f} sigma {sigma:.12f} relplot {cases[-1]["relplot"]:.9f}', file=sys.stderr)
    json.dump({
        'generator': 'scripts/golden/smece_reference.py',
        'versions': {'python': sys.version.split()[0], 'numpy': np.__version__, 'scipy': scipy.__version__},
        'cases': cases,
    }, sys.stdout)


if __name__ == '__main__':
    main()
