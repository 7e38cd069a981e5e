#!/usr/bin/env python3
"""Generate a valid yieldplan profile with N positions (for benches/plan_bench.py).

Positions cycle through staking, lending, liquidity, farming and hold; each has a
unique name and an integer `amount`, and `[portfolio] value` is the exact sum of the
amounts, so the allocation adds up to exactly 100%.
"""
import sys

TEMPLATES = [
    ('strategy = "staking"\nasset = "ETH"\nmethod = "liquid"\nprotocol = "lido"\nchain = "ethereum"\n', "staking ETH"),
    ('strategy = "staking"\nasset = "SOL"\n', "staking SOL"),
    ('strategy = "staking"\nasset = "ADA"\n', "staking ADA"),
    ('strategy = "staking"\nasset = "DOT"\n', "staking DOT"),
    ('strategy = "staking"\nasset = "ATOM"\n', "staking ATOM"),
    ('strategy = "lending"\nasset = "USDC"\nprotocol = "aave"\nchain = "ethereum"\n', "lending USDC"),
    ('strategy = "lending"\nasset = "USDT"\nprotocol = "compound"\nchain = "ethereum"\n', "lending USDT"),
    ('strategy = "lending"\nasset = "DAI"\nprotocol = "maker"\nchain = "ethereum"\n', "lending DAI"),
    ('strategy = "liquidity"\npair = ["ETH", "USDC"]\npool = "constant-product"\nprotocol = "uniswap"\nchain = "ethereum"\n', "LP ETH/USDC"),
    ('strategy = "farming"\nprotocol = "yearn"\nchain = "ethereum"\n', "farm"),
    ('strategy = "hold"\nasset = "BTC"\n', "hold BTC"),
]


PAIRS = [("ETH", "USDC"), ("ETH", "SOL"), ("BTC", "ETH"), ("SOL", "USDC"), ("USDC", "USDT"), ("ATOM", "DOT")]


def liquidity_template(i: int):
    """A liquidity position of one of many shapes: constant product, weighted,
    concentrated with one of 50 ranges, or StableSwap with one of 10 amplifications."""
    a, b = PAIRS[i % len(PAIRS)]
    kind = i % 4
    pair = f'strategy = "liquidity"\npair = ["{a}", "{b}"]\nfee_apr = "{5 + i % 20}%"\n'
    if kind == 0:
        return pair + 'pool = "constant-product"\n', f"LP {a}/{b} cp"
    if kind == 1:
        return pair + 'pool = "weighted"\nweights = ["80%", "20%"]\n', f"LP {a}/{b} 80/20"
    if kind == 2:
        width = 1.05 + (i % 50) * 0.05
        return pair + f'pool = "concentrated"\nrange = {{ lower = {1 / width:.6f}, upper = {width:.4f} }}\n', f"LP {a}/{b} range"
    return pair + f'pool = "stable"\namplification = {50 * (1 + i % 10)}\n', f"LP {a}/{b} stable"


def generate(n: int, liquidity: bool = False) -> str:
    out = []
    total = 0
    body = []
    for i in range(n):
        tmpl, label = liquidity_template(i) if liquidity else TEMPLATES[i % len(TEMPLATES)]
        amount = 1000 + (i % 17) * 250  # varied, integer, exact
        total += amount
        body.append(f'[[position]]\nname = "{label} #{i}"\n{tmpl}amount = {amount}\n')
    out.append(f'name = "Bench {n} positions"\n\n[portfolio]\nvalue = {total}\ncurrency = "USD"\n\n')
    out.append('[goal]\nmonthly_income = { min = 1000, max = 2000 }\nstarts_in_years = 0\n\n')
    out.append('[assumptions]\ntax_rate = "0%"\ninflation = "3%"\n\n')
    out.append("\n".join(body))
    return "".join(out)


if __name__ == "__main__":
    n = int(sys.argv[1])
    sys.stdout.write(generate(n, liquidity="--liquidity" in sys.argv[2:]))
