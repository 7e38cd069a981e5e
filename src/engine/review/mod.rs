//! `yieldplan review`: a saved plan (the snapshot) set against the plan the
//! profile gives now, what is actually held, and the income actually
//! received.
//!
//! [`snapshot`] reads a saved plan back; [`changes`] compares it with the
//! current plan position by position and raises the named [`Flag`]s;
//! [`holdings`] and [`trades`] turn what is held into drift and the fewest
//! trades back to target; [`income`] compares what was received with what was
//! planned. The result is a [`ReviewReport`], the JSON of `yieldplan review`.
//! Pure: every input arrives as text or values; nothing here reads a file.

pub mod changes;
mod fields;
pub mod holdings;
pub mod income;
mod saved;
pub mod snapshot;
mod snapshot_checks;
pub mod trades;

use serde::Serialize;

use super::plan::{MoneyBand, PlanInputs, PlanReport, PortfolioOut, Status};
use super::schema::{ProfileRef, SCHEMA_VERSION};
use crate::money::{Money, Rate};

pub use changes::{PositionChange, TotalsChange, WarningChanges, WarningOut};
pub use holdings::{Holdings, read_holdings};
pub use income::{IncomeReview, Received, read_income};
pub use snapshot::{Snapshot, read_snapshot};
pub use trades::{Drift, DriftRow, Trade, drift_of, outside, rebalance};

crate::names::closed_set! {
    /// A notable change `yieldplan review` names; `--deny FLAG` makes it fail the run.
    #[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
    pub enum Flag {
        /// A position's mid APY fell by more than the threshold (points or relative)
        ApyDrop = "apy-drop",
        /// A pool's TVL fell by more than the threshold
        TvlDrop = "tvl-drop",
        /// A pool the snapshot used is no longer in the pools snapshot
        PoolGone = "pool-gone",
        /// A position's reward (emissions) share rose by more than the threshold
        EmissionsUp = "emissions-up",
        /// The goal status is worse than at the snapshot
        StatusDown = "status-down",
        /// A warning fired that the snapshot did not have
        NewWarning = "new-warning",
        /// A held position is outside its tolerance band around its target weight
        Drift = "drift",
        /// A position paid less than its low band over the income period
        IncomeBelow = "income-below",
    }
}

impl Serialize for Flag {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.name())
    }
}

/// One flag raised, about a position when it has one.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Raised {
    /// The flag's name.
    pub flag: Flag,
    /// The position it is about, if any.
    pub position: Option<String>,
    /// What changed, with the figures and the threshold.
    pub message: String,
}

/// Which flags fail a run.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub enum Denied {
    /// None: the review only informs.
    #[default]
    Nothing,
    /// These flags.
    Some(Vec<Flag>),
    /// Every flag (`--deny all`).
    All,
}

impl Denied {
    /// Whether `flag` is denied.
    #[must_use]
    pub fn denies(&self, flag: Flag) -> bool {
        match self {
            Denied::Nothing => false,
            Denied::Some(flags) => flags.contains(&flag),
            Denied::All => true,
        }
    }
}

/// Where the snapshot came from.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Since {
    /// The snapshot file, as given.
    pub path: String,
    /// The profile's path when the snapshot was taken.
    pub profile_path: String,
    /// The portfolio value then.
    pub value: Money,
    /// The rate book's date then (null when the snapshot does not say).
    pub rate_book_as_of: Option<String>,
    /// Pools snapshots read then.
    pub pools_files: Vec<String>,
}

/// The review of one profile: the JSON output of `yieldplan review`.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ReviewReport {
    /// See [`SCHEMA_VERSION`].
    pub schema_version: u32,
    /// The profile reviewed.
    pub profile: ProfileRef,
    /// Its value and currency now.
    pub portfolio: PortfolioOut,
    /// The snapshot compared against.
    pub since: Since,
    /// Where today's figures came from.
    pub now: PlanInputs,
    /// Every position of either plan: the current plan's order, then those
    /// removed since.
    pub positions: Vec<PositionChange>,
    /// Blended figures and the goal, then and now.
    pub totals: TotalsChange,
    /// Warnings that appeared and that were resolved.
    pub warnings: WarningChanges,
    /// With `--holdings`: weights against targets and the trades back; null otherwise.
    pub drift: Option<Drift>,
    /// With `--income`: income received against the plan; null otherwise.
    pub income: Option<IncomeReview>,
    /// Every flag raised, in a fixed order (by position, then flag).
    pub flags: Vec<Raised>,
    /// The flags raised that the run denies (`--deny`), each once.
    pub denied: Vec<Flag>,
    /// False when a denied flag was raised (exit 1).
    pub passed: bool,
}

/// What a review is made from, besides the two plans.
#[derive(Clone, Debug, Default)]
pub struct ReviewInput {
    /// The snapshot file's path, as given.
    pub snapshot_path: String,
    /// Pool ids the snapshot used that the current pools snapshot lacks.
    pub gone: std::collections::BTreeSet<String>,
    /// What is held now, when given.
    pub holdings: Option<Holdings>,
    /// New money to invest (zero without `--cash`).
    pub cash: Money,
    /// Use only new money, never sell.
    pub buy_only: bool,
    /// The drift tolerance in points (the profile's `[review] band` unless
    /// `--band` gives one).
    pub band: Rate,
    /// Income received, when given.
    pub income: Option<Received>,
    /// Which flags fail the run.
    pub denied: Denied,
}

/// Reviews the current plan `now` against the snapshot `then`.
#[must_use]
pub fn review(
    then: &Snapshot,
    now: &PlanReport,
    settings: &crate::model::ReviewSettings,
    input: &ReviewInput,
) -> ReviewReport {
    let compared = changes::compare(then, now, settings, &input.gone);
    let mut flags = compared.flags;
    let drift = input.holdings.as_ref().map(|h| {
        let d = trades::drift_of(now, h, input.cash, input.band, input.buy_only);
        flags.extend(d.raised());
        d
    });
    let income = input.income.as_ref().map(|r| {
        let i = income::compare_income(then, now, r);
        flags.extend(i.raised(&now.portfolio.currency));
        i
    });
    // Flags in the order of the positions (the first of a name), then by
    // flag; a flag of the whole plan last.
    let mut at: std::collections::HashMap<&str, usize> = std::collections::HashMap::new();
    for (i, p) in compared.positions.iter().enumerate() {
        at.entry(p.name.as_str()).or_insert(i);
    }
    let order = |name: &Option<String>| {
        name.as_ref().map_or(usize::MAX, |n| {
            at.get(n.as_str()).copied().unwrap_or(usize::MAX - 1)
        })
    };
    flags.sort_by_cached_key(|r| (order(&r.position), r.flag));
    let mut denied: Vec<Flag> = flags
        .iter()
        .map(|r| r.flag)
        .filter(|f| input.denied.denies(*f))
        .collect();
    denied.sort();
    denied.dedup();
    ReviewReport {
        schema_version: SCHEMA_VERSION,
        profile: now.profile.clone(),
        portfolio: now.portfolio.clone(),
        since: Since {
            path: input.snapshot_path.clone(),
            profile_path: then.profile.path.clone(),
            value: Money(then.portfolio.value),
            rate_book_as_of: then.inputs.as_ref().and_then(|i| i.rate_book_as_of.clone()),
            pools_files: then
                .inputs
                .as_ref()
                .map(|i| i.pools_files.clone())
                .unwrap_or_default(),
        },
        now: now.inputs.clone().unwrap_or_default(),
        positions: compared.positions,
        totals: compared.totals,
        warnings: compared.warnings,
        drift,
        income,
        passed: denied.is_empty(),
        denied,
        flags,
    }
}

/// A status by name, as a snapshot saves it.
pub(crate) fn status_named(name: &str) -> Option<Status> {
    Status::parse(name)
}

/// The band `b` times `num / den` (income over part of a year, say),
/// multiplied first so whole fractions stay exact.
pub(crate) fn scaled(b: MoneyBand, num: u32, den: u32) -> MoneyBand {
    let (num, den) = (
        rust_decimal::Decimal::from(num),
        rust_decimal::Decimal::from(den),
    );
    b.map(|m| Money(m.0 * num / den))
}
