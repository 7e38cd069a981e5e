//! The profile file: TOML in, a typed mirror of it out.
//!
//! This module reads the bytes of a profile, parses the TOML keeping every
//! span, and converts it into a [`ProfileSpec`]: the same shape as the file,
//! with percent strings turned into fractions and every field typed. It checks
//! what can be checked from the file alone (types, unknown keys, ranges, bare
//! numbers meant as percents) and reports *all* such problems in one go. It
//! knows nothing of rate books or the engine: resolving assets, weights and
//! rates is `resolve`'s job. It does no I/O: callers hand it the file's bytes.
//!
//! Where things are: the entry points ([`read_profile`], [`read_spec`]) are
//! here; `spec` holds the result types; `syntax` words TOML syntax errors;
//! `reader` collects problems; `keys` lists each table's valid keys; `values`
//! converts single values; `sections` and `positions` walk the file's tables.
//!
//! A problem is reported once, where it starts: a misspelt key that looks like
//! a required one (`valeu`) is reported as the misspelling, not also as the
//! required key being missing.

#[cfg(test)]
mod file_schema;
mod keys;
mod optimize;
#[cfg(test)]
mod optimize_schema;
mod positions;
mod reader;
mod rewrite;
#[cfg(test)]
mod schema_values;
mod sections;
mod spec;
mod syntax;
mod values;

#[cfg(test)]
mod tests;

use std::path::Path;

use toml::de::DeTable;

use crate::error::{Diagnostic, Diagnostics};

pub use rewrite::{NewPosition, RewriteError, rewrite_weights, with_layout_of};
pub use spec::{
    AllocationSpec, AssetSpec, AssumptionsSpec, BandSpec, GoalSpec, LayerSpec, LintsSpec,
    OptimizeSpec, Period, PortfolioSpec, PositionSpec, ProfileSpec, RangeSpec, ReviewSpec,
    ScenarioSpec, Sp, Span, TierSpec,
};

/// Where the committed JSON Schema of a profile file lives, relative to the
/// crate's root (the `#:schema` directive of the shipped profiles names it).
pub const SCHEMA_FILE: &str = "schema/profile.schema.json";

/// The JSON Schema (draft 7, which editors' TOML tools read) of a profile
/// file, as pretty-printed JSON ending in a line break: the committed copy
/// ([`SCHEMA_FILE`]), which a test regenerates from the file's shape (doc
/// comments as descriptions, with units) and compares, so it cannot drift.
#[must_use]
pub fn profile_schema() -> String {
    include_str!("../../schema/profile.schema.json").to_string()
}

/// The most `[[position]]` tables a profile may have: what a plan keeps per
/// position (its report, tables and checks) takes about 10 KB, so 100,000
/// positions peak near 1 GB in a table report.
pub const MAX_POSITIONS: usize = 100_000;

/// The most entries of any other list or table of named entries in a
/// profile (`[assets]`, `[protocols]`, `[[scenario]]`, ...).
pub const MAX_ENTRIES: usize = 10_000;

/// Largest profile accepted, in bytes.
pub const MAX_PROFILE_BYTES: usize = 64 * 1024 * 1024;

/// What a profile needs at least, for messages about an empty one.
const EMPTY_HELP: &str = "a profile needs at least [portfolio] with `value` and one [[position]]; \
                          see profiles/ for examples";

/// Reads and checks a profile file.
///
/// # Errors
///
/// Every problem found, when there is at least one: the file's size or
/// encoding, its TOML syntax, or what it says.
pub fn load_profile_text(path: &Path, bytes: &[u8]) -> Result<(String, ProfileSpec), Diagnostics> {
    let (text, spec, problems) = read_profile(path, bytes)?;
    if problems.is_empty() {
        Ok((text, spec))
    } else {
        Err(Diagnostics::new(path, &text, "profile", problems))
    }
}

/// Reads a profile file as far as it can be read. A file that cannot be read
/// as TOML is an error; otherwise the spec comes back with the problems found
/// in it (its broken positions marked), so later checks can add theirs.
///
/// # Errors
///
/// A file too large, not UTF-8, empty, or not valid TOML: the problems found.
pub fn read_profile(
    path: &Path,
    bytes: &[u8],
) -> Result<(String, ProfileSpec, Vec<Diagnostic>), Diagnostics> {
    let fail = |source: &str, d: Diagnostic| Diagnostics::new(path, source, "profile", vec![d]);
    if bytes.len() > MAX_PROFILE_BYTES {
        return Err(fail(
            "",
            Diagnostic::new(
                None,
                format!(
                    "the file is {} bytes, more than the {} MiB a profile may have",
                    bytes.len(),
                    MAX_PROFILE_BYTES / (1024 * 1024)
                ),
            )
            .with_help("split the portfolio into several profiles"),
        ));
    }
    let text = crate::error::utf8_text(path, bytes, "profile")?;
    if text.trim().is_empty() {
        return Err(fail(
            text,
            Diagnostic::new(None, "the profile is empty").with_help(EMPTY_HELP),
        ));
    }
    let (spec, problems) =
        read_spec_lenient(text).map_err(|items| Diagnostics::new(path, text, "profile", items))?;
    Ok((text.to_string(), spec, problems))
}

/// Parses profile text into a spec.
///
/// # Errors
///
/// Every problem found: syntax errors alone if the text is not valid TOML,
/// otherwise every problem in what it says.
pub fn read_spec(text: &str) -> Result<ProfileSpec, Vec<Diagnostic>> {
    let (spec, problems) = read_spec_lenient(text)?;
    if problems.is_empty() {
        Ok(spec)
    } else {
        Err(problems)
    }
}

/// Like [`read_spec`], but a file that parses as TOML comes back as a spec
/// with its problems (broken positions marked), so checks that need the rate
/// book can still run on the rest.
///
/// # Errors
///
/// Syntax errors, the only hard failure (what a broken file seems to say is
/// not worth checking), and a file of only comments and blank lines.
pub fn read_spec_lenient(text: &str) -> Result<(ProfileSpec, Vec<Diagnostic>), Vec<Diagnostic>> {
    if let Some(d) = crate::toml_budget::over_budget(text, "profile")
        .or_else(|| crate::toml_budget::lone_carriage_return(text, "profile"))
    {
        return Err(vec![d]);
    }
    let (root, errors) = DeTable::parse_recoverable(text);
    if !errors.is_empty() {
        return Err(syntax::syntax_errors(text, &errors));
    }
    if root.get_ref().is_empty() {
        return Err(vec![
            Diagnostic::new(None, "the profile has only comments and blank lines")
                .with_help(EMPTY_HELP),
        ]);
    }
    let mut r = reader::Reader::default();
    let spec = r.profile(root.get_ref());
    sort_by_place(&mut r.diags);
    Ok((spec, r.diags))
}

/// File order; problems of the whole file (no span) first.
pub fn sort_by_place(diags: &mut [Diagnostic]) {
    diags.sort_by_key(|d| d.span.as_ref().map(|s| s.start));
}
