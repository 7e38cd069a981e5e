//! Drift and the trades back to target: what is held against the plan's
//! target weights, and, for the positions outside the tolerance band, the
//! trades that bring them back, to the cent, conserving the total.
//!
//! Rules. The total is what is held plus any new money. Targets are the
//! plan's amounts scaled to that total, split to the cent by the largest
//! remainder (so they add up to it exactly). A position is out of band when
//! its amount is more than `band` points of the total, plus one cent, from
//! its exact target share (amounts are whole cents, so a target split to the
//! cent is inside even a band of 0). Each position out of band goes to its
//! target. What that leaves over (or short), with the new money, goes to as
//! few positions inside their bands as can take it while staying inside
//! (each may move to a cent short of its band edge): one when one can (the
//! one that ends nearest its target), else the fewest with the most room
//! between them, each first toward its target, then toward its band edge.
//! So the trades are the fewest under this rule: one per position out of
//! band, plus the fewest positions inside their bands that can absorb the
//! rest (a test checks this against every subset on small cases). Only when
//! the positions inside their bands together lack the room does the rest go
//! within the bands of the positions already traded. With `buy_only`, only
//! the new money moves: it goes to the positions furthest below target,
//! out-of-band ones first, each up to its target, and nothing is sold. Pure.

use rust_decimal::Decimal;
use serde::Serialize;

use super::holdings::Holdings;
use super::{Flag, Raised};
use crate::engine::plan::PlanReport;
use crate::money::{Money, Rate, format_rate, split_cents};

/// One position's drift.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct DriftRow {
    /// The position's name.
    pub position: String,
    /// What is held now (money).
    pub held: Money,
    /// Its share of the total (held plus new money), a fraction.
    pub weight: Rate,
    /// The plan's weight, a fraction.
    pub target_weight: Rate,
    /// The target amount on the total, to the cent.
    pub target: Money,
    /// True when `weight` is more than the band from `target_weight`.
    pub outside: bool,
    /// Money to buy (positive) or sell (negative); zero for no trade.
    pub trade: Money,
    /// What is held after the trade.
    pub after: Money,
    /// Its share of the total after the trade.
    pub weight_after: Rate,
    /// True when still outside the band after the trades (buy-only, or new
    /// money too small to reach).
    pub outside_after: bool,
}

/// One trade.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Trade {
    /// The position traded.
    pub position: String,
    /// "buy" or "sell".
    pub action: &'static str,
    /// How much, to the cent (positive).
    pub amount: Money,
}

/// Drift against the plan and the trades back to target.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Drift {
    /// The tolerance band, in points (a fraction: 0.05 is 5 points).
    pub band: Rate,
    /// New money added (`--cash`).
    pub cash: Money,
    /// True with `--buy-only`: new money only, nothing sold.
    pub buy_only: bool,
    /// What is held now, in total.
    pub held: Money,
    /// Held plus new money: the total the targets are taken on.
    pub total: Money,
    /// Every position of the current plan, in its order.
    pub positions: Vec<DriftRow>,
    /// The trades, in the plan's order.
    pub trades: Vec<Trade>,
    /// Buys less sells: always exactly `cash`.
    pub net: Money,
}

impl Drift {
    /// A `drift` flag for each position held outside its band.
    pub(super) fn raised(&self) -> Vec<Raised> {
        self.positions
            .iter()
            .filter(|r| r.outside)
            .map(|r| Raised {
                flag: Flag::Drift,
                position: Some(r.position.clone()),
                message: format!(
                    "{}: held at {} of the total against a target of {} (band {} points)",
                    r.position,
                    format_rate(r.weight),
                    format_rate(r.target_weight),
                    format_rate(self.band).trim_end_matches('%')
                ),
            })
            .collect()
    }
}

/// The drift of `holdings` against the current plan `now`, and the trades
/// back (see the module's rules).
#[must_use]
pub fn drift_of(
    now: &PlanReport,
    holdings: &Holdings,
    cash: Money,
    band: Rate,
    buy_only: bool,
) -> Drift {
    let names: Vec<String> = now.positions.iter().map(|p| p.name.clone()).collect();
    let planned: Vec<Money> = now.positions.iter().map(|p| p.amount).collect();
    let held: Vec<Money> = holdings.of_each(&names);
    let after = rebalance(&planned, &held, cash, band, buy_only);
    let held_total: Money = held.iter().copied().sum();
    let total = held_total + cash;
    let value: Money = planned.iter().copied().sum();
    let weight = |m: Money| m.share_of(total);
    let targets = targets(&planned, total);
    let mut positions = Vec::new();
    let mut trades = Vec::new();
    for (i, name) in names.iter().enumerate() {
        let target_weight = planned[i].share_of(value);
        let trade = after[i] - held[i];
        if trade.0 != Decimal::ZERO {
            trades.push(Trade {
                position: name.clone(),
                action: if trade.0 > Decimal::ZERO {
                    "buy"
                } else {
                    "sell"
                },
                amount: Money(trade.0.abs()),
            });
        }
        positions.push(DriftRow {
            position: name.clone(),
            held: held[i],
            weight: weight(held[i]),
            target_weight,
            target: targets[i],
            outside: outside(held[i], total, target_weight, band),
            trade,
            after: after[i],
            weight_after: weight(after[i]),
            outside_after: outside(after[i], total, target_weight, band),
        });
    }
    let net = positions.iter().map(|r| r.trade).sum();
    Drift {
        band,
        cash,
        buy_only,
        held: held_total,
        total,
        positions,
        trades,
        net,
    }
}

/// One cent: how far an amount to the cent may be from its exact share.
const CENT: Decimal = Decimal::from_parts(1, 0, 0, false, 2);

/// Whether `amount` of `total` is more than `band` points from `weight`,
/// by more than a cent: amounts are whole cents, so a target split to the
/// cent (never a cent from its exact share) is inside even a band of 0.
#[must_use]
pub fn outside(amount: Money, total: Money, weight: Rate, band: Rate) -> bool {
    total.0 > Decimal::ZERO && (amount.0 - weight.0 * total.0).abs() > band.0 * total.0 + CENT
}

/// Target amounts on `total`, in proportion to the plan's amounts, to the cent.
fn targets(planned: &[Money], total: Money) -> Vec<Money> {
    let shares: Vec<Decimal> = planned.iter().map(|m| m.0).collect();
    split_cents(total.cents(), &shares)
        .into_iter()
        .map(Money::from_cents)
        .collect()
}

/// What each position holds after rebalancing `held` toward the plan's
/// `planned` amounts with `cash` of new money (see the module's rules). The
/// result adds up to the held total plus `cash` exactly. Amounts are whole
/// cents when the inputs are.
#[must_use]
pub fn rebalance(
    planned: &[Money],
    held: &[Money],
    cash: Money,
    band: Rate,
    buy_only: bool,
) -> Vec<Money> {
    let total: Money = held.iter().copied().sum::<Money>() + cash;
    let value: Money = planned.iter().copied().sum();
    let weights: Vec<Rate> = planned.iter().map(|m| m.share_of(value)).collect();
    let target = targets(planned, total);
    let out: Vec<bool> = (0..held.len())
        .map(|i| outside(held[i], total, weights[i], band))
        .collect();
    let mut after = held.to_vec();
    if buy_only {
        spend(&mut after, &target, &out, cash);
        return after;
    }
    for i in 0..held.len() {
        if out[i] {
            after[i] = target[i];
        }
    }
    let placed: Money = after.iter().copied().sum();
    let left = total - placed;
    let bands = Bands {
        total,
        weights: &weights,
        band,
    };
    place(&mut after, &target, &out, left, &bands);
    after
}

/// What the band allows: each position's weight and the tolerance on `total`.
struct Bands<'a> {
    total: Money,
    weights: &'a [Rate],
    band: Rate,
}

impl Bands<'_> {
    /// How much position `i`, holding `now`, can move up (or down) and stay
    /// inside its band, keeping a cent from the edge.
    fn room(&self, i: usize, now: Money, up: bool) -> Money {
        let cents = |d: Decimal, up: bool| {
            let c = d * Decimal::ONE_HUNDRED;
            let c = if up {
                c.floor() - Decimal::ONE
            } else {
                c.ceil() + Decimal::ONE
            };
            Money(c / Decimal::ONE_HUNDRED)
        };
        let w = self.weights[i].0;
        if up {
            (cents(self.total.0 * (w + self.band.0), true) - now).max(Money::ZERO)
        } else {
            let floor = cents(self.total.0 * (w - self.band.0), false).max(Money::ZERO);
            (now - floor).max(Money::ZERO)
        }
    }
}

/// Places `left` (positive: to buy, negative: to sell) on as few positions
/// inside their bands as can take it and stay inside: the one that ends
/// nearest its target when one can take it all; else the fewest with the
/// most room between them (each first toward its target, largest gap
/// first, then toward its band edge, roomiest first). What the positions
/// inside their bands have no room for goes within the bands of the
/// positions already traded (no further trade); a remainder no band has
/// room for (a band narrower than a cent) goes to the largest target.
fn place(after: &mut [Money], target: &[Money], out: &[bool], mut left: Money, b: &Bands<'_>) {
    if left.0.is_zero() {
        return;
    }
    let up = left.0 > Decimal::ZERO;
    let need = Money(left.0.abs());
    let inside: Vec<usize> = (0..after.len()).filter(|&i| !out[i]).collect();
    let nearest = inside
        .iter()
        .copied()
        .filter(|&i| b.room(i, after[i], up) >= need)
        .min_by_key(|&i| ((after[i] + left) - target[i]).0.abs());
    if let Some(i) = nearest {
        after[i] = after[i] + left;
        return;
    }
    let chosen = fewest_covering(&inside, |i| b.room(i, after[i], up), need);
    let mut give = |i: usize, cap: Money, after: &mut [Money]| {
        let take = cap.min(Money(left.0.abs())).max(Money::ZERO);
        let signed = if up { take } else { Money(-take.0) };
        after[i] = after[i] + signed;
        left = left - signed;
    };
    let gap = |i: usize, a: &[Money]| {
        if up {
            target[i] - a[i]
        } else {
            a[i] - target[i]
        }
    };
    let mut by_gap = chosen.clone();
    by_gap.sort_by(|&x, &y| gap(y, after).cmp(&gap(x, after)).then(x.cmp(&y)));
    for i in by_gap {
        let cap = gap(i, after).min(b.room(i, after[i], up));
        give(i, cap, after);
    }
    let traded: Vec<usize> = (0..after.len()).filter(|&i| out[i]).collect();
    for group in [chosen, traded] {
        let mut by_room = group;
        by_room.sort_by(|&x, &y| {
            b.room(y, after[y], up)
                .cmp(&b.room(x, after[x], up))
                .then(x.cmp(&y))
        });
        for i in by_room {
            let cap = b.room(i, after[i], up);
            give(i, cap, after);
        }
    }
    if !left.0.is_zero() {
        let i = (0..after.len()).max_by_key(|&i| target[i]).unwrap_or(0);
        if let Some(a) = after.get_mut(i) {
            *a = (*a + left).max(Money::ZERO);
        }
    }
}

/// The fewest of `candidates` whose `room` adds up to `need`: the roomiest
/// first (taking the largest rooms first reaches any sum in the fewest
/// steps). All of them when even together they fall short.
fn fewest_covering(candidates: &[usize], room: impl Fn(usize) -> Money, need: Money) -> Vec<usize> {
    let mut by_room = candidates.to_vec();
    by_room.sort_by(|&x, &y| room(y).cmp(&room(x)).then(x.cmp(&y)));
    let mut chosen = Vec::new();
    let mut covered = Money::ZERO;
    for i in by_room {
        if covered >= need || room(i) <= Money::ZERO {
            break;
        }
        covered = covered + room(i);
        chosen.push(i);
    }
    chosen
}

/// Buy-only: `cash` to the positions furthest below target, out-of-band
/// ones first, each up to its target; any left (every position at or above
/// target) to the largest target.
fn spend(after: &mut [Money], target: &[Money], out: &[bool], cash: Money) {
    let deficit = |i: usize, a: &[Money]| (target[i] - a[i]).max(Money::ZERO);
    let mut order: Vec<usize> = (0..after.len()).collect();
    order.sort_by(|&a, &b| {
        out[b]
            .cmp(&out[a])
            .then(deficit(b, after).cmp(&deficit(a, after)))
            .then(a.cmp(&b))
    });
    let mut left = cash;
    for i in order {
        if left.0 <= Decimal::ZERO {
            break;
        }
        let give = deficit(i, after).min(left);
        after[i] = after[i] + give;
        left = left - give;
    }
    if left.0 > Decimal::ZERO {
        let i = (0..after.len()).max_by_key(|&i| target[i]).unwrap_or(0);
        if let Some(a) = after.get_mut(i) {
            *a = *a + left;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn m(x: i64) -> Money {
        Money(Decimal::new(x, 2))
    }

    #[test]
    fn positions_out_of_band_go_to_target_and_the_total_is_kept() {
        // Plan 50 / 30 / 20; held 60 / 25 / 15 of 100: the first is 10 points over.
        let planned = [m(5000), m(3000), m(2000)];
        let held = [m(6000), m(2500), m(1500)];
        let after = rebalance(
            &planned,
            &held,
            Money::ZERO,
            Rate(Decimal::new(5, 2)),
            false,
        );
        assert_eq!(after.iter().copied().sum::<Money>(), m(10000));
        // Neither other position can take the 10 alone inside its band
        // (each has 9.99 of room), so both go to their targets.
        assert_eq!(after, vec![m(5000), m(3000), m(2000)]);
    }

    #[test]
    fn one_position_takes_the_remainder_when_it_can() {
        // Plan 40 / 30 / 30; held 46 / 27 / 27: the first is 6 points over;
        // the second can take the whole 6 inside its band (to 33%): 2 trades.
        let planned = [m(4000), m(3000), m(3000)];
        let held = [m(4600), m(2700), m(2700)];
        let after = rebalance(
            &planned,
            &held,
            Money::ZERO,
            Rate(Decimal::new(5, 2)),
            false,
        );
        assert_eq!(after, vec![m(4000), m(3300), m(2700)]);
    }

    #[test]
    fn buy_only_never_sells_and_spends_the_cash_exactly() {
        let planned = [m(5000), m(3000), m(2000)];
        let held = [m(7000), m(2000), m(1000)];
        let after = rebalance(&planned, &held, m(1000), Rate(Decimal::new(5, 2)), true);
        assert!(after.iter().zip(&held).all(|(a, h)| a >= h));
        assert_eq!(after.iter().copied().sum::<Money>(), m(11000));
    }
}
