//! Sweep the staking / lending split of a profile and print income and goal
//! status at each step: the kind of scenario script a user writes against the
//! library.
//!
//! Run: `cargo run --example sweep -- profiles/supplemental-income.toml`
//!
//! The profile's staking positions (index positions count as staking here)
//! and lending positions share their combined weight; the sweep moves that
//! weight from lending to staking in steps of 10 percentage points.

use std::path::Path;

use anyhow::{Context, Result, bail};
use rust_decimal::Decimal;
use yieldplan::engine::plan;
use yieldplan::model::Strategy;
use yieldplan::money::{Money, Rate, format_money, format_rate};
use yieldplan::profile::{AllocationSpec, Sp, load_profile_text};
use yieldplan::rates::RateBook;
use yieldplan::resolve::resolve;

/// One step of the sweep.
#[derive(Debug)]
pub struct Step {
    /// Weight of the staking positions, a fraction of the portfolio.
    pub staking: Rate,
    /// Weight of the lending positions, a fraction of the portfolio.
    pub lending: Rate,
    /// Blended mid APY of the plan, a fraction.
    pub apy_mid: Rate,
    /// Mid monthly income, in the portfolio's currency.
    pub monthly_mid: Money,
    /// The goal status (`meets`, `likely`, `at-risk`, `short`) or `no goal`.
    pub status: String,
}

/// Plans `path` once per split of the staking + lending weight.
///
/// # Errors
/// The profile cannot be read or does not plan.
pub fn sweep(path: &Path) -> Result<Vec<Step>> {
    let bytes = std::fs::read(path).with_context(|| format!("cannot read {}", path.display()))?;
    let (_, spec) = load_profile_text(path, &bytes)?;
    let book = RateBook::default_book();
    let weight_of =
        |s: &yieldplan::profile::PositionSpec| match s.allocation.as_ref().map(|a| a.value) {
            Some(AllocationSpec::Weight(w)) => Some(w),
            _ => None,
        };
    let is = |s: &yieldplan::profile::PositionSpec, wanted: &[Strategy]| {
        s.strategy
            .as_ref()
            .is_some_and(|x| wanted.contains(&x.value))
    };
    let staking: Vec<usize> = (0..spec.positions.len())
        .filter(|&i| is(&spec.positions[i], &[Strategy::Staking, Strategy::Index]))
        .collect();
    let lending: Vec<usize> = (0..spec.positions.len())
        .filter(|&i| is(&spec.positions[i], &[Strategy::Lending]))
        .collect();
    if staking.is_empty() || lending.is_empty() {
        bail!(
            "the profile needs at least one staking (or index) and one lending position with weights"
        );
    }
    let pool: Decimal = staking
        .iter()
        .chain(&lending)
        .map(|&i| weight_of(&spec.positions[i]).unwrap_or_default())
        .sum();
    let step = Decimal::new(1, 1);
    let mut steps = Vec::new();
    let mut share = Decimal::ZERO;
    while share <= pool {
        let mut s = spec.clone();
        // Spread each side's weight evenly over its positions; the last takes any odd remainder.
        for (group, total) in [(&staking, share), (&lending, pool - share)] {
            let each = (total / Decimal::from(group.len() as u64)).round_dp(4);
            for (k, &i) in group.iter().enumerate() {
                let w = if k + 1 == group.len() {
                    total - each * Decimal::from(k as u64)
                } else {
                    each
                };
                let span = s.positions[i]
                    .allocation
                    .as_ref()
                    .map_or(0..0, |a| a.span.clone());
                s.positions[i].allocation = Some(Sp::new(AllocationSpec::Weight(w), span));
            }
        }
        // A side at 0% is left out rather than given a zero weight.
        s.positions
            .retain(|p| !matches!(weight_of(p), Some(w) if w.is_zero()));
        let portfolio = resolve(path, &s, &book).map_err(|d| anyhow::anyhow!("{d:?}"))?;
        let report = plan(&portfolio);
        steps.push(Step {
            staking: Rate(share),
            lending: Rate(pool - share),
            apy_mid: report.totals.apy.mid,
            monthly_mid: report.totals.monthly_income.mid,
            status: report
                .goal
                .map_or("-".into(), |g| g.status.name().to_string()),
        });
        share += step;
    }
    Ok(steps)
}

fn main() -> Result<()> {
    use std::fmt::Write as _;
    use std::io::Write as _;
    let path = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "profiles/supplemental-income.toml".into());
    let mut out = format!(
        "{:>8} {:>8} {:>9} {:>14}  status\n",
        "staking", "lending", "mid APY", "monthly (mid)"
    );
    for s in sweep(Path::new(&path))? {
        writeln!(
            out,
            "{:>8} {:>8} {:>9} {:>14}  {}",
            format_rate(s.staking),
            format_rate(s.lending),
            format_rate(s.apy_mid),
            format_money(s.monthly_mid, "USD"),
            s.status
        )?;
    }
    // A closed pipe (`| head`) is not an error.
    match std::io::stdout().write_all(out.as_bytes()) {
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        other => Ok(other?),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sweeping_the_supplemental_profile_moves_income_with_the_split() {
        let steps = sweep(Path::new("profiles/supplemental-income.toml")).unwrap();
        // 90% of the weight is staking + lending: 0%, 10%, ..., 90% staking.
        assert_eq!(steps.len(), 10);
        assert_eq!(steps[0].lending, Rate(Decimal::new(9, 1)));
        // The staking index (mid 7.45%) out-earns stablecoin lending (mid 5%),
        // so income rises with every step toward staking.
        for pair in steps.windows(2) {
            assert!(pair[1].monthly_mid > pair[0].monthly_mid, "{pair:?}");
        }
        // The shipped split (60% staking) is one of the steps, with its known result.
        let shipped = steps
            .iter()
            .find(|s| s.staking == Rate(Decimal::new(6, 1)))
            .unwrap();
        // Paid out monthly, its low band falls just short of $1,000 a month.
        assert_eq!(shipped.status, "likely");
    }
}
