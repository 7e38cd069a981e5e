//! The layout of `review`: what changed since the snapshot, position by
//! position and in total, the flags raised, then drift and trades (with
//! `--holdings`) and income received (with `--income`). Formats only;
//! computes nothing.

use crate::engine::review::income::IncomeRow;
use crate::engine::review::{
    Drift, DriftRow, IncomeReview, PositionChange, ReviewReport, Trade, WarningOut,
};
use crate::money::{Money, Rate, format_money, format_rate};
use crate::report::cells::{
    band_cell, missing_cell, money_band_text, money_cell, optional_band_cell, rate_cell, raw_money,
    raw_rate, status_text, yes_no_cell,
};
use crate::report::document::{Cell, Column, Document, Grid, Section};

/// "then -> now" of two optional rates, "-" for a missing side; CSV gets both.
fn rates_cell(a: Option<Rate>, b: Option<Rate>) -> Cell {
    let text = |r: Option<Rate>| r.map_or_else(|| "-".to_string(), format_rate);
    let raw = |r: Option<Rate>| r.map_or_else(String::new, raw_rate);
    Cell::new(format!("{} -> {}", text(a), text(b)), vec![raw(a), raw(b)])
}

/// "then -> now" of two optional texts.
fn texts_cell(a: Option<&str>, b: Option<&str>) -> Cell {
    Cell::new(
        format!("{} -> {}", a.unwrap_or("-"), b.unwrap_or("-")),
        vec![a.unwrap_or("").to_string(), b.unwrap_or("").to_string()],
    )
}

/// "then -> now" of two optional amounts in `currency`.
fn amounts_cell(a: Option<Money>, b: Option<Money>, currency: &str) -> Cell {
    let text = |m: Option<Money>| m.map_or_else(|| "-".to_string(), |m| format_money(m, currency));
    let raw = |m: Option<Money>| m.map_or_else(String::new, raw_money);
    Cell::new(format!("{} -> {}", text(a), text(b)), vec![raw(a), raw(b)])
}

/// The columns of the positions grid; amounts in `currency`.
pub(super) fn change_columns(currency: &str) -> Vec<Column<PositionChange>> {
    let c1 = currency.to_string();
    vec![
        Column::new("Position", &["position"], false, |c: &PositionChange| {
            Cell::plain(&c.name)
        }),
        Column::new("Change", &["presence"], false, |c: &PositionChange| {
            Cell::plain(match c.presence {
                crate::engine::review::changes::Presence::Kept => "kept",
                crate::engine::review::changes::Presence::Added => "added",
                crate::engine::review::changes::Presence::Removed => "removed",
            })
        }),
        Column::new(
            "APY then",
            &["apy_then_low", "apy_then_mid", "apy_then_high"],
            true,
            |c: &PositionChange| optional_band_cell(c.apy_then),
        )
        .detail(),
        Column::new(
            "APY now",
            &["apy_now_low", "apy_now_mid", "apy_now_high"],
            true,
            |c: &PositionChange| optional_band_cell(c.apy_now),
        )
        .detail(),
        // What a narrow table keeps of the bands above: the mid, then -> now.
        Column::new(
            "Mid APY",
            &["apy_mid_change"],
            true,
            |c: &PositionChange| {
                let mut cell = rates_cell(c.apy_then.map(|b| b.mid), c.apy_now.map(|b| b.mid));
                cell.raw = vec![match (c.apy_then, c.apy_now) {
                    (Some(a), Some(b)) => raw_rate(Rate(b.mid.0 - a.mid.0)),
                    _ => String::new(),
                }];
                cell
            },
        ),
        Column::new(
            "Rewards",
            &["reward_share_then", "reward_share_now"],
            true,
            |c: &PositionChange| rates_cell(c.reward_share_then, c.reward_share_now),
        )
        .detail(),
        Column::new(
            "Exp. IL",
            &["expected_il_then", "expected_il_now"],
            true,
            |c: &PositionChange| {
                if c.expected_il_then.is_none() && c.expected_il_now.is_none() {
                    missing_cell(2)
                } else {
                    rates_cell(c.expected_il_then, c.expected_il_now)
                }
            },
        )
        .detail(),
        Column::new(
            "Risk tier",
            &["tier_then", "tier_now"],
            false,
            |c: &PositionChange| texts_cell(c.tier_then.as_deref(), c.tier_now.as_deref()),
        )
        .detail(),
        Column::new(
            "Pool TVL (USD)",
            &["pool_id", "tvl_then", "tvl_now", "tvl_change"],
            true,
            |c: &PositionChange| {
                let mut cell = if c.pool_gone {
                    Cell::plain("gone")
                } else if c.tvl_then.is_none() && c.tvl_now.is_none() {
                    missing_cell(1)
                } else {
                    let mut cell = amounts_cell(c.tvl_then, c.tvl_now, "USD");
                    if let Some(ch) = c.tvl_change {
                        cell.text = format!("{} ({})", cell.text, format_rate(ch));
                    }
                    cell
                };
                let raw = |m: Option<Money>| m.map_or_else(String::new, raw_money);
                cell.raw = vec![
                    c.pool_id.clone().unwrap_or_default(),
                    raw(c.tvl_then),
                    raw(c.tvl_now),
                    c.tvl_change.map_or_else(String::new, raw_rate),
                ];
                cell
            },
        )
        .detail(),
        Column::new(
            "Income / yr (mid)",
            &["income_mid_then", "income_mid_now"],
            true,
            move |c: &PositionChange| {
                amounts_cell(
                    c.annual_income_then.map(|b| b.mid.settle()),
                    c.annual_income_now.map(|b| b.mid.settle()),
                    &c1,
                )
            },
        )
        .detail(),
        Column::new("Flags", &["flags"], false, |c: &PositionChange| {
            let names: Vec<&str> = c.flags.iter().map(|f| f.name()).collect();
            Cell::plain(names.join(" "))
        }),
    ]
}

/// The totals, then and now.
fn totals_rows(r: &ReviewReport) -> Vec<(String, String)> {
    let t = &r.totals;
    let c = &r.portfolio.currency;
    let mut rows = vec![
        (
            "Blended APY".into(),
            format!(
                "{} -> {}",
                band_cell(t.apy_then).text,
                band_cell(t.apy_now).text
            ),
        ),
        (
            "Annual income".into(),
            format!(
                "{} -> {}",
                money_band_text(t.annual_income_then.map(Money::settle), c),
                money_band_text(t.annual_income_now.map(Money::settle), c)
            ),
        ),
    ];
    if t.status_then.is_some() || t.status_now.is_some() {
        let rate = |x: Option<Rate>| x.map_or_else(|| "-".to_string(), format_rate);
        rows.push((
            "Required yield".into(),
            format!(
                "{} -> {}",
                rate(t.required_yield_then),
                rate(t.required_yield_now)
            ),
        ));
        rows.push((
            "Goal status".into(),
            format!(
                "{} -> {}",
                status_text(t.status_then),
                status_text(t.status_now)
            ),
        ));
    }
    rows
}

/// One warning on a line.
fn warning_line(w: &WarningOut) -> String {
    format!("{}: {}", w.lint, w.message)
}

/// The columns of the drift grid; amounts in `currency`.
pub(super) fn drift_columns(currency: &str) -> Vec<Column<DriftRow>> {
    let (c1, c2, c3, c4) = (
        currency.to_string(),
        currency.to_string(),
        currency.to_string(),
        currency.to_string(),
    );
    vec![
        Column::new("Position", &["position"], false, |d: &DriftRow| {
            Cell::plain(&d.position)
        }),
        Column::new("Held", &["held"], true, move |d: &DriftRow| {
            money_cell(d.held, &c1)
        })
        .detail(),
        Column::new("Weight", &["weight"], true, |d: &DriftRow| {
            rate_cell(d.weight)
        }),
        Column::new("Target", &["target_weight"], true, |d: &DriftRow| {
            rate_cell(d.target_weight)
        }),
        Column::new("Target amount", &["target"], true, move |d: &DriftRow| {
            money_cell(d.target, &c2)
        })
        .detail(),
        Column::new("Outside", &["outside"], false, |d: &DriftRow| {
            yes_no_cell(d.outside)
        }),
        Column::new("Trade", &["trade"], true, move |d: &DriftRow| {
            if d.trade.0.is_zero() {
                Cell::new("-", vec!["0".into()])
            } else {
                let sign = if d.trade.0.is_sign_positive() {
                    "buy "
                } else {
                    "sell "
                };
                Cell::new(
                    format!("{sign}{}", format_money(Money(d.trade.0.abs()), &c3)),
                    vec![raw_money(d.trade)],
                )
            }
        }),
        Column::new("After", &["after"], true, move |d: &DriftRow| {
            money_cell(d.after, &c4)
        })
        .detail(),
        Column::new("Weight after", &["weight_after"], true, |d: &DriftRow| {
            let mut cell = rate_cell(d.weight_after);
            if d.outside_after {
                cell.text.push_str(" (outside)");
            }
            cell
        })
        .detail(),
    ]
}

/// The columns of the trades grid.
pub(super) fn trade_columns(currency: &str) -> Vec<Column<Trade>> {
    let c = currency.to_string();
    vec![
        Column::new("Action", &["action"], false, |t: &Trade| {
            Cell::plain(t.action)
        }),
        Column::new("Position", &["position"], false, |t: &Trade| {
            Cell::plain(&t.position)
        }),
        Column::new("Amount", &["amount"], true, move |t: &Trade| {
            money_cell(t.amount, &c)
        }),
    ]
}

/// Why there is no trade: nothing held at all, every position inside its
/// band, or (buy-only with no new money to place) which stay outside.
fn no_trades(d: &Drift) -> String {
    let stay: Vec<&str> = d
        .positions
        .iter()
        .filter(|r| r.outside_after)
        .map(|r| r.position.as_str())
        .collect();
    if d.total.0.is_zero() {
        return "none: the holdings file holds nothing and no new money is given (--cash)".into();
    }
    if stay.is_empty() {
        return "none: every position is inside its band".into();
    }
    let why = if d.buy_only {
        "buy-only with no new money to place (give --cash, or leave out --buy-only to sell)"
    } else {
        "no trade can bring them inside"
    };
    format!(
        "none: {why}; {} {} outside {} band",
        stay.join(", "),
        if stay.len() == 1 { "stays" } else { "stay" },
        if stay.len() == 1 { "its" } else { "their" }
    )
}

/// "1 flag", "2 flags": a count and its noun.
fn counted(n: usize, noun: &str) -> String {
    format!("{n} {noun}{}", if n == 1 { "" } else { "s" })
}

/// The drift and trades sections.
fn drift_sections(d: &Drift, currency: &str) -> Vec<Section> {
    let band = format_rate(d.band);
    let title = format!(
        "Drift: held {} + new money {} = {} (band {} points{})",
        format_money(d.held, currency),
        format_money(d.cash, currency),
        format_money(d.total, currency),
        band.trim_end_matches('%'),
        if d.buy_only { ", buy only" } else { "" }
    );
    let mut sections = vec![Section::Grid(Grid::build(
        title,
        &drift_columns(currency),
        &d.positions,
        None,
    ))];
    if d.trades.is_empty() {
        sections.push(Section::Notes {
            title: "Trades".into(),
            items: vec![no_trades(d)],
        });
    } else {
        sections.push(Section::Grid(Grid::build(
            format!(
                "Trades ({}; buys less sells {})",
                d.trades.len(),
                format_money(d.net, currency)
            ),
            &trade_columns(currency),
            &d.trades,
            None,
        )));
    }
    sections
}

/// The columns of the income grid; amounts in `currency`.
pub(super) fn income_columns(currency: &str) -> Vec<Column<IncomeRow>> {
    let (c1, c2) = (currency.to_string(), currency.to_string());
    vec![
        Column::new("Position", &["position"], false, |i: &IncomeRow| {
            Cell::plain(&i.position)
        }),
        Column::new("Received", &["received"], true, move |i: &IncomeRow| {
            money_cell(i.received, &c1)
        }),
        Column::new(
            "Expected low / mid / high",
            &["expected_low", "expected_mid", "expected_high"],
            true,
            move |i: &IncomeRow| {
                let e = i.expected.map(Money::settle);
                Cell::new(
                    money_band_text(e, &c2),
                    vec![raw_money(e.low), raw_money(e.mid), raw_money(e.high)],
                )
            },
        )
        .detail(),
        Column::new("Below low", &["below_low"], false, |i: &IncomeRow| {
            yes_no_cell(i.below_low)
        }),
        Column::new(
            "Expected from",
            &["expected_from"],
            false,
            |i: &IncomeRow| Cell::plain(i.expected_from),
        )
        .detail(),
    ]
}

/// The income section.
fn income_section(i: &IncomeReview, currency: &str) -> Section {
    Section::Grid(Grid::build(
        format!(
            "Income received {} to {} ({}): {} against {} expected (mid)",
            i.from,
            i.to,
            counted(i.months as usize, "month"),
            format_money(i.received, currency),
            format_money(i.expected.mid.settle(), currency)
        ),
        &income_columns(currency),
        &i.positions,
        None,
    ))
}

/// Where the figures then and now come from.
fn source_rows(r: &ReviewReport) -> Vec<(String, String)> {
    let dated = |d: &Option<String>| {
        d.as_ref().map_or_else(
            || "rate book date not recorded".into(),
            |d| format!("rate book as of {d}"),
        )
    };
    let pools = |p: &[String]| {
        if p.is_empty() {
            String::new()
        } else {
            format!("; pools {}", p.join(", "))
        }
    };
    vec![
        (
            "Snapshot".into(),
            format!(
                "{} ({}{})",
                r.since.path,
                dated(&r.since.rate_book_as_of),
                pools(&r.since.pools_files)
            ),
        ),
        (
            "Now".into(),
            format!(
                "{}{}{}",
                dated(&r.now.rate_book_as_of),
                r.now
                    .rates_file
                    .as_ref()
                    .map_or_else(String::new, |f| format!(" ({f})")),
                pools(&r.now.pools_files)
            ),
        ),
    ]
}

/// The verdict under the title.
fn verdict_line(r: &ReviewReport) -> String {
    let denied: Vec<&str> = r.denied.iter().map(|f| f.name()).collect();
    if r.passed {
        format!(
            "{} raised; none denied: PASS",
            counted(r.flags.len(), "flag")
        )
    } else {
        format!(
            "{} raised; denied: {}: FAIL",
            counted(r.flags.len(), "flag"),
            denied.join(", ")
        )
    }
}

/// Lays out a review.
#[must_use]
pub fn review_document(r: &ReviewReport) -> Document {
    let currency = r.portfolio.currency.as_str();
    let mut sections = vec![
        Section::Fields {
            raws: Vec::new(),
            title: "Compared".into(),
            rows: source_rows(r),
        },
        Section::Grid(Grid::build(
            "Positions since the snapshot",
            &change_columns(currency),
            &r.positions,
            None,
        )),
        Section::Fields {
            raws: Vec::new(),
            title: "Totals (low / mid / high, then -> now)".into(),
            rows: totals_rows(r),
        },
    ];
    let or_none = |v: Vec<String>| {
        if v.is_empty() {
            vec!["none".to_string()]
        } else {
            v
        }
    };
    sections.push(Section::Notes {
        title: "Warnings that appeared".into(),
        items: or_none(r.warnings.appeared.iter().map(warning_line).collect()),
    });
    sections.push(Section::Notes {
        title: "Warnings resolved".into(),
        items: or_none(r.warnings.resolved.iter().map(warning_line).collect()),
    });
    if let Some(d) = &r.drift {
        sections.extend(drift_sections(d, currency));
    }
    if let Some(i) = &r.income {
        sections.push(income_section(i, currency));
    }
    sections.push(Section::Notes {
        title: "Flags".into(),
        items: or_none(
            r.flags
                .iter()
                .map(|f| {
                    let denied = if r.denied.contains(&f.flag) {
                        " (denied)"
                    } else {
                        ""
                    };
                    format!("flag[{}]{denied}: {}", f.flag, f.message)
                })
                .collect(),
        ),
    });
    Document {
        title: format!("Review of {} ({})", r.profile.name, r.profile.path),
        lines: vec![verdict_line(r)],
        sections,
    }
}
