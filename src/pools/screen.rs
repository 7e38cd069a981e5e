//! Judging and listing snapshot pools: the sustainability screen and its
//! thresholds, the rule that turns a pool into a yield band, and the
//! filtered, sorted listing of `yieldplan pools`.
//!
//! It works on pools already read (`snapshot.rs`), does no I/O and renders
//! nothing: the listing is data for the report layer.

use serde::Serialize;

use super::snapshot::{Pool, Skipped, Snapshot};
use crate::money::{Money, Rate, decimal_from_f64};

/// Minimum TVL, in US dollars, below which a pool is "tiny" (an assumption).
pub const TINY_TVL: f64 = 1_000_000.0;
/// Days of history below which mu and sigma say little (an assumption).
pub const SHORT_HISTORY_DAYS: u32 = 30;
/// Current APY, as a fraction, above which a yield is taken as unsustainable
/// (100%, an assumption).
const MAX_SUSTAINABLE_APY: f64 = 1.0;
/// Current APY, as a fraction, above which a pool cannot be planned (the
/// planner's largest rate, 1,000,000%); such pools are listed, never planned.
pub const MAX_PLANNABLE_APY: f64 = 10_000.0;
/// Share of the current APY paid in incentive tokens, as a fraction, above
/// which a pool is "emissions-heavy" (an assumption).
const MAX_REWARD_SHARE: f64 = 0.5;

/// The sustainability verdict on a pool.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Verdict {
    /// No warning sign.
    Sustainable,
    /// Only soft signs: predicted down, little history, tiny TVL.
    Caution,
    /// At least one hard sign: yield above 100%, emissions-heavy, outlier.
    Unsustainable,
}

/// The verdict and its reasons, worst first.
#[must_use]
pub fn screen(p: &Pool) -> (Verdict, Vec<&'static str>) {
    let mut hard = Vec::new();
    let mut soft = Vec::new();
    if p.apy > MAX_PLANNABLE_APY {
        hard.push("yield above 1,000,000% (cannot be planned)");
    } else if p.apy > MAX_SUSTAINABLE_APY {
        hard.push("yield above 100%");
    }
    if reward_share(p) > MAX_REWARD_SHARE {
        hard.push("emissions-heavy");
    }
    if p.outlier {
        hard.push("outlier");
    }
    if p.predicted_down {
        soft.push("predicted down");
    }
    if p.count.is_none_or(|c| c < SHORT_HISTORY_DAYS) {
        soft.push("too little history");
    }
    if p.tvl_usd < TINY_TVL {
        soft.push("tiny TVL");
    }
    let verdict = if !hard.is_empty() {
        Verdict::Unsustainable
    } else if !soft.is_empty() {
        Verdict::Caution
    } else {
        Verdict::Sustainable
    };
    hard.extend(soft);
    (verdict, hard)
}

/// A pool's yield as a low / mid / high band of yearly fractions, by this
/// rule: mid is the pool's total APY today (`apy`: base plus rewards, what it
/// pays now, whatever the sign of its base); low and high are mu ∓ sigma (low
/// at least 0) when both are known, else the lower and higher of the current
/// and 30-day mean APYs; the band is then widened to hold mid.
#[must_use]
pub fn band(p: &Pool) -> [f64; 3] {
    let mid = p.apy;
    let mean = p.apy_mean_30d.unwrap_or(p.apy);
    let (mut low, mut high) = match (p.mu, p.sigma) {
        (Some(mu), Some(s)) => ((mu - s).max(0.0), mu + s),
        _ => (mid.min(mean), mid.max(mean)),
    };
    low = low.min(mid);
    high = high.max(mid);
    [low, mid, high]
}

/// Share of the current APY paid in incentive tokens, as a fraction from 0
/// to 1: reward APY over total APY, at most 1. When the base APY is negative
/// (a rebasing token, a loss) the rewards exceed the total and the share is
/// 1: everything the pool pays is incentive tokens.
#[must_use]
pub fn reward_share(p: &Pool) -> f64 {
    if p.apy > 0.0 {
        (p.apy_reward / p.apy).clamp(0.0, 1.0)
    } else {
        0.0
    }
}

/// Filters of `yieldplan pools`.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Filter {
    /// Only this chain (any case).
    pub chain: Option<String>,
    /// Only this protocol (any case).
    pub project: Option<String>,
    /// Matches a token of the symbol, or the whole symbol.
    pub symbol: Option<String>,
    /// The rate book whose names make `OP Mainnet` and `optimism`, `Aave V3`,
    /// `aave-v4` and `aave`, `WETH` and `ETH` match (its alias tables and
    /// protocols, as a profile's names are matched; an empty book matches
    /// chains and projects in any case, a space and a hyphen alike).
    pub book: crate::rates::RateBook,
    /// Least TVL, in US dollars.
    pub min_tvl: Option<f64>,
    /// Only stablecoin pools.
    pub stablecoin: bool,
    /// Largest current APY, as a fraction.
    pub max_apy: Option<f64>,
}

impl Filter {
    /// Whether the pool passes every filter that is set.
    #[must_use]
    pub fn keeps(&self, p: &Pool) -> bool {
        let book = &self.book;
        self.chain
            .as_ref()
            .is_none_or(|c| book.canonical_chain(&p.chain) == book.canonical_chain(c))
            && self
                .project
                .as_ref()
                .is_none_or(|c| book.canonical_protocol(&p.project) == book.canonical_protocol(c))
            && self.symbol.as_ref().is_none_or(|s| self.holds(p, s))
            && self.min_tvl.is_none_or(|m| p.tvl_usd >= m)
            && (!self.stablecoin || p.stablecoin)
            && self.max_apy.is_none_or(|m| p.apy <= m)
    }
}

impl Filter {
    /// A token as the book names it: its asset alias (`WETH` is `ETH`), else
    /// the token in upper case.
    fn token(&self, t: &str) -> String {
        self.book
            .aliases
            .asset(t)
            .unwrap_or_else(|| t.trim().to_uppercase())
    }

    /// Whether pool `p` matches `--symbol symbol`: its whole symbol in any
    /// case, or one of its tokens (split at `-`, `/` and blanks) as the
    /// book names it.
    fn holds(&self, p: &Pool, symbol: &str) -> bool {
        let wanted = self.token(symbol);
        p.symbol.eq_ignore_ascii_case(symbol)
            || p.symbol
                .split(['-', '/', ' '])
                .any(|t| self.token(t) == wanted)
    }

    /// A warning for a `--symbol` that no pool of `pools` holds, whatever
    /// the other filters, naming the nearest token the pools have.
    fn unmatched_symbol(&self, pools: &[Pool]) -> Option<String> {
        let given = self.symbol.as_ref()?;
        if pools.iter().any(|p| self.holds(p, given)) {
            return None;
        }
        // Distinct spellings first, as for chains.
        let written: std::collections::BTreeSet<&str> = pools
            .iter()
            .flat_map(|p| p.symbol.split(['-', '/', ' ']))
            .filter(|t| !t.trim().is_empty())
            .collect();
        let have: std::collections::BTreeSet<String> =
            written.into_iter().map(|t| self.token(t)).collect();
        let target = self.token(given);
        let near = crate::error::nearest(&target, have.iter().map(String::as_str))
            .map_or_else(String::new, |n| format!("; did you mean `{n}`?"));
        let shown = crate::error::shorten(given);
        // Said only when an alias changed more than the case.
        let read = if given.trim().eq_ignore_ascii_case(&target) {
            String::new()
        } else {
            format!(" (read as `{}`)", crate::error::shorten(&target))
        };
        Some(format!(
            "no pool of the snapshot holds symbol `{shown}`{read}{near}"
        ))
    }

    /// A warning for each `--chain`, `--project` or `--symbol` that no pool
    /// of `pools` is on, of or holds, whatever the other filters: a misspelt
    /// name would otherwise list nothing without a word. Each names the
    /// nearest chain, project or token the pools have.
    #[must_use]
    pub fn unmatched(&self, pools: &[Pool]) -> Vec<String> {
        let book = &self.book;
        let mut out = Vec::new();
        let wanted = [
            ("chain", "on", self.chain.as_ref()),
            ("project", "of", self.project.as_ref()),
        ];
        for (what, on, given) in wanted {
            let Some(given) = given else { continue };
            let id = |name: &str| {
                if what == "chain" {
                    book.canonical_chain(name)
                } else {
                    book.canonical_protocol(name)
                }
            };
            let target = id(given);
            // Distinct spellings first: a whole snapshot has thousands of
            // pools on a few hundred chains.
            let written: std::collections::BTreeSet<&str> = pools
                .iter()
                .map(|p| {
                    if what == "chain" {
                        &p.chain
                    } else {
                        &p.project
                    }
                })
                .map(String::as_str)
                .collect();
            let have: std::collections::BTreeSet<String> = written.into_iter().map(id).collect();
            if have.contains(&target) {
                continue;
            }
            let near = crate::error::nearest(&target, have.iter().map(String::as_str))
                .map_or_else(String::new, |n| format!("; did you mean `{n}`?"));
            let shown = crate::error::shorten(given);
            let read = if shown == target {
                String::new()
            } else {
                format!(" (read as `{}`)", crate::error::shorten(&target))
            };
            out.push(format!(
                "no pool of the snapshot is {on} {what} `{shown}`{read}{near}"
            ));
        }
        out.extend(self.unmatched_symbol(pools));
        out
    }
}

crate::names::closed_set! {
    /// Sort keys of `yieldplan pools`, all descending.
    #[derive(Clone, Copy, Debug, PartialEq, Eq)]
    pub enum SortKey {
        /// Total value locked.
        Tvl = "tvl",
        /// Current total APY.
        Apy = "apy",
        /// Current base APY.
        Base = "base",
        /// 30-day mean APY (0 when unknown).
        Mean30d = "mean30d",
        /// Historical mean APY (0 when unknown).
        Mu = "mu",
    }
}

impl SortKey {
    /// The pool's figure this key sorts by.
    fn of(self, p: &Pool) -> f64 {
        match self {
            SortKey::Tvl => p.tvl_usd,
            SortKey::Apy => p.apy,
            SortKey::Base => p.apy_base,
            SortKey::Mean30d => p.apy_mean_30d.unwrap_or(0.0),
            SortKey::Mu => p.mu.unwrap_or(0.0),
        }
    }
}

/// One listed pool, for reports. Rates are yearly fractions.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct PoolRow {
    /// The snapshot's pool id.
    pub pool: String,
    /// The chain, as the snapshot spells it.
    pub chain: String,
    /// The protocol (the snapshot's project slug).
    pub project: String,
    /// The pool's token symbol(s).
    pub symbol: String,
    /// Total value locked, in US dollars.
    pub tvl_usd: Money,
    /// Current total APY.
    pub apy: PoolRate,
    /// Current APY paid from the pool's own revenue.
    pub apy_base: PoolRate,
    /// Current APY paid in incentive tokens.
    pub apy_reward: PoolRate,
    /// Share of the current APY paid in incentive tokens.
    pub reward_share: Rate,
    /// Mean APY over the last 30 days.
    pub apy_mean_30d: Option<Rate>,
    /// Mean APY over the pool's history.
    pub mu: Option<Rate>,
    /// Standard deviation of the APY over the pool's history.
    pub sigma: Option<Rate>,
    /// The snapshot's impermanent-loss flag.
    pub il_risk: bool,
    /// Whether the snapshot counts it as a stablecoin pool.
    pub stablecoin: bool,
    /// The snapshot's outlier flag.
    pub outlier: bool,
    /// The sustainability verdict.
    pub verdict: Verdict,
    /// The verdict's reasons, worst first.
    pub reasons: Vec<String>,
}

impl PoolRow {
    /// The row of a pool, screened, with its figures settled for display.
    fn of(p: &Pool) -> PoolRow {
        let (verdict, reasons) = screen(p);
        PoolRow {
            pool: p.id.clone(),
            chain: p.chain.clone(),
            project: p.project.clone(),
            symbol: p.symbol.clone(),
            tvl_usd: Money(decimal_from_f64(p.tvl_usd).unwrap_or_default()).settle(),
            apy: PoolRate::of(p.apy),
            apy_base: PoolRate::of(p.apy_base),
            apy_reward: PoolRate::of(p.apy_reward),
            reward_share: rate(reward_share(p)),
            apy_mean_30d: p.apy_mean_30d.map(rate),
            mu: p.mu.map(rate),
            sigma: p.sigma.map(rate),
            il_risk: p.il_risk,
            stablecoin: p.stablecoin,
            outlier: p.outlier,
            verdict,
            reasons: reasons.into_iter().map(str::to_string).collect(),
        }
    }
}

/// A fraction as a settled [`Rate`] (0 when it is not a finite number: the
/// figures given here, TVL, shares and history APYs, are bounded when read).
fn rate(x: f64) -> Rate {
    Rate(decimal_from_f64(x).unwrap_or_default()).settle()
}

/// The largest rate, as a fraction, a report shows as an exact decimal
/// (10^15%): past it a decimal would either not hold the figure or show
/// digits the snapshot never had, so the number read is shown instead.
const LARGEST_EXACT: f64 = 1e13;

/// A pool's current rate for reports: exact when a decimal holds it, else
/// the number read. A pool's APY is never shown as 0 for being too large.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum PoolRate {
    /// Up to 10^15%: an exact decimal fraction, settled for display.
    Exact(Rate),
    /// Beyond 10^15%: the fraction read, shown in scientific notation
    /// (JSON: the number; CSV: e.g. `1e306`; tables: `1e308%`).
    Read(f64),
}

impl PoolRate {
    /// The rate of the fraction `x`, which the reader checked is finite.
    #[must_use]
    pub fn of(x: f64) -> PoolRate {
        match decimal_from_f64(x).filter(|_| x.abs() <= LARGEST_EXACT) {
            Some(d) => PoolRate::Exact(Rate(d).settle()),
            None => PoolRate::Read(x),
        }
    }
}

impl Serialize for PoolRate {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            PoolRate::Exact(r) => r.serialize(s),
            PoolRate::Read(x) => s.serialize_f64(*x),
        }
    }
}

/// The fraction `x` as a percent, as read: whole percent up to 10^15%
/// ("2002000%"), else in scientific notation to six significant digits
/// ("1e308%", "2.5e20%").
#[must_use]
pub fn percent_as_read(x: f64) -> String {
    let pct = x * 100.0;
    if pct.abs() < 1e15 {
        return format!("{}%", pct.round());
    }
    let text = format!("{pct:.5e}");
    let (mantissa, exp) = text.split_once('e').unwrap_or((&text, "0"));
    let mantissa = mantissa.trim_end_matches('0').trim_end_matches('.');
    format!("{mantissa}e{exp}%")
}

/// The JSON output of `yieldplan pools`.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct PoolsReport {
    /// Version of this JSON shape (the plan's schema version).
    pub schema_version: u32,
    /// Pools read from the file.
    pub read: usize,
    /// Pools skipped for impossible values.
    pub skipped: usize,
    /// Entries ignored because their pool id was listed before (the first
    /// entry of an id is kept).
    pub duplicates: usize,
    /// Pools that pass the filters.
    pub matched: usize,
    /// The first [`SKIPPED_SHOWN`] entries skipped, in file order, each
    /// with its id (when it has one) and why.
    pub skipped_first: Vec<Skipped>,
    /// The listed pools (the top of the sorted matches).
    pub pools: Vec<PoolRow>,
}

/// How many skipped entries a pools report names, with why.
pub const SKIPPED_SHOWN: usize = 5;

/// Screens, filters, sorts and lists the top `limit` pools.
#[must_use]
pub fn list(s: &Snapshot, filter: &Filter, sort: SortKey, limit: usize) -> PoolsReport {
    let matched: Vec<&Pool> = s.pools.iter().filter(|p| filter.keeps(p)).collect();
    let n = matched.len();
    PoolsReport {
        schema_version: crate::schema::SCHEMA_VERSION,
        read: s.entries(),
        skipped: s.skipped.len(),
        duplicates: s.duplicates.iter().map(|(_, n)| n - 1).sum(),
        matched: n,
        skipped_first: s.skipped.iter().take(SKIPPED_SHOWN).cloned().collect(),
        pools: top(matched, sort, limit)
            .into_iter()
            .map(PoolRow::of)
            .collect(),
    }
}

/// The `limit` pools ranking highest by `sort`, highest first; ties go by id.
fn top(mut pools: Vec<&Pool>, sort: SortKey, limit: usize) -> Vec<&Pool> {
    let order = |a: &&Pool, b: &&Pool| {
        sort.of(b)
            .total_cmp(&sort.of(a))
            .then_with(|| a.id.cmp(&b.id))
    };
    let n = pools.len();
    let take = limit.min(n);
    if take < n && take > 0 {
        // Partition first so that only the kept pools are sorted.
        pools.select_nth_unstable_by(take - 1, order);
        pools.truncate(take);
    }
    pools.sort_by(order);
    pools.truncate(take);
    pools
}
