//! Pass or fail: the verdict `yieldplan check` gives a plan, and the summary
//! row `yieldplan compare` shows for it.
//!
//! A plan fails when its goal status is below the required one, when an
//! error-severity lint fires, or when a lint the caller denies fires. Lints
//! the caller allows are dropped first. Pure: no I/O.

use serde::Serialize;

use super::lint_catalogue::{Lint, Severity, Warning};
use super::plan_report::{MoneyBand, PlanReport, Status};
use super::schema::{ProfileRef, SCHEMA_VERSION};
use crate::error::Diagnostics;
use crate::model::Band;
use crate::money::{Money, Rate};

/// What `--deny` names: one lint, or every warning.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Denied {
    /// Every lint of warning severity or worse.
    Warnings,
    /// One lint.
    Lint(Lint),
}

/// The caller's rules for `check`.
#[derive(Clone, Debug, PartialEq)]
pub struct Policy {
    /// The worst goal status that still passes.
    pub require: Status,
    /// Lints that fail the check when they fire.
    pub deny: Vec<Denied>,
    /// Lints dropped before judging.
    pub allow: Vec<Lint>,
}

impl Default for Policy {
    fn default() -> Self {
        Policy {
            require: Status::Likely,
            deny: Vec::new(),
            allow: Vec::new(),
        }
    }
}

/// The verdict on one profile.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Verdict {
    /// The profile judged.
    pub profile: ProfileRef,
    /// Goal status; null when the profile has no goal (or could not be read).
    pub status: Option<Status>,
    /// True when nothing failed.
    pub passed: bool,
    /// Why it failed, one line each.
    pub failures: Vec<String>,
    /// The lints that fired, after `--allow`.
    pub warnings: Vec<Warning>,
    /// Set when the profile could not be planned (exit code 2).
    pub error: Option<String>,
    /// Simulated chance of paying the goal every year (with `--min-success`).
    pub success_probability: Option<Rate>,
}

/// The JSON output of `yieldplan check`.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct CheckReport {
    /// See [`SCHEMA_VERSION`].
    pub schema_version: u32,
    /// The worst goal status that still passes.
    pub require: Status,
    /// True when every profile passed.
    pub passed: bool,
    /// One verdict per profile, in the order given.
    pub profiles: Vec<Verdict>,
    /// True when the run simulated each profile (`--min-success`): the
    /// tables and CSV then show the chance of success for every profile,
    /// "-" where a profile has none. Not in JSON, whose verdicts always carry
    /// `success_probability`.
    #[serde(skip)]
    pub simulated: bool,
}

impl CheckReport {
    /// The report over `profiles`' verdicts, judged against `require`.
    #[must_use]
    pub fn new(require: Status, profiles: Vec<Verdict>) -> CheckReport {
        CheckReport {
            schema_version: SCHEMA_VERSION,
            require,
            passed: profiles.iter().all(|v| v.passed),
            profiles,
            simulated: false,
        }
    }
}

/// Judges one plan.
#[must_use]
pub fn judge(plan: &PlanReport, policy: &Policy) -> Verdict {
    let warnings: Vec<Warning> = plan
        .warnings
        .iter()
        .filter(|w| !policy.allow.contains(&w.lint))
        .cloned()
        .collect();
    let mut failures = Vec::new();
    let status = plan.goal.as_ref().map(|g| g.status);
    if let Some(s) = status {
        if s < policy.require {
            failures.push(format!(
                "goal status is {}, below the required {}",
                s.name(),
                policy.require.name()
            ));
        }
    }
    for w in &warnings {
        let denied = policy.deny.iter().any(|d| match d {
            Denied::Warnings => w.severity >= Severity::Warning,
            Denied::Lint(l) => *l == w.lint,
        });
        if w.severity == Severity::Error {
            failures.push(format!("error lint {} fired", w.lint));
        } else if denied {
            failures.push(format!("denied lint {} fired", w.lint));
        }
    }
    failures.dedup();
    Verdict {
        profile: plan.profile.clone(),
        status,
        passed: failures.is_empty(),
        failures,
        warnings,
        error: None,
        success_probability: None,
    }
}

/// Fails a verdict whose simulated success probability is below `min`.
/// A profile with no income phase in the horizon has none and is not failed.
pub fn require_success(v: &mut Verdict, success: Option<Rate>, min: f64) {
    v.success_probability = success;
    if let Some(p) = success {
        let have = p.to_f64();
        if have < min {
            // One decimal, or as many as it takes for the two to read apart
            // (91.3% against 91.301% reads 91.300% against 91.301%).
            let digits = (1..=6)
                .find(|&d| format!("{:.d$}", have * 100.0) != format!("{:.d$}", min * 100.0))
                .unwrap_or(6);
            v.failures.push(format!(
                "simulated chance of paying the goal every year is {:.digits$}%, below the required {:.digits$}%",
                have * 100.0,
                min * 100.0
            ));
            v.passed = false;
        }
    }
}

/// `what` went wrong (`the profile could not be planned`), in one line,
/// with why: the first line of the error `message` (`cannot read profile
/// p.toml: ...`, the first problem found in it), whole.
fn with_why(what: &str, message: &str) -> String {
    let first = message
        .lines()
        .map(str::trim)
        .find(|l| !l.is_empty())
        .map(|l| l.strip_prefix("error: ").unwrap_or(l));
    match first {
        Some(why) if !why.is_empty() => format!("{what}: {why}"),
        _ => what.to_string(),
    }
}

/// Why a profile could not be planned, in one line.
fn why_unplanned(message: &str) -> String {
    with_why("the profile could not be planned", message)
}

/// Fails a planned verdict whose simulation of `years` years could not
/// run: its status and warnings stand, `message` is the whole error, and
/// the failure says why in its first line, as for a profile that could not
/// be planned.
pub fn unsimulated(v: &mut Verdict, years: u32, message: String) {
    v.passed = false;
    v.failures.push(with_why(
        &format!(
            "the simulation of {years} years could not run, so the chance of paying the goal is unknown"
        ),
        &message,
    ));
    v.error = Some(message);
}

/// A verdict for a profile that could not be planned: `message` is the
/// whole error, and its first line says why.
#[must_use]
pub fn broken(path: &str, message: String) -> Verdict {
    Verdict {
        profile: ProfileRef {
            name: std::path::Path::new(path)
                .file_stem()
                .map_or_else(String::new, |s| s.to_string_lossy().into_owned()),
            path: path.to_string(),
        },
        status: None,
        passed: false,
        failures: vec![why_unplanned(&message)],
        warnings: Vec::new(),
        error: Some(message),
        success_probability: None,
    }
}

/// A verdict for a profile that could not be planned for the `problems`
/// found in it (or in a file it names): the error is all of them, as
/// printed; the failure names the first, where it is
/// (`path:line:col`), and how many more there are.
#[must_use]
pub fn unplannable(path: &str, problems: &Diagnostics) -> Verdict {
    let mut verdict = broken(path, problems.to_string());
    verdict.failures = vec![format!(
        "the profile could not be planned: {}",
        problems.summary()
    )];
    verdict
}

/// One profile in `yieldplan compare`.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct CompareRow {
    /// The profile.
    pub profile: ProfileRef,
    /// Its portfolio value.
    pub value: Money,
    /// The currency code of its amounts.
    pub currency: String,
    /// Blended net yield band, fractions.
    pub apy: Band,
    /// Yearly income band.
    pub annual_income: MoneyBand,
    /// Monthly income band.
    pub monthly_income: MoneyBand,
    /// Mid income with emissions counted at the haircut.
    pub sustainable_annual_income: Money,
    /// Yield the goal needs, a fraction; null without a goal.
    pub required_yield: Option<Rate>,
    /// Goal status; null without a goal.
    pub status: Option<Status>,
    /// How many lints fired.
    pub warnings: usize,
    /// Simulated chance of paying the goal every year (with `--simulate`).
    pub success_probability: Option<Rate>,
}

/// The JSON output of `yieldplan compare`.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct CompareReport {
    /// See [`SCHEMA_VERSION`].
    pub schema_version: u32,
    /// One row per profile, in the order given.
    pub profiles: Vec<CompareRow>,
}

/// Summarises plans side by side, in the order given.
#[must_use]
pub fn compare(plans: &[PlanReport]) -> CompareReport {
    CompareReport {
        schema_version: SCHEMA_VERSION,
        profiles: plans
            .iter()
            .map(|p| CompareRow {
                profile: p.profile.clone(),
                value: p.portfolio.value,
                currency: p.portfolio.currency.clone(),
                apy: p.totals.apy,
                annual_income: p.totals.annual_income,
                monthly_income: p.totals.monthly_income,
                sustainable_annual_income: p.totals.sustainable_annual_income,
                required_yield: p.goal.as_ref().map(|g| g.required_yield),
                status: p.goal.as_ref().map(|g| g.status),
                warnings: p.warnings.len(),
                success_probability: None,
            })
            .collect(),
    }
}

#[cfg(test)]
mod tests {
    use rust_decimal::Decimal;

    use super::*;

    /// A profile that could not be planned fails with its first problem,
    /// placed, and how many more there are; the error keeps them all.
    #[test]
    fn an_unplannable_profile_fails_with_its_first_problem_placed_and_counted() {
        use crate::error::Diagnostic;
        let text = "[portfolio]\nvalue = -5\n[goal]\nmonthly_income = nan\n";
        let at = |s: &str| {
            let i = text.find(s).unwrap();
            i..i + s.len()
        };
        let problems = Diagnostics::new(
            std::path::Path::new("p.toml"),
            text,
            "profile",
            vec![
                Diagnostic::at(at("-5"), "`value` in [portfolio] is -5"),
                Diagnostic::at(at("nan"), "`monthly_income` is nan"),
            ],
        );
        let v = unplannable("p.toml", &problems);
        assert!(!v.passed);
        assert_eq!(v.status, None);
        assert_eq!(
            v.failures,
            [
                "the profile could not be planned: p.toml:2:9: `value` in [portfolio] is -5 (and 1 more problem)"
            ]
        );
        assert_eq!(v.error, Some(problems.to_string()));
        assert_eq!(v.profile.name, "p");
        // An error without a place (a file that cannot be read) is said by
        // its first line.
        let v = broken(
            "gone.toml",
            "cannot read profile gone.toml: check the path\n  = help: x".into(),
        );
        assert_eq!(
            v.failures,
            ["the profile could not be planned: cannot read profile gone.toml: check the path"]
        );
    }

    /// A profile whose simulation could not run keeps its status and
    /// warnings and fails with why, in one line; the error keeps it all.
    #[test]
    fn a_simulation_that_cannot_run_fails_with_why() {
        let mut v = broken("p.toml", String::new());
        v.failures.clear();
        v.passed = true;
        v.status = Some(Status::Meets);
        let message = "p.toml: the simulation's upper paths pass 10^20 in year 22\n  = help: simulate at most 21 years";
        unsimulated(&mut v, 30, message.to_string());
        assert!(!v.passed);
        assert_eq!(v.status, Some(Status::Meets));
        assert_eq!(
            v.failures,
            [
                "the simulation of 30 years could not run, so the chance of paying the goal is unknown: p.toml: the simulation's upper paths pass 10^20 in year 22"
            ]
        );
        assert_eq!(v.error.as_deref(), Some(message));
        // With nothing to say, the failure still says what went wrong.
        let mut v = broken("p.toml", String::new());
        v.failures.clear();
        unsimulated(&mut v, 5, "\n".to_string());
        assert_eq!(
            v.failures,
            [
                "the simulation of 5 years could not run, so the chance of paying the goal is unknown"
            ]
        );
    }

    /// The failure reads the two figures apart: 91.3% against a required
    /// 91.301% is not "91.3%, below the required 91.3%".
    #[test]
    fn a_near_miss_is_shown_with_the_digits_that_tell_it() {
        let mut v = broken("p.toml", String::new());
        v.failures.clear();
        require_success(&mut v, Some(Rate(Decimal::new(913, 3))), 0.913_01);
        assert_eq!(
            v.failures,
            [
                "simulated chance of paying the goal every year is 91.300%, below the required 91.301%"
            ]
        );
        let mut v = broken("p.toml", String::new());
        v.failures.clear();
        require_success(&mut v, Some(Rate(Decimal::new(5, 1))), 0.9);
        assert_eq!(
            v.failures,
            ["simulated chance of paying the goal every year is 50.0%, below the required 90.0%"]
        );
    }
}
