//! `review` as CSV: one record per figure, `section,position,field,value`,
//! so every part of the review (the verdict, the changes, the totals, the
//! warnings, drift, trades, income and every flag) reaches a spreadsheet or
//! a script under one header. The fields are the CSV keys of the review's
//! grids (see [`super::review`]) with their raw values. Formats only;
//! computes nothing.

use crate::engine::review::ReviewReport;
use crate::money::{Money, Rate};
use crate::report::cells::{raw_money, raw_rate, status_text};
use crate::report::document::{Cell, Column, Document, Grid, Section};

use super::review::{change_columns, drift_columns, income_columns, trade_columns};

/// One figure of the review.
pub(super) struct Record {
    section: &'static str,
    position: String,
    field: String,
    value: String,
}

/// A record with no position.
fn whole(section: &'static str, field: &str, value: impl Into<String>) -> Record {
    Record {
        section,
        position: String::new(),
        field: field.to_string(),
        value: value.into(),
    }
}

/// Every cell of `columns` over `items` as records of `section`: the
/// `position` key names the row's position; every other key is a field.
fn grid_records<T>(section: &'static str, columns: &[Column<T>], items: &[T]) -> Vec<Record> {
    let grid = Grid::build("", columns, items, None);
    let mut records = Vec::new();
    for row in &grid.rows {
        let pairs: Vec<(&str, &str)> = grid
            .headers
            .iter()
            .zip(row)
            .flat_map(|(h, c)| h.keys.iter().copied().zip(c.raw.iter().map(String::as_str)))
            .collect();
        let position = pairs
            .iter()
            .find(|(k, _)| *k == "position")
            .map_or("", |(_, v)| *v);
        records.extend(
            pairs
                .iter()
                .filter(|(k, _)| *k != "position")
                .map(|(k, v)| Record {
                    section,
                    position: position.to_string(),
                    field: (*k).to_string(),
                    value: (*v).to_string(),
                }),
        );
    }
    records
}

/// The verdict, the totals and the warnings.
fn summary_records(r: &ReviewReport) -> Vec<Record> {
    let names = |flags: &[crate::engine::review::Flag]| {
        flags.iter().map(|f| f.name()).collect::<Vec<_>>().join(" ")
    };
    let mut out = vec![
        whole("verdict", "passed", r.passed.to_string()),
        whole("verdict", "flags_raised", r.flags.len().to_string()),
        whole("verdict", "denied", names(&r.denied)),
    ];
    let t = &r.totals;
    let rate = |x: Option<Rate>| x.map_or_else(String::new, raw_rate);
    let money = |m: Money| raw_money(m);
    for (when, apy, income) in [
        ("then", t.apy_then, t.annual_income_then),
        ("now", t.apy_now, t.annual_income_now),
    ] {
        for (level, a, i) in [
            ("low", apy.low, income.low),
            ("mid", apy.mid, income.mid),
            ("high", apy.high, income.high),
        ] {
            out.push(whole("totals", &format!("apy_{when}_{level}"), raw_rate(a)));
            out.push(whole(
                "totals",
                &format!("annual_income_{when}_{level}"),
                money(i),
            ));
        }
    }
    out.push(whole(
        "totals",
        "required_yield_then",
        rate(t.required_yield_then),
    ));
    out.push(whole(
        "totals",
        "required_yield_now",
        rate(t.required_yield_now),
    ));
    out.push(whole("totals", "status_then", status_text(t.status_then)));
    out.push(whole("totals", "status_now", status_text(t.status_now)));
    for (section, list) in [
        ("warning_appeared", &r.warnings.appeared),
        ("warning_resolved", &r.warnings.resolved),
    ] {
        out.extend(list.iter().map(|w| Record {
            section,
            position: w.position.clone().unwrap_or_default(),
            field: w.lint.clone(),
            value: w.message.clone(),
        }));
    }
    out
}

/// Every record of the review, in the order of the other formats: the
/// verdict first, the flags last.
fn records(r: &ReviewReport) -> Vec<Record> {
    let currency = r.portfolio.currency.as_str();
    let mut out = summary_records(r);
    out.extend(grid_records(
        "position",
        &change_columns(currency),
        &r.positions,
    ));
    if let Some(d) = &r.drift {
        out.push(whole("drift", "band", raw_rate(d.band)));
        out.push(whole("drift", "cash", raw_money(d.cash)));
        out.push(whole("drift", "buy_only", d.buy_only.to_string()));
        out.push(whole("drift", "held", raw_money(d.held)));
        out.push(whole("drift", "total", raw_money(d.total)));
        out.extend(grid_records(
            "drift",
            &drift_columns(currency),
            &d.positions,
        ));
        out.extend(grid_records("trade", &trade_columns(currency), &d.trades));
    }
    if let Some(i) = &r.income {
        out.push(whole("income", "from", i.from.to_string()));
        out.push(whole("income", "to", i.to.to_string()));
        out.push(whole("income", "months", i.months.to_string()));
        out.push(whole("income", "received", raw_money(i.received)));
        out.extend(grid_records(
            "income",
            &income_columns(currency),
            &i.positions,
        ));
    }
    out.extend(r.flags.iter().map(|f| Record {
        section: if r.denied.contains(&f.flag) {
            "flag_denied"
        } else {
            "flag"
        },
        position: f.position.clone().unwrap_or_default(),
        field: f.flag.name().to_string(),
        value: f.message.clone(),
    }));
    out
}

/// Lays out a review as one grid of records (`section,position,field,value`),
/// what its CSV writes.
#[must_use]
pub fn review_records_document(r: &ReviewReport) -> Document {
    let columns: Vec<Column<Record>> = vec![
        Column::new("Section", &["section"], false, |x: &Record| {
            Cell::plain(x.section)
        }),
        Column::new("Position", &["position"], false, |x: &Record| {
            Cell::plain(&x.position)
        }),
        Column::new("Field", &["field"], false, |x: &Record| {
            Cell::plain(&x.field)
        }),
        Column::new("Value", &["value"], false, |x: &Record| {
            Cell::plain(&x.value)
        }),
    ];
    Document {
        title: format!("Review of {} ({})", r.profile.name, r.profile.path),
        lines: Vec::new(),
        sections: vec![Section::Grid(Grid::build(
            "Review",
            &columns,
            &records(r),
            None,
        ))],
    }
}
