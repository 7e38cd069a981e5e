//! What changed since the snapshot, position by position and in total, and
//! the flags those changes raise (`apy-drop`, `tvl-drop`, `pool-gone`,
//! `emissions-up`, `status-down`, `new-warning`). Pure: it compares two
//! plans already made.

use std::collections::BTreeSet;

use rust_decimal::Decimal;
use serde::Serialize;

use super::snapshot::{SavedWarning, Snapshot};
use super::{Flag, Raised, status_named};
use crate::engine::plan::{MoneyBand, PlanReport, PositionOut, Status};
use crate::model::{Band, ReviewSettings};
use crate::money::{Money, Rate, format_rate};

/// Whether a position is in both plans, only in the current one, or only in the snapshot.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Presence {
    /// In both.
    Kept,
    /// Added to the profile since the snapshot.
    Added,
    /// Removed from the profile since the snapshot.
    Removed,
}

/// One position then and now (a figure is null where the position was not
/// in that plan, or the plan did not know it).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct PositionChange {
    /// The position's name.
    pub name: String,
    /// In both plans, added or removed.
    pub presence: Presence,
    /// Gross APY band at the snapshot, fractions.
    pub apy_then: Option<Band>,
    /// Gross APY band now.
    pub apy_now: Option<Band>,
    /// Reward (emissions) share of the yield then, a fraction.
    pub reward_share_then: Option<Rate>,
    /// Reward share now.
    pub reward_share_now: Option<Rate>,
    /// Expected one-year impermanent loss then (liquidity only), a fraction ≤ 0.
    pub expected_il_then: Option<Rate>,
    /// Expected impermanent loss now.
    pub expected_il_now: Option<Rate>,
    /// The risk tier of the position's protocol then.
    pub tier_then: Option<String>,
    /// The risk tier now.
    pub tier_now: Option<String>,
    /// Yearly income band then (money).
    pub annual_income_then: Option<MoneyBand>,
    /// Yearly income band now.
    pub annual_income_now: Option<MoneyBand>,
    /// The pool the yield comes from, if any (now's, else the snapshot's).
    pub pool_id: Option<String>,
    /// The pool's TVL in USD then, when a pools snapshot gave it.
    pub tvl_then: Option<Money>,
    /// The pool's TVL now.
    pub tvl_now: Option<Money>,
    /// TVL change as a fraction of what it was (−0.6 is a 60% fall).
    pub tvl_change: Option<Rate>,
    /// True when the pool is no longer in the pools snapshot: the current
    /// plan counts it at zero yield.
    pub pool_gone: bool,
    /// The flags this position raised.
    pub flags: Vec<Flag>,
}

/// Blended figures and the goal, then and now.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct TotalsChange {
    /// Blended net APY then, fractions.
    pub apy_then: Band,
    /// Blended net APY now.
    pub apy_now: Band,
    /// Yearly income then (money).
    pub annual_income_then: MoneyBand,
    /// Yearly income now.
    pub annual_income_now: MoneyBand,
    /// Required yield then, a fraction; null without a goal.
    pub required_yield_then: Option<Rate>,
    /// Required yield now.
    pub required_yield_now: Option<Rate>,
    /// Goal status then.
    pub status_then: Option<Status>,
    /// Goal status now.
    pub status_now: Option<Status>,
}

/// A warning that appeared or was resolved.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct WarningOut {
    /// The lint's name.
    pub lint: String,
    /// The position it is about, if any.
    pub position: Option<String>,
    /// Its message (now's for an appeared warning, the snapshot's for a resolved one).
    pub message: String,
}

/// Warnings that appeared and that were resolved since the snapshot (a
/// warning is the same when its lint and position are).
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct WarningChanges {
    /// Fired now, not then.
    pub appeared: Vec<WarningOut>,
    /// Fired then, not now.
    pub resolved: Vec<WarningOut>,
}

/// The comparison of two plans.
pub(super) struct Compared {
    pub positions: Vec<PositionChange>,
    pub totals: TotalsChange,
    pub warnings: WarningChanges,
    pub flags: Vec<Raised>,
}

/// A rate in points with two decimals: 0.0825 → "8.25".
fn points(r: Decimal) -> String {
    format_rate(Rate(r)).trim_end_matches('%').to_string()
}

/// Compares the snapshot `then` with the current plan `now`; `gone` holds
/// the snapshot's pool ids the current pools snapshot lacks.
pub(super) fn compare(
    then: &Snapshot,
    now: &PlanReport,
    settings: &ReviewSettings,
    gone: &BTreeSet<String>,
) -> Compared {
    let mut flags = Vec::new();
    let before = then.by_name();
    let current: std::collections::HashSet<&str> =
        now.positions.iter().map(|n| n.name.as_str()).collect();
    let mut positions: Vec<PositionChange> = now
        .positions
        .iter()
        .map(|n| {
            let old = before.get(n.name.as_str()).copied();
            let mut c = change(old, Some(n), gone);
            flags.extend(position_flags(&mut c, settings));
            c
        })
        .collect();
    positions.extend(
        then.positions
            .iter()
            .filter(|o| !current.contains(o.name.as_str()))
            .map(|o| change(Some(o), None, gone)),
    );
    let status_then = then.goal.as_ref().and_then(|g| status_named(&g.status));
    let status_now = now.goal.as_ref().map(|g| g.status);
    if let (Some(a), Some(b)) = (status_then, status_now) {
        if b < a {
            flags.push(Raised {
                flag: Flag::StatusDown,
                position: None,
                message: format!("the goal status fell from {} to {}", a.name(), b.name()),
            });
        }
    }
    let totals = TotalsChange {
        apy_then: then.totals.apy.band(),
        apy_now: now.totals.apy,
        annual_income_then: then.totals.annual_income.money(),
        annual_income_now: now.totals.annual_income,
        required_yield_then: then.goal.as_ref().map(|g| Rate(g.required_yield)),
        required_yield_now: now.goal.as_ref().map(|g| g.required_yield),
        status_then,
        status_now,
    };
    let warnings = warning_changes(then, now);
    for w in &warnings.appeared {
        flags.push(Raised {
            flag: Flag::NewWarning,
            position: w.position.clone(),
            message: format!("new warning [{}]: {}", w.lint, w.message),
        });
    }
    Compared {
        positions,
        totals,
        warnings,
        flags,
    }
}

/// One position then (`old`) and now (`new`).
fn change(
    old: Option<&super::snapshot::SavedPosition>,
    new: Option<&PositionOut>,
    gone: &BTreeSet<String>,
) -> PositionChange {
    let presence = match (old, new) {
        (Some(_), Some(_)) => Presence::Kept,
        (None, _) => Presence::Added,
        (Some(_), None) => Presence::Removed,
    };
    let tvl_then = old.and_then(|o| o.tvl_usd).map(Money);
    let tvl_now = new.and_then(|n| n.tvl_usd);
    let tvl_change = match (tvl_then, tvl_now) {
        (Some(a), Some(b)) if a.0 > Decimal::ZERO => (b.0 - a.0).checked_div(a.0).map(Rate),
        _ => None,
    };
    let then_pool = old.and_then(super::snapshot::SavedPosition::pool);
    let pool_gone = new.is_some() && then_pool.as_ref().is_some_and(|id| gone.contains(id));
    PositionChange {
        name: new.map_or_else(
            || old.map(|o| o.name.clone()).unwrap_or_default(),
            |n| n.name.clone(),
        ),
        presence,
        apy_then: old.map(|o| o.apy.band()),
        apy_now: new.map(|n| n.apy),
        reward_share_then: old.map(|o| Rate(o.reward_share)),
        reward_share_now: new.map(|n| n.reward_share),
        expected_il_then: old.and_then(|o| o.expected_il).map(Rate),
        expected_il_now: new.and_then(|n| n.expected_il),
        tier_then: old.and_then(|o| o.tier().map(str::to_string)),
        tier_now: new.and_then(|n| n.risk.sources.first().map(|s| s.tier.clone())),
        annual_income_then: old.map(|o| o.annual_income.money()),
        annual_income_now: new.map(|n| n.annual_income),
        pool_id: new.and_then(|n| n.pool_id.clone()).or(then_pool),
        tvl_then,
        tvl_now: if pool_gone { None } else { tvl_now },
        tvl_change: if pool_gone { None } else { tvl_change },
        pool_gone,
        flags: Vec::new(),
    }
}

/// The flags one kept position raises, recorded on it too.
fn position_flags(c: &mut PositionChange, s: &ReviewSettings) -> Vec<Raised> {
    let mut out = Vec::new();
    let mut raise = |flag: Flag, message: String| {
        out.push(Raised {
            flag,
            position: Some(c.name.clone()),
            message: format!("{}: {message}", c.name),
        });
    };
    if c.pool_gone {
        raise(
            Flag::PoolGone,
            format!(
                "pool {} is no longer in the pools snapshot; the plan now counts it at no yield",
                c.pool_id.as_deref().unwrap_or("-")
            ),
        );
    }
    if let (Some(a), Some(b)) = (c.apy_then, c.apy_now) {
        let drop = a.mid.0 - b.mid.0;
        // Checked: a snapshot may hold a tiny positive mid.
        let relative = if a.mid.0 > Decimal::ZERO {
            drop.checked_div(a.mid.0).unwrap_or(Decimal::ZERO)
        } else {
            Decimal::ZERO
        };
        if drop > s.apy_drop.0 || relative > s.apy_drop_relative.0 {
            raise(
                Flag::ApyDrop,
                format!(
                    "mid APY fell from {} to {} ({} points, {} of it; thresholds {} points or {})",
                    format_rate(a.mid),
                    format_rate(b.mid),
                    points(drop),
                    format_rate(Rate(relative)),
                    points(s.apy_drop.0),
                    format_rate(s.apy_drop_relative)
                ),
            );
        }
    }
    if let (Some(a), Some(b), Some(change)) = (c.tvl_then, c.tvl_now, c.tvl_change) {
        if -change.0 > s.tvl_drop.0 {
            raise(
                Flag::TvlDrop,
                format!(
                    "pool TVL fell from {} to {} ({}; threshold {})",
                    crate::money::format_money(a, "USD"),
                    crate::money::format_money(b, "USD"),
                    format_rate(change),
                    format_rate(s.tvl_drop)
                ),
            );
        }
    }
    if let (Some(a), Some(b)) = (c.reward_share_then, c.reward_share_now) {
        if b.0 - a.0 > s.emissions_up.0 {
            raise(
                Flag::EmissionsUp,
                format!(
                    "the share of its yield paid in incentive tokens rose from {} to {} (threshold {} points)",
                    format_rate(a),
                    format_rate(b),
                    points(s.emissions_up.0)
                ),
            );
        }
    }
    c.flags = out.iter().map(|r| r.flag).collect();
    out
}

/// Warnings by lint and position: those now and not then, and those then and not now.
fn warning_changes(then: &Snapshot, now: &PlanReport) -> WarningChanges {
    let key = |lint: &str, position: &Option<String>| (lint.to_string(), position.clone());
    let old: BTreeSet<_> = then
        .warnings
        .iter()
        .map(|w| key(&w.lint, &w.position))
        .collect();
    let new: BTreeSet<_> = now
        .warnings
        .iter()
        .map(|w| key(w.lint.name(), &w.position))
        .collect();
    let appeared = now
        .warnings
        .iter()
        .filter(|w| !old.contains(&key(w.lint.name(), &w.position)))
        .map(|w| WarningOut {
            lint: w.lint.name().to_string(),
            position: w.position.clone(),
            message: w.message.clone(),
        })
        .collect();
    let resolved = then
        .warnings
        .iter()
        .filter(|w| !new.contains(&key(&w.lint, &w.position)))
        .map(|w: &SavedWarning| WarningOut {
            lint: w.lint.clone(),
            position: w.position.clone(),
            message: w.message.clone(),
        })
        .collect();
    WarningChanges { appeared, resolved }
}
