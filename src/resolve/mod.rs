//! From a profile as written to a portfolio the engine can plan.
//!
//! Resolution checks what needs the rate book or the whole file at once (known
//! assets and indexes, fields that fit the strategy, unique names, weights that
//! add up), fills in rates from the book where the profile gives none, splits
//! the portfolio into exact amounts and expands index positions. Every problem
//! is collected with its span. It reads no files and computes no yields.
//!
//! This module holds the entry point [`resolve`], the [`Resolver`] state every
//! step shares, the defaults and the small helpers for messages. Each concept
//! has its own file:
//! - `settings`: assumptions, the income goal and lint settings;
//! - `assets`: what is known about each asset, and their correlations;
//! - `names`: one id per asset, chain and protocol, through the book's aliases;
//! - `risk`: risk tiers, protocols, staking fees and each position's risk;
//! - `fields`: which fields a position may and must have for its strategy;
//! - `positions`: drafting a position per strategy, and its name;
//! - `yields`: a position's yield band, from the profile or the rate book;
//! - `pools`: liquidity pools, snapshot pools and the volatility of a pair;
//! - `indexes`: expanding an index position into its components;
//! - `details`: stacked layers, staking route, chain, exposure and `defi` flag;
//! - `allocation`: checking the shares and splitting the value into cents;
//! - `scenarios`: stress scenarios.

mod allocation;
mod assets;
pub mod choices;
mod details;
mod fields;
mod indexes;
mod names;
mod pools;
mod positions;
mod risk;
mod scenarios;
mod settings;
mod yields;

use std::collections::BTreeMap;
use std::path::Path;

use rust_decimal::Decimal;

use crate::error::{Diagnostic, shorten};
use crate::model::{Band, Portfolio};
use crate::money::{Money, Rate};
use crate::profile::{BandSpec, ProfileSpec, Span};
use crate::rates::RateBook;

use assets::AssetView;
pub use positions::default_name;

/// Default yearly inflation, as a fraction (0.03 = 3% a year; an assumption).
pub const DEFAULT_INFLATION: Decimal = Decimal::from_parts(3, 0, 0, false, 2);
/// Default sustainable yield, as a fraction a year (0.08 = 8%): required
/// yields above it are flagged as unsustainable (an assumption; the seed calls
/// 10% unsustainable).
pub const DEFAULT_SUSTAINABLE_YIELD: Decimal = Decimal::from_parts(8, 0, 0, false, 2);
/// Default share of emissions (reward-token) income that sustainable income
/// ignores, as a fraction (0.5 = half; an assumption).
pub const DEFAULT_EMISSIONS_HAIRCUT: Decimal = Decimal::from_parts(5, 0, 0, false, 1);
/// Default reward share above which `emissions-heavy` fires, as a fraction of
/// a position's yield (0.5 = half; an assumption).
pub const DEFAULT_EMISSIONS_SHARE: Decimal = Decimal::from_parts(5, 0, 0, false, 1);

/// The message when resolution stopped without a problem of its own to report.
pub const UNRESOLVED: &str = "the profile could not be resolved";

/// Builds the portfolio, or returns every problem found.
///
/// `path` names the portfolio when the profile gives no `name`.
///
/// # Errors
///
/// Every problem found in the profile, sorted by place; a single generic
/// [`UNRESOLVED`] problem when resolution stopped on problems already
/// reported while reading it.
pub fn resolve(
    path: &Path,
    spec: &ProfileSpec,
    book: &RateBook,
) -> Result<Portfolio, Vec<Diagnostic>> {
    let mut r = Resolver {
        book,
        diags: Vec::new(),
        assets: BTreeMap::new(),
        by_lowercase: std::collections::HashMap::new(),
        tiers: BTreeMap::new(),
        protocols: BTreeMap::new(),
        fees: BTreeMap::new(),
        notes: Vec::new(),
        ids: std::cell::RefCell::default(),
    };
    r.risk_settings(spec);
    r.assets(spec);
    let portfolio = r.portfolio(path, spec);
    if r.diags.is_empty() {
        portfolio.ok_or_else(|| vec![Diagnostic::new(None, UNRESOLVED)])
    } else {
        r.diags
            .sort_by_key(|d| d.span.as_ref().map_or(0, |s| s.start));
        Err(r.diags)
    }
}

/// The state resolution builds up: the book, what it knows after the
/// profile's overrides, and the problems found so far.
struct Resolver<'b> {
    /// The rate book the profile is resolved against.
    book: &'b RateBook,
    /// Every problem found so far, in the order found.
    diags: Vec<Diagnostic>,
    /// Each asset symbol's view, book then profile.
    assets: BTreeMap<String, AssetView>,
    /// The known symbols by their lower-case spelling, for case-insensitive
    /// matching in constant time (kept in step with `assets`).
    by_lowercase: std::collections::HashMap<String, Vec<String>>,
    /// Risk tiers: (loss probability, loss given an event), both fractions, book then profile.
    tiers: BTreeMap<String, (Rate, Rate)>,
    /// Protocol id → tier, book then profile.
    protocols: BTreeMap<String, String>,
    /// Staking method → provider fee (a fraction of rewards), book then profile.
    fees: BTreeMap<String, Rate>,
    /// Lints resolution fires (figures assumed for unknown tokens), in order.
    notes: Vec<crate::model::Note>,
    /// The book's chain and protocol ids of the spellings met so far, so
    /// each distinct spelling runs through the alias tables once (a profile
    /// of thousands of positions names a few chains and protocols).
    ids: std::cell::RefCell<names::Ids>,
}

/// The most distinct assets the positions of a profile may hold: every pair
/// of them has a correlation (31,125 pairs at this limit) and a
/// simulation factors their matrix, so the work grows with the square and
/// the cube of the count.
pub const MAX_HELD_ASSETS: usize = 250;

impl Resolver<'_> {
    /// Reports the position `name` whose `asset` is one past
    /// [`MAX_HELD_ASSETS`], at its table (`span`) when the profile has it.
    fn too_many_assets(&mut self, span: Option<Span>, name: &str, asset: &str) {
        self.diags.push(
            Diagnostic::new(
                span,
                format!(
                    "the positions hold more than {} distinct assets; `{asset}` of position `{name}` is one past the limit",
                    crate::money::group_thousands(Decimal::from(MAX_HELD_ASSETS), 0)
                ),
            )
            .with_help(
                "check that this is the right file, or split the portfolio into several profiles",
            ),
        );
    }

    /// Records a problem at `span`, with a hint on how to fix it.
    fn error(&mut self, span: Span, message: impl Into<String>, help: impl Into<String>) {
        self.diags
            .push(Diagnostic::at(span, message).with_help(help));
    }

    /// True the first time `id` (an asset's or protocol's id in the book) is
    /// named in one list of the profile (`what`, e.g. "[assets]", of things
    /// of `kind`, e.g. "asset"); after
    /// that, reports `written` (at `at`) as a second name for it, with where
    /// the first one is, and returns false. Two spellings of one thing
    /// (`ETH` and `WETH`, `aave` and `AAVE-v3`) would otherwise both apply,
    /// the later silently winning or both counting.
    fn first_naming(
        &mut self,
        seen: &mut std::collections::HashMap<String, (String, Span)>,
        id: &str,
        written: &str,
        at: &Span,
        (what, kind): (&str, &str),
    ) -> bool {
        match seen.get(id) {
            None => {
                seen.insert(id.to_string(), (written.to_string(), at.clone()));
                true
            }
            Some((first, first_at)) => {
                let message = if first == written {
                    format!("{what} names `{}` twice", shorten(written))
                } else {
                    format!(
                        "{what} names `{id}` twice: `{}` and `{}` are the same {}",
                        shorten(first),
                        shorten(written),
                        kind
                    )
                };
                self.diags.push(
                    Diagnostic::at(at.clone(), message)
                        .with_related(first_at.clone(), "first named here")
                        .with_help("name it once"),
                );
                false
            }
        }
    }

    /// The whole portfolio: settings, scenarios and positions with amounts.
    /// `None` when a problem stops it (already reported, or left to [`UNRESOLVED`]).
    fn portfolio(&mut self, path: &Path, spec: &ProfileSpec) -> Option<Portfolio> {
        let portfolio = spec.portfolio.as_ref();
        let value = portfolio.map(|p| p.value.clone());
        if let Some(v) = &value {
            self.check_whole_cents(v);
        }
        let assumptions = settings::assumptions(spec);
        let goal = self.goal(spec, &assumptions);
        self.check_lint_names(spec);
        let lints = settings::lint_settings(spec);
        let drafts = self.drafts(spec);
        // After the positions, so a scenario may name a token they brought in.
        let scenarios = self.scenarios(spec);
        let all_sound =
            spec.positions.iter().all(|p| !p.broken) && drafts.len() == spec.positions.len();
        let value = value?;
        if !all_sound {
            // Still check that the shares add up, when every one was read.
            let allocations: Option<Vec<_>> = spec
                .positions
                .iter()
                .map(|p| p.allocation.as_ref())
                .collect();
            if let Some(allocations) = allocations {
                self.check_shares(&value, &allocations, spec);
            }
            return None;
        }
        let positions = self.allocate(&value, drafts, spec)?;
        self.unknown_names(&positions);
        let mut held = std::collections::BTreeSet::new();
        // The profile's position each one comes from: an index's components
        // follow one another under its name; every other is one of its own.
        let mut from = 0;
        for (i, p) in positions.iter().enumerate() {
            let same_index = i > 0 && p.index.is_some() && positions[i - 1].index == p.index;
            if i > 0 && !same_index {
                from += 1;
            }
            for asset in p.asset.iter().chain(p.pair.iter().flatten()) {
                if held.insert(asset.as_str()) && held.len() > MAX_HELD_ASSETS {
                    let span = spec.positions.get(from).map(|s| s.span.clone());
                    self.too_many_assets(span, &p.name, asset);
                    return None;
                }
            }
        }
        let correlations = self.pair_correlations(&held);
        let name = spec.name.as_ref().map_or_else(
            || {
                path.file_stem()
                    .map_or_else(|| "profile".into(), |s| s.to_string_lossy().into_owned())
            },
            |n| n.value.clone(),
        );
        Some(Portfolio {
            name,
            path: path.display().to_string(),
            value: Money(value.value),
            currency: portfolio.map_or_else(|| "USD".into(), |p| p.currency.clone()),
            goal,
            assumptions,
            positions,
            lints,
            review: settings::review_settings(spec),
            scenarios,
            assets: self.asset_facts(),
            market_correlation: self.market_correlations(),
            correlations,
            notes: self.notes.clone(),
        })
    }
}

/// A yield band from the profile: its `mid` defaults to halfway between `low` and `high`.
fn band_of(spec: BandSpec) -> Band {
    let mid = spec.mid.unwrap_or((spec.low + spec.high) / Decimal::TWO);
    Band {
        low: Rate(spec.low),
        mid: Rate(mid),
        high: Rate(spec.high),
    }
}

/// A fraction as a percentage for messages: 0.05 → "5%".
fn percent(fraction: Decimal) -> String {
    format!("{}%", (fraction * Decimal::ONE_HUNDRED).normalize())
}

/// A band for messages: "5%", or "3% to 5%".
fn band_text(b: Band) -> String {
    if b.low == b.high {
        percent(b.low.0)
    } else {
        format!("{} to {}", percent(b.low.0), percent(b.high.0))
    }
}

/// `part` as a fraction of `whole` (both fractions a year); zero when `whole` is.
fn share(part: Rate, whole: Rate) -> Rate {
    if whole.0.is_zero() {
        Rate::ZERO
    } else {
        Rate(part.0 / whole.0)
    }
}

/// A name as a key of a TOML table header: bare when it can be
/// (`[protocols.my-dex]`), else quoted (`[protocols."ether.fi"]`).
fn table_key(name: &str) -> String {
    let bare = !name.is_empty()
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
    if bare {
        name.to_string()
    } else {
        format!("{:?}", crate::error::shorten(name))
    }
}

/// The hint for an unknown name: the nearest known one, or else all of them
/// after `list_label` ("use one of: a, b, c").
fn did_you_mean(word: &str, known: &[&str], list_label: &str) -> String {
    match crate::error::nearest(word, known.iter().copied()) {
        Some(n) => format!("did you mean \"{n}\"?"),
        None => format!(
            "{list_label}: {}",
            crate::error::some_of(known.iter().copied(), 30)
        ),
    }
}
