//! Drift and the trades back to target: what is held against the plan's
//! target weights, and, for the positions outside the tolerance band, the
//! fewest trades that bring them back, to the cent, conserving the total.
//!
//! Rules. The total is what is held plus any new money. Targets are the
//! plan's amounts scaled to that total, split to the cent by the largest
//! remainder (so they add up to it exactly). A position is out of band when
//! its weight is more than `band` points from its target weight. Each one
//! out of band goes to its target; what that leaves over (or short) is
//! taken up first by those same positions as far as their bands allow, then
//! by the fewest other positions (the roomiest first), each staying inside
//! its band. With `buy_only`, only the new money moves: it goes to the
//! positions furthest below target, out-of-band ones first, each up to its
//! target, and nothing is sold. Pure.

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
    let held: Vec<Money> = names.iter().map(|n| holdings.of(n)).collect();
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

/// Whether `amount` of `total` is more than `band` points from `weight`.
fn outside(amount: Money, total: Money, weight: Rate, band: Rate) -> bool {
    total.0 > Decimal::ZERO && (amount.share_of(total).0 - weight.0).abs() > band.0
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
    let mut left = total - placed;
    let cent = Money(Decimal::new(1, 2));
    // The room of position i toward its band's edge, in the direction of `left`.
    let room = |i: usize, now: Money, up: bool| -> Money {
        let edge = Money(total.0 * (weights[i].0 + if up { band.0 } else { -band.0 }));
        let edge = if up {
            Money((edge.0 * Decimal::ONE_HUNDRED).floor() / Decimal::ONE_HUNDRED) - cent
        } else {
            Money((edge.0 * Decimal::ONE_HUNDRED).ceil() / Decimal::ONE_HUNDRED) + cent
        };
        let r = if up {
            edge - now
        } else {
            now - edge.max(Money::ZERO)
        };
        r.max(Money::ZERO)
    };
    for group in [true, false] {
        let mut order: Vec<usize> = (0..held.len()).filter(|&i| out[i] == group).collect();
        let up = left.0 > Decimal::ZERO;
        order.sort_by(|&a, &b| {
            room(b, after[b], up)
                .cmp(&room(a, after[a], up))
                .then(a.cmp(&b))
        });
        for i in order {
            if left.0 == Decimal::ZERO {
                break;
            }
            let take = room(i, after[i], up).min(Money(left.0.abs()));
            let signed = if up { take } else { Money(-take.0) };
            after[i] = after[i] + signed;
            left = left - signed;
        }
    }
    if left.0 != Decimal::ZERO {
        // No band has room (a band narrower than a cent): the largest target takes it.
        let i = (0..held.len()).max_by_key(|&i| target[i]).unwrap_or(0);
        if let Some(a) = after.get_mut(i) {
            *a = (*a + left).max(Money::ZERO);
        }
    }
    after
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
        // Back inside its band (45 to 55): selling 10 to the target would
        // need two purchases; selling 5.01 into the second position needs one.
        assert_eq!(after[0], m(5499));
        assert_eq!(after[1], m(3001));
        // Fewest trades: one sale and one purchase.
        let trades = after.iter().zip(&held).filter(|(a, h)| a != h).count();
        assert_eq!(trades, 2);
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
