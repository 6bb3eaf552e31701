"""Golden values for calibra's isotonic regression (src/math/pav.ts, src/calibrators/binning/isotonic.ts).

Runs Debian's python3-sklearn IsotonicRegression (out_of_bounds='clip') on seeded random data with ties,
near-ties (within float64 resolution), weights, y_min/y_max and decreasing fits, and writes the fitted
thresholds and predictions to test/golden/isotonic.json with the library versions.

    python3 scripts/golden/isotonic_reference.py
"""
import json
import os
import platform

import numpy as np
import scipy
import sklearn
from sklearn.isotonic import IsotonicRegression

rng = np.random.default_rng(20240601)
cases = []


def add(name, x, y, w=None, increasing=True, y_min=None, y_max=None, queries=None):
    ir = IsotonicRegression(out_of_bounds="clip", increasing=increasing, y_min=y_min, y_max=y_max)
    ir.fit(x, y, sample_weight=w)
    q = np.asarray(queries if queries is not None else np.linspace(np.min(x) - 0.1, np.max(x) + 0.1, 41), dtype=np.float64)
    cases.append({
        "name": name,
        "x": [float(v) for v in x],
        "y": [float(v) for v in y],
        "w": None if w is None else [float(v) for v in w],
        "increasing": increasing,
        "yMin": y_min,
        "yMax": y_max,
        "thresholdsX": [float(v) for v in ir.X_thresholds_],
        "thresholdsY": [float(v) for v in ir.y_thresholds_],
        "queries": [float(v) for v in q],
        "predictions": [float(v) for v in ir.predict(q)],
    })


# Binary targets on scores with many ties (calibration-like), several sizes.
for n in (7, 40, 300):
    s = np.round(rng.uniform(0, 1, n), 2)
    t = (rng.uniform(0, 1, n) < s).astype(np.float64)
    add(f"binary-ties-{n}", s, t, queries=np.concatenate([[0.0, 1.0], s[:10], rng.uniform(-0.1, 1.1, 20)]))
# Continuous targets with ties in x and weights (some zero).
x = np.round(rng.normal(0, 1, 80), 1)
y = x + rng.normal(0, 1, 80)
w = rng.integers(0, 4, 80).astype(np.float64)
add("weighted-ties", x, y, w=w)
# Near-ties: runs within finfo(float64).resolution of the run's first value are merged.
base = np.array([0.0, 0.6e-15, 1.2e-15, 0.3, 0.3 + 5e-16, 0.5, 0.7, 0.7, 0.9])
add("near-ties", base, np.array([1.0, 0.0, 1.0, 0.0, 1.0, 1.0, 0.0, 1.0, 0.0]))
# Decreasing fit and y bounds.
x = rng.uniform(0, 10, 60)
y = -x + rng.normal(0, 3, 60)
add("decreasing", x, y, increasing=False)
add("bounded", x, -y, y_min=-2.0, y_max=4.5)
# sklearn docs example and a single distinct x.
add("doc-example", np.arange(1, 6, dtype=np.float64), np.array([1, 3, 2, 4, 3.5]))
add("single-x", np.array([0.5, 0.5, 0.5]), np.array([0.0, 1.0, 1.0]), queries=[0.0, 0.5, 1.0])

out = {
    "generator": "scripts/golden/isotonic_reference.py",
    "versions": {"python": platform.python_version(), "numpy": np.__version__, "scipy": scipy.__version__, "sklearn": sklearn.__version__},
    "cases": cases,
}
path = os.path.join(os.path.dirname(__file__), "..", "..", "test", "golden", "isotonic.json")
with open(path, "w") as f:
    json.dump(out, f, indent=1)
    f.write("\n")
print(f"wrote {len(cases)} cases to {os.path.normpath(path)}")
