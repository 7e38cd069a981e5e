//! What `optimize` may choose in a profile, and the profile with weights
//! chosen.
//!
//! A position whose `weight` is a range (`{ min, max }`) or `"rest"` is a
//! decision; a fixed `weight` stays fixed, unless no position of the profile
//! writes a range, in which case every `weight` is free from 0% to 100%
//! (otherwise there would be nothing to choose); an `amount` always stays.
//! [`probe`] gives a spec that resolves (every free weight at zero, one
//! taking the rest) so each position's yields and risks are known;
//! [`with_sizes`] writes chosen weights back into the spec. No yields are
//! computed here.

use rust_decimal::Decimal;

use crate::model::{Choice, Choices, Portfolio, Sizing, Strategy, StrategyBound};
use crate::money::Rate;
use crate::profile::{AllocationSpec, ProfileSpec};
use crate::rates::RateBook;

/// How one position of the spec is sized while optimizing.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Kind {
    /// Fixed at this weight (a fraction).
    Fixed(Decimal),
    /// Fixed at this amount of money.
    Amount(Decimal),
    /// Free from `min` to `max` (fractions); `rest` when written "rest".
    Free {
        min: Decimal,
        max: Decimal,
        rest: bool,
    },
}

fn kinds(spec: &ProfileSpec) -> Vec<Kind> {
    let all_free = !any_bounds(spec);
    spec.positions
        .iter()
        .map(|p| match p.allocation.as_ref().map(|a| a.value) {
            Some(AllocationSpec::Amount(a)) => Kind::Amount(a),
            Some(AllocationSpec::Weight(w)) if !all_free => Kind::Fixed(w),
            Some(AllocationSpec::Bounds { min, max }) => Kind::Free {
                min,
                max,
                rest: false,
            },
            Some(AllocationSpec::Rest) => Kind::Free {
                min: Decimal::ZERO,
                max: Decimal::ONE,
                rest: true,
            },
            _ => Kind::Free {
                min: Decimal::ZERO,
                max: Decimal::ONE,
                rest: false,
            },
        })
        .collect()
}

/// True when some position of the file (not a candidate) writes its weight
/// as a range.
#[must_use]
pub fn any_bounds(spec: &ProfileSpec) -> bool {
    let own = spec.positions.len() - spec.optimize.candidates.min(spec.positions.len());
    spec.positions[..own].iter().any(|p| {
        matches!(
            p.allocation.as_ref().map(|a| a.value),
            Some(AllocationSpec::Bounds { .. })
        )
    })
}

/// The spec with every free weight at zero and the first free position
/// taking the rest (when anything is left), so it resolves; the yields,
/// risks and exposures of its positions do not depend on their amounts.
#[must_use]
pub fn probe(spec: &ProfileSpec) -> ProfileSpec {
    let kinds = kinds(spec);
    let value = spec
        .portfolio
        .as_ref()
        .map_or(Decimal::ONE, |p| p.value.value);
    let taken: Decimal = kinds
        .iter()
        .map(|k| match k {
            Kind::Fixed(w) => *w * value,
            Kind::Amount(a) => *a,
            Kind::Free { .. } => Decimal::ZERO,
        })
        .sum();
    let mut rest_given = taken >= value;
    let mut out = spec.clone();
    for (p, k) in out.positions.iter_mut().zip(&kinds) {
        if let (Kind::Free { .. }, Some(a)) = (k, p.allocation.as_mut()) {
            a.value = if rest_given {
                AllocationSpec::Weight(Decimal::ZERO)
            } else {
                rest_given = true;
                AllocationSpec::Rest
            };
        }
    }
    out
}

/// The choices of a spec, given its probe resolved as `probe`. Each spec
/// position maps to the resolved positions it became, in order: itself, or
/// an index position's components (their shares from the book's template).
#[must_use]
pub fn choices(spec: &ProfileSpec, probe: &Portfolio, book: &RateBook) -> Choices {
    let kinds = kinds(spec);
    let value = probe.value.0;
    let mut next = 0usize;
    let mut positions = Vec::with_capacity(spec.positions.len());
    for (p, kind) in spec.positions.iter().zip(&kinds) {
        let mut members = Vec::new();
        let index = p
            .strategy
            .as_ref()
            .is_some_and(|s| s.value == Strategy::Index);
        let template = p.index.as_ref().and_then(|i| book.index.get(&i.value));
        let name;
        match (index, template) {
            (true, Some(t)) => {
                name = probe
                    .positions
                    .get(next)
                    .and_then(|x| x.index.clone())
                    .unwrap_or_default();
                for c in &t.components {
                    members.push((next, Rate(c.weight.0)));
                    next += 1;
                }
            }
            _ => {
                name = probe
                    .positions
                    .get(next)
                    .map(|x| x.name.clone())
                    .unwrap_or_default();
                members.push((next, Rate(Decimal::ONE)));
                next += 1;
            }
        }
        let (current, min, max, rest) = match *kind {
            Kind::Fixed(w) => (Some(w), w, w, false),
            Kind::Amount(a) => {
                let w = if value.is_zero() {
                    Decimal::ZERO
                } else {
                    a / value
                };
                (Some(w), w, w, false)
            }
            Kind::Free { min, max, rest } => {
                let current = match p.allocation.as_ref().map(|a| a.value) {
                    Some(AllocationSpec::Weight(w)) => Some(w),
                    _ => None,
                };
                (current, min, max, rest)
            }
        };
        positions.push(Choice {
            name,
            current: current.map(Rate),
            min: Rate(min),
            max: Rate(max),
            members,
            rest,
            amount: matches!(kind, Kind::Amount(_)),
        });
    }
    let own: Vec<StrategyBound> = spec.optimize.bounds.iter().map(|b| b.value).collect();
    Choices {
        positions,
        strategy_bounds: crate::model::optimize::strategy_bounds(
            spec.optimize.template.as_ref().map(|t| t.value),
            &own,
        ),
        all_free: !any_bounds(spec),
    }
}

/// The spec sized as `sizes` says (one per spec position, in order); a
/// position left out ([`Sizing::Zero`]) is removed, as it is from a written
/// profile, so the plan of this spec is the plan of that profile.
#[must_use]
pub fn with_sizes(spec: &ProfileSpec, sizes: &[Sizing]) -> ProfileSpec {
    let mut out = spec.clone();
    out.positions.clear();
    for (p, size) in spec.positions.iter().zip(sizes) {
        let mut p = p.clone();
        if let Some(a) = p.allocation.as_mut() {
            a.value = match *size {
                Sizing::Keep => a.value,
                Sizing::Weight(w) => AllocationSpec::Weight(w),
                Sizing::Rest => AllocationSpec::Rest,
                Sizing::Zero => continue,
            };
        }
        out.positions.push(p);
    }
    out
}

/// The spec with `candidates` added after its positions, each free from 0%
/// to 100% and taking its yield from its pool (`pool_id`).
#[must_use]
pub fn with_candidates(spec: &ProfileSpec, candidates: &[crate::pools::Candidate]) -> ProfileSpec {
    let mut out = spec.clone();
    let end = spec.positions.len();
    for (i, c) in candidates.iter().enumerate() {
        let at = |v| crate::profile::Sp::new(v, 0..0);
        out.positions.push(crate::profile::PositionSpec {
            number: end + i + 1,
            name: Some(at(c.name.clone())),
            strategy: Some(crate::profile::Sp::new(c.strategy, 0..0)),
            pool_id: Some(at(c.id.clone())),
            allocation: Some(crate::profile::Sp::new(
                AllocationSpec::Bounds {
                    min: Decimal::ZERO,
                    max: Decimal::ONE,
                },
                0..0,
            )),
            ..crate::profile::PositionSpec::default()
        });
    }
    out.optimize.candidates += candidates.len();
    out
}
