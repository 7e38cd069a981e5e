//! The top-level sections of a profile: everything but the positions.
//!
//! Reads `name`, `[portfolio]`, `[goal]`, `[assumptions]`, `[assets]`,
//! `[lints]`, the named override tables (`[risk_tiers]`, `[protocols]`,
//! `[staking_methods]`), `[[scenario]]` and `[rates]`, and says which required
//! sections are missing. It converts and checks values only; whether a named
//! asset, tier or protocol exists is for `resolve` to say.

use crate::model::Rebalance;
use std::fmt;

use rust_decimal::Decimal;
use toml::de::{DeTable, DeValue};

use super::keys::{
    ASSET_KEYS, ASSUMPTION_KEYS, GOAL_KEYS, INCOME_KEYS, Keys, LINT_KEYS, METHOD_KEYS,
    PORTFOLIO_KEYS, PROTOCOL_KEYS, RATES_KEYS, REVIEW_KEYS, SCENARIO_KEYS, TIER_KEYS, TOP_KEYS,
};
use super::reader::{Reader, Val, get};
use super::values::readable;
use super::{
    AssetSpec, AssumptionsSpec, GoalSpec, LintsSpec, Period, PortfolioSpec, ProfileSpec,
    ReviewSpec, ScenarioSpec, Sp, TierSpec,
};
use crate::error::{Diagnostic, shorten};

impl Reader {
    /// The whole profile, section by section; reports the required sections
    /// that are missing, and settles the absent keys at the end.
    pub(super) fn profile(&mut self, root: &DeTable<'_>) -> ProfileSpec {
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
        if let Some(v) = get(root, "review") {
            spec.review = self.review(v);
        }
        if let Some(v) = get(root, "risk_tiers") {
            spec.risk_tiers = self.risk_tiers(v);
        }
        if let Some(v) = get(root, "protocols") {
            spec.protocols = self.protocols(v);
        }
        if let Some(v) = get(root, "staking_methods") {
            spec.staking_methods = self.staking_methods(v);
        }
        if let Some(v) = get(root, "scenario") {
            spec.scenarios = self.scenarios(v);
        }
        if let Some(v) = get(root, "rates") {
            spec.pools_file = self.rates(v);
        }
        if let Some(v) = get(root, "optimize") {
            spec.optimize = self.optimize(v);
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

    /// `[risk_tiers.NAME]`: overrides of a tier's loss probability and loss given event.
    fn risk_tiers(&mut self, v: &Val<'_>) -> Vec<(Sp<String>, TierSpec)> {
        self.named_tables(v, "risk_tiers", TIER_KEYS, |r, t, what| {
            let rate = |r: &mut Reader, key: &str| {
                get(t, key).and_then(|x| r.share(x, &format_args!("`{key}` of {what}")))
            };
            let (p, l) = (rate(r, "loss_probability"), rate(r, "loss_given_event"));
            Some(TierSpec {
                loss_probability: p,
                loss_given_event: l,
            })
        })
    }

    /// `[protocols.NAME]`: the risk tier a protocol is given.
    fn protocols(&mut self, v: &Val<'_>) -> Vec<(Sp<String>, Sp<String>)> {
        self.named_tables(v, "protocols", PROTOCOL_KEYS, |r, t, what| {
            r.label_of(t, "tier", what)
        })
    }

    /// `[staking_methods.NAME]`: a staking route's provider fee, as a share of rewards.
    fn staking_methods(&mut self, v: &Val<'_>) -> Vec<(Sp<String>, Decimal)> {
        self.named_tables(v, "staking_methods", METHOD_KEYS, |r, t, what| {
            let x = get(t, "fee")?;
            r.share(x, &format_args!("`fee` of {what}"))
        })
    }

    /// `[rates]`: the pools snapshot file, if named.
    fn rates(&mut self, v: &Val<'_>) -> Option<Sp<String>> {
        let t = self.table(
            v,
            "[rates]",
            "write [rates] on its own line, then pools = \"pools.json\"",
        )?;
        self.check_keys(t, RATES_KEYS, "[rates]");
        let x = get(t, "pools")?;
        self.label(x, "`pools` in [rates]", "pools")
            .map(|s| Sp::new(s, x.span()))
    }

    /// `[portfolio]`: its value (required, an amount) and currency code.
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
        let value = if let Some(value) = get(t, "value") {
            self.money(value, "`value` in [portfolio]")
                .map(|amount| Sp::new(amount, value.span()))
        } else {
            if !suggested.contains(&"value") {
                self.absent(
                    &["value"],
                    v.span(),
                    "[portfolio] has no `value`",
                    "add value = <total value of the portfolio>, e.g. value = 300000",
                );
            }
            None
        };
        Some(PortfolioSpec {
            value: value?,
            currency: currency?,
        })
    }

    /// An income: one amount, or `{ min, max }`, as (min, max) amounts.
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

    /// `[goal]`: the income wanted, monthly or annual (exactly one), when
    /// it starts and whether it is after tax.
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
        // A goal is planned by the year: twelve months must be an amount too.
        let most = crate::money::max_monthly();
        if period == Period::Monthly && max > most {
            self.error(
                value.span(),
                format!(
                    "{key} is {} a month, {} a year: more than 10^15, the largest amount a profile takes",
                    readable(max),
                    readable(max * Decimal::from(12))
                ),
                format!("give at most {most} a month"),
            );
            return None;
        }
        Some(GoalSpec {
            min,
            max,
            period,
            span: value.span(),
            starts_in_years: starts?,
            after_tax: after_tax?,
        })
    }

    /// `[assumptions]`: rates and shares that override the planning defaults.
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
        let rebalance = get(t, "rebalance").and_then(|x| {
            self.word(
                x,
                "[assumptions]",
                "rebalance",
                "rebalancing rule",
                &Rebalance::NAMES,
                Rebalance::parse,
            )
            .map(|w| w.value)
        });
        AssumptionsSpec {
            tax_rate,
            inflation,
            reinvest,
            sustainable_yield,
            emissions_haircut,
            annual_contribution,
            rebalance,
        }
    }

    /// `[assets.SYMBOL]`: per-asset overrides of the rate book.
    fn assets(&mut self, v: &Val<'_>) -> Vec<AssetSpec> {
        let Some(t) = self.table(v, "[assets]", "write one [assets.SYMBOL] table per asset") else {
            return Vec::new();
        };
        if self.entries_over_limit(t, "[assets] entries") {
            return Vec::new();
        }
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

    /// `[lints]`: lints switched off and the thresholds that fire the others.
    fn lints(&mut self, v: &Val<'_>) -> LintsSpec {
        let Some(t) = self.table(v, "[lints]", "write [lints] on its own line") else {
            return LintsSpec::default();
        };
        self.check_keys(t, LINT_KEYS, "[lints]");
        let mut spec = LintsSpec::default();
        if let Some(x) = get(t, "allow") {
            match x.get_ref() {
                DeValue::Array(items) => {
                    for item in items {
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

    /// `[review]`: the thresholds of `yieldplan review`'s flags, each a share.
    fn review(&mut self, v: &Val<'_>) -> ReviewSpec {
        let Some(t) = self.table(v, "[review]", "write [review] on its own line") else {
            return ReviewSpec::default();
        };
        self.check_keys(t, REVIEW_KEYS, "[review]");
        let mut spec = ReviewSpec::default();
        for (key, slot) in [
            ("apy_drop", &mut spec.apy_drop),
            ("apy_drop_relative", &mut spec.apy_drop_relative),
            ("tvl_drop", &mut spec.tvl_drop),
            ("emissions_up", &mut spec.emissions_up),
            ("band", &mut spec.band),
        ] {
            if let Some(x) = get(t, key) {
                *slot = self.share(x, &format_args!("`{key}` in [review]"));
            }
        }
        spec
    }

    /// A table of named sub-tables, such as `[risk_tiers.NAME]`: each read by `one`.
    /// As [`Reader::too_many`] for a table of named entries, at the first
    /// entry past [`super::MAX_ENTRIES`] in file order (the table itself
    /// holds them sorted by name).
    fn entries_over_limit(&mut self, t: &DeTable<'_>, what: &str) -> bool {
        let most = super::MAX_ENTRIES;
        if t.len() <= most {
            return false;
        }
        let mut places: Vec<super::Span> = t.iter().map(|(k, _)| k.span()).collect();
        let place = places
            .select_nth_unstable_by_key(most, |s| s.start)
            .1
            .clone();
        self.too_many(what, t.len(), most, Some(place))
    }

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
        if self.entries_over_limit(t, &format!("[{key}] entries")) {
            return Vec::new();
        }
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

    /// `[[scenario]]`: the stress scenarios the profile defines.
    fn scenarios(&mut self, v: &Val<'_>) -> Vec<ScenarioSpec> {
        let DeValue::Array(items) = v.get_ref() else {
            self.error(
                v.span(),
                "`scenario` must be a list of [[scenario]] tables",
                "write each shock under its own [[scenario]] header (double brackets)",
            );
            return Vec::new();
        };
        if self.too_many(
            "[[scenario]] tables",
            items.len(),
            super::MAX_ENTRIES,
            items.get(super::MAX_ENTRIES).map(toml::Spanned::span),
        ) {
            return Vec::new();
        }
        items
            .iter()
            .enumerate()
            .filter_map(|(i, item)| self.scenario(item, &format!("scenario {}", i + 1)))
            .collect()
    }

    /// One stress scenario, called `what` in messages.
    fn scenario(&mut self, item: &Val<'_>, what: &str) -> Option<ScenarioSpec> {
        let t = self.table(
            item,
            what,
            "write each shock under its own [[scenario]] header",
        )?;
        self.check_keys(t, SCENARIO_KEYS, what);
        let mut sc = ScenarioSpec {
            span: item.span(),
            ..ScenarioSpec::default()
        };
        sc.name = self.label_of(t, "name", what);
        if get(t, "name").is_none() {
            self.error(
                item.span(),
                format!("{what} has no `name`"),
                "add name = \"...\" so the stress report can show it",
            );
        }
        if let Some(x) = get(t, "prices") {
            sc.prices = self.price_changes(x, what);
        }
        if let Some(x) = get(t, "crypto") {
            sc.crypto = self.change(x, &format_args!("`crypto` of {what}"));
        }
        if let Some(x) = get(t, "yields") {
            sc.yields = self.change(x, &format_args!("`yields` of {what}"));
        }
        if let Some(x) = get(t, "fail") {
            sc.fail = self.failed_protocols(x, what);
        }
        if let Some(x) = get(t, "slash") {
            sc.slash = self
                .boolean(x, &format_args!("`slash` of {what}"))
                .unwrap_or(false);
        }
        Some(sc)
    }

    /// A scenario's `prices`: a price change (a fraction) per asset symbol.
    fn price_changes(&mut self, x: &Val<'_>, what: &str) -> Vec<(Sp<String>, Decimal)> {
        let Some(pt) = self.table(
            x,
            &format_args!("`prices` of {what}"),
            "write prices = { ETH = \"-30%\", SOL = \"-40%\" }",
        ) else {
            return Vec::new();
        };
        let mut out = Vec::new();
        for (sym, change) in pt {
            let about = format!("the price change of {} in {what}", shorten(sym.get_ref()));
            if let Some(d) = self.change(change, &about) {
                out.push((Sp::new(sym.get_ref().to_string(), sym.span()), d));
            }
        }
        out
    }

    /// A scenario's `fail`: the protocols that suffer a loss event.
    fn failed_protocols(&mut self, x: &Val<'_>, what: &str) -> Vec<Sp<String>> {
        let DeValue::Array(names) = x.get_ref() else {
            self.wrong_type(
                x,
                &format_args!("`fail` of {what}"),
                "an array of protocol names",
                "write fail = [\"aave\"]",
            );
            return Vec::new();
        };
        let mut out = Vec::new();
        for n in names {
            if let Some(s) = self.label(n, &format_args!("an entry of `fail` in {what}"), "fail") {
                out.push(Sp::new(s, n.span()));
            }
        }
        out
    }
}
