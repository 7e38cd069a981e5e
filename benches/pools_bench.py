#!/usr/bin/env python3
"""Benchmark of `yieldplan pools` on a generated snapshot of 20,000 pools
(about 13 MB, the shape of DefiLlama's yields endpoint): load, screen and
print the top 50, as a whole process. Not a test. Run after `cargo build --release`.

Reports the median of several runs, and the share spent reading and parsing,
estimated by a run whose filter matches nothing (read + parse + filter only).
"""
import json
import os
import random
import statistics
import subprocess
import sys
import time
import uuid

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BIN = os.path.join(ROOT, "target", "release", "yieldplan")
OUT = os.path.join(ROOT, "target", "bench", "pools-20000.json")
CHAINS = ["Ethereum", "Arbitrum", "Solana", "BSC", "Base", "Polygon", "Avalanche", "Optimism"]
PROJECTS = ["aave-v3", "uniswap-v3", "curve-dex", "lido", "compound-v3", "pendle", "yearn-finance", "jito", "balancer-v2", "convex-finance"]
TOKENS = ["USDC", "USDT", "DAI", "WETH", "WBTC", "STETH", "SOL", "ARB", "OP", "CRV", "PENDLE", "XYZ"]


def pool(rng):
    multi = rng.random() < 0.5
    symbol = "-".join(rng.sample(TOKENS, 2)) if multi else rng.choice(TOKENS)
    base = round(rng.uniform(0, 25), 4)
    reward = round(rng.uniform(0, 40), 4) if rng.random() < 0.4 else None
    apy = base + (reward or 0)
    return {
        "chain": rng.choice(CHAINS), "project": rng.choice(PROJECTS), "symbol": symbol,
        "tvlUsd": round(rng.lognormvariate(13, 3), 2), "apyBase": base, "apyReward": reward, "apy": apy,
        "rewardTokens": ["0x" + "ab" * 20] if reward else None, "pool": str(uuid.UUID(int=rng.getrandbits(128))),
        "apyPct1D": round(rng.uniform(-2, 2), 3), "apyPct7D": round(rng.uniform(-5, 5), 3), "apyPct30D": round(rng.uniform(-9, 9), 3),
        "stablecoin": symbol in ("USDC", "USDT", "DAI", "USDC-USDT", "USDT-USDC", "DAI-USDC", "USDC-DAI"),
        "ilRisk": "yes" if multi else "no", "exposure": "multi" if multi else "single",
        "predictions": {"predictedClass": rng.choice(["Down", "Stable/Up", None]), "predictedProbability": rng.randint(50, 99), "binnedConfidence": rng.randint(1, 3)},
        "poolMeta": None, "mu": round(apy * rng.uniform(0.7, 1.3), 4), "sigma": round(rng.uniform(0.1, 5), 4),
        "count": rng.randint(1, 1200), "outlier": rng.random() < 0.05,
        "underlyingTokens": ["0x" + "cd" * 20, "0x" + "ef" * 20] if multi else ["0x" + "cd" * 20],
        "il7d": None, "apyBase7d": round(base * rng.uniform(0.8, 1.2), 4), "apyMean30d": round(apy * rng.uniform(0.8, 1.2), 4),
        "volumeUsd1d": round(rng.uniform(0, 1e8), 2) if multi else None, "volumeUsd7d": round(rng.uniform(0, 7e8), 2) if multi else None,
        "apyBaseInception": None,
    }


def run(args, runs=15):
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run([BIN] + args, stdout=subprocess.DEVNULL, check=True)
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000, min(times) * 1000


def main():
    os.makedirs(os.path.dirname(OUT), exist_ok=True)
    rng = random.Random(7)
    with open(OUT, "w") as f:
        json.dump({"status": "success", "data": [pool(rng) for _ in range(20_000)]}, f)
    size = os.path.getsize(OUT) / 1e6
    top = ["pools", OUT, "--limit", "50", "--sort", "apy"]
    subprocess.run([BIN] + top, stdout=subprocess.DEVNULL, check=True)
    med, best = run(top)
    pmed, pbest = run(["pools", OUT, "--chain", "nowhere"])
    print(f"snapshot: 20,000 pools, {size:.1f} MB")
    print(f"pools --limit 50 (whole process): median {med:.1f} ms, min {best:.1f} ms (target < 150 ms): "
          f"{'PASS' if med < 150 else 'MISS'}")
    print(f"read + parse only (filter matches nothing): median {pmed:.1f} ms = {100 * pmed / med:.0f}% of the run")


if __name__ == "__main__":
    sys.exit(main())
