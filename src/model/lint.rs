//! The lint catalogue: each lint's stable kebab-case name, severity and
//! one-line summary (design.md §6). It is vocabulary shared by the profile
//! (`[lints] allow`), the command line (`--deny`, `--allow`) and the engine,
//! which decides when a lint fires; nothing here reads a portfolio or a plan.

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

crate::names::closed_set! {
    /// The lint catalogue.
    #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
    pub enum Lint {
        /// `yield-above-100`: a position yields more than 100% and is screened out.
        YieldAbove100 = "yield-above-100",
        /// `emissions-heavy`: most of a position's yield is incentive tokens.
        EmissionsHeavy = "emissions-heavy",
        /// `required-yield-unsustainable`: the goal needs more than the ceiling.
        RequiredYieldUnsustainable = "required-yield-unsustainable",
        /// `income-shortfall`: the mid income misses the minimum goal.
        IncomeShortfall = "income-shortfall",
        /// `income-at-risk`: the mid band meets the goal, the low band does not.
        IncomeAtRisk = "income-at-risk",
        /// `il-exceeds-fees`: expected impermanent loss beats the fee income.
        IlExceedsFees = "il-exceeds-fees",
        /// `real-yield-negative`: staking pays less than supply inflation.
        RealYieldNegative = "real-yield-negative",
        /// `protocol-concentration`: too much money depends on one protocol.
        ProtocolConcentration = "protocol-concentration",
        /// `chain-concentration`: too much of the on-chain money sits on one chain.
        ChainConcentration = "chain-concentration",
        /// `locked-liquidity`: too much is behind long unbonding while income is due.
        LockedLiquidity = "locked-liquidity",
        /// `stacked-risk`: a stack is deep or likely to suffer a loss event.
        StackedRisk = "stacked-risk",
        /// `defi-heavy`: too much depends on DeFi smart contracts.
        DefiHeavy = "defi-heavy",
        /// `allocation-template`: the mix is outside the seed income template.
        AllocationTemplate = "allocation-template",
        /// `assumed-asset`: a token the rate book lacks is planned on assumed figures.
        AssumedAsset = "assumed-asset",
        /// `unknown-protocol`: a protocol neither the rate book nor the profile knows.
        UnknownProtocol = "unknown-protocol",
        /// `unknown-chain`: a chain the rate book does not know.
        UnknownChain = "unknown-chain",
    }
}

impl Serialize for Lint {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.name())
    }
}

impl Lint {
    /// How serious the lint is.
    #[must_use]
    pub fn severity(self) -> Severity {
        match self {
            Lint::AllocationTemplate | Lint::AssumedAsset => Severity::Info,
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
            Lint::AssumedAsset => {
                "a token the rate book lacks is planned on the book's assumed volatility"
            }
            Lint::UnknownProtocol => {
                "a protocol is neither in the rate book nor under the profile's [protocols]"
            }
            Lint::UnknownChain => "a chain is not one the rate book knows",
        }
    }
}

/// A lint that resolution fires (it knows what the engine cannot see, such
/// as figures assumed for a token the rate book lacks). The plan adds it to
/// the engine's warnings unless the profile allows it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Note {
    /// Which lint fired.
    pub lint: Lint,
    /// The position it is about, if any.
    pub position: Option<String>,
    /// What was assumed and how to change it.
    pub message: String,
}

#[cfg(test)]
mod tests {
    use super::Lint;

    /// JSON spells a lint exactly as the profile and command line do
    /// (`yield-above-100`, not a derived `yield-above100`).
    #[test]
    fn json_spells_each_lint_by_its_one_name() {
        for lint in Lint::ALL {
            let json = serde_json::to_string(&lint).unwrap();
            assert_eq!(json, format!("\"{}\"", lint.name()));
        }
        assert_eq!(Lint::parse("yield-above-100"), Some(Lint::YieldAbove100));
    }
}
