//! The layout of `yieldplan rates`: the effective rate book, asset by asset,
//! then the class bands, staking routes, risk tiers, protocols, index
//! templates and every figure's source. Rates are fractions shown as
//! percents. Formats only: an asset's lending band by class and a tier's
//! expected loss are the rate book's answers.

use crate::model::Band;
use crate::money::format_rate;
use crate::rates::{AssetEntry, BandEntry, PoolEntry, RateBook};
use crate::report::cells::{band_cell, missing_cell, optional_band_cell, rate_cell};
use crate::report::document::{Cell, Column, Document, Grid, Section};

/// An asset of the book under its symbol.
type AssetRow = (String, AssetEntry);

/// One row of the class-bands grid.
struct BandRow {
    /// "lending", "liquidity fee APR" or "farming".
    kind: String,
    /// The asset class, pair class or farming description.
    class: String,
    /// The yearly yield band (fractions).
    band: Band,
    /// Where the band comes from.
    source: String,
}

/// The asset with its effective lending band: its own or, failing that, the
/// book's band for its class.
fn with_class_lending(book: &RateBook, asset: &AssetEntry) -> AssetEntry {
    let mut asset = asset.clone();
    if asset.lending.is_none() {
        asset.lending = book.class_lending_band(asset.class).cloned();
    }
    asset
}

/// The columns of the assets grid.
fn asset_columns() -> Vec<Column<AssetRow>> {
    vec![
        Column::new("Asset", &["asset"], false, |a: &AssetRow| Cell::plain(&a.0)),
        Column::new("Name", &["name"], false, |a: &AssetRow| {
            Cell::plain(&a.1.name)
        }),
        Column::new("Class", &["class"], false, |a: &AssetRow| {
            Cell::plain(a.1.class.name())
        }),
        Column::new(
            "Staking low / mid / high",
            &["staking_low", "staking_mid", "staking_high"],
            true,
            |a: &AssetRow| optional_band_cell(a.1.staking.as_ref().map(BandEntry::band)),
        ),
        Column::new(
            "Lending low / mid / high",
            &["lending_low", "lending_mid", "lending_high"],
            true,
            |a: &AssetRow| optional_band_cell(a.1.lending.as_ref().map(BandEntry::band)),
        ),
        Column::new("Supply inflation", &["inflation"], true, |a: &AssetRow| {
            a.1.inflation
                .as_ref()
                .map_or(missing_cell(1), |f| rate_cell(f.value.rate()))
        }),
        Column::new("Volatility", &["volatility"], true, |a: &AssetRow| {
            a.1.volatility
                .as_ref()
                .map_or(missing_cell(1), |f| rate_cell(f.value.rate()))
        }),
        Column::new(
            "Unbonding days",
            &["unbonding_days"],
            true,
            |a: &AssetRow| {
                Cell::plain(
                    a.1.unbonding_days
                        .as_ref()
                        .map_or("-".to_string(), |d| d.value.to_string()),
                )
            },
        ),
    ]
}

/// The lending, liquidity and farming bands, in that order.
fn band_rows(book: &RateBook) -> Vec<BandRow> {
    let lending = book.lending.iter().map(|(k, b)| BandRow {
        kind: "lending".to_string(),
        class: k.clone(),
        band: b.band(),
        source: b.source.clone(),
    });
    let liquidity = book.liquidity.iter().map(|(k, b)| BandRow {
        kind: "liquidity fee APR".to_string(),
        class: k.clone(),
        band: b.band(),
        source: b.source.clone(),
    });
    let farming = book.farming.iter().map(|f| BandRow {
        kind: "farming".to_string(),
        class: format!("all (reward share {})", format_rate(f.reward_share.rate())),
        band: f.band(),
        source: f.source.clone(),
    });
    lending.chain(liquidity).chain(farming).collect()
}

/// The columns of the class-bands grid.
fn band_columns() -> Vec<Column<BandRow>> {
    vec![
        Column::new("Kind", &["kind"], false, |c: &BandRow| Cell::plain(&c.kind)),
        Column::new("Class", &["class"], false, |c: &BandRow| {
            Cell::plain(&c.class)
        }),
        Column::new(
            "low / mid / high",
            &["low", "mid", "high"],
            true,
            |c: &BandRow| band_cell(c.band),
        ),
        Column::new("Source", &["source"], false, |c: &BandRow| {
            Cell::plain(&c.source)
        }),
    ]
}

/// Each staking route with its provider fee (a share of rewards) and source.
fn staking_route_section(book: &RateBook) -> Section {
    Section::Fields {
        raws: Vec::new(),
        title: "Staking routes (provider fee on rewards)".into(),
        rows: book
            .staking_methods
            .iter()
            .map(|(m, e)| {
                (
                    m.clone(),
                    format!("{} ({})", format_rate(e.fee.rate()), e.source),
                )
            })
            .collect(),
    }
}

/// Each risk tier: yearly loss probability x loss given the event = expected loss.
fn risk_tier_section(book: &RateBook) -> Section {
    Section::Fields {
        raws: Vec::new(),
        title:
            "Protocol risk tiers (yearly loss probability x loss given the event = expected loss)"
                .into(),
        rows: book
            .risk_tiers
            .iter()
            .map(|(t, e)| {
                (
                    t.clone(),
                    format!(
                        "{} x {} = {} ({})",
                        format_rate(e.loss_probability.rate()),
                        format_rate(e.loss_given_event.rate()),
                        format_rate(e.expected_loss()),
                        e.source
                    ),
                )
            })
            .collect(),
    }
}

/// Each protocol with its name, tier and source.
fn protocol_section(book: &RateBook) -> Section {
    Section::Fields {
        raws: Vec::new(),
        title: "Protocols".into(),
        rows: book
            .protocols
            .iter()
            .map(|(id, e)| (id.clone(), format!("{}: {} ({})", e.name, e.tier, e.source)))
            .collect(),
    }
}

/// Each index template on one line: its weighted components and source.
fn index_notes(book: &RateBook) -> Vec<String> {
    book.index
        .iter()
        .map(|(id, t)| {
            let parts: Vec<String> = t
                .components
                .iter()
                .map(|c| {
                    let what = c
                        .name
                        .clone()
                        .or_else(|| c.asset.clone())
                        .or_else(|| c.pair.as_ref().map(|[a, b]| format!("{a}/{b}")))
                        .unwrap_or_default();
                    format!("{} {} {}", format_rate(c.weight.rate()), c.strategy, what)
                })
                .collect();
            format!(
                "{id} ({}): {}. Source: {}",
                t.name,
                parts.join(", "),
                t.source
            )
        })
        .collect()
}

/// The source of every figure the book holds for each asset.
fn source_notes(book: &RateBook) -> Vec<String> {
    let mut sources = Vec::new();
    for (symbol, a) in &book.assets {
        let figures = [
            ("staking", a.staking.as_ref().map(|b| &b.source)),
            ("lending", a.lending.as_ref().map(|b| &b.source)),
            ("inflation", a.inflation.as_ref().map(|f| &f.source)),
            ("volatility", a.volatility.as_ref().map(|f| &f.source)),
            ("unbonding", a.unbonding_days.as_ref().map(|d| &d.source)),
        ];
        for (what, src) in figures {
            if let Some(src) = src {
                sources.push(format!("{symbol} {what}: {src}"));
            }
        }
    }
    sources
}

/// A pool of the book under its id.
type PoolRow = (String, PoolEntry);

/// "yes" or "no".
fn yes_no(b: bool) -> Cell {
    Cell::plain(if b { "yes" } else { "no" })
}

/// The columns of the pools grid.
fn pool_columns() -> Vec<Column<PoolRow>> {
    vec![
        Column::new("Pool", &["pool"], false, |p: &PoolRow| Cell::plain(&p.0)),
        Column::new("Project", &["project"], false, |p: &PoolRow| {
            Cell::plain(&p.1.project)
        }),
        Column::new("Chain", &["chain"], false, |p: &PoolRow| {
            Cell::plain(&p.1.chain)
        }),
        Column::new("Symbol", &["symbol"], false, |p: &PoolRow| {
            Cell::plain(&p.1.symbol)
        }),
        Column::new(
            "APY low / mid / high",
            &["apy_low", "apy_mid", "apy_high"],
            true,
            |p: &PoolRow| band_cell(p.1.band()),
        ),
        Column::new("Reward share", &["reward_share"], true, |p: &PoolRow| {
            rate_cell(p.1.reward_share.rate())
        }),
        Column::new("Stablecoin", &["stablecoin"], false, |p: &PoolRow| {
            yes_no(p.1.stablecoin)
        }),
        Column::new("IL risk", &["il_risk"], false, |p: &PoolRow| {
            yes_no(p.1.il_risk)
        }),
        Column::new("Source", &["source"], false, |p: &PoolRow| {
            Cell::plain(&p.1.source)
        }),
    ]
}

/// Lays out the effective rate book for `yieldplan rates`. A book that holds
/// pools (from `--pools` or an imported file) lists them first: they are what
/// such a book was extended with, and the grid CSV writes.
#[must_use]
pub fn rates_document(book: &RateBook) -> Document {
    let assets: Vec<AssetRow> = book
        .assets
        .iter()
        .map(|(k, v)| (k.clone(), with_class_lending(book, v)))
        .collect();
    let pools: Vec<PoolRow> = book
        .pools
        .iter()
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    let mut sections = Vec::new();
    if !pools.is_empty() {
        sections.push(Section::Grid(Grid::build(
            "Pools (for positions with a pool_id)",
            &pool_columns(),
            &pools,
            None,
        )));
    }
    sections.extend(book_sections(book, &assets));
    Document {
        title: "Rate book".into(),
        lines: vec![format!(
            "as of {}",
            book.as_of.as_deref().unwrap_or("(no date)")
        )],
        sections,
    }
}

/// The sections every book has: assets, bands, routes, tiers, protocols,
/// index templates and sources.
fn book_sections(book: &RateBook, assets: &[AssetRow]) -> Vec<Section> {
    vec![
        Section::Grid(Grid::build("Assets", &asset_columns(), assets, None)),
        Section::Grid(Grid::build(
            "Lending, liquidity and farming bands",
            &band_columns(),
            &band_rows(book),
            None,
        )),
        staking_route_section(book),
        risk_tier_section(book),
        protocol_section(book),
        Section::Notes {
            title: "Index templates".into(),
            items: index_notes(book),
        },
        Section::Notes {
            title: "Sources".into(),
            items: source_notes(book),
        },
    ]
}
