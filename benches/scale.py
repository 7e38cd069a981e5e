#!/usr/bin/env python3
"""How `yieldplan plan` scales with what a profile can repeat: declared assets,
positions and scenarios (each at 1k / 10k / 100k). Prints seconds and peak
memory (MB) per size; each should grow about linearly (10x the size, about
10x the time and memory, past a fixed start-up cost).

    cargo build --release && python3 benches/scale.py [sizes...]
"""
import os
import resource
import subprocess
import sys
import tempfile
import time

BIN = os.path.join(os.path.dirname(__file__), "..", "target", "release", "yieldplan")


def assets(n):
    body = ['name = "assets"\n[portfolio]\nvalue = 100000\n',
            '[[position]]\nstrategy = "hold"\nasset = "BTC"\nweight = "100%"\n']
    body += [f'[assets.X{i}]\nvolatility = "50%"\n' for i in range(n)]
    return "".join(body)


def positions(n):
    body = [f'name = "positions"\n[portfolio]\nvalue = {n * 100}\n']
    body += [f'[[position]]\nname = "p{i}"\nstrategy = "lending"\nasset = "USDC"\namount = 100\n'
             for i in range(n)]
    return "".join(body)


def scenarios(n):
    body = ['name = "scenarios"\n[portfolio]\nvalue = 100000\n',
            '[[position]]\nstrategy = "hold"\nasset = "BTC"\nweight = "100%"\n']
    body += [f'[[scenario]]\nname = "s{i}"\ncrypto = "-30%"\n' for i in range(n)]
    return "".join(body)


def measure(kind, text, command):
    with tempfile.NamedTemporaryFile("w", suffix=".toml", delete=False) as f:
        f.write(text)
    start = time.perf_counter()
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    out = subprocess.run([BIN, command, f.name, "--format", "json"], capture_output=True)
    elapsed = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    os.unlink(f.name)
    return elapsed, max(peak, before) / 1024, out.returncode


def main():
    sizes = [int(s) for s in sys.argv[1:]] or [1000, 10000, 100000]
    for kind, make, command in [("assets", assets, "plan"), ("positions", positions, "plan"),
                                ("scenarios", scenarios, "stress")]:
        for n in sizes:
            t, mb, rc = measure(kind, make(n), command)
            print(f"{kind:10} {n:>7}  {t:7.2f} s  peak {mb:8.1f} MB (max so far)  exit {rc}")


if __name__ == "__main__":
    main()
