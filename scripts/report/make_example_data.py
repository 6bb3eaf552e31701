"""Writes the small example inputs of `calibra report` (docs/report.md) to examples/report/.

An overconfident 5-class classifier, simulated: logits = 3 * (class means + noise), so softmax confidence is
higher than accuracy. Validation and test sets come from the same distribution; "shifted" adds extra noise
(a distribution shift, where calibration usually degrades). Deterministic (numpy seed 7).
Run: python3 scripts/report/make_example_data.py
"""
import os
import numpy as np

rng = np.random.default_rng(7)
K = 5
out = os.path.join(os.path.dirname(__file__), '..', '..', 'examples', 'report')
os.makedirs(out, exist_ok=True)


def make(n, noise):
    labels = rng.integers(0, K, size=n)
    z = rng.normal(0.0, noise, size=(n, K))
    z[np.arange(n), labels] += 1.6
    return (3.0 * z).astype(np.float64), labels.astype(np.int64)


for name, n, noise in [('val', 800, 1.0), ('test', 800, 1.0), ('shifted', 800, 1.4)]:
    logits, labels = make(n, noise)
    np.save(os.path.join(out, f'{name}_logits.npy'), logits)
    np.save(os.path.join(out, f'{name}_labels.npy'), labels)
    acc = float((logits.argmax(1) == labels).mean())
    print(f'{name}: {n} samples, accuracy {acc:.3f}')
