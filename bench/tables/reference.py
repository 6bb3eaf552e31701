"""numpy/pandas reference for the tables benchmark: per-slice (model_version x region) and whole-table
accuracy, ECE/MCE/RMSCE with 15 equal-width bins (calibra's rule: [0, 1/15], then (lo, hi], edges b/15 by
division), top-label Brier and AUROC (sklearn roc_auc_score) from the .npy export of a generated log.
Prints one JSON object: {"n", "metrics", "slices": [{"key", "n", "metrics"}]}.

    /usr/bin/python3 bench/tables/reference.py OUT_DIR
"""
import json
import sys

import numpy as np
import pandas as pd
from sklearn.metrics import roc_auc_score

REGIONS = sorted(['eu-west', 'eu-north', 'us-east', 'us-west', 'ap-south', 'ap-east', 'sa-east', 'af-south'])
VERSIONS = ['v1', 'v2', 'v3']
B = 15


def metrics(df):
    c = df['c'].to_numpy()
    a = df['a'].to_numpy()
    n = len(c)
    cells = df.groupby('b').agg(cnt=('a', 'size'), sc=('c', 'sum'), sa=('a', 'sum'))
    gap = np.abs(cells['sa'] / cells['cnt'] - cells['sc'] / cells['cnt'])
    w = cells['cnt'] / n
    return {
        'accuracy': float(a.mean()),
        'ece': float((w * gap).sum()),
        'mce': float(gap.max()),
        'rmsce': float(np.sqrt((w * gap * gap).sum())),
        'brier_top': float(((c - a) ** 2).mean()),
        'auroc': float(roc_auc_score(a, c)) if 0 < a.sum() < n else None,
    }


def main(folder):
    c = np.load(f'{folder}/confidence.npy').astype(np.float64)
    df = pd.DataFrame({
        'c': c,
        'a': (np.load(f'{folder}/pred.npy') == np.load(f'{folder}/label.npy')).astype(np.int64),
        'b': np.searchsorted(np.arange(1, B) / B, c, side='left'),
        'model_version': np.load(f'{folder}/model_version.npy'),
        'region': np.load(f'{folder}/region.npy'),
    })
    out = {'n': len(df), 'metrics': metrics(df), 'slices': []}
    for (m, r), g in df.groupby(['model_version', 'region']):
        out['slices'].append({'key': {'model_version': VERSIONS[m], 'region': REGIONS[r]}, 'n': len(g), 'metrics': metrics(g)})
    print(json.dumps(out))


if __name__ == '__main__':
    main(sys.argv[1])
