#!/usr/bin/python3
"""Reference-stack side of calibra's benchmark (issue 7).

Runs one workload on the Python reference stack (Debian's numpy / scipy / scikit-learn / torch) on the
same input files the TypeScript side reads, and prints one JSON line:
  {"workload": ..., "impl": ..., "times_s": [...], "peak_rss_mb": ..., "result": {...}, "versions": {...}}
`result` holds a few numbers so the harness can check that both sides computed the same thing.

Usage: bench/reference.py WORKLOAD DIR REPEATS [--whole]
"""
import json
import resource
import sys
import time

import numpy as np


def versions():
    out = {"numpy": np.__version__, "python": sys.version.split()[0]}
    for mod in ("scipy", "sklearn", "torch", "torchvision", "onnx"):
        try:
            out[mod] = __import__(mod).__version__
        except Exception:  # noqa: BLE001 - a missing library is reported, not fatal
            pass
    return out


def timed(fn, repeats):
    times, result = [], None
    for _ in range(repeats):
        t0 = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - t0)
    return times, result


def log_softmax(z):
    m = z.max(axis=1, keepdims=True)
    s = z - m
    return s - np.log(np.exp(s).sum(axis=1, keepdims=True))


def bin_index(s, bins):
    # calibra's default convention: edges b/B; first bin [0, 1/B], then (lo, hi]
    e = np.arange(bins + 1) / bins
    return np.clip(np.searchsorted(e, s, side="left") - 1, 0, bins - 1)


def binned_errors(s, t, bins):
    """(ECE, MCE over non-empty bins, RMSCE) of scores s against 0/1 targets t, equal-width bins."""
    idx = bin_index(s, bins)
    n = np.bincount(idx, minlength=bins).astype(np.float64)
    gap = np.abs(np.bincount(idx, weights=s, minlength=bins) - np.bincount(idx, weights=t, minlength=bins))
    nz = n > 0
    return gap.sum() / len(s), (gap[nz] / n[nz]).max(), np.sqrt((gap[nz] ** 2 / n[nz]).sum() / len(s))


def equal_mass(s, t, bins, debiased=False):
    """Equal-mass bins by rank split (numpy array_split of the stable sort order)."""
    order = np.argsort(s, kind="stable")
    n, acc = len(s), 0.0
    for grp in np.array_split(order, bins):
        if len(grp) == 0:
            continue
        conf, a = s[grp].mean(), t[grp].mean()
        if debiased:
            if len(grp) >= 2:
                acc += len(grp) / n * ((a - conf) ** 2 - a * (1 - a) / (len(grp) - 1))
        else:
            acc += len(grp) / n * abs(a - conf)
    return float(np.sqrt(max(acc, 0.0))) if debiased else acc


def ks_error(c, a):
    order = np.argsort(c, kind="stable")
    cs, d = c[order], np.cumsum(c[order] - a[order])
    ends = np.r_[cs[1:] != cs[:-1], True]
    return float(np.max(np.abs(d[ends]))) / len(c)


def mmce_sorted(c, a, width=0.4):
    """MMCE with the Laplacian kernel in O(N log N): sort, then prefix sums of r_j exp(c_j / w)."""
    order = np.argsort(c, kind="stable")
    cs, r = c[order], (a - c)[order]
    up = np.exp((cs - cs[-1]) / width)
    prefix = np.cumsum(r * up) - r * up
    cross = (r * prefix / up).sum()
    total = (r * r).sum() + 2 * cross
    return float(np.sqrt(max(total, 0.0))) / len(c)


def aurc_ties(c, a):
    """AURC with tie blocks spreading their errors evenly (calibra's convention), vectorised."""
    n = len(c)
    vals, inv, counts = np.unique(-c, return_inverse=True, return_counts=True)
    errs = np.bincount(inv, weights=1 - a)
    before = np.cumsum(errs) - errs
    taken = np.cumsum(counts) - counts
    order = np.argsort(inv, kind="stable")
    blk = inv[order]
    j = np.arange(n) - taken[blk] + 1
    return float(((before[blk] + errs[blk] * j / counts[blk]) / (taken[blk] + j)).sum() / n)


def w1_metrics(d):
    from sklearn.metrics import average_precision_score, roc_auc_score, roc_curve

    logits = np.load(f"{d}/logits.npy")
    labels = np.load(f"{d}/labels.npy").astype(np.int64)

    def run():
        z = logits.astype(np.float64)
        lsm = log_softmax(z)
        p = np.exp(lsm)
        n, k = p.shape
        rows = np.arange(n)
        pred = p.argmax(axis=1)
        conf = p[rows, pred]
        correct = (pred == labels).astype(np.float64)
        ece, mce, rms = binned_errors(conf, correct, 15)
        cw = np.mean([binned_errors(p[:, c], (labels == c).astype(np.float64), 15)[0] for c in range(k)])
        tl = 0.0
        for lab in np.unique(pred):
            g = pred == lab
            tl += g.sum() / n * binned_errors(conf[g], correct[g], 15)[0]
        onehot_sq = (p ** 2).sum(axis=1) - 2 * p[rows, labels] + 1
        fpr, tpr, _ = roc_curve(correct, conf, drop_intermediate=False)
        aurc = aurc_ties(conf, correct)
        risk = 1 - correct.mean()
        optimal = risk + (1 - risk) * np.log(1 - risk) if 0 < risk < 1 else (1.0 if risk >= 1 else 0.0)
        return {"accuracy": correct.mean(), "ece": ece, "ece_em": equal_mass(conf, correct, 15), "mce": mce,
                "rmsce": rms, "cw_ece": cw, "tl_ece": tl, "dece": equal_mass(conf, correct, 15, debiased=True),
                "ks": ks_error(conf, correct), "mmce": mmce_sorted(conf, correct),
                "brier": onehot_sq.mean(), "brier_top": ((conf - correct) ** 2).mean(),
                "nll": -lsm[rows, labels].mean(), "auroc": roc_auc_score(correct, conf),
                "aupr_success": average_precision_score(correct, conf),
                "aupr_error": average_precision_score(1 - correct, -conf),
                "fpr95": fpr[np.argmin(np.abs(tpr - 0.95))], "aurc": aurc, "eaurc": aurc - optimal}

    return run


def w2_ts_torch(d):
    import torch

    logits = torch.from_numpy(np.load(f"{d}/logits.npy").astype(np.float32))
    labels = torch.from_numpy(np.load(f"{d}/labels.npy").astype(np.int64))

    def run():
        # The CA paper's code: nn.Parameter T=1.5, LBFGS(lr=0.01, max_iter=50), CE on logits / T.
        t = torch.nn.Parameter(torch.ones(1) * 1.5)
        opt = torch.optim.LBFGS([t], lr=0.01, max_iter=50)
        ce = torch.nn.CrossEntropyLoss()

        def closure():
            opt.zero_grad()
            loss = ce(logits / t, labels)
            loss.backward()
            return loss

        opt.step(closure)
        return {"T": float(t.item())}

    return run


def w2_ts_scipy(d):
    from scipy.optimize import minimize_scalar
    from scipy.special import logsumexp

    logits = np.load(f"{d}/logits.npy").astype(np.float64)
    labels = np.load(f"{d}/labels.npy").astype(np.int64)
    n = logits.shape[0]
    true_logit = logits[np.arange(n), labels]

    def run():
        def nll(log_t):
            inv = np.exp(-log_t)
            return (logsumexp(logits * inv, axis=1) - true_logit * inv).mean()

        res = minimize_scalar(nll, bounds=(-5.0, 5.0), method="bounded", options={"xatol": 1e-8})
        return {"T": float(np.exp(res.x)), "nll": float(res.fun)}

    return run


def w3_isotonic(d):
    from sklearn.isotonic import IsotonicRegression

    scores = np.load(f"{d}/scores.npy").astype(np.float64)
    targets = np.load(f"{d}/targets.npy").astype(np.float64)

    def run():
        iso = IsotonicRegression(out_of_bounds="clip", y_min=0.0, y_max=1.0)
        iso.fit(scores, targets)
        pred = iso.predict(scores)
        return {"mean_prediction": float(pred.mean()), "thresholds": int(len(iso.X_thresholds_))}

    return run


def ca_features(orig, views, k=4):
    top = np.argsort(-orig, axis=1, kind="stable")[:, :k]
    feats = []
    for v in views:
        p = np.exp(log_softmax(v))
        feats.append(np.take_along_axis(p, top, axis=1))
    return np.concatenate(feats, axis=1)


def w4_ca_torch(d):
    import torch

    z = np.load(f"{d}/original.npy").astype(np.float32)
    views = [np.load(f"{d}/{name}.npy").astype(np.float32) for name in ("rotation", "greyscale", "colorjitter")]
    labels = np.load(f"{d}/labels.npy").astype(np.int64)
    feats = torch.from_numpy(ca_features(z, views).astype(np.float32))
    logits = torch.from_numpy(z)
    y = torch.from_numpy(labels)

    def run():
        torch.manual_seed(10)
        net = torch.nn.Sequential(torch.nn.Linear(12, 5), torch.nn.ReLU(), torch.nn.Linear(5, 1))
        opt = torch.optim.Adam(net.parameters(), lr=1e-4)
        n = logits.shape[0]
        last = 0.0
        for _epoch in range(10):
            perm = torch.randperm(n)
            for s in range(0, n, 1000):
                idx = perm[s:s + 1000]
                zt, ft, yt = logits[idx], feats[idx], y[idx]
                t = torch.clamp(net(ft), 0.1, 10.0)
                p = torch.softmax(zt / t, dim=1)
                conf, pred = p.max(dim=1)
                correct = (pred == yt).float()
                a = correct.mean()
                w = torch.where(correct > 0, 1 - a, a)
                l = (conf - correct) ** 2
                loss = (w * l).sum() / w.sum().clamp_min(1e-12)
                opt.zero_grad()
                loss.backward()
                opt.step()
                last = float(loss.item())
        return {"final_batch_loss": last}

    return run


def w5_matrix_scaling_torch(d):
    import torch

    logits = torch.from_numpy(np.load(f"{d}/logits.npy").astype(np.float64))
    labels = torch.from_numpy(np.load(f"{d}/labels.npy").astype(np.int64))
    k = logits.shape[1]

    def run():
        # Matrix scaling on logits with an L2 penalty on W - I and b, float64, L-BFGS (strong Wolfe).
        w = torch.nn.Parameter(torch.eye(k, dtype=torch.float64))
        b = torch.nn.Parameter(torch.zeros(k, dtype=torch.float64))
        opt = torch.optim.LBFGS([w, b], lr=1.0, max_iter=500, tolerance_grad=1e-7, tolerance_change=1e-12,
                                history_size=10, line_search_fn="strong_wolfe")
        lam = 1e-3
        eye = torch.eye(k, dtype=torch.float64)

        def closure():
            opt.zero_grad()
            out = logits @ w.T + b
            loss = torch.nn.functional.cross_entropy(out, labels) + lam * (((w - eye) ** 2).sum() + (b ** 2).sum())
            loss.backward()
            return loss

        opt.step(closure)  # returns the loss at the start of the step, so evaluate again at the end
        with torch.no_grad():
            out = logits @ w.T + b
            loss = torch.nn.functional.cross_entropy(out, labels) + lam * (((w - eye) ** 2).sum() + (b ** 2).sum())
        return {"loss": float(loss.item())}

    return run


# ---- W6: `calibra views` throughput, the same ONNX model rebuilt in PyTorch ----------------------------

class OnnxAsTorch:
    """The zoo's ONNX graph (read with python3-onnx) executed with torch ops, node by node.

    Supports the ops scripts/zoo/onnx-writer.ts emits (Conv, Relu, MaxPool, Transpose, Flatten, Gemm,
    Identity) plus Reshape and Softmax; anything else is an error, never skipped.
    """

    OPS = {"Gemm", "Relu", "Conv", "MaxPool", "Transpose", "Flatten", "Reshape", "Softmax", "Identity"}

    def __init__(self, path):
        import onnx
        import torch
        from onnx import numpy_helper

        graph = onnx.load(path).graph
        self.weights = {t.name: torch.from_numpy(numpy_helper.to_array(t).copy()) for t in graph.initializer}
        self.nodes = []
        for n in graph.node:
            if n.op_type not in self.OPS:
                raise ValueError(f"{path}: ONNX op {n.op_type} is not supported by the W6 reference")
            attrs = {a.name: onnx.helper.get_attribute_value(a) for a in n.attribute}
            self.nodes.append((n.op_type, list(n.input), list(n.output), attrs))
        self.input = graph.input[0].name
        self.output = graph.output[0].name

    def __call__(self, x):
        import torch
        import torch.nn.functional as F

        env = dict(self.weights)
        env[self.input] = x
        for op, ins, outs, at in self.nodes:
            a = [env[i] for i in ins if i]
            if op == "Gemm":
                m, w = a[0], a[1]
                if at.get("transA", 0):
                    m = m.t()
                if at.get("transB", 0):
                    w = w.t()
                alpha, beta = float(at.get("alpha", 1.0)), float(at.get("beta", 1.0))
                y = torch.addmm(a[2], m, w, beta=beta, alpha=alpha) if len(a) > 2 else alpha * (m @ w)
            elif op == "Relu":
                y = torch.relu(a[0])
            elif op == "Conv":
                pads = list(at.get("pads", [0, 0, 0, 0]))
                if pads[:2] != pads[2:] or at.get("auto_pad", b"NOTSET") not in (b"NOTSET", "NOTSET"):
                    raise ValueError("W6 reference: only symmetric explicit Conv pads are supported")
                y = F.conv2d(a[0], a[1], a[2] if len(a) > 2 else None, stride=tuple(at.get("strides", [1, 1])),
                             padding=tuple(pads[:2]), dilation=tuple(at.get("dilations", [1, 1])),
                             groups=int(at.get("group", 1)))
            elif op == "MaxPool":
                pads = list(at.get("pads", [0, 0, 0, 0]))
                y = F.max_pool2d(a[0], tuple(at["kernel_shape"]), stride=tuple(at.get("strides", at["kernel_shape"])),
                                 padding=tuple(pads[:2]), ceil_mode=bool(at.get("ceil_mode", 0)))
            elif op == "Transpose":
                y = a[0].permute(*at.get("perm", list(range(a[0].dim()))[::-1]))
            elif op == "Flatten":
                axis = int(at.get("axis", 1))
                y = a[0].reshape(int(np.prod(a[0].shape[:axis])), -1)
            elif op == "Reshape":
                shape = [a[0].shape[i] if s == 0 else int(s) for i, s in enumerate(a[1].tolist())]
                y = a[0].reshape(shape)
            elif op == "Softmax":
                y = torch.softmax(a[0], dim=int(at.get("axis", -1)))
            else:  # Identity
                y = a[0]
            env[outs[0]] = y
        return env[self.output]


def read_idx_gz(path):
    import gzip

    with gzip.open(path, "rb") as f:
        raw = f.read()
    ndim = raw[3]
    dims = [int.from_bytes(raw[4 + 4 * i:8 + 4 * i], "big") for i in range(ndim)]
    return np.frombuffer(raw, dtype=np.uint8, offset=4 + 4 * ndim).reshape(dims)


def w6_views(rng, x, names):
    """The views of a batch x (B,1,H,W float32 in [0,1]), torchvision semantics, one draw per image.

    rotation: torchvision rotate by -90/90/180 (nearest, fill 0) == torch.rot90 on square images;
    greyscale: torchvision rgb_to_grayscale, which returns a copy of a 1-channel image;
    colorjitter: ColorJitter(0.2, 0.2, 0.2, 0.1) in a random order per image; saturation and hue are
    identities on 1 channel (torchvision returns the input), brightness clamp(b*x) and contrast
    clamp(c*x + (1-c)*mean(x)) are applied per image (vectorised over the batch).
    """
    import torch

    b = x.shape[0]
    for name in names:
        if name == "rotation":
            angle = torch.randint(0, 3, (b,), generator=rng)  # 0: -90, 1: 90, 2: 180 (counter-clockwise)
            y = torch.empty_like(x)
            for code, k in ((0, -1), (1, 1), (2, 2)):
                idx = (angle == code).nonzero().flatten()
                if len(idx):
                    y[idx] = torch.rot90(x[idx], k, dims=(2, 3))
            yield name, y
        elif name == "greyscale":
            try:
                from torchvision.transforms.functional import rgb_to_grayscale
                yield name, rgb_to_grayscale(x, num_output_channels=1)
            except ImportError:
                yield name, x.clone()
        elif name == "colorjitter":
            order = torch.rand((b, 4), generator=rng).argsort(dim=1)  # torch.randperm(4) per image
            f = 0.8 + 0.4 * torch.rand((b, 4), generator=rng)  # brightness, contrast, saturation factors
            _hue = 0.2 * torch.rand((b,), generator=rng) - 0.1  # drawn, identity on grey
            bf, cf = f[:, 0].view(b, 1, 1, 1), f[:, 1].view(b, 1, 1, 1)

            def bright(t, sel):
                return (t * bf[sel]).clamp_(0, 1)

            def contrast(t, sel):
                m = t.mean(dim=(1, 2, 3), keepdim=True)
                return (cf[sel] * t + (1 - cf[sel]) * m).clamp_(0, 1)

            pos = order.argsort(dim=1)  # position of each op in the image's order
            b_first = pos[:, 0] < pos[:, 1]
            y = torch.empty_like(x)
            for mask, first, second in ((b_first, bright, contrast), (~b_first, contrast, bright)):
                idx = mask.nonzero().flatten()
                if len(idx):
                    y[idx] = second(first(x[idx], idx), idx)
            yield name, y
        else:
            raise ValueError(f"W6 reference: unknown view {name}")


def w6_workload(with_views):
    def setup(d):
        import torch

        spec = json.load(open(f"{d}/spec.json"))
        torch.set_num_threads(spec["threads"])
        model = OnnxAsTorch(spec["model"])
        n, batch = spec["count"], spec["batchSize"]
        images = read_idx_gz(f"{spec['datasetDir']}/t10k-images-idx3-ubyte.gz")[:n].copy()  # writable
        labels = read_idx_gz(f"{spec['datasetDir']}/t10k-labels-idx1-ubyte.gz")[:n].astype(np.int64)
        names = spec["views"] if with_views else []
        times = []

        def pipeline(count):
            rng = torch.Generator().manual_seed(spec["seed"])
            with torch.inference_mode():
                passes = {"original": []}
                passes.update({v: [] for v in names})
                for s in range(0, count, batch):
                    x = torch.from_numpy(images[s:s + batch]).unsqueeze(1).float().div_(255.0)  # ToTensor
                    passes["original"].append(model(x).double())
                for v in names:  # one pass per view, as calibra does
                    for s in range(0, count, batch):
                        x = torch.from_numpy(images[s:s + batch]).unsqueeze(1).float().div_(255.0)
                        for _name, y in w6_views(rng, x, [v]):
                            passes[v].append(model(y).double())
            return {k: torch.cat(v).numpy() for k, v in passes.items()}

        pipeline(min(256, n))  # untimed warm-up, as on the calibra side

        def run():
            t0 = time.perf_counter()
            out = pipeline(n)
            times.append(time.perf_counter() - t0)
            orig = out["original"]
            res = {"images": n, "views": len(names), "images_per_s": n / float(np.median(times)),
                   "accuracy_original": float((orig.argmax(axis=1) == labels).mean()),
                   "mean_logit_original": float(orig.mean())}
            try:  # the ONNX model run by onnxruntime-node (written by bench/w6-views.ts on its first run)
                ort = np.load(f"{d}/ort-logits.npy")
                res["max_abs_logit_diff"] = float(np.abs(orig[:len(ort)] - ort).max())
            except FileNotFoundError:
                pass
            return res

        return run

    return setup


WORKLOADS = {
    "W1-metrics": w1_metrics,
    "W2-ts-torch": w2_ts_torch,
    "W2-ts-scipy": w2_ts_scipy,
    "W3-isotonic": w3_isotonic,
    "W4-ca-torch": w4_ca_torch,
    "W5-matrix-scaling-torch": w5_matrix_scaling_torch,
    "W6-views-torch": w6_workload(True),
    "W6-original-torch": w6_workload(False),
}


def main():
    name, d, repeats = sys.argv[1], sys.argv[2], int(sys.argv[3])
    # --whole: the whole-process timing of bench/process.ts, which times this process from outside; skip
    # versions(), which imports every library of the stack
    whole = "--whole" in sys.argv[4:]
    run = WORKLOADS[name](d)
    times, result = timed(run, repeats)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0
    print(json.dumps({"workload": name, "times_s": times, "peak_rss_mb": peak,
                      "result": {k: float(v) for k, v in result.items()}, "versions": {} if whole else versions()}))


if __name__ == "__main__":
    main()
