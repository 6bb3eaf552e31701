"""Golden reference for calibra's CA calibrator (src/calibrators/ca/), run with Debian's python3-torch.

Independent implementation in PyTorch (float64) of the published CA loop (Liu et al. 2024, arXiv 2404.13016;
../shared/spec/ca-method.md §1.1, §2.1, §2.3, §3): top-k features from transformed views, Linear-ReLU-Linear,
clamp to [0.1, 10] (or the robust sigmoid head), CA / CE / Brier losses with per-batch class-balance weights,
torch.optim.Adam. The initial weights (torch.manual_seed(10) + nn.Linear defaults) and the per-epoch batch orders
are exported so that the TypeScript loop can replay exactly the same steps.

Run: /usr/bin/python3 scripts/golden/ca_reference.py > test/golden/ca.json
"""
import json
import math
import sys

import numpy as np
import torch

torch.set_default_dtype(torch.float64)

N, C, K, H, B, EPOCHS = 240, 6, 4, 5, 64, 3
VIEWS = ["rotation", "greyscale", "colorjitter"]

rs = np.random.RandomState(0)
labels = rs.randint(0, C, size=N)
signal = rs.uniform(0.0, 3.0, size=N)
logits = rs.normal(0.0, 1.5, size=(N, C))
logits[np.arange(N), labels] += signal  # a classifier that is right about 2/3 of the time
views = [logits * rs.uniform(0.3, 1.2, size=(N, 1)) + rs.normal(0.0, s, size=(N, C)) for s in (2.0, 0.5, 1.0)]
logits = np.round(logits, 6)
views = [np.round(v, 6) for v in views]
orders = [rs.permutation(N) for _ in range(EPOCHS)]

z = torch.tensor(logits)
y = torch.tensor(labels)
top_idx = torch.topk(z, K, dim=1).indices
feats = torch.cat([torch.softmax(torch.tensor(v), dim=1).gather(1, top_idx) for v in views], dim=1)
correct = (z.argmax(1) == y).double()

torch.manual_seed(10)
init_net = torch.nn.Sequential(torch.nn.Linear(3 * K, H), torch.nn.ReLU(), torch.nn.Linear(H, 1))
init_state = {k: v.detach().clone() for k, v in init_net.state_dict().items()}


def params_json(net):
    sd = net.state_dict()
    return {
        "W1": sd["0.weight"].tolist(), "b1": sd["0.bias"].tolist(),
        "w2": sd["2.weight"][0].tolist(), "b2": float(sd["2.bias"][0]),
    }


def head_fn(r, head):
    if head == "clamp":
        return torch.clamp(r, 0.1, 10.0)
    return torch.exp(math.log(0.1) + math.log(100.0) * torch.sigmoid(r))


def batch_loss(net, idx, loss, weighting, head):
    T = head_fn(net(feats[idx]), head)  # (b, 1)
    zz = z[idx] / T
    p = torch.softmax(zz, dim=1)
    c = correct[idx]
    if loss == "ca":
        conf, _ = p.max(1)
        per = (conf - c) ** 2
    elif loss == "ce":
        per = torch.nn.functional.cross_entropy(zz, y[idx], reduction="none")
    else:
        per = ((p - torch.nn.functional.one_hot(y[idx], C).double()) ** 2).sum(1)
    if weighting == "balanced":
        acc = c.mean()
        w = torch.where(c == 1, 1 - acc, acc)
        if float(w.sum()) == 0.0:
            w = torch.ones_like(c)
    else:
        w = torch.ones_like(c)
    return (w * per).sum() / w.sum()


def run(loss, weighting, head, lr, init):
    net = torch.nn.Sequential(torch.nn.Linear(3 * K, H), torch.nn.ReLU(), torch.nn.Linear(H, 1))
    net.load_state_dict(init)
    opt = torch.optim.Adam(net.parameters(), lr=lr)
    steps = []
    for e in range(EPOCHS):
        order = torch.tensor(orders[e])
        for s in range(0, N, B):
            opt.zero_grad()
            l = batch_loss(net, order[s:s + B], loss, weighting, head)
            l.backward()
            opt.step()
            steps.append(float(l))
    with torch.no_grad():
        T = head_fn(net(feats), head)[:, 0]
    return {"loss": loss, "weighting": weighting, "head": head, "lr": lr,
            "stepLosses": steps, "final": params_json(net), "temperatures": T.tolist()}


# An init with the output bias near 1 keeps most samples inside the clamp range, so the clamp head moves too.
init_near1 = {k: v.clone() for k, v in init_state.items()}
init_near1["2.bias"] = torch.tensor([1.0])
init_near0 = {k: v.clone() for k, v in init_state.items()}
init_near0["2.bias"] = torch.tensor([0.0])

runs = []
for init_name, init, cfgs in (
    ("torchDefault", init_state, [("ca", "balanced", "clamp", 1e-4), ("ca", "balanced", "clamp", 1e-2)]),
    ("bias1", init_near1, [("ca", "balanced", "clamp", 1e-2), ("ca", "none", "clamp", 1e-2), ("ce", "none", "clamp", 1e-2), ("mse", "none", "clamp", 1e-2)]),
    ("bias0", init_near0, [("ca", "none", "sigmoid", 1e-2), ("ca", "balanced", "sigmoid", 1e-2)]),
):
    for cfg in cfgs:
        r = run(*cfg, init)
        r["init"] = init_name
        runs.append(r)


def sd_json(sd):
    return {"W1": sd["0.weight"].tolist(), "b1": sd["0.bias"].tolist(), "w2": sd["2.weight"][0].tolist(), "b2": float(sd["2.bias"][0])}


out = {
    "generator": "scripts/golden/ca_reference.py",
    "versions": {"python": sys.version.split()[0], "torch": torch.__version__, "numpy": np.__version__},
    "N": N, "C": C, "k": K, "hidden": H, "batchSize": B, "epochs": EPOCHS, "views": VIEWS,
    "logits": logits.tolist(), "labels": labels.tolist(),
    "viewLogits": [v.tolist() for v in views],
    "orders": [o.tolist() for o in orders],
    "features": feats.tolist(),
    "inits": {"torchDefault": sd_json(init_state), "bias1": sd_json(init_near1), "bias0": sd_json(init_near0)},
    "runs": runs,
}
json.dump(out, sys.stdout)
