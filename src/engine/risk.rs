//! Sustainability and risk: real staking yield, protocol risk, stacking and
//! diversification.
//!
//! - Real (dilution-adjusted) staking yield: `(1 + n(1 − f)) / (1 + s) − 1`,
//!   with `n(1 − f)` what the staker receives after the provider fee `f` and
//!   `s` the network's supply inflation: the gain in share of supply.
//! - Protocol risk: each protocol's tier gives a yearly loss probability `p`
//!   and a loss given the event `l`; the expected loss is `p·l`. Stacked layers
//!   compound: loss probability `1 − ∏(1 − pᵢ)`, expected loss `1 − ∏(1 − pᵢlᵢ)`.
//!   Risk-adjusted yield = net APY − expected loss.
//! - Diversification: exposure by protocol, chain, strategy, asset group and
//!   DeFi vs non-DeFi.
//!
//! Pure: reads the portfolio, returns numbers.

use std::collections::BTreeMap;

use rust_decimal::Decimal;
use serde::Serialize;

use crate::model::{Band, Method, Portfolio, Position, Risk, Strategy};
use crate::money::{Money, Rate};

/// Real (dilution-adjusted) yield of a received staking yield `received` when
/// supply grows by `inflation` a year.
#[must_use]
pub fn real_yield(received: Rate, inflation: Rate) -> Rate {
    Rate((Decimal::ONE + received.0) / (Decimal::ONE + inflation.0) - Decimal::ONE)
}

/// Probability that at least one of independent events happens: `1 − ∏(1 − pᵢ)`.
#[must_use]
pub fn compound(probabilities: impl IntoIterator<Item = Rate>) -> Rate {
    let survive: Decimal = probabilities
        .into_iter()
        .fold(Decimal::ONE, |acc, p| acc * (Decimal::ONE - p.0));
    Rate(Decimal::ONE - survive)
}

/// One risk source of a position, for JSON.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct RiskSource {
    /// The protocol, or null for native staking and plain holdings.
    pub protocol: Option<String>,
    /// The risk tier's name.
    pub tier: String,
    /// Yearly probability of a loss event, a fraction.
    pub loss_probability: Rate,
    /// Share of the money a loss event takes, a fraction.
    pub loss_given_event: Rate,
    /// Why this tier, when it was a default.
    pub note: Option<String>,
}

/// The protocol risk of a position, its stack included.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct RiskOut {
    /// Probability that any of its protocols has a loss event in a year.
    pub loss_probability: Rate,
    /// Expected share of the money lost in a year.
    pub expected_loss: Rate,
    /// The position's own protocol first, then each stacked layer's.
    pub sources: Vec<RiskSource>,
}

fn source(protocol: Option<&str>, r: &Risk) -> RiskSource {
    RiskSource {
        protocol: protocol.map(str::to_string),
        tier: r.tier.clone(),
        loss_probability: r.loss_probability,
        loss_given_event: r.loss_given_event,
        note: r.note.clone(),
    }
}

/// The compounded risk of a position and its stacked layers. Layers on
/// different protocols fail independently: probability `1 − ∏(1 − pᵢ)`,
/// expected loss `1 − ∏(1 − pᵢlᵢ)`. Layers on one protocol fail together,
/// in its one event (as the simulation draws it): a layer of probability
/// `pᵢ` fails whenever one of lower probability does, so with the layers
/// sorted by falling probability the event takes `1 − ∏ᵢ≤ₖ(1 − lᵢ)` with
/// probability `pₖ − pₖ₊₁`.
#[must_use]
pub fn position_risk(pos: &Position) -> RiskOut {
    let layers: Vec<(Option<&str>, &Risk)> = std::iter::once((pos.protocol.as_deref(), &pos.risk))
        .chain(pos.stack.iter().map(|l| (l.protocol.as_deref(), &l.risk)))
        .collect();
    let sources = layers.iter().map(|(p, r)| source(*p, r)).collect();
    // Each protocol's layers together; a layer naming none stands alone.
    let mut groups: Vec<(Option<&str>, Vec<&Risk>)> = Vec::new();
    for (protocol, risk) in &layers {
        match groups
            .iter_mut()
            .find(|(p, _)| protocol.is_some() && p == protocol)
        {
            Some((_, rs)) => rs.push(risk),
            None => groups.push((*protocol, vec![*risk])),
        }
    }
    let (mut probabilities, mut expected) = (Vec::new(), Vec::new());
    for (_, mut rs) in groups {
        rs.sort_by_key(|r| std::cmp::Reverse(r.loss_probability.0));
        let mut kept = Decimal::ONE;
        let mut loss = Decimal::ZERO;
        for (k, r) in rs.iter().enumerate() {
            kept *= Decimal::ONE - r.loss_given_event.0;
            let next = rs
                .get(k + 1)
                .map_or(Decimal::ZERO, |n| n.loss_probability.0);
            loss += (r.loss_probability.0 - next) * (Decimal::ONE - kept);
        }
        probabilities.push(rs.first().map_or(Rate::ZERO, |r| r.loss_probability));
        expected.push(Rate(loss));
    }
    RiskOut {
        loss_probability: compound(probabilities),
        expected_loss: compound(expected),
        sources,
    }
}

/// One protocol a position depends on, as a simulation draws it: which of
/// the year's loss draws decides its event, and what the event does.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct LossEvent {
    /// The loss draw that decides it: one per protocol, shared by every
    /// position (and stacked layer) on that protocol, so money split over
    /// positions on one protocol fails together; one per layer that names
    /// no protocol (native staking).
    pub source: usize,
    /// Probability of the event in a year, a fraction in [0, 1].
    pub chance: f64,
    /// Share of the position's value the event takes, a fraction in [0, 1].
    pub loss: f64,
}

/// The loss events of positions with risks `risks` (each position's own
/// protocol, then its stacked layers', those with a chance above zero), and
/// how many loss draws a year takes. A position whose events strike together
/// loses `1 − Π(1 − loss)`, so its expected yearly loss is the plan's
/// [`RiskOut::expected_loss`] when its layers are on distinct protocols.
#[must_use]
pub fn loss_events<'a>(
    risks: impl IntoIterator<Item = &'a RiskOut>,
) -> (Vec<Vec<LossEvent>>, usize) {
    let mut protocols: Vec<Option<&str>> = Vec::new();
    let events = risks
        .into_iter()
        .map(|r| {
            r.sources
                .iter()
                .filter(|s| s.loss_probability.0 > rust_decimal::Decimal::ZERO)
                .map(|s| {
                    let id = s.protocol.as_deref();
                    let known = id.and_then(|id| protocols.iter().position(|x| *x == Some(id)));
                    let source = known.unwrap_or_else(|| {
                        protocols.push(id);
                        protocols.len() - 1
                    });
                    LossEvent {
                        source,
                        chance: crate::engine::floats::float(s.loss_probability.0).min(1.0),
                        loss: crate::engine::floats::float(s.loss_given_event.0).clamp(0.0, 1.0),
                    }
                })
                .collect()
        })
        .collect();
    (events, protocols.len())
}

/// The real yield band of a staking position, or `None` when its network's
/// supply inflation is unknown.
#[must_use]
pub fn staking_real(pos: &Position) -> Option<Band> {
    let s = pos.staking.as_ref()?;
    let inflation = s.inflation?;
    Some(s.apy.map(|r| real_yield(r, inflation)))
}

/// Money in one bucket of an exposure view.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Exposure {
    /// The bucket: a protocol, chain, asset group or strategy.
    pub name: String,
    /// Money in it.
    pub amount: Money,
    /// Share of the base of the view (the portfolio, or the on-chain part).
    pub share: Rate,
}

/// How the portfolio is spread.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Diversification {
    /// Money depending on each protocol (a stacked position counts under each
    /// of its protocols), largest first; shares of the portfolio.
    pub by_protocol: Vec<Exposure>,
    /// On-chain positions (all but plain holdings) by chain; shares of that part.
    pub by_chain: Vec<Exposure>,
    /// Money that moves together (the majors; a token and its staking
    /// derivative count as one); a pool counts under both of its assets.
    pub by_asset_group: Vec<Exposure>,
    /// Money in each strategy; shares of the portfolio.
    pub by_strategy: Vec<Exposure>,
    /// Money that depends on DeFi smart contracts (lending, liquidity,
    /// farming, liquid staking, anything stacked).
    pub defi: Exposure,
    /// Everything else.
    pub non_defi: Exposure,
}

fn sorted(map: BTreeMap<&str, Decimal>, base: Money) -> Vec<Exposure> {
    let mut v: Vec<Exposure> = map
        .into_iter()
        .map(|(name, amount)| Exposure {
            name: name.to_string(),
            amount: Money(amount),
            share: Money(amount).share_of(base),
        })
        .collect();
    v.sort_by(|a, b| b.amount.cmp(&a.amount).then_with(|| a.name.cmp(&b.name)));
    v
}

/// The diversification view of a portfolio.
#[must_use]
pub fn diversify(p: &Portfolio) -> Diversification {
    // Keyed by the positions' own names: nothing is copied per position.
    let mut protocol: BTreeMap<&str, Decimal> = BTreeMap::new();
    let mut chain: BTreeMap<&str, Decimal> = BTreeMap::new();
    let mut group: BTreeMap<&str, Decimal> = BTreeMap::new();
    let mut strategy: BTreeMap<&str, Decimal> = BTreeMap::new();
    let mut on_chain = Decimal::ZERO;
    let mut defi = Decimal::ZERO;
    let mut names: Vec<&str> = Vec::new();
    for pos in &p.positions {
        let amount = pos.amount.0;
        names.clear();
        names.extend(pos.protocol.as_deref());
        names.extend(pos.stack.iter().filter_map(|l| l.protocol.as_deref()));
        names.sort_unstable();
        names.dedup();
        for n in &names {
            *protocol.entry(n).or_default() += amount;
        }
        if pos.strategy != Strategy::Hold {
            on_chain += amount;
            *chain
                .entry(pos.chain.as_deref().unwrap_or("unknown"))
                .or_default() += amount;
        }
        for (g, share) in &pos.exposure {
            *group.entry(g.as_str()).or_default() += amount * share.0;
        }
        *strategy.entry(pos.strategy.name()).or_default() += amount;
        if pos.defi {
            defi += amount;
        }
    }
    let value = p.value;
    Diversification {
        by_protocol: sorted(protocol, value),
        by_chain: sorted(chain, Money(on_chain)),
        by_asset_group: sorted(group, value),
        by_strategy: sorted(strategy, value),
        defi: Exposure {
            name: "DeFi".into(),
            amount: Money(defi),
            share: Money(defi).share_of(value),
        },
        non_defi: Exposure {
            name: "non-DeFi".into(),
            amount: Money(value.0 - defi),
            share: Money(value.0 - defi).share_of(value),
        },
    }
}

/// Money locked behind unbonding of at least `days` days.
#[must_use]
pub fn locked(p: &Portfolio, days: u32) -> Money {
    p.positions
        .iter()
        .filter(|pos| {
            pos.staking
                .as_ref()
                .is_some_and(|s| s.method != Method::Liquid && s.unbonding_days >= days)
        })
        .map(|pos| pos.amount)
        .sum()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dec(s: &str) -> Decimal {
        Decimal::from_str_exact(s).unwrap()
    }

    #[test]
    fn real_yield_reference_value() {
        // domain.md §2: 18% nominal at 10% inflation → 7.27% real.
        let r = real_yield(Rate(dec("0.18")), Rate(dec("0.10")));
        assert_eq!(r.0.round_dp(4), dec("0.0727"));
        // With a 10% provider fee: (1 + 0.18 × 0.9) / 1.1 − 1 = 5.636...%.
        let r = real_yield(Rate(dec("0.18") * dec("0.9")), Rate(dec("0.10")));
        assert_eq!(r.0.round_dp(5), dec("0.05636"));
        // Staking below inflation loses share of supply.
        assert!(real_yield(Rate(dec("0.04")), Rate(dec("0.05"))).0 < Decimal::ZERO);
    }

    #[test]
    fn probabilities_compound() {
        // 1 − (1 − 0.01)(1 − 0.02) = 0.0298.
        assert_eq!(
            compound([Rate(dec("0.01")), Rate(dec("0.02"))]),
            Rate(dec("0.0298"))
        );
        assert_eq!(compound([]), Rate::ZERO);
        assert_eq!(compound([Rate(dec("1"))]), Rate(dec("1")));
    }
}

#[cfg(test)]
mod plan_tests {
    use std::path::Path;

    use super::*;
    use crate::engine::plan::PlanReport;
    use crate::rates::RateBook;

    fn plan_text(text: &str) -> PlanReport {
        let book = RateBook::default_book();
        let p = crate::load(Path::new("r.toml"), text.as_bytes(), &book)
            .unwrap_or_else(|e| panic!("{e}"));
        crate::engine::plan(&p)
    }

    fn dec(s: &str) -> Decimal {
        Decimal::from_str_exact(s).unwrap()
    }

    fn one(position: &str) -> String {
        format!("[portfolio]\nvalue = 10000\n[[position]]\nweight = \"100%\"\n{position}\n")
    }

    fn fired(r: &PlanReport, lint: &str) -> bool {
        r.warnings.iter().any(|w| w.lint.name() == lint)
    }

    #[test]
    fn staking_routes_take_their_fee_from_the_book_band() {
        // ETH 3-5% (mid 4%): delegated keeps 92%, liquid 90%, direct all of it.
        let mid = |method: &str| {
            let r = plan_text(&one(&format!(
                "strategy = \"staking\"\nasset = \"ETH\"\nmethod = \"{method}\""
            )));
            r.positions[0].apy.mid
        };
        assert_eq!(mid("delegated"), Rate(dec("0.0368")));
        assert_eq!(mid("liquid"), Rate(dec("0.036")));
        assert_eq!(mid("direct"), Rate(dec("0.04")));
    }

    #[test]
    fn real_yield_of_a_staking_position() {
        // domain.md §2: 18% at 10% supply inflation, no fee → 7.27% real.
        let text = "[portfolio]\nvalue = 10000\n[assets.XYZ]\nstaking_apy = \"18%\"\ninflation = \"10%\"\n\
            [[position]]\nweight = \"100%\"\nstrategy = \"staking\"\nasset = \"XYZ\"\nmethod = \"direct\"\n";
        let r = plan_text(text);
        assert_eq!(
            r.positions[0].real_apy.unwrap().mid.0.round_dp(4),
            dec("0.0727")
        );
        assert!(!fired(&r, "real-yield-negative"));
        let poor = text.replace("\"18%\"", "\"4%\"");
        assert!(fired(&plan_text(&poor), "real-yield-negative"));
    }

    #[test]
    fn risk_adjusted_yield_subtracts_the_expected_loss() {
        // Aave is blue-chip: 0.5% × 50% = 0.25% expected loss; 5% − 0.25% = 4.75%.
        let r = plan_text(&one(
            "strategy = \"lending\"\nasset = \"USDC\"\nprotocol = \"aave\"\napy = \"5%\"",
        ));
        let p = &r.positions[0];
        assert_eq!(p.risk.expected_loss, Rate(dec("0.0025")));
        assert_eq!(p.risk_adjusted_apy.mid, Rate(dec("0.0475")));
        assert_eq!(r.totals.expected_annual_loss, Money(dec("25")));
        // An unknown protocol gets the unknown tier and a note.
        let r = plan_text(&one(
            "strategy = \"lending\"\nasset = \"USDC\"\nprotocol = \"newdex\"\napy = \"5%\"",
        ));
        assert_eq!(r.positions[0].risk.sources[0].tier, "unknown");
        assert!(
            r.positions[0].risk.sources[0]
                .note
                .as_deref()
                .unwrap()
                .contains("newdex")
        );
    }

    #[test]
    fn stacked_layers_add_yields_and_compound_risks() {
        // Stake ETH through Lido (liquid: 3.6% mid), lend the stETH on Aave at 1%.
        let text = one(
            "strategy = \"staking\"\nasset = \"ETH\"\nmethod = \"liquid\"\nprotocol = \"lido\"\n\
            [[position.stack]]\nstrategy = \"lending\"\nasset = \"STETH\"\nprotocol = \"aave\"\napy = \"1%\"",
        );
        let r = plan_text(&text);
        let p = &r.positions[0];
        assert_eq!(p.apy.mid, Rate(dec("0.046")));
        // Both blue-chip: 1 − (1 − 0.005)² = 0.9975%; expected 1 − (1 − 0.0025)² = 0.499375%.
        assert_eq!(p.risk.loss_probability, Rate(dec("0.009975")));
        assert_eq!(p.risk.expected_loss, Rate(dec("0.00499375")));
        assert!(p.defi);
        // One layer and under 5%: no stacked-risk warning by default...
        assert!(!fired(&r, "stacked-risk"));
        // ...but the profile can tighten the limit.
        let strict = text.replace(
            "[[position]]",
            "[lints]\nstacked_loss_probability = \"0.5%\"\n[[position]]",
        );
        assert!(fired(&plan_text(&strict), "stacked-risk"));
    }

    /// Layers on one protocol fail together, in its one event, as the
    /// simulation draws it: lending USDC on a protocol of 30% × 50% and
    /// stacking another layer on the same protocol is a 30% chance of
    /// losing 1 − 0.5² = 75%, an expected 22.5% (not the 51% and 27.75% of
    /// two independent events). With a second, lower-probability tier on
    /// that protocol (10% × 40%): 10% of the time both layers go
    /// (1 − 0.5·0.6 = 70%), another 20% only the first (50%): 17% expected.
    #[test]
    fn layers_on_one_protocol_fail_in_its_one_event() {
        let layers = |second_tier: &str| {
            format!(
                "[portfolio]\nvalue = 1000\n\
                 [risk_tiers.t1]\nloss_probability = \"30%\"\nloss_given_event = \"50%\"\n\
                 [risk_tiers.t2]\nloss_probability = \"10%\"\nloss_given_event = \"40%\"\n\
                 [protocols.xprot]\ntier = \"t1\"\n\
                 [[position]]\nstrategy = \"lending\"\nasset = \"USDC\"\nprotocol = \"xprot\"\napy = \"0%\"\nweight = \"100%\"\n\
                 [[position.stack]]\nstrategy = \"lending\"\nasset = \"USDC\"\nprotocol = \"xprot\"\napy = \"0%\"\n{second_tier}"
            )
        };
        let same = plan_text(&layers(""));
        assert_eq!(same.positions[0].risk.loss_probability, Rate(dec("0.3")));
        assert_eq!(same.positions[0].risk.expected_loss, Rate(dec("0.225")));
        let mixed = plan_text(&layers("risk_tier = \"t2\"\n"));
        assert_eq!(mixed.positions[0].risk.loss_probability, Rate(dec("0.3")));
        assert_eq!(mixed.positions[0].risk.expected_loss, Rate(dec("0.17")));
    }

    #[test]
    fn diversification_counts_stacks_under_each_protocol_and_pools_under_both_assets() {
        let text = "[portfolio]\nvalue = 1000\n\
            [[position]]\nweight = \"50%\"\nstrategy = \"staking\"\nasset = \"ETH\"\nmethod = \"liquid\"\nprotocol = \"lido\"\n\
            [[position.stack]]\nstrategy = \"lending\"\nasset = \"STETH\"\nprotocol = \"aave\"\napy = \"1%\"\n\
            [[position]]\nweight = \"30%\"\nstrategy = \"liquidity\"\npair = [\"ETH\", \"USDC\"]\nprotocol = \"uniswap\"\n\
            [[position]]\nweight = \"20%\"\nstrategy = \"staking\"\nasset = \"ATOM\"\n";
        let r = plan_text(text);
        let d = &r.diversification;
        let share = |v: &[Exposure], n: &str| v.iter().find(|e| e.name == n).map(|e| e.share);
        assert_eq!(share(&d.by_protocol, "lido"), Some(Rate(dec("0.5"))));
        assert_eq!(share(&d.by_protocol, "aave"), Some(Rate(dec("0.5"))));
        // Majors: the staked ETH (50%) and half the pool (15%); stablecoins the other half.
        assert_eq!(share(&d.by_asset_group, "majors"), Some(Rate(dec("0.65"))));
        assert_eq!(
            share(&d.by_asset_group, "stablecoins"),
            Some(Rate(dec("0.15")))
        );
        assert_eq!(share(&d.by_chain, "ethereum"), Some(Rate(dec("0.8"))));
        assert_eq!(d.defi.share, Rate(dec("0.8")));
        for lint in [
            "protocol-concentration",
            "chain-concentration",
            "defi-heavy",
        ] {
            assert!(fired(&r, lint), "{lint}");
        }
    }

    #[test]
    fn locked_liquidity_fires_only_when_income_is_needed_now() {
        // DOT and ATOM unbond for 28 and 21 days.
        let text = "[portfolio]\nvalue = 1000\n[goal]\nannual_income = 10\n\
            [[position]]\nweight = \"60%\"\nstrategy = \"staking\"\nasset = \"DOT\"\n\
            [[position]]\nweight = \"40%\"\nstrategy = \"staking\"\nasset = \"ATOM\"\n";
        assert!(fired(&plan_text(text), "locked-liquidity"));
        let later = text.replace(
            "annual_income = 10",
            "annual_income = 10\nstarts_in_years = 3",
        );
        assert!(!fired(&plan_text(&later), "locked-liquidity"));
    }
}

#[cfg(test)]
mod override_tests {
    use std::path::Path;

    use super::*;
    use crate::rates::RateBook;

    fn plan_text(text: &str) -> crate::engine::plan::PlanReport {
        let book = RateBook::default_book();
        let p = crate::load(Path::new("o.toml"), text.as_bytes(), &book)
            .unwrap_or_else(|e| panic!("{e}"));
        crate::engine::plan(&p)
    }

    #[test]
    fn the_profile_overrides_tiers_protocols_and_fees() {
        let text = "[portfolio]\nvalue = 1000\n\
            [risk_tiers.emerging]\nloss_probability = \"10%\"\n\
            [protocols.mydex]\ntier = \"emerging\"\n\
            [staking_methods.delegated]\nfee = \"5%\"\n\
            [[position]]\nweight = \"50%\"\nstrategy = \"lending\"\nasset = \"USDC\"\nprotocol = \"mydex\"\napy = \"5%\"\n\
            [[position]]\nweight = \"50%\"\nstrategy = \"staking\"\nasset = \"ETH\"\n";
        let r = plan_text(text);
        // emerging: 10% (overridden) × 70% (book) = 7% expected loss.
        let lend = &r.positions[0];
        assert_eq!(lend.risk.sources[0].tier, "emerging");
        assert_eq!(lend.risk.expected_loss, Rate(Decimal::new(7, 2)));
        // Delegated ETH at a 5% fee: 4% × 0.95 = 3.8%.
        assert_eq!(r.positions[1].apy.mid, Rate(Decimal::new(38, 3)));
    }
}
