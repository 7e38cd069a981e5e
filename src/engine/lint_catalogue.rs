//! The lint catalogue and the shape of a fired lint.
//!
//! Each lint has a stable kebab-case name, a severity and a one-line summary
//! (design.md §6); a [`Warning`] is one lint fired, with its message. This is
//! data only: which lints fire for a plan is decided in [`super::lints`], and
//! nothing here reads a portfolio or a plan.

use std::fmt;

use serde::Serialize;

/// How serious a fired lint is, from mildest to worst.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Worth knowing; never fails `check`.
    Info,
    /// Something to fix; fails `check` only when denied.
    Warning,
    /// Always fails `check`.
    Error,
}

impl Severity {
    /// The severity's name in output: `info`, `warning` or `error`.
    #[must_use]
    pub fn name(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }
}

/// The lint catalogue.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Lint {
    /// `yield-above-100`: a position yields more than 100% and is screened out.
    YieldAbove100,
    /// `emissions-heavy`: most of a position's yield is incentive tokens.
    EmissionsHeavy,
    /// `required-yield-unsustainable`: the goal needs more than the ceiling.
    RequiredYieldUnsustainable,
    /// `income-shortfall`: the mid income misses the minimum goal.
    IncomeShortfall,
    /// `income-at-risk`: the mid band meets the goal, the low band does not.
    IncomeAtRisk,
    /// `il-exceeds-fees`: expected impermanent loss beats the fee income.
    IlExceedsFees,
    /// `real-yield-negative`: staking pays less than supply inflation.
    RealYieldNegative,
    /// `protocol-concentration`: too much money depends on one protocol.
    ProtocolConcentration,
    /// `chain-concentration`: too much of the on-chain money sits on one chain.
    ChainConcentration,
    /// `locked-liquidity`: too much is behind long unbonding while income is due.
    LockedLiquidity,
    /// `stacked-risk`: a stack is deep or likely to suffer a loss event.
    StackedRisk,
    /// `defi-heavy`: too much depends on DeFi smart contracts.
    DefiHeavy,
    /// `allocation-template`: the mix is outside the seed income template.
    AllocationTemplate,
}

impl Lint {
    /// Every lint, in catalogue order (the order of [`Lint::NAMES`]).
    pub const ALL: [Lint; 13] = [
        Lint::YieldAbove100,
        Lint::EmissionsHeavy,
        Lint::RequiredYieldUnsustainable,
        Lint::IncomeShortfall,
        Lint::IncomeAtRisk,
        Lint::IlExceedsFees,
        Lint::RealYieldNegative,
        Lint::ProtocolConcentration,
        Lint::ChainConcentration,
        Lint::LockedLiquidity,
        Lint::StackedRisk,
        Lint::DefiHeavy,
        Lint::AllocationTemplate,
    ];

    /// The lints' stable names, in the order of [`Lint::ALL`].
    pub const NAMES: [&'static str; 13] = [
        "yield-above-100",
        "emissions-heavy",
        "required-yield-unsustainable",
        "income-shortfall",
        "income-at-risk",
        "il-exceeds-fees",
        "real-yield-negative",
        "protocol-concentration",
        "chain-concentration",
        "locked-liquidity",
        "stacked-risk",
        "defi-heavy",
        "allocation-template",
    ];

    /// The lint's stable kebab-case name.
    #[must_use]
    pub fn name(self) -> &'static str {
        Lint::NAMES[Lint::ALL.iter().position(|l| *l == self).unwrap_or(0)]
    }

    /// The lint with this name, if any.
    #[must_use]
    pub fn parse(text: &str) -> Option<Lint> {
        Lint::ALL.into_iter().find(|l| l.name() == text)
    }

    /// How serious the lint is.
    #[must_use]
    pub fn severity(self) -> Severity {
        match self {
            Lint::AllocationTemplate => Severity::Info,
            _ => Severity::Warning,
        }
    }

    /// When the lint fires, in one line (for `--help` and the README).
    #[must_use]
    pub fn summary(self) -> &'static str {
        match self {
            Lint::YieldAbove100 => "a position's yield exceeds 100%: it is screened out",
            Lint::EmissionsHeavy => {
                "more than half of a position's yield is paid in incentive tokens"
            }
            Lint::RequiredYieldUnsustainable => "the goal needs more than the sustainable ceiling",
            Lint::IncomeShortfall => "the expected (mid) income misses the minimum goal",
            Lint::IncomeAtRisk => "the mid band meets the goal but the low band does not",
            Lint::RealYieldNegative => "staking pays less than the network's supply inflation",
            Lint::ProtocolConcentration => "one protocol holds more than 25% of the portfolio",
            Lint::ChainConcentration => "one chain holds more than 60% of the on-chain positions",
            Lint::LockedLiquidity => "most of the portfolio sits behind long unbonding periods",
            Lint::StackedRisk => "a stack is deep or its compounded loss probability is high",
            Lint::DefiHeavy => "more than half the portfolio depends on DeFi smart contracts",
            Lint::IlExceedsFees => {
                "expected one-year impermanent loss is larger than the fee income"
            }
            Lint::AllocationTemplate => {
                "the mix is outside the 40-50 / 30-40 / 10-20 / 0-10 template"
            }
        }
    }
}

impl fmt::Display for Lint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// One fired lint.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Warning {
    /// Which lint fired.
    pub lint: Lint,
    /// The lint's severity.
    pub severity: Severity,
    /// The position it is about, if any.
    pub position: Option<String>,
    /// What is wrong and what to do about it, in one paragraph.
    pub message: String,
}

impl Warning {
    /// A fired `lint`, about `position` when given, with its severity filled in.
    pub(crate) fn new(lint: Lint, position: Option<&str>, message: String) -> Warning {
        Warning {
            lint,
            severity: lint.severity(),
            position: position.map(str::to_string),
            message,
        }
    }
}
