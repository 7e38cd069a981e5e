//! Walks the parsed TOML of a profile, converting each field and collecting
//! every problem with its span. Nothing here stops at the first error.
//!
//! A problem is reported once, where it starts: a misspelt key that looks like
//! a required one (`valeu`) is reported as the misspelling, not also as the
//! required key being missing.

use std::fmt;

use rust_decimal::Decimal;
use toml::Spanned;
use toml::de::{DeTable, DeValue};

use super::{
    AllocationSpec, AssetSpec, AssumptionsSpec, BandSpec, GoalSpec, LayerSpec, LintsSpec, Period,
    PortfolioSpec, PositionSpec, ProfileSpec, RangeSpec, ScenarioSpec, Sp, Span, TierSpec,
};
use crate::error::{Diagnostic, nearest, shorten};
use crate::model::{Method, PoolKind, Strategy};
use crate::money::{MAX_MONEY, MAX_RATE, group_thousands, parse_decimal_text, parse_percent};

type Val<'i> = Spanned<DeValue<'i>>;

type Keys = &'static [&'static str];

const TOP_KEYS: Keys = &[
    "name",
    "portfolio",
    "goal",
    "assumptions",
    "assets",
    "position",
    "lints",
    "risk_tiers",
    "protocols",
    "staking_methods",
    "scenario",
    "rates",
];
const RATES_KEYS: Keys = &["pools"];
const TIER_KEYS: Keys = &["loss_probability", "loss_given_event"];
const PROTOCOL_KEYS: Keys = &["tier"];
const METHOD_KEYS: Keys = &["fee"];
const SCENARIO_KEYS: Keys = &["name", "prices", "crypto", "yields", "fail", "slash"];
const LAYER_KEYS: Keys = &[
    "strategy",
    "asset",
    "protocol",
    "chain",
    "apy",
    "reward_apy",
    "risk_tier",
];
const PORTFOLIO_KEYS: Keys = &["value", "currency"];
const GOAL_KEYS: Keys = &[
    "monthly_income",
    "annual_income",
    "starts_in_years",
    "after_tax",
];
const ASSUMPTION_KEYS: Keys = &[
    "tax_rate",
    "inflation",
    "reinvest",
    "sustainable_yield",
    "emissions_haircut",
    "annual_contribution",
];
const ASSET_KEYS: Keys = &[
    "expected_return",
    "volatility",
    "inflation",
    "unbonding_days",
    "stablecoin",
    "staking_apy",
    "lending_apy",
];
const POSITION_KEYS: Keys = &[
    "name",
    "strategy",
    "asset",
    "pair",
    "index",
    "method",
    "protocol",
    "chain",
    "weight",
    "amount",
    "apy",
    "reward_apy",
    "fee_apr",
    "pool",
    "range",
    "weights",
    "amplification",
    "ratio_volatility",
    "correlation",
    "provider_fee",
    "risk_tier",
    "stack",
    "pool_id",
];
const BAND_KEYS: Keys = &["low", "mid", "high"];
const RANGE_KEYS: Keys = &["lower", "upper"];
const INCOME_KEYS: Keys = &["min", "max"];
const LINT_KEYS: Keys = &[
    "allow",
    "emissions_share",
    "protocol_concentration",
    "chain_concentration",
    "defi_share",
    "locked_share",
    "long_unbonding_days",
    "stack_depth",
    "stacked_loss_probability",
];

/// Where each key of the format lives, to point a key written in the wrong
/// table to its home. Position keys come last: `name` is a top-level key first.
const HOMES: &[(Keys, &str)] = &[
    (
        &["name"],
        "at the top of the file, before any [table] header",
    ),
    (PORTFOLIO_KEYS, "under [portfolio]"),
    (GOAL_KEYS, "under [goal]"),
    (ASSUMPTION_KEYS, "under [assumptions]"),
    (LINT_KEYS, "under [lints]"),
    (POSITION_KEYS, "in a [[position]]"),
];

/// Longest text accepted for a name, symbol or other string field.
const MAX_STRING_CHARS: usize = 200;

const EMPTY_HELP: &str = "a profile needs at least [portfolio] with `value` and one [[position]]; \
                          see profiles/ for examples";

/// A list of words shown as "a, b, c", joined only when printed.
struct OneOf<'a>(&'a [&'a str]);

impl fmt::Display for OneOf<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, w) in self.0.iter().enumerate() {
            if i > 0 {
                f.write_str(", ")?;
            }
            f.write_str(w)?;
        }
        Ok(())
    }
}

/// Parses profile text into a spec, or returns every problem found.
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
/// book can still run on the rest. Syntax errors are the only hard failure.
pub fn read_spec_lenient(text: &str) -> Result<(ProfileSpec, Vec<Diagnostic>), Vec<Diagnostic>> {
    let (root, errors) = DeTable::parse_recoverable(text);
    if !errors.is_empty() {
        // Only syntax errors: what a broken file seems to say is not worth checking.
        let mut found: Vec<(Diagnostic, Twice)> =
            errors.iter().map(|e| syntax_error(text, e)).collect();
        found.sort_by_key(|(d, _)| d.span.as_ref().map(|s| s.start));
        // Every key of a table written twice is "set twice" too: report the table only.
        let mut echo_until = 0;
        let mut diags: Vec<Diagnostic> = Vec::new();
        for (d, twice) in found {
            let start = d.span.as_ref().map_or(0, |s| s.start);
            match twice {
                Twice::Table => echo_until = next_header(text, start),
                Twice::Key if start < echo_until => continue,
                _ => {}
            }
            if diags.last().is_none_or(|last| last.span != d.span) {
                diags.push(d);
            }
        }
        return Err(diags);
    }
    if root.get_ref().is_empty() {
        return Err(vec![
            Diagnostic::new(None, "the profile has only comments and blank lines")
                .with_help(EMPTY_HELP),
        ]);
    }
    let mut r = Reader::default();
    let spec = r.profile(root.get_ref());
    sort_by_place(&mut r.diags);
    Ok((spec, r.diags))
}

/// File order; problems of the whole file (no span) first.
pub fn sort_by_place(diags: &mut [Diagnostic]) {
    diags.sort_by_key(|d| d.span.as_ref().map(|s| s.start));
}

/// What a syntax error says was written twice.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Twice {
    Nothing,
    Key,
    Table,
}

/// The start of the first `[header]` line after the line holding `from`.
fn next_header(text: &str, from: usize) -> usize {
    let mut pos = text[from..].find('\n').map_or(text.len(), |i| from + i + 1);
    while pos < text.len() {
        let end = text[pos..].find('\n').map_or(text.len(), |i| pos + i + 1);
        if text[pos..end].trim_start().starts_with('[') {
            return pos;
        }
        pos = end;
    }
    text.len()
}

/// The problem and its fix for one TOML syntax error.
fn syntax_error(text: &str, e: &toml::de::Error) -> (Diagnostic, Twice) {
    let span = e.span().unwrap_or(0..0);
    let message = e.message().trim_end();
    if message.starts_with("duplicate key") {
        return duplicate_key(text, span);
    }
    // Plain words for the errors people make most; others keep the parser's words.
    const KNOWN: &[(&str, &str, &str)] = &[
        (
            "invalid basic string",
            "a string is not closed",
            "end it with `\"` on the same line",
        ),
        (
            "invalid literal string",
            "a string is not closed",
            "end it with `'` on the same line",
        ),
        (
            "key with no value",
            "`=` is missing after the key",
            "write the key, `=`, then the value, e.g. value = 300000",
        ),
        (
            "missing assignment",
            "`=` is missing after the key",
            "write the key, `=`, then the value, e.g. value = 300000",
        ),
        (
            "unclosed table",
            "the table header is not closed",
            "close it with `]`, e.g. [portfolio]",
        ),
        (
            "unclosed array table",
            "the [[table]] header is not closed",
            "close it with `]]`, e.g. [[position]]",
        ),
        (
            "unclosed inline table",
            "an inline table is not closed",
            "close it with `}` on the same line",
        ),
        (
            "unclosed array",
            "an array is not closed",
            "close it with `]`",
        ),
        (
            "string values must be quoted",
            "text must be in quotes",
            "put it in double quotes, e.g. strategy = \"staking\"",
        ),
        (
            "cannot recurse further",
            "values are nested too deeply",
            "no profile nests values this deep: look for `{` or `[` that are never closed",
        ),
    ];
    let (message, help) = KNOWN
        .iter()
        .find(|(start, _, _)| message.starts_with(start))
        .map_or(
            (
                message,
                "fix the TOML syntax here (see https://toml.io for the format)",
            ),
            |(_, m, h)| (*m, *h),
        );
    (
        Diagnostic::at(span, format!("invalid TOML: {message}")).with_help(help),
        Twice::Nothing,
    )
}

/// A key or table written twice: name it, and say what to keep.
fn duplicate_key(text: &str, span: Span) -> (Diagnostic, Twice) {
    let key = shorten(text.get(span.clone()).unwrap_or_default());
    let line_start = text[..span.start.min(text.len())]
        .rfind('\n')
        .map_or(0, |i| i + 1);
    let line = text[line_start..].lines().next().unwrap_or_default().trim();
    let at = Diagnostic::at(span, "");
    if line.starts_with("[[") {
        let d = Diagnostic {
            message: format!(
                "`{key}` is already a single table, so `{}` cannot add to it",
                shorten(line)
            ),
            ..at
        };
        let help = format!("use either [{key}] or [[{key}]] throughout, not both");
        (d.with_help(help), Twice::Table)
    } else if line.starts_with('[') {
        let header = line
            .split(']')
            .next()
            .unwrap_or(line)
            .trim_start_matches('[');
        let header = shorten(header.trim());
        let help = if header == "position" {
            "write each position under [[position]] (double brackets); [position] is a single table"
                .to_string()
        } else {
            format!("merge the two [{header}] tables into one")
        };
        let d = Diagnostic {
            message: format!("the table [{header}] is written twice"),
            ..at
        };
        (d.with_help(help), Twice::Table)
    } else {
        let d = Diagnostic {
            message: format!("`{key}` is set twice in the same table"),
            ..at
        };
        (d.with_help("keep one of the two"), Twice::Key)
    }
}

#[derive(Default)]
struct Reader {
    diags: Vec<Diagnostic>,
    /// Keys found in a table they do not belong to.
    misplaced: Vec<&'static str>,
    /// Required keys found absent, with the keys that would have satisfied
    /// them; reported at the end unless one of those keys was misplaced
    /// (then the misplacement is the problem, and it is already reported).
    absent: Vec<(&'static [&'static str], Diagnostic)>,
}

fn get<'a, 'i>(table: &'a DeTable<'i>, key: &str) -> Option<&'a Val<'i>> {
    table
        .iter()
        .find(|(k, _)| k.get_ref().as_ref() == key)
        .map(|(_, v)| v)
}

fn article(type_name: &str) -> &'static str {
    match type_name {
        "integer" | "array" => "an",
        _ => "a",
    }
}

/// A number as people read it: 1e16 as 10,000,000,000,000,000.
fn readable(d: Decimal) -> String {
    if d.fract().is_zero() && d.abs() >= Decimal::from(10_000) {
        group_thousands(d, 0)
    } else {
        d.normalize().to_string()
    }
}

/// A fraction as a percent: 0.35 as "35%".
fn percent(d: Decimal) -> String {
    format!("{}%", (d * Decimal::ONE_HUNDRED).normalize())
}

/// A plain number that does not fit an exact decimal.
enum Unfit {
    /// Too many digits before the point.
    Large,
    /// Too many digits after it.
    Precise,
}

/// The text of a rate as written, for messages.
fn written(v: &Val<'_>, d: Decimal) -> String {
    match v.get_ref() {
        DeValue::String(s) => s.trim().to_string(),
        _ => d.normalize().to_string(),
    }
}

impl Reader {
    fn error(&mut self, span: Span, message: impl Into<String>, help: impl Into<String>) {
        self.diags
            .push(Diagnostic::at(span, message).with_help(help));
    }

    /// Reports keys of `table` not in `known`, suggesting the nearest valid one
    /// or the table the key belongs in. Returns the keys suggested, so a missing
    /// key that was only misspelt is not reported a second time.
    fn check_keys(
        &mut self,
        table: &DeTable<'_>,
        known: Keys,
        context: &(impl fmt::Display + ?Sized),
    ) -> Vec<&'static str> {
        let mut suggested = Vec::new();
        for (key, _) in table {
            let name = key.get_ref().as_ref();
            if known.contains(&name) {
                continue;
            }
            let home = HOMES
                .iter()
                .find_map(|(keys, home)| keys.iter().find(|k| **k == name).map(|k| (*k, *home)));
            if let Some((key, _)) = home {
                self.misplaced.push(key);
            }
            let home = home.map(|(_, home)| home);
            let help = match (home, nearest(name, known.iter().copied())) {
                (Some(home), _) => format!(
                    "`{name}` belongs {home}; move it there (keys after a [table] header belong to that table)"
                ),
                (None, Some(n)) => {
                    suggested.push(n);
                    format!("did you mean `{n}`?")
                }
                (None, None) => format!("valid keys here: {}", known.join(", ")),
            };
            self.error(
                key.span(),
                format!("unknown key `{}` in {context}", shorten(name)),
                help,
            );
        }
        suggested
    }

    /// A required key is absent; see [`Reader::absent`] (the field).
    fn absent(
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
    fn settle_absent(&mut self) {
        for (keys, d) in std::mem::take(&mut self.absent) {
            if !keys.iter().any(|k| self.misplaced.contains(k)) {
                self.diags.push(d);
            }
        }
    }

    fn wrong_type(
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

    fn table<'a, 'i>(
        &mut self,
        v: &'a Val<'i>,
        what: &(impl fmt::Display + ?Sized),
        help: &str,
    ) -> Option<&'a DeTable<'i>> {
        match v.get_ref() {
            DeValue::Table(t) => Some(t),
            _ => {
                self.wrong_type(v, what, "a table", help);
                None
            }
        }
    }

    fn string(&mut self, v: &Val<'_>, what: &(impl fmt::Display + ?Sized)) -> Option<String> {
        self.string_or(v, what, "put the text in double quotes")
    }

    /// A string of at most [`MAX_STRING_CHARS`]; `help` says what to write
    /// when the value is not a string at all.
    fn string_or(
        &mut self,
        v: &Val<'_>,
        what: &(impl fmt::Display + ?Sized),
        help: &(impl fmt::Display + ?Sized),
    ) -> Option<String> {
        match v.get_ref() {
            DeValue::String(s) => {
                let chars = s.chars().count();
                if chars > MAX_STRING_CHARS {
                    self.error(
                        v.span(),
                        format!("{what} is {chars} characters long"),
                        format!("use at most {MAX_STRING_CHARS} characters"),
                    );
                    None
                } else {
                    Some(s.to_string())
                }
            }
            _ => {
                self.wrong_type(v, what, "a string", help);
                None
            }
        }
    }

    /// A string naming something (an asset, a protocol): not blank.
    fn label(
        &mut self,
        v: &Val<'_>,
        what: &(impl fmt::Display + ?Sized),
        key: &str,
    ) -> Option<String> {
        let s = self.string(v, what)?;
        if s.trim().is_empty() {
            self.error(
                v.span(),
                format!("{what} is empty"),
                format!("write a value, or leave `{key}` out"),
            );
            return None;
        }
        Some(s)
    }

    fn boolean(&mut self, v: &Val<'_>, what: &(impl fmt::Display + ?Sized)) -> Option<bool> {
        match v.get_ref() {
            DeValue::Boolean(b) => Some(*b),
            _ => {
                self.wrong_type(
                    v,
                    what,
                    "true or false",
                    "write true or false without quotes",
                );
                None
            }
        }
    }

    fn whole(&mut self, v: &Val<'_>, what: &(impl fmt::Display + ?Sized), max: u32) -> Option<u32> {
        match v.get_ref() {
            DeValue::Integer(i) if i.radix() == 10 => match i.as_str().parse::<i64>() {
                Ok(n) if (0..=i64::from(max)).contains(&n) => Some(n as u32),
                _ => {
                    self.error(
                        v.span(),
                        format!("{what} is {}, outside 0 to {max}", shorten(i.as_str())),
                        format!("use a whole number from 0 to {max}"),
                    );
                    None
                }
            },
            _ => {
                self.wrong_type(v, what, "a whole number", "write a whole number such as 5");
                None
            }
        }
    }

    /// A plain number (integer or float), exactly. Rejects NaN and infinity,
    /// with `example` as the fix; a number too large or too precise for an
    /// exact decimal is returned as [`Unfit`] for the caller to report, since
    /// only it knows the largest value that makes sense.
    fn number(
        &mut self,
        v: &Val<'_>,
        what: &(impl fmt::Display + ?Sized),
        example: &str,
    ) -> Option<Result<Decimal, Unfit>> {
        let raw = match v.get_ref() {
            DeValue::Integer(i) if i.radix() == 10 => i.as_str(),
            DeValue::Integer(i) => {
                return Some(
                    i64::from_str_radix(i.as_str(), i.radix())
                        .map(Decimal::from)
                        .map_err(|_| Unfit::Large),
                );
            }
            DeValue::Float(f) => f.as_str(),
            DeValue::String(s) => {
                let help = match parse_decimal_text(s.trim()) {
                    Some(_) => format!("remove the quotes: {}", s.trim()),
                    None => format!("write {example}"),
                };
                self.wrong_type(v, what, "a number", &help);
                return None;
            }
            _ => {
                self.wrong_type(v, what, "a number", &format!("write {example}"));
                return None;
            }
        };
        let lower = raw.to_ascii_lowercase();
        if lower.contains("nan") || lower.contains("inf") {
            self.error(
                v.span(),
                format!("{what} is {raw}, not a finite number"),
                format!("write {example}"),
            );
            return None;
        }
        Some(parse_decimal_text(raw).ok_or_else(|| {
            // Only the size can make a valid TOML number unparsable here.
            let cleaned: String = raw.chars().filter(|c| *c != '_').collect();
            match cleaned.parse::<f64>() {
                Ok(f) if f.abs() < 1.0 => Unfit::Precise,
                _ => Unfit::Large,
            }
        }))
    }

    /// Reports a number that does not fit, given the largest value accepted.
    fn unfit(
        &mut self,
        v: &Val<'_>,
        what: &(impl fmt::Display + ?Sized),
        unfit: Unfit,
        largest: &str,
    ) {
        let raw = match v.get_ref() {
            DeValue::Integer(i) => i.as_str(),
            DeValue::Float(f) => f.as_str(),
            _ => "",
        };
        let raw = shorten(raw);
        match unfit {
            Unfit::Large => self.error(
                v.span(),
                format!("{what} is {raw}, more than the {largest} this tool accepts"),
                "check the number of digits",
            ),
            Unfit::Precise => self.error(
                v.span(),
                format!("{what} is {raw}, more decimal places than this tool can hold (28)"),
                "round it",
            ),
        }
    }

    /// An amount of money: a number above zero and at most 10^15.
    fn money(&mut self, v: &Val<'_>, what: &(impl fmt::Display + ?Sized)) -> Option<Decimal> {
        let d = match self.number(v, what, "an amount such as 300000")? {
            Ok(d) => d,
            Err(unfit) => {
                self.unfit(v, what, unfit, "10^15");
                return None;
            }
        };
        if d <= Decimal::ZERO {
            self.error(
                v.span(),
                format!("{what} is {}; it must be more than zero", readable(d)),
                "write a positive amount",
            );
            return None;
        }
        if d > MAX_MONEY {
            self.error(
                v.span(),
                format!(
                    "{what} is {}, more than the 10^15 this tool accepts",
                    readable(d)
                ),
                "check the number of digits",
            );
            return None;
        }
        Some(d)
    }

    /// A rate as written: `"4.5%"` or a fraction up to 1 (`0.045`), of any sign.
    fn rate_as_written(
        &mut self,
        v: &Val<'_>,
        what: &(impl fmt::Display + ?Sized),
    ) -> Option<Decimal> {
        const EXAMPLE: &str = "a percent such as \"4.5%\" or a fraction such as 0.045";
        match v.get_ref() {
            DeValue::String(s) => match parse_percent(s) {
                Some(d) => Some(d),
                None => {
                    let help = match parse_decimal_text(s.trim()) {
                        Some(d) if d <= Decimal::ONE => {
                            format!(
                                "write \"{}\" or the fraction {} without quotes",
                                percent(d),
                                d.normalize()
                            )
                        }
                        Some(d) => format!("did you mean \"{}%\"?", d.normalize()),
                        None => format!("write {EXAMPLE}"),
                    };
                    self.error(
                        v.span(),
                        format!("{what} is \"{}\", which is not a percent", shorten(s)),
                        help,
                    );
                    None
                }
            },
            DeValue::Integer(_) | DeValue::Float(_) => {
                let d = match self.number(v, what, EXAMPLE)? {
                    Ok(d) => d,
                    Err(unfit) => {
                        self.unfit(v, what, unfit, "1,000,000%");
                        return None;
                    }
                };
                if d > Decimal::ONE {
                    let d = d.normalize();
                    let help = if d <= Decimal::ONE_HUNDRED {
                        format!("did you mean \"{d}%\"? A bare number is a fraction (0.35 = 35%)")
                    } else {
                        format!(
                            "a bare number is a fraction (0.35 = 35%); write a rate above 100% as a percent string, e.g. \"{d}%\""
                        )
                    };
                    self.error(
                        v.span(),
                        format!("{what} is {}, a bare number above 1", readable(d)),
                        help,
                    );
                    return None;
                }
                Some(d)
            }
            _ => {
                self.wrong_type(
                    v,
                    what,
                    "a percent or a fraction",
                    &format!("write {EXAMPLE}"),
                );
                None
            }
        }
    }

    /// A rate from 0 up to a million percent.
    fn rate(&mut self, v: &Val<'_>, what: &(impl fmt::Display + ?Sized)) -> Option<Decimal> {
        let value = self.rate_as_written(v, what)?;
        if value < Decimal::ZERO {
            self.error(
                v.span(),
                format!("{what} is {}, below zero", written(v, value)),
                "write a rate of 0% or more",
            );
            return None;
        }
        if value > MAX_RATE {
            self.error(
                v.span(),
                format!(
                    "{what} is {}, more than the 1,000,000% this tool accepts",
                    written(v, value)
                ),
                "check the figure: no yield this large can be planned on",
            );
            return None;
        }
        Some(value)
    }

    /// A share from 0% to 100%.
    fn share(&mut self, v: &Val<'_>, what: &(impl fmt::Display + ?Sized)) -> Option<Decimal> {
        let value = self.rate(v, what)?;
        if value > Decimal::ONE {
            self.error(
                v.span(),
                format!("{what} is {}, above 100%", written(v, value)),
                "use a share from 0% to 100%",
            );
            return None;
        }
        Some(value)
    }

    /// A band: one rate, or `{ low, high }` with an optional `mid`.
    fn band(&mut self, v: &Val<'_>, what: &(impl fmt::Display + ?Sized)) -> Option<BandSpec> {
        let DeValue::Table(t) = v.get_ref() else {
            let r = self.rate(v, what)?;
            return Some(BandSpec {
                low: r,
                mid: None,
                high: r,
            });
        };
        let suggested = self.check_keys(t, BAND_KEYS, what);
        let mut field = |key: &str| -> Option<Option<Decimal>> {
            match get(t, key) {
                Some(x) => self.rate(x, &format_args!("`{key}` of {what}")).map(Some),
                None => Some(None),
            }
        };
        let (low, mid, high) = (field("low"), field("mid"), field("high"));
        let (low, mid, high) = (low?, mid?, high?);
        let (Some(low), Some(high)) = (low, high) else {
            let misspelt = (low.is_none() && suggested.contains(&"low"))
                || (high.is_none() && suggested.contains(&"high"));
            if !misspelt {
                self.error(
                    v.span(),
                    format!("{what} needs both `low` and `high`"),
                    "write { low = \"3%\", high = \"5%\" }, or a single rate",
                );
            }
            return None;
        };
        if low > high {
            self.error(
                v.span(),
                format!(
                    "{what} has `low` ({}) above `high` ({})",
                    percent(low),
                    percent(high)
                ),
                "swap the two figures",
            );
            return None;
        }
        if let Some(m) = mid {
            if m < low || m > high {
                self.error(
                    v.span(),
                    format!("{what} has `mid` outside `low`..`high`"),
                    "put mid between low and high, or leave it out (it defaults to their average)",
                );
                return None;
            }
        }
        Some(BandSpec { low, mid, high })
    }

    fn profile(&mut self, root: &DeTable<'_>) -> ProfileSpec {
        let suggested = self.check_keys(root, TOP_KEYS, "the profile");
        let mut spec = ProfileSpec::default();
        if let Some(v) = get(root, "name") {
            spec.name = self.string(v, "`name`").map(|s| Sp::new(s, v.span()));
        }
        match get(root, "portfolio") {
            Some(v) => spec.portfolio = self.portfolio(v),
            None if suggested.contains(&"portfolio") => {}
            None => self.diags.push(
                Diagnostic::new(None, "the profile has no [portfolio] table")
                    .with_help("add [portfolio] with value = <total value>, e.g. value = 300000"),
            ),
        }
        if let Some(v) = get(root, "goal") {
            spec.goal = self.goal(v);
        }
        if let Some(v) = get(root, "assumptions") {
            spec.assumptions = self.assumptions(v);
        }
        if let Some(v) = get(root, "assets") {
            spec.assets = self.assets(v);
        }
        if let Some(v) = get(root, "lints") {
            spec.lints = self.lints(v);
        }
        if let Some(v) = get(root, "risk_tiers") {
            spec.risk_tiers = self.named_tables(v, "risk_tiers", TIER_KEYS, |r, t, what| {
                let rate = |r: &mut Reader, key: &str| {
                    get(t, key).and_then(|x| r.share(x, &format_args!("`{key}` of {what}")))
                };
                let (p, l) = (rate(r, "loss_probability"), rate(r, "loss_given_event"));
                Some(TierSpec {
                    loss_probability: p,
                    loss_given_event: l,
                })
            });
        }
        if let Some(v) = get(root, "protocols") {
            spec.protocols = self.named_tables(v, "protocols", PROTOCOL_KEYS, |r, t, what| {
                let x = get(t, "tier")?;
                r.label(x, &format_args!("`tier` of {what}"), "tier")
                    .map(|s| Sp::new(s, x.span()))
            });
        }
        if let Some(v) = get(root, "staking_methods") {
            spec.staking_methods =
                self.named_tables(v, "staking_methods", METHOD_KEYS, |r, t, what| {
                    let x = get(t, "fee")?;
                    r.share(x, &format_args!("`fee` of {what}"))
                });
        }
        if let Some(v) = get(root, "scenario") {
            spec.scenarios = self.scenarios(v);
        }
        if let Some(v) = get(root, "rates") {
            if let Some(t) = self.table(
                v,
                "[rates]",
                "write [rates] on its own line, then pools = \"pools.json\"",
            ) {
                self.check_keys(t, RATES_KEYS, "[rates]");
                if let Some(x) = get(t, "pools") {
                    spec.pools_file = self
                        .label(x, "`pools` in [rates]", "pools")
                        .map(|s| Sp::new(s, x.span()));
                }
            }
        }
        match get(root, "position") {
            Some(v) => spec.positions = self.positions(v),
            None if suggested.contains(&"position") => {}
            None => self.diags.push(
                Diagnostic::new(None, "the profile has no [[position]]")
                    .with_help("add at least one [[position]] with a strategy and a weight"),
            ),
        }
        self.settle_absent();
        spec
    }

    fn portfolio(&mut self, v: &Val<'_>) -> Option<PortfolioSpec> {
        let t = self.table(
            v,
            "[portfolio]",
            "write [portfolio] on its own line, then value = ...",
        )?;
        let suggested = self.check_keys(t, PORTFOLIO_KEYS, "[portfolio]");
        let currency = match get(t, "currency") {
            Some(c) => self.string(c, "`currency` in [portfolio]").and_then(|s| {
                if s.is_empty() || s.len() > 8 || !s.chars().all(|ch| ch.is_ascii_alphabetic()) {
                    self.error(
                        c.span(),
                        format!("`currency` is \"{s}\", not a currency code"),
                        "use a code of letters such as \"USD\" or \"EUR\"",
                    );
                    None
                } else {
                    Some(s.to_ascii_uppercase())
                }
            }),
            None => Some("USD".to_string()),
        };
        let value = match get(t, "value") {
            Some(value) => self
                .money(value, "`value` in [portfolio]")
                .map(|amount| Sp::new(amount, value.span())),
            None => {
                if !suggested.contains(&"value") {
                    self.absent(
                        &["value"],
                        v.span(),
                        "[portfolio] has no `value`",
                        "add value = <total value of the portfolio>, e.g. value = 300000",
                    );
                }
                None
            }
        };
        Some(PortfolioSpec {
            value: value?,
            currency: currency?,
        })
    }

    fn income(
        &mut self,
        v: &Val<'_>,
        what: &(impl fmt::Display + ?Sized),
    ) -> Option<(Decimal, Decimal)> {
        if let DeValue::Table(t) = v.get_ref() {
            let suggested = self.check_keys(t, INCOME_KEYS, what);
            let min = get(t, "min").and_then(|x| self.money(x, &format_args!("`min` of {what}")));
            let max = get(t, "max").and_then(|x| self.money(x, &format_args!("`max` of {what}")));
            return match (min, max, get(t, "min"), get(t, "max")) {
                (Some(a), Some(b), _, _) if a > b => {
                    self.error(
                        v.span(),
                        format!(
                            "{what} has `min` ({}) above `max` ({})",
                            readable(a),
                            readable(b)
                        ),
                        "swap the two figures",
                    );
                    None
                }
                (Some(a), Some(b), _, _) => Some((a, b)),
                (Some(a), None, _, None) => Some((a, a)),
                (None, _, None, _) => {
                    if !suggested.contains(&"min") {
                        self.error(
                            v.span(),
                            format!("{what} has no `min`"),
                            "write { min = 1000, max = 2000 } or a single number",
                        );
                    }
                    None
                }
                _ => None,
            };
        }
        let a = self.money(v, what)?;
        Some((a, a))
    }

    fn goal(&mut self, v: &Val<'_>) -> Option<GoalSpec> {
        let t = self.table(
            v,
            "[goal]",
            "write [goal] on its own line, then monthly_income = ...",
        )?;
        let suggested = self.check_keys(t, GOAL_KEYS, "[goal]");
        let monthly = get(t, "monthly_income");
        let annual = get(t, "annual_income");
        let starts = match get(t, "starts_in_years") {
            Some(x) => self.whole(x, "`starts_in_years`", 100),
            None => Some(0),
        };
        let after_tax = match get(t, "after_tax") {
            Some(x) => self.boolean(x, "`after_tax`"),
            None => Some(false),
        };
        let (value, period) = match (monthly, annual) {
            (Some(m), None) => (m, Period::Monthly),
            (None, Some(a)) => (a, Period::Annual),
            (Some(m), Some(a)) => {
                self.diags.push(
                    Diagnostic::at(
                        a.span(),
                        "[goal] has both `monthly_income` and `annual_income`",
                    )
                    .with_related(m.span(), "monthly_income here")
                    .with_help("keep one of the two"),
                );
                return None;
            }
            (None, None) => {
                let misspelt = suggested
                    .iter()
                    .any(|k| *k == "monthly_income" || *k == "annual_income");
                if !misspelt {
                    self.absent(
                        &["monthly_income", "annual_income"],
                        v.span(),
                        "[goal] has no income",
                        "add monthly_income = 1000 or annual_income = { min = 12000, max = 24000 }",
                    );
                }
                return None;
            }
        };
        let key = match period {
            Period::Monthly => "`monthly_income`",
            Period::Annual => "`annual_income`",
        };
        let income = self.income(value, key);
        let (min, max) = income?;
        Some(GoalSpec {
            min,
            max,
            period,
            span: value.span(),
            starts_in_years: starts?,
            after_tax: after_tax?,
        })
    }

    fn assumptions(&mut self, v: &Val<'_>) -> AssumptionsSpec {
        let Some(t) = self.table(v, "[assumptions]", "write [assumptions] on its own line") else {
            return AssumptionsSpec::default();
        };
        self.check_keys(t, ASSUMPTION_KEYS, "[assumptions]");
        let mut rate = |key: &str| get(t, key).and_then(|x| self.rate(x, &format_args!("`{key}`")));
        let inflation = rate("inflation");
        let sustainable_yield = rate("sustainable_yield");
        let mut share =
            |key: &str| get(t, key).and_then(|x| self.share(x, &format_args!("`{key}`")));
        let tax_rate = share("tax_rate");
        let reinvest = share("reinvest");
        let emissions_haircut = share("emissions_haircut");
        let annual_contribution = get(t, "annual_contribution")
            .and_then(|x| self.money(x, "`annual_contribution` in [assumptions]"));
        AssumptionsSpec {
            tax_rate,
            inflation,
            reinvest,
            sustainable_yield,
            emissions_haircut,
            annual_contribution,
        }
    }

    fn assets(&mut self, v: &Val<'_>) -> Vec<AssetSpec> {
        let Some(t) = self.table(v, "[assets]", "write one [assets.SYMBOL] table per asset") else {
            return Vec::new();
        };
        let mut out = Vec::new();
        for (key, value) in t {
            let symbol = key.get_ref().to_string();
            let what = format!("[assets.{}]", shorten(&symbol));
            let Some(at) = self.table(
                value,
                &what,
                "write [assets.SYMBOL] with the overrides under it",
            ) else {
                continue;
            };
            self.check_keys(at, ASSET_KEYS, &what);
            let mut a = AssetSpec {
                symbol: Sp::new(symbol, key.span()),
                ..AssetSpec::default()
            };
            if let Some(x) = get(at, "expected_return") {
                a.expected_return = self.change(x, &format_args!("`expected_return` in {what}"));
            }
            if let Some(x) = get(at, "volatility") {
                a.volatility = self.rate(x, &format_args!("`volatility` in {what}"));
            }
            if let Some(x) = get(at, "inflation") {
                a.inflation = self.rate(x, &format_args!("`inflation` in {what}"));
            }
            if let Some(x) = get(at, "unbonding_days") {
                a.unbonding_days = self.whole(x, &format_args!("`unbonding_days` in {what}"), 3650);
            }
            if let Some(x) = get(at, "stablecoin") {
                a.stablecoin = self.boolean(x, &format_args!("`stablecoin` in {what}"));
            }
            if let Some(x) = get(at, "staking_apy") {
                a.staking_apy = self.band(x, &format_args!("`staking_apy` in {what}"));
            }
            if let Some(x) = get(at, "lending_apy") {
                a.lending_apy = self.band(x, &format_args!("`lending_apy` in {what}"));
            }
            out.push(a);
        }
        out
    }

    fn lints(&mut self, v: &Val<'_>) -> LintsSpec {
        let Some(t) = self.table(v, "[lints]", "write [lints] on its own line") else {
            return LintsSpec::default();
        };
        self.check_keys(t, LINT_KEYS, "[lints]");
        let mut spec = LintsSpec::default();
        if let Some(x) = get(t, "allow") {
            match x.get_ref() {
                DeValue::Array(items) => {
                    for item in items.iter() {
                        if let Some(s) = self.string(item, "an entry of `allow`") {
                            spec.allow.push(Sp::new(s, item.span()));
                        }
                    }
                }
                _ => self.wrong_type(
                    x,
                    "`allow` in [lints]",
                    "an array of lint names",
                    "write allow = [\"allocation-template\"]",
                ),
            }
        }
        if let Some(x) = get(t, "emissions_share") {
            spec.emissions_share = self.share(x, "`emissions_share` in [lints]");
        }
        for (key, slot) in [
            ("protocol_concentration", &mut spec.protocol_concentration),
            ("chain_concentration", &mut spec.chain_concentration),
            ("defi_share", &mut spec.defi_share),
            ("locked_share", &mut spec.locked_share),
            (
                "stacked_loss_probability",
                &mut spec.stacked_loss_probability,
            ),
        ] {
            if let Some(x) = get(t, key) {
                *slot = self.share(x, &format_args!("`{key}` in [lints]"));
            }
        }
        if let Some(x) = get(t, "long_unbonding_days") {
            spec.long_unbonding_days = self.whole(x, "`long_unbonding_days` in [lints]", 3650);
        }
        if let Some(x) = get(t, "stack_depth") {
            spec.stack_depth = self.whole(x, "`stack_depth` in [lints]", 100);
        }
        spec
    }

    /// A table of named sub-tables, such as [risk_tiers.NAME]: each read by `one`.
    fn named_tables<T>(
        &mut self,
        v: &Val<'_>,
        key: &str,
        keys: Keys,
        mut one: impl FnMut(&mut Reader, &DeTable<'_>, &str) -> Option<T>,
    ) -> Vec<(Sp<String>, T)> {
        let Some(t) = self.table(
            v,
            &format_args!("[{key}]"),
            &format!("write one [{key}.NAME] table per entry"),
        ) else {
            return Vec::new();
        };
        let mut out = Vec::new();
        for (name, value) in t {
            let what = format!("[{key}.{}]", shorten(name.get_ref()));
            let Some(inner) = self.table(
                value,
                &what,
                &format!("write [{key}.NAME] with its settings under it"),
            ) else {
                continue;
            };
            self.check_keys(inner, keys, &what);
            if let Some(x) = one(self, inner, &what) {
                out.push((Sp::new(name.get_ref().to_string(), name.span()), x));
            }
        }
        out
    }

    /// A signed change such as "-30%" or -0.3: at least −100%, at most +1,000%.
    fn change(&mut self, v: &Val<'_>, what: &(impl fmt::Display + ?Sized)) -> Option<Decimal> {
        let value = match v.get_ref() {
            DeValue::String(s) => parse_percent(s),
            DeValue::Integer(_) | DeValue::Float(_) => match self.number(v, what, "-0.3")? {
                Ok(d) => Some(d),
                Err(unfit) => {
                    self.unfit(v, what, unfit, "10");
                    return None;
                }
            },
            _ => None,
        };
        match value {
            Some(d) if d >= -Decimal::ONE && d <= Decimal::TEN => Some(d),
            Some(_) => {
                self.error(
                    v.span(),
                    format!("{what} is outside -100% to +1,000%"),
                    "a price or yield can fall at most 100%",
                );
                None
            }
            None => {
                self.error(
                    v.span(),
                    format!("{what} is not a change"),
                    "write a percent change such as \"-30%\" or a fraction such as -0.3",
                );
                None
            }
        }
    }

    fn scenarios(&mut self, v: &Val<'_>) -> Vec<ScenarioSpec> {
        let DeValue::Array(items) = v.get_ref() else {
            self.error(
                v.span(),
                "`scenario` must be a list of [[scenario]] tables",
                "write each shock under its own [[scenario]] header (double brackets)",
            );
            return Vec::new();
        };
        let mut out = Vec::new();
        for (i, item) in items.iter().enumerate() {
            let what = format!("scenario {}", i + 1);
            let Some(t) = self.table(
                item,
                &what,
                "write each shock under its own [[scenario]] header",
            ) else {
                continue;
            };
            self.check_keys(t, SCENARIO_KEYS, &what);
            let mut sc = ScenarioSpec {
                span: item.span(),
                ..ScenarioSpec::default()
            };
            match get(t, "name") {
                Some(x) => {
                    sc.name = self
                        .label(x, &format_args!("`name` of {what}"), "name")
                        .map(|s| Sp::new(s, x.span()))
                }
                None => self.error(
                    item.span(),
                    format!("{what} has no `name`"),
                    "add name = \"...\" so the stress report can show it",
                ),
            }
            if let Some(x) = get(t, "prices") {
                if let Some(pt) = self.table(
                    x,
                    &format_args!("`prices` of {what}"),
                    "write prices = { ETH = \"-30%\", SOL = \"-40%\" }",
                ) {
                    for (sym, change) in pt {
                        if let Some(d) = self.change(
                            change,
                            &format_args!(
                                "the price change of {} in {what}",
                                shorten(sym.get_ref())
                            ),
                        ) {
                            sc.prices
                                .push((Sp::new(sym.get_ref().to_string(), sym.span()), d));
                        }
                    }
                }
            }
            if let Some(x) = get(t, "crypto") {
                sc.crypto = self.change(x, &format_args!("`crypto` of {what}"));
            }
            if let Some(x) = get(t, "yields") {
                sc.yields = self.change(x, &format_args!("`yields` of {what}"));
            }
            if let Some(x) = get(t, "fail") {
                match x.get_ref() {
                    DeValue::Array(names) => {
                        for n in names.iter() {
                            if let Some(s) =
                                self.label(n, &format_args!("an entry of `fail` in {what}"), "fail")
                            {
                                sc.fail.push(Sp::new(s, n.span()));
                            }
                        }
                    }
                    _ => self.wrong_type(
                        x,
                        &format_args!("`fail` of {what}"),
                        "an array of protocol names",
                        "write fail = [\"aave\"]",
                    ),
                }
            }
            if let Some(x) = get(t, "slash") {
                sc.slash = self
                    .boolean(x, &format_args!("`slash` of {what}"))
                    .unwrap_or(false);
            }
            out.push(sc);
        }
        out
    }

    /// `[[position.stack]]` layers under a position.
    fn layers(&mut self, v: &Val<'_>, context: &str) -> Vec<LayerSpec> {
        let DeValue::Array(items) = v.get_ref() else {
            self.error(
                v.span(),
                format!("`stack` of {context} must be a list of [[position.stack]] tables"),
                "write each layer under its own [[position.stack]] header, after its position",
            );
            return Vec::new();
        };
        let mut out = Vec::new();
        for (i, item) in items.iter().enumerate() {
            let what = format!("layer {} of {context}", i + 1);
            let Some(t) = self.table(
                item,
                &what,
                "write each layer under its own [[position.stack]] header",
            ) else {
                continue;
            };
            self.check_keys(t, LAYER_KEYS, &what);
            let mut layer = LayerSpec {
                span: item.span(),
                ..LayerSpec::default()
            };
            let names: Vec<&str> = [
                Strategy::Staking,
                Strategy::Lending,
                Strategy::Liquidity,
                Strategy::Farming,
            ]
            .iter()
            .map(|s| s.name())
            .collect();
            match get(t, "strategy") {
                Some(x) => {
                    layer.strategy =
                        self.word(x, &what, "strategy", "layer strategy", &names, |s| {
                            Strategy::parse(s)
                                .filter(|s| !matches!(s, Strategy::Hold | Strategy::Index))
                        })
                }
                None => self.error(
                    item.span(),
                    format!("{what} has no `strategy`"),
                    "add strategy = \"lending\" (or staking, liquidity, farming)",
                ),
            }
            for (key, slot) in [
                ("asset", &mut layer.asset),
                ("protocol", &mut layer.protocol),
                ("chain", &mut layer.chain),
                ("risk_tier", &mut layer.risk_tier),
            ] {
                if let Some(x) = get(t, key) {
                    *slot = self
                        .label(x, &format_args!("`{key}` of {what}"), key)
                        .map(|s| Sp::new(s, x.span()));
                }
            }
            for (key, slot) in [
                ("apy", &mut layer.apy),
                ("reward_apy", &mut layer.reward_apy),
            ] {
                if let Some(x) = get(t, key) {
                    *slot = self
                        .band(x, &format_args!("`{key}` of {what}"))
                        .map(|b| Sp::new(b, x.span()));
                }
            }
            out.push(layer);
        }
        out
    }

    fn positions(&mut self, v: &Val<'_>) -> Vec<PositionSpec> {
        let DeValue::Array(items) = v.get_ref() else {
            let message = match v.get_ref() {
                DeValue::Table(_) => "[position] is written with single brackets",
                _ => "`position` must be a list of [[position]] tables",
            };
            self.error(
                v.span(),
                message,
                "write each position under its own [[position]] header (double brackets)",
            );
            return Vec::new();
        };
        if items.is_empty() {
            self.error(
                v.span(),
                "the profile has no positions",
                "add at least one [[position]]",
            );
        }
        items
            .iter()
            .enumerate()
            .filter_map(|(i, item)| self.position(item, i + 1))
            .collect()
    }

    /// A field naming one of a fixed set of words (a strategy, a method).
    fn word<T>(
        &mut self,
        x: &Val<'_>,
        context: &str,
        key: &str,
        kind: &str,
        names: &[&str],
        parse: impl Fn(&str) -> Option<T>,
    ) -> Option<Sp<T>> {
        let choices = OneOf(names);
        let s = self.string_or(
            x,
            &format_args!("`{key}` of {context}"),
            &format_args!("write one of these in double quotes: {choices}"),
        )?;
        match parse(&s) {
            Some(t) => Some(Sp::new(t, x.span())),
            None => {
                let help = match nearest(&s, names.iter().copied()) {
                    Some(n) => format!("did you mean \"{n}\"?"),
                    None => format!("use one of: {choices}"),
                };
                self.error(
                    x.span(),
                    format!("unknown {kind} \"{}\" in {context}", shorten(&s)),
                    help,
                );
                None
            }
        }
    }

    fn position(&mut self, v: &Val<'_>, number: usize) -> Option<PositionSpec> {
        let context = format!("position {number}");
        let t = self.table(
            v,
            &context,
            "write each position under its own [[position]] header",
        )?;
        let before = self.diags.len() + self.absent.len();
        let suggested = self.check_keys(t, POSITION_KEYS, &context);
        let mut p = PositionSpec {
            number,
            span: v.span(),
            ..PositionSpec::default()
        };
        let sp_label = |r: &mut Reader, key: &str| {
            get(t, key).and_then(|x| {
                r.label(x, &format_args!("`{key}` of {context}"), key)
                    .map(|s| Sp::new(s, x.span()))
            })
        };
        p.name = get(t, "name").and_then(|x| {
            self.string(x, &format_args!("`name` of {context}"))
                .map(|s| Sp::new(s, x.span()))
        });
        p.asset = sp_label(self, "asset");
        p.pool_id = sp_label(self, "pool_id");
        p.index = sp_label(self, "index");
        p.protocol = sp_label(self, "protocol");
        p.chain = sp_label(self, "chain");
        let strategies: Vec<&str> = Strategy::ALL.iter().map(|s| s.name()).collect();
        match get(t, "strategy") {
            Some(x) => {
                p.strategy = self.word(
                    x,
                    &context,
                    "strategy",
                    "strategy",
                    &strategies,
                    Strategy::parse,
                );
            }
            None if suggested.contains(&"strategy") => {}
            None => self.absent(
                &["strategy"],
                v.span(),
                format!("{context} has no `strategy`"),
                "add strategy = \"staking\" (or lending, liquidity, farming, hold, index)",
            ),
        }
        if let Some(x) = get(t, "method") {
            p.method = self.word(
                x,
                &context,
                "method",
                "staking method",
                &Method::NAMES,
                Method::parse,
            );
        }
        if let Some(x) = get(t, "pool") {
            p.pool = self.word(
                x,
                &context,
                "pool",
                "pool kind",
                &PoolKind::NAMES,
                PoolKind::parse,
            );
        }
        if let Some(x) = get(t, "pair") {
            if let Some((pair, spans)) = self.pair(x, &context) {
                p.pair = Some(pair);
                p.pair_spans = spans;
            }
        }
        p.allocation = self.allocation(t, v, &context, &suggested);
        for (key, slot) in [
            ("apy", &mut p.apy),
            ("reward_apy", &mut p.reward_apy),
            ("fee_apr", &mut p.fee_apr),
        ] {
            if let Some(x) = get(t, key) {
                *slot = self
                    .band(x, &format_args!("`{key}` of {context}"))
                    .map(|b| Sp::new(b, x.span()));
            }
        }
        if let Some(x) = get(t, "range") {
            p.range = self.range(x, &context);
        }
        if let Some(x) = get(t, "weights") {
            p.weights = self.pool_weights(x, &context);
        }
        if let Some(x) = get(t, "amplification") {
            p.amplification = self.bounded(
                x,
                &format_args!("`amplification` of {context}"),
                "100",
                Decimal::ZERO,
                Decimal::from(1_000_000),
            );
        }
        if let Some(x) = get(t, "ratio_volatility") {
            p.ratio_volatility = self
                .rate(x, &format_args!("`ratio_volatility` of {context}"))
                .map(|d| Sp::new(d, x.span()));
        }
        if let Some(x) = get(t, "provider_fee") {
            p.provider_fee = self
                .share(x, &format_args!("`provider_fee` of {context}"))
                .map(|d| Sp::new(d, x.span()));
        }
        if let Some(x) = get(t, "risk_tier") {
            p.risk_tier = self
                .label(x, &format_args!("`risk_tier` of {context}"), "risk_tier")
                .map(|s| Sp::new(s, x.span()));
        }
        if let Some(x) = get(t, "stack") {
            p.stack = self.layers(x, &context);
        }
        if let Some(x) = get(t, "correlation") {
            p.correlation = self.bounded(
                x,
                &format_args!("`correlation` of {context}"),
                "0.8",
                -Decimal::ONE,
                Decimal::ONE,
            );
        }
        p.broken = self.diags.len() + self.absent.len() > before;
        Some(p)
    }

    /// A plain number between `min` and `max`.
    fn bounded(
        &mut self,
        v: &Val<'_>,
        what: &(impl fmt::Display + ?Sized),
        example: &str,
        min: Decimal,
        max: Decimal,
    ) -> Option<Sp<Decimal>> {
        match self.number(v, what, example)? {
            Ok(d) if d >= min && d <= max => Some(Sp::new(d, v.span())),
            Ok(d) => {
                self.error(
                    v.span(),
                    format!(
                        "{what} is {}, outside {} to {}",
                        d.normalize(),
                        min.normalize(),
                        max.normalize()
                    ),
                    format!(
                        "use a number from {} to {}, e.g. {example}",
                        min.normalize(),
                        max.normalize()
                    ),
                );
                None
            }
            Err(unfit) => {
                self.unfit(v, what, unfit, &max.normalize().to_string());
                None
            }
        }
    }

    /// Weights of a weighted pool: two shares adding up to 100%.
    fn pool_weights(&mut self, x: &Val<'_>, context: &str) -> Option<Sp<[Decimal; 2]>> {
        const HELP: &str = "write weights = [\"80%\", \"20%\"] (the pair's first and second asset)";
        let DeValue::Array(items) = x.get_ref() else {
            self.wrong_type(
                x,
                &format_args!("`weights` of {context}"),
                "an array of two shares",
                HELP,
            );
            return None;
        };
        if items.len() != 2 {
            self.error(
                x.span(),
                format!("`weights` of {context} has {} entries, not 2", items.len()),
                HELP,
            );
            return None;
        }
        let a = self.share(&items[0], &format_args!("the first weight of {context}"));
        let b = self.share(&items[1], &format_args!("the second weight of {context}"));
        let (a, b) = (a?, b?);
        if a.is_zero() || b.is_zero() || a + b != Decimal::ONE {
            self.error(
                x.span(),
                format!(
                    "`weights` of {context} add up to {}%, not 100%",
                    ((a + b) * Decimal::ONE_HUNDRED).normalize()
                ),
                HELP,
            );
            return None;
        }
        Some(Sp::new([a, b], x.span()))
    }

    fn pair(&mut self, x: &Val<'_>, context: &str) -> Option<(Sp<[String; 2]>, [Span; 2])> {
        let help = "write pair = [\"ETH\", \"USDC\"]";
        let DeValue::Array(items) = x.get_ref() else {
            self.wrong_type(
                x,
                &format_args!("`pair` of {context}"),
                "an array of two asset symbols",
                help,
            );
            return None;
        };
        if items.len() != 2 {
            let n = items.len();
            self.error(
                x.span(),
                format!(
                    "`pair` of {context} has {n} asset{}, not 2",
                    if n == 1 { "" } else { "s" }
                ),
                help,
            );
            return None;
        }
        let a = self.label(&items[0], &format_args!("`pair` of {context}"), "pair");
        let b = self.label(&items[1], &format_args!("`pair` of {context}"), "pair");
        let (a, b) = (a?, b?);
        if a == b {
            self.error(
                x.span(),
                format!("`pair` of {context} names {} twice", shorten(&a)),
                "a pool pairs two different assets",
            );
            return None;
        }
        Some((
            Sp::new([a, b], x.span()),
            [items[0].span(), items[1].span()],
        ))
    }

    fn range(&mut self, x: &Val<'_>, context: &str) -> Option<Sp<RangeSpec>> {
        let what = format!("`range` of {context}");
        const EXAMPLE: &str = "range = { lower = 0.8, upper = 1.25 }";
        let t = self.table(x, &what, &format!("write {EXAMPLE}"))?;
        let suggested = self.check_keys(t, RANGE_KEYS, &what);
        let mut bound = |key: &str| -> Option<Option<Decimal>> {
            let Some(v) = get(t, key) else {
                return Some(None);
            };
            let what = format!("`{key}` of {what}");
            match self.number(v, &what, "a multiple of the entry price such as 0.8")? {
                Ok(d) => Some(Some(d)),
                Err(unfit) => {
                    self.unfit(v, &what, unfit, "1,000,000");
                    None
                }
            }
        };
        let (lower, upper) = (bound("lower"), bound("upper"));
        let (lower, upper) = (lower?, upper?);
        let (Some(lower), Some(upper)) = (lower, upper) else {
            let misspelt = (lower.is_none() && suggested.contains(&"lower"))
                || (upper.is_none() && suggested.contains(&"upper"));
            if !misspelt {
                self.error(
                    x.span(),
                    format!("{what} needs `lower` and `upper`"),
                    format!("write {EXAMPLE} (multiples of the entry price)"),
                );
            }
            return None;
        };
        let (lo, hi) = (lower.normalize(), upper.normalize());
        let problem = if lower <= Decimal::ZERO {
            Some((
                format!("{what} has `lower` = {lo}; a price cannot fall to zero or below"),
                "`lower` is a multiple of the entry price between 0 and 1, e.g. 0.8",
            ))
        } else if upper > Decimal::from(1_000_000) {
            Some((
                format!("{what} has `upper` = {hi}, more than the 1,000,000 this tool accepts"),
                "`upper` is a multiple of the entry price above 1, e.g. 1.25",
            ))
        } else if !(lower < Decimal::ONE && upper > Decimal::ONE) {
            Some((
                format!("{what} [{lo}, {hi}] does not contain the entry price 1"),
                "bounds are multiples of the entry price: lower between 0 and 1, upper above 1",
            ))
        } else {
            None
        };
        if let Some((message, help)) = problem {
            self.error(x.span(), message, help);
            return None;
        }
        Some(Sp::new(RangeSpec { lower, upper }, x.span()))
    }

    fn allocation(
        &mut self,
        t: &DeTable<'_>,
        v: &Val<'_>,
        context: &str,
        suggested: &[&str],
    ) -> Option<Sp<AllocationSpec>> {
        match (get(t, "weight"), get(t, "amount")) {
            (Some(w), Some(a)) => {
                self.diags.push(
                    Diagnostic::at(
                        a.span(),
                        format!("{context} has both `weight` and `amount`"),
                    )
                    .with_related(w.span(), "weight here")
                    .with_help("keep one of the two"),
                );
                None
            }
            (None, None) => {
                if !suggested.iter().any(|k| *k == "weight" || *k == "amount") {
                    self.absent(
                        &["weight", "amount"],
                        v.span(),
                        format!("{context} has neither `weight` nor `amount`"),
                        "add weight = \"30%\", amount = 90000, or weight = \"rest\" for the remainder",
                    );
                }
                None
            }
            (Some(w), None) => {
                if let DeValue::String(s) = w.get_ref() {
                    if s.trim() == "rest" {
                        return Some(Sp::new(AllocationSpec::Rest, w.span()));
                    }
                }
                let what = format!("`weight` of {context}");
                let d = self.rate_as_written(w, &what)?;
                if d <= Decimal::ZERO || d > Decimal::ONE {
                    self.error(
                        w.span(),
                        format!(
                            "{what} is {}; a weight must be above 0% and at most 100%",
                            written(w, d)
                        ),
                        "use a share such as \"30%\", or remove the position",
                    );
                    return None;
                }
                Some(Sp::new(AllocationSpec::Weight(d), w.span()))
            }
            (None, Some(a)) => {
                let d = self.money(a, &format_args!("`amount` of {context}"))?;
                Some(Sp::new(AllocationSpec::Amount(d), a.span()))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn errors(text: &str) -> Vec<String> {
        read_spec(text)
            .err()
            .unwrap_or_default()
            .into_iter()
            .map(|d| format!("{} | {}", d.message, d.help.unwrap_or_default()))
            .collect()
    }

    const MINIMAL: &str = "[portfolio]\nvalue = 1000\n[[position]]\nstrategy = \"hold\"\nasset = \"BTC\"\nweight = \"100%\"\n";

    #[test]
    fn minimal_profile_reads() {
        let spec = read_spec(MINIMAL).unwrap();
        assert_eq!(spec.portfolio.unwrap().value.value, Decimal::from(1000));
        assert_eq!(spec.positions.len(), 1);
    }

    #[test]
    fn all_problems_are_reported_together() {
        let text = "[portfolio]\nvalu = 1000\n[[position]]\nstrategy = \"staking\"\nwieght = 35\n";
        let e = errors(text);
        assert!(
            e.iter()
                .any(|m| m.contains("unknown key `valu`") && m.contains("`value`")),
            "{e:?}"
        );
        assert!(
            e.iter()
                .any(|m| m.contains("unknown key `wieght`") && m.contains("`weight`")),
            "{e:?}"
        );
        // The misspellings are the problems; the keys they stand for are not
        // reported missing on top.
        assert!(!e.iter().any(|m| m.contains("has no `value`")), "{e:?}");
        assert!(
            !e.iter()
                .any(|m| m.contains("neither `weight` nor `amount`")),
            "{e:?}"
        );
    }

    #[test]
    fn a_key_in_the_wrong_table_is_sent_home() {
        let e = errors(&MINIMAL.replace("value = 1000", "value = 1000\ntax_rate = \"20%\""));
        assert!(
            e.iter()
                .any(|m| m.contains("unknown key `tax_rate` in [portfolio]")
                    && m.contains("belongs under [assumptions]")),
            "{e:?}"
        );
    }

    #[test]
    fn syntax_errors_are_all_reported() {
        let e = errors("[portfolio\nvalue = 1\n\n[[position]\nstrategy = \"hold\"\n");
        assert!(e.len() >= 2, "{e:?}");
        assert!(e.iter().all(|m| m.starts_with("invalid TOML")), "{e:?}");
    }

    #[test]
    fn huge_and_tiny_numbers_say_which() {
        let e = errors(&MINIMAL.replace("1000", "1e30"));
        assert!(e.iter().any(|m| m.contains("more than the 10^15")), "{e:?}");
        let e = errors(&MINIMAL.replace("\"100%\"", "1e-40"));
        assert!(e.iter().any(|m| m.contains("decimal places")), "{e:?}");
    }

    #[test]
    fn bare_percent_gets_a_hint() {
        let e = errors(&MINIMAL.replace("\"100%\"", "35"));
        assert!(
            e.iter().any(|m| m.contains("did you mean \"35%\"")),
            "{e:?}"
        );
    }

    #[test]
    fn nan_and_infinity_are_refused() {
        let e = errors(&MINIMAL.replace("1000", "nan"));
        assert!(e.iter().any(|m| m.contains("not a finite number")), "{e:?}");
        let e = errors(&MINIMAL.replace("1000", "inf"));
        assert!(e.iter().any(|m| m.contains("not a finite number")), "{e:?}");
    }

    #[test]
    fn percent_and_fraction_weights_agree() {
        let a = read_spec(&MINIMAL.replace("\"100%\"", "\"30%\"")).unwrap();
        let b = read_spec(&MINIMAL.replace("\"100%\"", "0.3")).unwrap();
        assert_eq!(
            a.positions[0].allocation.as_ref().unwrap().value,
            b.positions[0].allocation.as_ref().unwrap().value
        );
    }

    #[test]
    fn band_checks_order() {
        let text = MINIMAL.replace(
            "weight = \"100%\"",
            "weight = \"100%\"\napy = { low = \"5%\", high = \"3%\" }",
        );
        let e = errors(&text);
        assert!(
            e.iter().any(|m| m.contains("`low` (5%) above `high` (3%)")),
            "{e:?}"
        );
    }
}
