"""Benchmark of the Python bindings on the ~100 MB generated dump (run by hand).

    .venv/bin/maturin develop --release -m bindings-python/Cargo.toml   # optimised build
    # gen-dump's defaults now write ~196 MB; half of them give the ~100 MB dump:
    cargo run --release -p kdiag-bench --bin gen-dump -- --pods 5000 --nodes 500 --events 25000 /tmp/kdiag-dump.json
    .venv/bin/python bindings-python/bench/bench.py /tmp/kdiag-dump.json [--iters 5]

Every measurement is taken side by side in one run (rounds interleaved, median of the
rounds), and reported as ratios:

- binding overhead: ``kdiag.diagnose(text)`` against the same engine timed inside Rust
  with no Python in the loop (``kdiag._kdiag._bench_engine_ns``: the text is already
  borrowed, the clock runs around ``kdiag::diagnose_str`` only); also with the report's
  ``Finding`` objects made (they are made on first use);
- ``kdiag.diagnose(text)`` against ``json.loads(text)`` alone;
- ``dict`` input: ``kdiag.diagnose(obj)`` (the Rust walk to JSON text + diagnosis), the
  walk alone, against ``json.dumps(obj)`` + ``kdiag.diagnose(text)``.
"""

from __future__ import annotations

import argparse
import gc
import json
import statistics
import sys
import time
from typing import Callable, Dict, List

import kdiag


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("dump", help="the dump to read (gen-dump's output)")
    ap.add_argument("--iters", type=int, default=5, help="rounds (default 5)")
    args = ap.parse_args()

    with open(args.dump, encoding="utf-8") as f:
        text = f.read()
    obj = json.loads(text)
    print(f"dump: {args.dump}, {len(text) / 1e6:.1f} MB, kdiag {kdiag.__version__}")
    report = kdiag.diagnose(text)
    print(f"report: {report.summary_line}")

    def engine_in_rust() -> float:
        return kdiag._kdiag._bench_engine_ns(text) / 1e9

    def timed(fn: Callable[[], object]) -> Callable[[], float]:
        def run() -> float:
            start = time.perf_counter()
            result = fn()
            elapsed = time.perf_counter() - start
            del result
            return elapsed

        return run

    cases: Dict[str, Callable[[], float]] = {
        # These two run back to back in each round (see "per-round pairs").
        "engine in Rust (no Python)": engine_in_rust,
        "kdiag.diagnose(text)": timed(lambda: kdiag.diagnose(text)),
        "kdiag.diagnose(text) + findings": timed(lambda: kdiag.diagnose(text).findings),
        "json.loads(text)": timed(lambda: json.loads(text)),
        "kdiag.diagnose(dict)": timed(lambda: kdiag.diagnose(obj)),
        "walk dict -> JSON text (Rust)": timed(lambda: kdiag._kdiag.to_json_text(obj)),
        "json.dumps(dict)": timed(lambda: json.dumps(obj)),
        "json.dumps(dict) + diagnose(text)": timed(lambda: kdiag.diagnose(json.dumps(obj))),
    }
    times: Dict[str, List[float]] = {name: [] for name in cases}
    for _ in range(args.iters):
        for name, run in cases.items():
            gc.collect()
            times[name].append(run())

    med = {name: statistics.median(ts) for name, ts in times.items()}
    width = max(len(n) for n in med)
    print(f"\nmedian of {args.iters} interleaved rounds:")
    for name, t in med.items():
        print(f"  {name:<{width}}  {t * 1000:9.1f} ms   (min {min(times[name]) * 1000:.1f})")

    engine = med["engine in Rust (no Python)"]
    text_call = med["kdiag.diagnose(text)"]
    # The machine may be shared: a ratio of two runs made back to back in the same round
    # is steadier than a ratio of medians. Median of the per-round ratios:
    paired = statistics.median(
        d / e for d, e in zip(times["kdiag.diagnose(text)"], times["engine in Rust (no Python)"])
    )
    print("\nratios:")
    print(f"  binding overhead, per-round pairs (median)              = {paired:.3f}"
          f"  ({(paired - 1) * 100:+.1f} %, target <= +10 %)")
    print(f"  binding overhead: diagnose(text) / engine in Rust      = {text_call / engine:.3f}"
          f"  ({(text_call / engine - 1) * 100:+.1f} %, target <= +10 %)")
    full = med["kdiag.diagnose(text) + findings"]
    print(f"  ... with every Finding object made / engine in Rust    = {full / engine:.3f}"
          f"  ({(full / engine - 1) * 100:+.1f} %)")
    print(f"  diagnose(text) / json.loads(text)                      = {text_call / med['json.loads(text)']:.3f}"
          "  (target < 1)")
    print(f"  diagnose(dict) / (json.dumps(dict) + diagnose(text))    = "
          f"{med['kdiag.diagnose(dict)'] / med['json.dumps(dict) + diagnose(text)']:.3f}  (target < 1)")
    print(f"  conversion cost: walk dict -> JSON / diagnose(text)     = "
          f"{med['walk dict -> JSON text (Rust)'] / text_call:.3f}")
    print(f"  walk dict -> JSON (Rust) / json.dumps(dict)             = "
          f"{med['walk dict -> JSON text (Rust)'] / med['json.dumps(dict)']:.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
