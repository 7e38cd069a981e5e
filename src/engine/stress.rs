//! Stress tests: what is left of value and income after a shock.
//!
//! Built-in shocks, then the profile's `[[scenario]]`s:
//! - **crypto crash**: BTC falls 50% and every other asset by its expected
//!   move given that fall, `E[rᵢ | r_m] = ρᵢ σᵢ / σ_m · r_m` (capped at −95%);
//!   stablecoins hold their peg. Pools are revalued by their pool maths, so
//!   impermanent loss appears where the pair's prices diverge.
//! - **yields halved**: every gross yield falls by half.
//! - **largest protocol fails**: the protocol most money depends on has a
//!   loss event and takes its tier's loss given the event.
//! - **stablecoin depeg**: the most-held stablecoin falls to 0.90.
//! - **slashing**: every stake loses its network's slashing penalty.
//!
//! Income after a shock is the shocked value earning the (shocked) yields;
//! the goal status is recomputed against the same target. Pure.

use std::collections::BTreeMap;

use rust_decimal::Decimal;
use serde::Serialize;

use super::floats::decimal;
use super::payout;
use super::plan_report::{MoneyBand, PlanReport, PositionOut, Status};
use super::schema::{ProfileRef, SCHEMA_VERSION};
use crate::model::{Band, Portfolio, Position, Scenario, Strategy};
use crate::money::{Money, Rate};

/// The market (BTC) fall of the built-in crash, a fraction.
pub const CRASH: f64 = -0.5;
/// The most any asset falls in the built-in crash, a fraction.
pub const CRASH_FLOOR: f64 = -0.95;
/// The price change the built-in depeg gives the most-held stablecoin, a fraction.
pub const DEPEG: f64 = -0.10;

/// A shock, ready to apply.
#[derive(Clone, Debug, PartialEq)]
pub struct Shock {
    /// The shock's name, shown as a row label.
    pub name: String,
    /// What the shock does, in one line.
    pub description: String,
    /// Price change per asset, a fraction.
    pub prices: BTreeMap<String, f64>,
    /// Price change of every asset not in `prices` that is not a stablecoin, a fraction.
    pub crypto: f64,
    /// Multiplier on every gross yield.
    pub yield_factor: f64,
    /// Failing protocols and the share of money each takes, a fraction.
    pub fail: Vec<(String, f64)>,
    /// True when every stake loses its network's slashing penalty.
    pub slash: bool,
}

/// The plan after one shock.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ShockOut {
    /// The shock's name.
    pub name: String,
    /// What the shock does, in one line.
    pub description: String,
    /// Portfolio value after the shock.
    pub value: Money,
    /// Value after less value before.
    pub value_change: Money,
    /// `value_change` over the value before, a fraction.
    pub value_change_share: Rate,
    /// Yearly income band of the shocked value at the shocked yields
    /// (before tax).
    pub annual_income: MoneyBand,
    /// `annual_income` less tax at the profile's rate: what an after-tax
    /// goal is tested against.
    pub after_tax_annual_income: MoneyBand,
    /// Goal status after the shock; null without a goal.
    pub status: Option<Status>,
    /// True when the mid band no longer covers the minimum goal (status below `likely`).
    pub breaks_goal: bool,
}

/// The JSON output of `yieldplan stress`.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct StressReport {
    /// See [`SCHEMA_VERSION`].
    pub schema_version: u32,
    /// The profile stressed.
    pub profile: ProfileRef,
    /// The currency code every amount is in.
    pub currency: String,
    /// Minimum yearly income of the goal, if any.
    pub goal_min: Option<Money>,
    /// True when the goal is net of tax.
    pub after_tax: bool,
    /// The plan as it stands.
    pub baseline: ShockOut,
    /// The plan after each shock: built-in ones first, then the profile's.
    pub shocks: Vec<ShockOut>,
}

/// The built-in crash: BTC falls by [`CRASH`], every other asset by its
/// expected move given that fall, `E[rᵢ | r_m] = ρᵢ σᵢ / σ_m · r_m` (the
/// regression of a bivariate normal), floored at [`CRASH_FLOOR`];
/// stablecoins hold their peg.
fn crash(p: &Portfolio) -> Shock {
    let sigma_m = p
        .assets
        .get("BTC")
        .and_then(|a| a.volatility)
        .map_or(0.6, Rate::to_f64);
    let mut crash = BTreeMap::new();
    for (sym, facts) in &p.assets {
        if facts.stablecoin {
            crash.insert(sym.clone(), 0.0);
            continue;
        }
        let rho = p.market_correlation.get(sym).copied().unwrap_or(0.0);
        let sigma = facts.volatility.map_or(sigma_m, Rate::to_f64);
        let beta = if sigma_m > 0.0 {
            rho * sigma / sigma_m
        } else {
            1.0
        };
        crash.insert(sym.clone(), (beta * CRASH).clamp(CRASH_FLOOR, 0.0));
    }
    Shock {
        name: "crypto crash -50%".into(),
        description:
            "BTC falls 50%; other assets by their correlation and volatility; stablecoins hold"
                .into(),
        prices: crash,
        crypto: CRASH,
        yield_factor: 1.0,
        fail: Vec::new(),
        slash: false,
    }
}

/// Built-in shocks for a portfolio, then its own scenarios.
#[must_use]
pub fn shocks(p: &Portfolio) -> Vec<Shock> {
    let mut out = vec![crash(p)];
    out.push(Shock {
        name: "yields halved".into(),
        description: "every staking, lending, fee and reward yield falls by half".into(),
        prices: BTreeMap::new(),
        crypto: 0.0,
        yield_factor: 0.5,
        fail: Vec::new(),
        slash: false,
    });
    if let Some((protocol, lgd)) = largest_protocol(p) {
        out.push(Shock {
            name: format!("{protocol} fails"),
            description: format!(
                "the largest protocol has a loss event and takes {:.0}% of the money in it",
                lgd * 100.0
            ),
            prices: BTreeMap::new(),
            crypto: 0.0,
            yield_factor: 1.0,
            fail: vec![(protocol, lgd)],
            slash: false,
        });
    }
    if let Some(coin) = largest_stablecoin(p) {
        out.push(Shock {
            name: format!("{coin} depegs to 0.90"),
            description: format!("the most-held stablecoin, {coin}, loses 10% of its value"),
            prices: BTreeMap::from([(coin, DEPEG)]),
            crypto: 0.0,
            yield_factor: 1.0,
            fail: Vec::new(),
            slash: false,
        });
    }
    if p.positions.iter().any(|x| x.staking.is_some()) {
        out.push(Shock {
            name: "slashing".into(),
            description: "every stake loses its network's slashing penalty".into(),
            prices: BTreeMap::new(),
            crypto: 0.0,
            yield_factor: 1.0,
            fail: Vec::new(),
            slash: true,
        });
    }
    out.extend(p.scenarios.iter().map(scenario_shock));
    out
}

fn scenario_shock(s: &Scenario) -> Shock {
    let mut parts = Vec::new();
    for (a, c) in &s.prices {
        parts.push(format!("{a} {:+.0}%", c.to_f64() * 100.0));
    }
    if let Some(c) = s.crypto {
        parts.push(format!("other crypto {:+.0}%", c.to_f64() * 100.0));
    }
    if let Some(y) = s.yields {
        parts.push(format!("yields {:+.0}%", y.to_f64() * 100.0));
    }
    for (name, _) in &s.fail {
        parts.push(format!("{name} fails"));
    }
    if s.slash {
        parts.push("stakes slashed".into());
    }
    Shock {
        name: s.name.clone(),
        description: format!("profile scenario: {}", parts.join(", ")),
        prices: s
            .prices
            .iter()
            .map(|(a, c)| (a.clone(), c.to_f64()))
            .collect(),
        crypto: s.crypto.map_or(0.0, Rate::to_f64),
        yield_factor: 1.0 + s.yields.map_or(0.0, Rate::to_f64),
        fail: s
            .fail
            .iter()
            .map(|(n, l)| (n.clone(), l.to_f64()))
            .collect(),
        slash: s.slash,
    }
}

/// The protocol most money depends on, with its loss given an event.
fn largest_protocol(p: &Portfolio) -> Option<(String, f64)> {
    let mut by: BTreeMap<&str, (Decimal, f64)> = BTreeMap::new();
    for pos in &p.positions {
        if let Some(name) = pos.protocol.as_deref() {
            let e = by
                .entry(name)
                .or_insert((Decimal::ZERO, pos.risk.loss_given_event.to_f64()));
            e.0 += pos.amount.0;
        }
        for l in &pos.stack {
            if let Some(name) = l.protocol.as_deref() {
                let e = by
                    .entry(name)
                    .or_insert((Decimal::ZERO, l.risk.loss_given_event.to_f64()));
                e.0 += pos.amount.0;
            }
        }
    }
    by.into_iter()
        .max_by(|a, b| a.1.0.cmp(&b.1.0).then_with(|| b.0.cmp(a.0)))
        .map(|(n, (_, lgd))| (n.to_string(), lgd))
}

/// The stablecoin with the most money in it (pools count half).
fn largest_stablecoin(p: &Portfolio) -> Option<String> {
    let mut by: BTreeMap<&str, Decimal> = BTreeMap::new();
    let stable = |s: &str| p.assets.get(s).is_some_and(|a| a.stablecoin);
    for pos in &p.positions {
        match (&pos.asset, &pos.pair) {
            (Some(a), _) if stable(a) => *by.entry(a).or_default() += pos.amount.0,
            (_, Some(pair)) => {
                for a in pair.iter().filter(|a| stable(a)) {
                    *by.entry(a).or_default() += pos.amount.0 / Decimal::TWO;
                }
            }
            _ => {}
        }
    }
    by.into_iter()
        .max_by(|a, b| a.1.cmp(&b.1).then_with(|| b.0.cmp(a.0)))
        .map(|(n, _)| n.to_string())
}

/// The price change a shock gives an asset.
fn change(p: &Portfolio, shock: &Shock, asset: Option<&str>) -> f64 {
    match asset {
        Some(a) => match shock.prices.get(a) {
            Some(c) => *c,
            None if p.assets.get(a).is_some_and(|x| x.stablecoin) => 0.0,
            None => shock.crypto,
        },
        // A position with no asset (a farm) moves with the crypto market.
        None => shock.crypto,
    }
}

/// A position's value factor after a shock (0 or more).
fn shocked(p: &Portfolio, pos: &Position, shock: &Shock) -> f64 {
    let mut factor = match (&pos.pair, &pos.liquidity) {
        (Some([a, b]), Some(l)) => {
            let (ca, cb) = (change(p, shock, Some(a)), change(p, shock, Some(b)));
            let r = (1.0 + ca) / (1.0 + cb);
            // The pool's value in B, times B's new price.
            l.pool.values(r).0 * (1.0 + cb)
        }
        _ if pos.strategy == Strategy::Hold && pos.asset.is_none() => 1.0,
        _ => 1.0 + change(p, shock, pos.asset.as_deref()),
    };
    if shock.slash {
        if let Some(s) = &pos.staking {
            factor *= 1.0 - s.slashing.to_f64();
        }
    }
    for (name, lgd) in &shock.fail {
        let hit = pos.protocol.as_deref() == Some(name.as_str())
            || pos
                .stack
                .iter()
                .any(|l| l.protocol.as_deref() == Some(name.as_str()));
        if hit {
            factor *= 1.0 - lgd;
        }
    }
    factor.max(0.0)
}

/// A position's yearly rates after a shock, as the plan counts them
/// (`plan::plan_position`): what is paid out (its yields times the shock's
/// factor, paid on the goal's schedule, `payout::paid_out_band`) and that
/// plus the expected impermanent loss, which the factor does not scale (the
/// income); both zero when screened. With a factor of 1 they are the plan's
/// own, so a shock that changes nothing leaves the plan's income.
fn shocked_rates(p: &Portfolio, pos: &Position, out: &PositionOut, shock: &Shock) -> (Band, Band) {
    if out.screened {
        return (Band::default(), Band::default());
    }
    let il = out.expected_il.unwrap_or(Rate::ZERO);
    let paid = if shock.yield_factor == 1.0 {
        out.paid_out_rate
    } else {
        let f = decimal(shock.yield_factor);
        let mut scaled = pos.clone();
        scaled.apy = pos.apy.map(|r| Rate(r.0 * f));
        if let Some(l) = scaled.liquidity.as_mut() {
            l.fee_apr = l.fee_apr.map(|r| Rate(r.0 * f));
        }
        payout::paid_out_band(&scaled, p.payouts_per_year())
    };
    (paid, paid.map(|r| r + il))
}

/// Applies one shock to a planned portfolio.
#[must_use]
pub fn apply(p: &Portfolio, plan: &PlanReport, shock: &Shock) -> ShockOut {
    let mut value = Decimal::ZERO;
    let (mut paid, mut annual) = (MoneyBand::default(), MoneyBand::default());
    for (pos, out) in p.positions.iter().zip(&plan.positions) {
        let after = Money(pos.amount.0 * decimal(shocked(p, pos, shock)));
        value += after.0;
        let (paid_rate, income_rate) = shocked_rates(p, pos, out, shock);
        paid = paid.add(MoneyBand::earned(after, paid_rate));
        annual = annual.add(MoneyBand::earned(after, income_rate));
    }
    // Unrounded, as JSON keeps every digit; tables round.
    summarise(
        p,
        &shock.name,
        &shock.description,
        Money(value),
        annual,
        paid,
    )
}

/// One row: `annual` is the income (what is paid out plus the expected
/// impermanent loss), `paid` what is paid out. Tax falls on what is paid
/// out, never on the impermanent loss, and is never negative, as in the
/// plan's totals (`plan::totals`).
fn summarise(
    p: &Portfolio,
    name: &str,
    description: &str,
    value: Money,
    annual: MoneyBand,
    paid: MoneyBand,
) -> ShockOut {
    let rate = p.assumptions.tax_rate.0;
    let tax = paid.map(|m| Money(m.0.max(Decimal::ZERO) * rate));
    let after_tax = MoneyBand {
        low: annual.low - tax.low,
        mid: annual.mid - tax.mid,
        high: annual.high - tax.high,
    };
    let status = p.goal.as_ref().map(|g| {
        let totals_basis = if g.after_tax { after_tax } else { annual };
        Status::of(totals_basis, g.annual_min)
    });
    ShockOut {
        name: name.to_string(),
        description: description.to_string(),
        value,
        value_change: value - p.value,
        value_change_share: (value - p.value).share_of(p.value),
        annual_income: annual,
        after_tax_annual_income: after_tax,
        status,
        breaks_goal: status.is_some_and(|s| s < Status::Likely),
    }
}

/// Runs every shock on a planned portfolio.
#[must_use]
pub fn stress(p: &Portfolio, plan: &PlanReport) -> StressReport {
    let paid = plan
        .positions
        .iter()
        .fold(MoneyBand::default(), |acc, x| acc.add(x.paid_out_income));
    let mut baseline = summarise(
        p,
        "no shock",
        "the plan as it stands",
        p.value,
        plan.totals.annual_income,
        paid,
    );
    if let Some(goal) = &plan.goal {
        baseline.status = Some(goal.status);
        baseline.breaks_goal = goal.status < Status::Likely;
    }
    StressReport {
        schema_version: SCHEMA_VERSION,
        profile: plan.profile.clone(),
        currency: p.currency.clone(),
        goal_min: p.goal.as_ref().map(|g| g.annual_min.settle()),
        after_tax: p.goal.as_ref().is_some_and(|g| g.after_tax),
        baseline,
        shocks: shocks(p).iter().map(|s| apply(p, plan, s)).collect(),
    }
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;
    use crate::rates::RateBook;

    /// $100,000: half ETH staked (4% as given, delegated), half USDC lent on Aave at 5%.
    const PROFILE: &str = "[portfolio]\nvalue = 100000\n[goal]\nannual_income = 3000\n\
        [[position]]\nname = \"eth\"\nstrategy = \"staking\"\nasset = \"ETH\"\napy = \"4%\"\nweight = \"50%\"\n\
        [[position]]\nname = \"usdc\"\nstrategy = \"lending\"\nasset = \"USDC\"\nprotocol = \"aave\"\napy = \"5%\"\nweight = \"50%\"\n";

    fn run(extra: &str) -> StressReport {
        let book = RateBook::default_book();
        let text = format!("{PROFILE}{extra}");
        let p = crate::load(Path::new("s.toml"), text.as_bytes(), &book)
            .unwrap_or_else(|e| panic!("{e}"));
        let plan = crate::engine::plan(&p);
        stress(&p, &plan)
    }

    fn shock<'a>(r: &'a StressReport, name: &str) -> &'a ShockOut {
        r.shocks
            .iter()
            .find(|s| s.name == name)
            .unwrap_or_else(|| panic!("no shock {name}"))
    }

    fn money(s: &str) -> Money {
        Money(Decimal::from_str_exact(s).unwrap())
    }

    #[test]
    fn crash_moves_assets_by_their_beta_to_the_market() {
        // ETH: β = ρ σ_ETH / σ_BTC = 0.8 × 0.70 / 0.60 = 0.9333…, so −46.667%;
        // USDC holds. Value 50,000 × 0.53333… + 50,000 = 76,666.67.
        let r = run("");
        let s = shock(&r, "crypto crash -50%");
        assert_eq!(s.value.settle(), money("76666.67"));
        // Income: 26,666.67 × 4% + 50,000 × 5% = 1,066.67 + 2,500.
        assert_eq!(s.annual_income.mid.settle(), money("3566.67"));
        // 3,566.67 ≥ 3,000 at mid: the goal holds.
        assert!(!s.breaks_goal);
    }

    /// Income in a shock is counted as the plan counts it: paid out on the
    /// goal's schedule (here monthly), so a scenario that changes nothing
    /// leaves the plan's income, slashing lowers it with the stake, and
    /// halved yields pay out the halved APY's monthly rate. Reference values
    /// from Python's `decimal`: 96,875 × 12 × (1.12^(1/12) − 1) = 11,030.72;
    /// 100,000 × 12 × (1.06^(1/12) − 1) = 5,841.06.
    #[test]
    fn shocked_income_is_paid_out_like_the_plan_s() {
        let text = "[portfolio]\nvalue = 100000\n[goal]\nmonthly_income = 500\n\
                    [assumptions]\ntax_rate = \"25%\"\n\
                    [[position]]\nstrategy = \"staking\"\nasset = \"ETH\"\nmethod = \"direct\"\n\
                    apy = \"12%\"\nweight = \"100%\"\n\
                    [[scenario]]\nname = \"nothing happens\"\n";
        let book = RateBook::default_book();
        let p = crate::load(Path::new("s.toml"), text.as_bytes(), &book)
            .unwrap_or_else(|e| panic!("{e}"));
        let plan = crate::engine::plan(&p);
        let r = stress(&p, &plan);
        let base = r.baseline.annual_income.mid;
        assert_eq!(base.settle(), money("11386.55"));
        // Every digit, as JSON keeps them.
        assert_eq!(
            shock(&r, "nothing happens").annual_income,
            r.baseline.annual_income
        );
        assert_eq!(
            shock(&r, "slashing").annual_income.mid.settle(),
            money("11030.72")
        );
        assert_eq!(
            shock(&r, "yields halved").annual_income.mid.settle(),
            money("5841.06")
        );
    }

    /// After tax is counted as the plan counts it: tax on what is paid out,
    /// never on the impermanent loss. A pool whose loss is large makes the
    /// two rules differ; the "no shock" row and a scenario that changes
    /// nothing both equal the plan's after-tax income, to every digit.
    #[test]
    fn after_tax_income_is_taxed_on_what_is_paid_out() {
        let text = "[portfolio]\nvalue = 250000\n[goal]\nmonthly_income = 850\nafter_tax = true\n\
                    [assumptions]\ntax_rate = \"25%\"\n\
                    [[position]]\nstrategy = \"liquidity\"\npair = [\"ETH\", \"USDC\"]\n\
                    fee_apr = \"12%\"\nreward_apy = \"3%\"\nweight = \"100%\"\n\
                    [[scenario]]\nname = \"nothing happens\"\n";
        let book = RateBook::default_book();
        let p = crate::load(Path::new("t.toml"), text.as_bytes(), &book)
            .unwrap_or_else(|e| panic!("{e}"));
        let plan = crate::engine::plan(&p);
        let il = plan.positions[0].expected_il.expect("a pool");
        assert!(il.0 < Decimal::ZERO);
        let r = stress(&p, &plan);
        assert_eq!(
            r.baseline.after_tax_annual_income,
            plan.totals.after_tax_annual_income
        );
        let same = shock(&r, "nothing happens");
        assert_eq!(
            same.after_tax_annual_income,
            plan.totals.after_tax_annual_income
        );
        // (paid + IL) × (1 − tax) would be larger by IL × tax (IL < 0).
        let paid = plan.positions[0].paid_out_income.mid.0;
        let income = plan.totals.annual_income.mid.0;
        let want = income - paid * Decimal::new(25, 2);
        assert_eq!(same.after_tax_annual_income.mid.0, want);
    }

    /// No built-in shock raises value on any shipped profile, and none raises
    /// income beyond what shrinking its positions of negative income (a pool
    /// whose impermanent loss outruns its fees) gives back.
    #[test]
    fn no_built_in_shock_improves_a_shipped_plan() {
        let book = RateBook::default_book();
        for entry in std::fs::read_dir("profiles").unwrap() {
            let path = entry.unwrap().path();
            let bytes = std::fs::read(&path).unwrap();
            let p = crate::load(&path, &bytes, &book).unwrap_or_else(|e| panic!("{e}"));
            let plan = crate::engine::plan(&p);
            let r = stress(&p, &plan);
            let losing = |pick: fn(&MoneyBand) -> Money| -> Decimal {
                plan.positions
                    .iter()
                    .map(|x| pick(&x.annual_income).0.min(Decimal::ZERO))
                    .sum()
            };
            let bands: [fn(&MoneyBand) -> Money; 3] = [|b| b.low, |b| b.mid, |b| b.high];
            for s in &r.shocks {
                let at = format!("{}: {}", path.display(), s.name);
                assert!(s.value <= p.value, "{at}");
                for pick in bands {
                    let (after, before) = (pick(&s.annual_income), pick(&r.baseline.annual_income));
                    let bound = Money(before.0 - losing(pick)).settle();
                    assert!(after <= bound, "{at}: {after:?} > {bound:?}");
                }
            }
        }
    }

    #[test]
    fn yields_halved_halve_income() {
        let r = run("");
        let s = shock(&r, "yields halved");
        assert_eq!(s.value.settle(), money("100000"));
        assert_eq!(s.annual_income.mid.settle(), money("2250"));
        assert!(s.breaks_goal);
    }

    #[test]
    fn the_largest_protocol_fails_with_its_tier_loss() {
        // Aave is blue-chip: a loss event takes 50% of the 50,000 in it.
        let r = run("");
        let s = shock(&r, "aave fails");
        assert_eq!(s.value.settle(), money("75000"));
        assert_eq!(s.annual_income.mid.settle(), money("3250"));
    }

    #[test]
    fn depeg_and_slashing_hit_only_what_they_touch() {
        let r = run("");
        assert_eq!(shock(&r, "USDC depegs to 0.90").value, money("95000"));
        // ETH's slashing penalty in the rate book: 3.125% of 50,000.
        assert_eq!(shock(&r, "slashing").value, money("98437.5"));
    }

    #[test]
    fn profile_scenarios_apply_their_own_shocks() {
        let r = run(
            "[[scenario]]\nname = \"eth winter\"\nprices = { ETH = \"-60%\" }\nyields = \"-20%\"\n",
        );
        let s = shock(&r, "eth winter");
        // 20,000 + 50,000; income 20,000 × 3.2% + 50,000 × 4% = 640 + 2,000.
        assert_eq!(s.value.settle(), money("70000"));
        assert_eq!(s.annual_income.mid.settle(), money("2640"));
        assert!(s.breaks_goal);
    }
}
