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


def generate(n: int) -> str:
    out = []
    total = 0
    body = []
    for i in range(n):
        tmpl, label = TEMPLATES[i % len(TEMPLATES)]
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
    sys.stdout.write(generate(n))
