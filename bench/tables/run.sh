#!/usr/bin/env bash
# Tables benchmark (bench/tables/README.md): a seeded 10^8-row Parquet log and its first 10^7 rows;
# calibra evaluate --table vs the numpy/pandas reference on the 10^7 rows (same data, exported to .npy),
# 3 interleaved runs each; then calibra alone on the whole 10^8 rows (bounded memory).
#   bash bench/tables/run.sh [DIR]     (run from the repository root after npm ci; takes 15-30 min on 2 cores)
set -euo pipefail
dir=${1:-/tmp/calibra-tables-bench}
mkdir -p "$dir"
[ -f "$dir/log1e8.parquet" ] || npx tsx bench/tables/generate.ts "$dir/log1e8.parquet" 100000000 1
[ -f "$dir/log1e7.parquet" ] || npx tsx bench/tables/generate.ts "$dir/log1e7.parquet" 10000000 1
[ -f "$dir/npy/confidence.npy" ] || npx tsx bench/tables/export-npy.ts "$dir/log1e7.parquet" "$dir/npy"
ids=accuracy,ece,mce,rmsce,brier_top,auroc
timed() { /usr/bin/time -f '%e s wall, %M KB max RSS' -o "$dir/time.txt" "$@" > "$dir/out.json"; cat "$dir/time.txt"; }
echo "machine: $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"
for i in 1 2 3; do
  echo "run $i calibra 1e7:   $(timed node bin/calibra.js evaluate --table "$dir/log1e7.parquet" --label-col label --confidence-col confidence --pred-col pred --by model_version,region --metrics $ids --format json)"
  cp "$dir/out.json" "$dir/calibra1e7.json"
  echo "run $i reference 1e7: $(timed /usr/bin/python3 bench/tables/reference.py "$dir/npy")"
  cp "$dir/out.json" "$dir/reference1e7.json"
done
node bench/tables/compare.mjs "$dir/calibra1e7.json" "$dir/reference1e7.json"
echo "calibra 1e8, binned ids, --max-memory 1024: $(timed node bin/calibra.js evaluate --table "$dir/log1e8.parquet" --label-col label --confidence-col confidence --pred-col pred --by model_version,region --metrics accuracy,ece,mce,rmsce,tl_ece,brier_top --format json --max-memory 1024)"
cp "$dir/out.json" "$dir/calibra1e8-binned.json"
echo "calibra 1e8, binned + auroc + ks, --max-memory 1024: $(timed node bin/calibra.js evaluate --table "$dir/log1e8.parquet" --label-col label --confidence-col confidence --pred-col pred --by model_version --metrics accuracy,ece,mce,auroc,ks --format json --max-memory 1024)"
cp "$dir/out.json" "$dir/calibra1e8-order.json"
