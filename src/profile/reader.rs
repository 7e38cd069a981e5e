//! The reader's core: where problems are collected while a profile is walked.
//!
//! [`Reader`] holds every problem found so far and the bookkeeping that keeps
//! one mistake from being reported twice. This file only collects and shapes
//! problems and finds tables and keys; converting values lives in `values`,
//! walking the sections in `sections` and `positions`.

use std::fmt;

use toml::Spanned;
use toml::de::{DeTable, DeValue};

use super::Span;
use crate::error::Diagnostic;

/// A TOML value with its span.
pub(super) type Val<'i> = Spanned<DeValue<'i>>;

/// Walks a parsed profile, collecting every problem instead of stopping at the first.
#[derive(Default)]
pub(super) struct Reader {
    /// Problems found so far, in the order found.
    pub(super) diags: Vec<Diagnostic>,
    /// Keys found in a table they do not belong to.
    pub(super) misplaced: Vec<&'static str>,
    /// Required keys found absent, with the keys that would have satisfied
    /// them; reported at the end unless one of those keys was misplaced
    /// (then the misplacement is the problem, and it is already reported).
    pub(super) absent: Vec<(&'static [&'static str], Diagnostic)>,
}

/// The value of `key` in `table`, if written: a look-up in the table's
/// ordered map (keys are unique in TOML, and a spanned key orders as its text).
pub(super) fn get<'a, 'i>(table: &'a DeTable<'i>, key: &str) -> Option<&'a Val<'i>> {
    table.get(key)
}

/// "a" or "an", for a TOML type name.
fn article(type_name: &str) -> &'static str {
    match type_name {
        "integer" | "array" => "an",
        _ => "a",
    }
}

impl Reader {
    /// Records a problem at `span` with its fix.
    /// Refuses a list or table of `count` entries called `what` (`[[position]]
    /// tables`) when there are more than `most`, at `place` (an entry past
    /// the limit): what the plan keeps per entry would otherwise grow without
    /// bound. True when refused; the entries are then not read.
    pub(super) fn too_many(
        &mut self,
        what: &str,
        count: usize,
        most: usize,
        place: Option<Span>,
    ) -> bool {
        if count <= most {
            return false;
        }
        let shown = |n: usize| crate::money::group_thousands(rust_decimal::Decimal::from(n), 0);
        self.diags.push(
            Diagnostic::new(
                place,
                format!(
                    "the profile has {} {what}, more than the {} accepted; this one is past the limit",
                    shown(count),
                    shown(most)
                ),
            )
            .with_help("check that this is the right file, or split the portfolio into several profiles"),
        );
        true
    }

    pub(super) fn error(
        &mut self,
        span: Span,
        message: impl Into<String>,
        help: impl Into<String>,
    ) {
        self.diags
            .push(Diagnostic::at(span, message).with_help(help));
    }

    /// How many problems are recorded or pending, to tell whether a part of
    /// the file added any.
    pub(super) fn problem_count(&self) -> usize {
        self.diags.len() + self.absent.len()
    }

    /// A required key is absent; see [`Reader::absent`] (the field).
    pub(super) fn absent(
        &mut self,
        keys: &'static [&'static str],
        span: Span,
        message: impl Into<String>,
        help: impl Into<String>,
    ) {
        let d = Diagnostic::at(span, message).with_help(help);
        self.absent.push((keys, d));
    }

    /// Reports the absent keys that were not simply written in the wrong table.
    pub(super) fn settle_absent(&mut self) {
        for (keys, d) in std::mem::take(&mut self.absent) {
            if !keys.iter().any(|k| self.misplaced.contains(k)) {
                self.diags.push(d);
            }
        }
    }

    /// Reports `what` as having the wrong type: `expected` is what it must be.
    pub(super) fn wrong_type(
        &mut self,
        v: &Val<'_>,
        what: &(impl fmt::Display + ?Sized),
        expected: &str,
        help: &(impl fmt::Display + ?Sized),
    ) {
        let found = v.get_ref().type_str();
        self.error(
            v.span(),
            format!(
                "{what} must be {expected}, found {} {found}",
                article(found)
            ),
            help.to_string(),
        );
    }

    /// `v` as a table, or a reported problem with `help` as the fix.
    pub(super) fn table<'a, 'i>(
        &mut self,
        v: &'a Val<'i>,
        what: &(impl fmt::Display + ?Sized),
        help: &str,
    ) -> Option<&'a DeTable<'i>> {
        if let DeValue::Table(t) = v.get_ref() {
            Some(t)
        } else {
            self.wrong_type(v, what, "a table", help);
            None
        }
    }
}
