//! The layout of `check`: one row per profile with its goal status and
//! whether it passed, then every warning. Formats only; computes nothing.

use crate::engine::check::{CheckReport, Verdict};
use crate::report::cells::{optional_rate_cell, status_text, warning_text};
use crate::report::document::{Cell, Column, Document, Grid, Section};

/// The columns of the profiles grid; the simulated chance of paying the
/// goal when `--min-success` ran the simulation (`success`).
fn verdict_columns(success: bool) -> Vec<Column<Verdict>> {
    let mut columns = vec![
        Column::new("Profile", &["profile"], false, |v: &Verdict| {
            Cell::plain(if v.profile.name.is_empty() {
                v.profile.path.clone()
            } else {
                v.profile.name.clone()
            })
        }),
        Column::new("Path", &["path"], false, |v: &Verdict| {
            Cell::plain(&v.profile.path)
        }),
        Column::new("Status", &["status"], false, |v: &Verdict| {
            Cell::plain(status_text(v.status))
        }),
        Column::new("Warnings", &["warnings"], true, |v: &Verdict| {
            Cell::plain(v.warnings.len().to_string())
        }),
    ];
    if success {
        columns.push(Column::new(
            "Success",
            &["success_probability"],
            true,
            |v: &Verdict| optional_rate_cell(v.success_probability),
        ));
    }
    columns.extend([
        Column::new("Result", &["result"], false, |v: &Verdict| {
            Cell::plain(if v.error.is_some() {
                "ERROR"
            } else if v.passed {
                "PASS"
            } else {
                "FAIL"
            })
        })
        .essential(),
        Column::new("Why", &["why"], false, |v: &Verdict| {
            Cell::plain(v.failures.join("; "))
        })
        .essential(),
    ]);
    columns
}

/// Every warning of every profile, each prefixed with the profile's path
/// ("none" when there are none).
fn warning_notes(r: &CheckReport) -> Vec<String> {
    let notes: Vec<String> = r
        .profiles
        .iter()
        .flat_map(|v| {
            v.warnings
                .iter()
                .map(|w| format!("{}: {}", v.profile.path, warning_text(w)))
        })
        .collect();
    if notes.is_empty() {
        vec!["none".into()]
    } else {
        notes
    }
}

/// Lays out the verdicts of `check`.
#[must_use]
pub fn check_document(r: &CheckReport) -> Document {
    let failed = r.profiles.iter().filter(|v| !v.passed).count();
    Document {
        title: "Check".into(),
        lines: vec![format!(
            "{} of {} profiles passed (required status: {} or better)",
            r.profiles.len() - failed,
            r.profiles.len(),
            r.require.name()
        )],
        sections: vec![
            Section::Grid(Grid::build(
                "Profiles",
                &verdict_columns(
                    r.simulated || r.profiles.iter().any(|v| v.success_probability.is_some()),
                ),
                &r.profiles,
                None,
            )),
            Section::Notes {
                title: "Warnings".into(),
                items: warning_notes(r),
            },
        ],
    }
}
