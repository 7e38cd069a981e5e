//! Allocation: checking that the positions' amounts, weights and "rest" add
//! up to the portfolio's value, then splitting that value into whole cents
//! (and index positions into their components).
//!
//! Amounts are currency amounts, weights fractions of the portfolio. The split
//! is exact: the positions' cents add up to the value's cents.

use std::collections::HashSet;

use rust_decimal::Decimal;

use super::positions::Draft;
use super::{Resolver, percent};
use crate::error::Diagnostic;
use crate::model::{Position, Strategy};
use crate::money::{Money, format_money};
use crate::money::{ROUNDING, split_cents};
use crate::profile::{AllocationSpec, ProfileSpec, Sp, Span};

/// How the drafts share the portfolio, before any is checked.
pub(super) struct Shares {
    /// The fixed amounts added up (a currency amount).
    fixed: Decimal,
    /// The weights added up (a fraction of the portfolio).
    weight_sum: Decimal,
    /// Where each position that takes the rest says so.
    rest: Vec<Span>,
    /// A weight is still a range (reported).
    bounded: bool,
}

/// What the shares come to against the portfolio's value, for messages.
struct Totals<'a> {
    /// The portfolio's value (a currency amount).
    value: Decimal,
    /// What the amounts and weights take (a currency amount).
    taken: Decimal,
    /// The value less what is taken (a currency amount; may be negative).
    leftover: Decimal,
    /// The weights added up (a fraction of the portfolio).
    weight_sum: Decimal,
    /// With amounts in the mix, only money says exactly how far off the total is.
    in_money: bool,
    /// The portfolio's currency code.
    currency: &'a str,
}

impl Totals<'_> {
    /// A currency amount in the portfolio's currency.
    fn money(&self, d: Decimal) -> String {
        format_money(Money(d), self.currency)
    }
}

impl Shares {
    /// Splits the portfolio's `value` (a currency amount) into whole cents:
    /// fixed amounts as given, weights by largest remainder, and the rest
    /// takes what is left. Index positions become their components.
    fn split(&self, value: Decimal, drafts: Vec<Draft>) -> Vec<Position> {
        let total_cents = Money(value).cents();
        let fixed_cents: Decimal = drafts
            .iter()
            .filter_map(|d| match d.allocation.value {
                AllocationSpec::Amount(a) => Some(Money(a).cents()),
                _ => None,
            })
            .sum();
        let weights: Vec<Decimal> = drafts
            .iter()
            .filter_map(|d| match d.allocation.value {
                AllocationSpec::Weight(w) => Some(w),
                _ => None,
            })
            .collect();
        let room = total_cents - fixed_cents;
        let weighted_parts = if self.rest.is_empty() {
            split_cents(room, &weights)
        } else {
            weights_to_the_cent(value, &weights, room, rest_least(&drafts))
        };
        let weighted_cents: Decimal = weighted_parts.iter().copied().sum();
        let mut weighted = weighted_parts.into_iter();
        let rest_cents = room - weighted_cents;
        let mut out = Vec::with_capacity(drafts.len());
        // The names of the positions that stay themselves: a component's
        // name yields to them, as a default name yields to a given one.
        let mut taken: HashSet<String> = drafts
            .iter()
            .filter(|d| d.position.strategy != Strategy::Index)
            .map(|d| d.position.name.clone())
            .collect();
        for d in drafts {
            let cents = match d.allocation.value {
                AllocationSpec::Amount(a) => Money(a).cents(),
                AllocationSpec::Weight(_) => weighted.next().unwrap_or_default(),
                AllocationSpec::Rest => rest_cents,
                // Refused by `shares` before any split.
                AllocationSpec::Bounds { .. } => Decimal::ZERO,
            };
            place(d, cents, &mut taken, &mut out);
        }
        out
    }
}

/// The cents the position taking the rest needs to be worth something:
/// one, or for an index enough that its smallest component gets a cent.
fn rest_least(drafts: &[Draft]) -> Decimal {
    drafts
        .iter()
        .find(|d| matches!(d.allocation.value, AllocationSpec::Rest))
        .and_then(|d| d.component_weights.iter().copied().min())
        .filter(|w| *w > Decimal::ZERO)
        .map_or(Decimal::ONE, |w| (Decimal::ONE / w).ceil())
}

/// The cents of each of `weights` of `value` when a position takes the
/// rest: each weight's own amount rounded to the cent (by [`ROUNDING`]), so
/// a weight is exact to the cent and the rest absorbs every rounding.
/// Should those roundings leave the rest less of the `room` (the cents left
/// after the fixed amounts) than it would have had with the weights
/// floored and at least `least` cents, the weights share what their exact
/// amounts add up to, floored to the cent, by largest remainder instead (a
/// rest of under a cent or so a weight: it keeps what it had).
fn weights_to_the_cent(
    value: Decimal,
    weights: &[Decimal],
    room: Decimal,
    least: Decimal,
) -> Vec<Decimal> {
    let exact: Vec<Decimal> = weights
        .iter()
        .map(|w| *w * value * Decimal::ONE_HUNDRED)
        .collect();
    let floored = exact.iter().copied().sum::<Decimal>().floor().min(room);
    let own: Vec<Decimal> = exact
        .iter()
        .map(|c| c.round_dp_with_strategy(0, ROUNDING))
        .collect();
    let rest = room - own.iter().copied().sum::<Decimal>();
    if rest >= least.min(room - floored) {
        own
    } else {
        split_cents(floored, weights)
    }
}

/// Gives a draft its amount (`cents`, whole cents) and adds it to `out`; an
/// index position adds its components instead, splitting the cents by their
/// weights and naming each "index: component", numbered from 2 ("index:
/// component 2") when that name is `taken` (by a position or an earlier
/// component).
fn place(d: Draft, cents: Decimal, taken: &mut HashSet<String>, out: &mut Vec<Position>) {
    if d.position.strategy == Strategy::Index {
        let parts = split_cents(cents, &d.component_weights);
        for (mut c, part) in d.components.into_iter().zip(parts) {
            let base = format!("{}: {}", d.position.name, c.name);
            let mut name = base.clone();
            let mut n = 1;
            while taken.contains(&name) {
                n += 1;
                name = format!("{base} {n}");
            }
            taken.insert(name.clone());
            c.name = name;
            c.index = Some(d.position.name.clone());
            c.amount = Money::from_cents(part);
            out.push(c);
        }
    } else {
        let mut p = d.position;
        p.amount = Money::from_cents(cents);
        out.push(p);
    }
}

/// The note beside an amount in a message: its share of the portfolio.
fn amount_note(allocation: &AllocationSpec, value: Decimal) -> String {
    let AllocationSpec::Amount(a) = allocation else {
        return String::new();
    };
    let exact = a / value;
    let shown = exact.round_dp(4);
    if shown.is_zero() {
        "under 0.01% of the portfolio".to_string()
    } else if shown == exact {
        format!("{} of the portfolio", percent(shown))
    } else {
        format!("about {} of the portfolio", percent(shown))
    }
}

impl Resolver<'_> {
    /// The positions with their amounts in whole cents, index positions
    /// expanded into their components; `None` when the shares do not add up
    /// to the portfolio's `value` (reported) or an earlier problem stops it.
    pub(super) fn allocate(
        &mut self,
        value: &Sp<Decimal>,
        drafts: Vec<Draft>,
        spec: &ProfileSpec,
    ) -> Option<Vec<Position>> {
        if drafts.is_empty() {
            // No position survived reading; that problem is already reported.
            return None;
        }
        let allocations: Vec<&Sp<AllocationSpec>> = drafts.iter().map(|d| &d.allocation).collect();
        let shares = self.check_shares(value, &allocations, spec)?;
        // A weight worth less than a cent would plan a position of nothing,
        // as a weight of 0% would (a profile refuses 0%; only `optimize`
        // resolves a weight it chose as 0%).
        let cent = Decimal::new(1, 2);
        let currency = spec
            .portfolio
            .as_ref()
            .map_or("USD", |p| p.currency.as_str());
        // What "rest" takes: the value less the amounts and the weights.
        let rest = drafts
            .iter()
            .fold(value.value, |left, d| match d.allocation.value {
                AllocationSpec::Amount(a) => left - a,
                AllocationSpec::Weight(w) => left - value.value * w,
                _ => left,
            });
        for d in &drafts {
            // An index splits its share: its smallest component must be
            // worth a cent too.
            let smallest = d
                .component_weights
                .iter()
                .copied()
                .min()
                .unwrap_or(Decimal::ONE);
            let (exact, what) = match d.allocation.value {
                AllocationSpec::Weight(w) if !w.is_zero() => (
                    value.value * w,
                    format!(
                        "a weight of {} of the portfolio's {}",
                        percent(w),
                        format_money(Money(value.value), currency)
                    ),
                ),
                AllocationSpec::Amount(a) if smallest < Decimal::ONE => (
                    a,
                    format!("an amount of {}", format_money(Money(a), currency)),
                ),
                AllocationSpec::Rest if smallest < Decimal::ONE && rest > Decimal::ZERO => (
                    rest,
                    format!("the rest, {},", format_money(Money(rest), currency)),
                ),
                _ => continue,
            };
            let least = exact * smallest;
            if least < cent {
                let part = if smallest < Decimal::ONE {
                    format!(" in its smallest component ({})", percent(smallest))
                } else {
                    String::new()
                };
                self.error(
                    d.allocation.span.clone(),
                    format!("{what} is less than a cent ({}){part}", least.normalize()),
                    "give the position a share worth at least a cent, or leave it out",
                );
            }
        }
        if !self.diags.is_empty() {
            return None;
        }
        Some(shares.split(value.value, drafts))
    }

    /// Checks that the shares add up to the portfolio's `value` (one position
    /// at most takes the rest, and something is left for it), reporting what
    /// does not. It needs only the allocations, so it runs even when other
    /// problems stop the positions: one run reports both.
    pub(super) fn check_shares(
        &mut self,
        value: &Sp<Decimal>,
        allocations: &[&Sp<AllocationSpec>],
        spec: &ProfileSpec,
    ) -> Option<Shares> {
        if allocations.is_empty() {
            return None;
        }
        let shares = self.shares(allocations);
        if shares.bounded {
            return None;
        }
        if let [first, second, ..] = shares.rest.as_slice() {
            self.diags.push(
                Diagnostic::at(second.clone(), "more than one position takes the rest")
                    .with_related(first.clone(), "the first one")
                    .with_help("give all but one of them a weight or an amount"),
            );
            return None;
        }
        let taken = shares.fixed + shares.weight_sum * value.value;
        let totals = Totals {
            value: value.value,
            taken,
            leftover: value.value - taken,
            weight_sum: shares.weight_sum,
            in_money: !shares.fixed.is_zero(),
            currency: spec
                .portfolio
                .as_ref()
                .map_or("USD", |p| p.currency.as_str()),
        };
        match shares.rest.first() {
            None if !totals.leftover.is_zero() => {
                self.report_mismatch(&totals, allocations);
                return None;
            }
            Some(rest) if totals.leftover <= Decimal::ZERO => {
                self.report_nothing_left(&totals, rest.clone());
                return None;
            }
            _ => {}
        }
        Some(shares)
    }

    /// Adds up the drafts' amounts and weights and finds those taking the
    /// rest; reports amounts with fractions of a cent.
    fn shares(&mut self, allocations: &[&Sp<AllocationSpec>]) -> Shares {
        let mut shares = Shares {
            fixed: Decimal::ZERO,
            weight_sum: Decimal::ZERO,
            rest: Vec::new(),
            bounded: false,
        };
        for allocation in allocations {
            match allocation.value {
                AllocationSpec::Amount(a) => {
                    if a.normalize().scale() > 2 {
                        self.error(
                            allocation.span.clone(),
                            "`amount` has fractions of a cent",
                            "round it to cents",
                        );
                    }
                    shares.fixed += a;
                }
                AllocationSpec::Weight(w) => shares.weight_sum += w,
                AllocationSpec::Rest => shares.rest.push(allocation.span.clone()),
                AllocationSpec::Bounds { min, max } => {
                    self.error(
                        allocation.span.clone(),
                        format!(
                            "this weight is a range ({} to {}), which only `yieldplan optimize` chooses from",
                            percent(min),
                            percent(max)
                        ),
                        "run `yieldplan optimize PROFILE --output NEW.toml` and plan NEW.toml, or write one weight such as \"15%\"",
                    );
                    shares.bounded = true;
                }
            }
        }
        shares
    }

    /// Reports shares that do not add up to the whole portfolio (with no
    /// position to take the rest), pointing at every share when few.
    fn report_mismatch(&mut self, t: &Totals, allocations: &[&Sp<AllocationSpec>]) {
        let (message, gap) = if t.in_money {
            (
                format!(
                    "the positions add up to {}, not the portfolio's value of {}",
                    t.money(t.taken),
                    t.money(t.value)
                ),
                t.money(t.leftover.abs()),
            )
        } else {
            (
                format!("the weights add up to {}, not 100%", percent(t.weight_sum)),
                percent((Decimal::ONE - t.weight_sum).abs()),
            )
        };
        let help = if t.leftover > Decimal::ZERO {
            format!(
                "add {gap} in total, or give one position weight = \"rest\" to take what is left"
            )
        } else {
            format!("take {gap} off in total, so they add up to the whole portfolio")
        };
        let mut d = Diagnostic::at(allocations[0].span.clone(), message).with_help(help);
        // Point at every share when there are few enough to read.
        if allocations.len() <= 12 {
            for (i, allocation) in allocations.iter().enumerate() {
                let note = amount_note(&allocation.value, t.value);
                if i > 0 {
                    d = d.with_related(allocation.span.clone(), note);
                } else if !note.is_empty() {
                    d = d.with_label(note);
                }
            }
        }
        self.diags.push(d);
    }

    /// Reports a position taking the rest when the others take it all.
    fn report_nothing_left(&mut self, t: &Totals, rest: Span) {
        let message = if t.in_money {
            format!(
                "the other positions already take {} of the portfolio's {}, leaving nothing for the rest",
                t.money(t.taken),
                t.money(t.value)
            )
        } else {
            format!(
                "the other weights already add up to {}, leaving nothing for the rest",
                percent(t.weight_sum)
            )
        };
        self.error(
            rest,
            message,
            "lower the other weights or amounts, or remove this position",
        );
    }
}
