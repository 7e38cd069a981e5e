//! `yieldplan review`: the profile planned now against a saved plan (the
//! snapshot), with what is held and the income received; exit 1 when a
//! denied flag is raised.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use anyhow::{Result, bail};
use clap::Args;
use rust_decimal::Decimal;
use yieldplan::engine::review::{self, Denied, Flag, ReviewInput, Snapshot};
use yieldplan::money::{Money, parse_decimal_text};
use yieldplan::rates::{BookRate, PoolEntry, RateBook};
use yieldplan::report::{Format, review_document, review_records_document};

use crate::cli::args::{Output, parse_fraction};
use crate::cli::files::{read_limited, shown};
use crate::cli::load::{book_for, load_profile, note_inputs};
use crate::cli::outcome::Outcome;
use crate::cli::output::emit;

/// Where a stand-in for a pool gone from the pools snapshot says it comes from.
const GONE: &str = "gone from the pools snapshot";

/// `yieldplan review PROFILE --since SNAPSHOT.json`.
#[derive(Debug, Args)]
pub struct ReviewArgs {
    /// The profile to review
    pub profile: PathBuf,
    /// The saved plan to compare with (`yieldplan plan PROFILE --format json --output SNAPSHOT.json`)
    #[arg(long, value_name = "SNAPSHOT.json")]
    pub since: PathBuf,
    /// What is held now: a CSV with the header `position,value`, or TOML with a [holdings] table
    #[arg(long, value_name = "FILE")]
    pub holdings: Option<PathBuf>,
    /// Income received: a CSV with the header `date,position,amount,currency` (positions of the
    /// profile, or of the snapshot when sold since)
    #[arg(long, value_name = "RECEIVED.csv")]
    pub income: Option<PathBuf>,
    /// Drift tolerance in percentage points around each target weight, e.g. 5% (with --holdings;
    /// default: the profile's [review] band, else 5%)
    #[arg(long, value_name = "POINTS", value_parser = parse_band, allow_hyphen_values = true, requires = "holdings")]
    pub band: Option<Decimal>,
    /// New money to invest, in the portfolio's currency (with --holdings)
    #[arg(long, value_name = "AMOUNT", value_parser = parse_cash, allow_hyphen_values = true, requires = "holdings")]
    pub cash: Option<Decimal>,
    /// Restore targets with new money alone: never sell (with --holdings)
    #[arg(long, requires = "holdings")]
    pub buy_only: bool,
    /// Exit 1 when this flag is raised ("all": any flag); repeatable
    #[arg(long, value_name = "FLAG", value_parser = parse_denied)]
    pub deny: Vec<Denied>,
    #[command(flatten)]
    pub out: Output,
}

/// Reviews the profile against the snapshot and writes the review.
///
/// # Errors
/// The profile, snapshot, holdings, income file, rate book or pools snapshot
/// is unusable, or the output cannot be written.
pub fn run(a: &ReviewArgs) -> Result<Outcome> {
    let mut book = book_for(&a.out)?;
    // A `--rates` book with pools (one `rates import` wrote) is a pools
    // source too: a pool it lacks is gone.
    let book_has_pools = a.out.rates.is_some() && !book.pools.is_empty();
    let tiers = known_tiers(&book);
    let (snapshot_text, loose) = read_text_snapshot(&a.since, &tiers)?;
    let stand_ins = stand_in_gone_pools(&loose, &mut book);
    let (portfolio, mut now) = load_profile(&a.profile, &book)?;
    note_inputs(&mut now, &a.out);
    let gone: BTreeSet<String> = now
        .positions
        .iter()
        .filter(|p| p.apy_source.ends_with(GONE))
        .filter_map(|p| p.pool_id.clone())
        .filter(|id| stand_ins.contains(id))
        .collect();
    let pools_read = book_has_pools
        || now
            .inputs
            .as_ref()
            .is_some_and(|i| !i.pools_files.is_empty());
    if !gone.is_empty() && !pools_read {
        bail!(
            "the profile takes yields from pools ({}) but no pools snapshot was read; give the current one with --pools FILE (or a rate book with its pools, from `rates import`, with --rates)",
            gone.iter().cloned().collect::<Vec<_>>().join(", ")
        );
    }
    let then = review::read_snapshot(
        &a.since,
        &snapshot_text,
        Some(&portfolio.name),
        Some(&tiers),
    )?;
    if !then
        .portfolio
        .currency
        .eq_ignore_ascii_case(&portfolio.currency)
    {
        bail!(
            "snapshot {} is in {} and the profile is now in {}; amounts cannot be compared across currencies, so take a new snapshot",
            shown(&a.since),
            then.portfolio.currency,
            portfolio.currency
        );
    }
    let names: Vec<String> = now.positions.iter().map(|p| p.name.clone()).collect();
    let holdings = match &a.holdings {
        Some(path) => Some(review::read_holdings(
            path,
            &utf8(path, "holdings file")?,
            &names,
        )?),
        None => None,
    };
    let income = match &a.income {
        Some(path) => {
            // A position sold since the snapshot still paid during the quarter.
            let mut known = names.clone();
            known.extend(
                then.positions
                    .iter()
                    .filter(|o| !names.contains(&o.name))
                    .map(|o| o.name.clone()),
            );
            Some(review::read_income(
                path,
                &utf8(path, "income file")?,
                &known,
                &portfolio.currency,
                today(),
            )?)
        }
        None => None,
    };
    let denied = if a.deny.contains(&Denied::All) {
        Denied::All
    } else if a.deny.is_empty() {
        Denied::Nothing
    } else {
        Denied::Some(
            a.deny
                .iter()
                .flat_map(|d| match d {
                    Denied::Some(v) => v.clone(),
                    _ => Vec::new(),
                })
                .collect(),
        )
    };
    let input = ReviewInput {
        snapshot_path: a.since.display().to_string(),
        gone,
        holdings,
        cash: Money(a.cash.unwrap_or(Decimal::ZERO)),
        buy_only: a.buy_only,
        band: a.band.map_or(portfolio.review.band, yieldplan::money::Rate),
        income,
        denied,
    };
    warn_unreachable_denials(a);
    let report = review::review(&then, &now, &portfolio.review, &input);
    let layout: fn(&review::ReviewReport) -> yieldplan::report::Document =
        if a.out.format == Format::Csv {
            review_records_document
        } else {
            review_document
        };
    let text = crate::cli::terminal::render(a.out.format, a.out.output.as_deref(), &report, layout);
    emit(a.out.output.as_deref(), &text)?;
    Ok(if report.passed {
        Outcome::Success
    } else {
        Outcome::CheckFailed
    })
}

/// Warns of a denied flag the run cannot raise: `drift` without
/// `--holdings`, `income-below` without `--income`.
fn warn_unreachable_denials(a: &ReviewArgs) {
    let named = |f: Flag| {
        a.deny
            .iter()
            .any(|d| matches!(d, Denied::Some(v) if v.contains(&f)))
    };
    for (flag, option, given) in [
        (Flag::Drift, "--holdings", a.holdings.is_some()),
        (Flag::IncomeBelow, "--income", a.income.is_some()),
    ] {
        if named(flag) && !given {
            crate::cli::files::print_error(&format!(
                "warning: --deny {flag} can never fail this run: {flag} is only raised with {option}"
            ));
        }
    }
}

/// The latest date it is anywhere now (see [`review::income::Date::today`]):
/// income received after it is refused.
fn today() -> review::income::Date {
    review::income::Date::today()
}

/// A file's text, or why it cannot be read as UTF-8 text.
fn utf8(path: &Path, what: &'static str) -> Result<String> {
    let bytes = read_limited(path, what)?;
    Ok(yieldplan::error::utf8_text(path, &bytes, what)?.to_string())
}

/// The risk tiers a snapshot's position may name: the rate book's (a
/// `--rates` file may add some) and the built-in book's.
fn known_tiers(book: &RateBook) -> BTreeSet<String> {
    book.risk_tiers
        .keys()
        .chain(RateBook::default_book().risk_tiers.keys())
        .cloned()
        .collect()
}

/// The snapshot's text and its reading without the profile check (which
/// needs the profile loaded, which needs the pools stood in first).
fn read_text_snapshot(path: &Path, tiers: &BTreeSet<String>) -> Result<(String, Snapshot)> {
    let text = utf8(path, "snapshot")?;
    let snapshot = review::read_snapshot(path, &text, None, Some(tiers))?;
    Ok((text, snapshot))
}

/// For each pool the snapshot's positions took their yield from that the
/// book now lacks, a stand-in at zero yield, so the profile still plans and
/// the review can say the pool is gone. Returns their ids.
fn stand_in_gone_pools(then: &Snapshot, book: &mut RateBook) -> BTreeSet<String> {
    let mut ids = BTreeSet::new();
    for p in &then.positions {
        let Some(id) = &p.pool() else { continue };
        if book.pools.contains_key(id) {
            continue;
        }
        let symbol = match (&p.asset, &p.pair) {
            (_, Some([a, b])) => format!("{a}-{b}"),
            (Some(a), None) => a.clone(),
            (None, None) => String::new(),
        };
        let zero = || BookRate(Decimal::ZERO);
        book.pools.insert(
            id.clone(),
            PoolEntry {
                project: p.protocol.clone().unwrap_or_default(),
                symbol,
                chain: p.chain.clone().unwrap_or_default(),
                low: zero(),
                mid: zero(),
                high: zero(),
                reward_share: zero(),
                stablecoin: false,
                il_risk: false,
                source: GONE.to_string(),
                tvl_usd: None,
                stand_in: true,
            },
        );
        book.skipped_pools.remove(id);
        ids.insert(id.clone());
    }
    ids
}

fn parse_denied(text: &str) -> Result<Denied, String> {
    if text == "all" {
        return Ok(Denied::All);
    }
    Flag::parse(text)
        .map(|f| Denied::Some(vec![f]))
        .ok_or_else(|| {
            let names = Flag::NAMES.join(", ");
            match yieldplan::error::nearest(text, Flag::NAMES) {
                Some(n) => format!(
                    "unknown flag \"{text}\"; did you mean \"{n}\"? (flags: {names}, or all)"
                ),
                None => format!("unknown flag \"{text}\" (flags: {names}, or all)"),
            }
        })
}

/// `--band`: percentage points from 0 to 100 ("5%" or 0.05).
fn parse_band(text: &str) -> Result<Decimal, String> {
    let x = parse_fraction(text)
        .map_err(|_| format!("--band \"{text}\" is not a number of points; write e.g. 5%"))?;
    let t = text.trim();
    if x > 1.0 && x <= 100.0 && !t.ends_with('%') {
        return Err(format!(
            "--band \"{text}\" is read as a fraction ({x} = {} points); did you mean \"{t}%\"?",
            x * 100.0
        ));
    }
    if !(0.0..=1.0).contains(&x) {
        return Err(format!(
            "--band \"{text}\" must be from 0% to 100%: points around each target weight, e.g. 5%"
        ));
    }
    let exact = match t.strip_suffix('%') {
        Some(p) => parse_decimal_text(p.trim()).map(|d| d / Decimal::ONE_HUNDRED),
        None => parse_decimal_text(t),
    };
    exact.ok_or_else(|| format!("\"{text}\" is not a number; write e.g. 5%"))
}

/// `--cash`: an amount of at least zero in whole cents.
fn parse_cash(text: &str) -> Result<Decimal, String> {
    crate::cli::args::parse_amount("--cash", text, "new money to invest", true)
}
