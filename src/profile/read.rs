//! Walks the parsed TOML of a profile, converting each field and collecting
//! every problem with its span. Nothing here stops at the first error.

use rust_decimal::Decimal;
use toml::Spanned;
use toml::de::{DeTable, DeValue};

use super::{
    AllocationSpec, AssetSpec, AssumptionsSpec, BandSpec, GoalSpec, LintsSpec, Period,
    PortfolioSpec, PositionSpec, ProfileSpec, RangeSpec, Sp, Span,
};
use crate::error::{Diagnostic, nearest};
use crate::model::{Method, PoolKind, Strategy};
use crate::money::{MAX_MONEY, MAX_RATE, parse_decimal_text, parse_percent};

type Val<'i> = Spanned<DeValue<'i>>;

const TOP_KEYS: &[&str] = &[
    "name",
    "portfolio",
    "goal",
    "assumptions",
    "assets",
    "position",
    "lints",
];
const PORTFOLIO_KEYS: &[&str] = &["value", "currency"];
const GOAL_KEYS: &[&str] = &[
    "monthly_income",
    "annual_income",
    "starts_in_years",
    "after_tax",
];
const ASSUMPTION_KEYS: &[&str] = &[
    "tax_rate",
    "inflation",
    "reinvest",
    "sustainable_yield",
    "emissions_haircut",
];
const ASSET_KEYS: &[&str] = &[
    "volatility",
    "inflation",
    "unbonding_days",
    "stablecoin",
    "staking_apy",
    "lending_apy",
];
const POSITION_KEYS: &[&str] = &[
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
];
const BAND_KEYS: &[&str] = &["low", "mid", "high"];
const RANGE_KEYS: &[&str] = &["lower", "upper"];
const INCOME_KEYS: &[&str] = &["min", "max"];
const LINT_KEYS: &[&str] = &["allow", "emissions_share"];

/// Parses profile text into a spec, or returns every problem found.
pub fn read_spec(text: &str) -> Result<ProfileSpec, Vec<Diagnostic>> {
    let root = match DeTable::parse(text) {
        Ok(root) => root,
        Err(e) => {
            let span = e.span().unwrap_or(0..0);
            return Err(vec![
                Diagnostic::at(span, format!("invalid TOML: {}", e.message().trim_end()))
                    .with_help("fix the TOML syntax here (see https://toml.io for the format)"),
            ]);
        }
    };
    let mut r = Reader::default();
    let spec = r.profile(root.get_ref());
    if r.diags.is_empty() {
        Ok(spec)
    } else {
        r.diags
            .sort_by_key(|d| d.span.as_ref().map_or(0, |s| s.start));
        Err(r.diags)
    }
}

#[derive(Default)]
struct Reader {
    diags: Vec<Diagnostic>,
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

impl Reader {
    fn error(&mut self, span: Span, message: impl Into<String>, help: impl Into<String>) {
        self.diags
            .push(Diagnostic::at(span, message).with_help(help));
    }

    /// Reports keys of `table` not in `known`, suggesting the nearest valid one.
    fn check_keys(&mut self, table: &DeTable<'_>, known: &[&str], context: &str) -> bool {
        let mut ok = true;
        for (key, _) in table {
            let name = key.get_ref().as_ref();
            if known.contains(&name) {
                continue;
            }
            ok = false;
            let help = match nearest(name, known.iter().copied()) {
                Some(n) => format!("did you mean `{n}`?"),
                None => format!("valid keys here: {}", known.join(", ")),
            };
            self.error(
                key.span(),
                format!("unknown key `{name}` in {context}"),
                help,
            );
        }
        ok
    }

    fn wrong_type(&mut self, v: &Val<'_>, what: &str, expected: &str, help: &str) {
        let found = v.get_ref().type_str();
        self.error(
            v.span(),
            format!(
                "{what} must be {expected}, found {} {found}",
                article(found)
            ),
            help,
        );
    }

    fn table<'a, 'i>(&mut self, v: &'a Val<'i>, what: &str, help: &str) -> Option<&'a DeTable<'i>> {
        match v.get_ref() {
            DeValue::Table(t) => Some(t),
            _ => {
                self.wrong_type(v, what, "a table", help);
                None
            }
        }
    }

    fn string(&mut self, v: &Val<'_>, what: &str) -> Option<String> {
        match v.get_ref() {
            DeValue::String(s) => {
                if s.chars().count() > 200 {
                    self.error(
                        v.span(),
                        format!("{what} is {} characters long", s.chars().count()),
                        "use at most 200 characters",
                    );
                    None
                } else {
                    Some(s.to_string())
                }
            }
            _ => {
                self.wrong_type(v, what, "a string", "put the text in double quotes");
                None
            }
        }
    }

    fn boolean(&mut self, v: &Val<'_>, what: &str) -> Option<bool> {
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

    fn whole(&mut self, v: &Val<'_>, what: &str, max: u32) -> Option<u32> {
        match v.get_ref() {
            DeValue::Integer(i) if i.radix() == 10 => match i.as_str().parse::<i64>() {
                Ok(n) if (0..=i64::from(max)).contains(&n) => Some(n as u32),
                _ => {
                    self.error(
                        v.span(),
                        format!("{what} is {}, outside 0 to {max}", i.as_str()),
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

    /// A plain number (integer or float), exactly. Rejects NaN and infinity.
    fn number(&mut self, v: &Val<'_>, what: &str) -> Option<Decimal> {
        let raw = match v.get_ref() {
            DeValue::Integer(i) if i.radix() == 10 => i.as_str(),
            DeValue::Integer(i) => {
                return match i64::from_str_radix(i.as_str(), i.radix()) {
                    Ok(n) => Some(Decimal::from(n)),
                    Err(_) => {
                        self.error(
                            v.span(),
                            format!("{what} is too large"),
                            "use a smaller number",
                        );
                        None
                    }
                };
            }
            DeValue::Float(f) => f.as_str(),
            DeValue::String(s) => {
                let help = match parse_decimal_text(s.trim()) {
                    Some(_) => format!("remove the quotes: {}", s.trim()),
                    None => "write a number such as 300000".to_string(),
                };
                self.wrong_type(v, what, "a number", &help);
                return None;
            }
            _ => {
                self.wrong_type(v, what, "a number", "write a number such as 300000");
                return None;
            }
        };
        let lower = raw.to_ascii_lowercase();
        if lower.contains("nan") || lower.contains("inf") {
            self.error(
                v.span(),
                format!("{what} is {raw}, not a finite number"),
                "write an ordinary number",
            );
            return None;
        }
        match parse_decimal_text(raw) {
            Some(d) => Some(d),
            None => {
                self.error(
                    v.span(),
                    format!("{what} ({raw}) is out of the range this tool can represent"),
                    "use a number of at most 28 significant digits",
                );
                None
            }
        }
    }

    /// An amount of money: a number above zero and at most 10^15.
    fn money(&mut self, v: &Val<'_>, what: &str) -> Option<Decimal> {
        let d = self.number(v, what)?;
        if d <= Decimal::ZERO {
            self.error(
                v.span(),
                format!("{what} is {d}; it must be more than zero"),
                "write a positive amount",
            );
            return None;
        }
        if d > MAX_MONEY {
            self.error(
                v.span(),
                format!("{what} is {d}, more than the 10^15 this tool accepts"),
                "check the number of digits",
            );
            return None;
        }
        Some(d)
    }

    /// A rate: `"4.5%"` or a fraction between 0 and 1 (`0.045`).
    fn rate(&mut self, v: &Val<'_>, what: &str) -> Option<Decimal> {
        let value = match v.get_ref() {
            DeValue::String(s) => match parse_percent(s) {
                Some(d) => d,
                None => {
                    let help = match parse_decimal_text(s.trim()) {
                        Some(d) if d <= Decimal::ONE => {
                            format!(
                                "write \"{}%\" or the fraction {d} without quotes",
                                d * Decimal::ONE_HUNDRED
                            )
                        }
                        Some(d) => format!("did you mean \"{d}%\"?"),
                        None => {
                            "write a percent such as \"4.5%\" or a fraction such as 0.045".into()
                        }
                    };
                    self.error(
                        v.span(),
                        format!("{what} is \"{s}\", which is not a percent"),
                        help,
                    );
                    return None;
                }
            },
            DeValue::Integer(_) | DeValue::Float(_) => {
                let d = self.number(v, what)?;
                if d > Decimal::ONE {
                    let help = if d <= Decimal::ONE_HUNDRED {
                        format!("did you mean \"{d}%\"? A bare number is a fraction (0.35 = 35%)")
                    } else {
                        format!(
                            "a bare number is a fraction (0.35 = 35%); write a rate above 100% as a percent string, e.g. \"{d}%\""
                        )
                    };
                    self.error(
                        v.span(),
                        format!("{what} is {d}, a bare number above 1"),
                        help,
                    );
                    return None;
                }
                d
            }
            _ => {
                self.wrong_type(
                    v,
                    what,
                    "a percent or a fraction",
                    "write a percent such as \"4.5%\" or a fraction such as 0.045",
                );
                return None;
            }
        };
        if value < Decimal::ZERO {
            self.error(
                v.span(),
                format!("{what} is negative"),
                "rates here are zero or more",
            );
            return None;
        }
        if value > MAX_RATE {
            self.error(
                v.span(),
                format!("{what} is more than 1,000,000%"),
                "check the figure: no yield this large can be planned on",
            );
            return None;
        }
        Some(value)
    }

    /// A band: one rate, or `{ low, high }` with an optional `mid`.
    fn band(&mut self, v: &Val<'_>, what: &str) -> Option<BandSpec> {
        let DeValue::Table(t) = v.get_ref() else {
            let r = self.rate(v, what)?;
            return Some(BandSpec {
                low: r,
                mid: None,
                high: r,
            });
        };
        self.check_keys(t, BAND_KEYS, what);
        let mut field = |key: &str| -> Option<Option<Decimal>> {
            match get(t, key) {
                Some(x) => self.rate(x, &format!("`{key}` of {what}")).map(Some),
                None => Some(None),
            }
        };
        let (low, mid, high) = (field("low")?, field("mid")?, field("high")?);
        let (Some(low), Some(high)) = (low, high) else {
            self.error(
                v.span(),
                format!("{what} needs both `low` and `high`"),
                "write { low = \"3%\", high = \"5%\" }, or a single rate",
            );
            return None;
        };
        if low > high {
            self.error(
                v.span(),
                format!("{what} has `low` above `high`"),
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
        self.check_keys(root, TOP_KEYS, "the profile");
        let mut spec = ProfileSpec::default();
        if let Some(v) = get(root, "name") {
            spec.name = self.string(v, "`name`").map(|s| Sp::new(s, v.span()));
        }
        match get(root, "portfolio") {
            Some(v) => spec.portfolio = self.portfolio(v),
            None => self.diags.push(
                Diagnostic::at(0..0, "the profile has no [portfolio] table")
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
        match get(root, "position") {
            Some(v) => spec.positions = self.positions(v),
            None => self.diags.push(
                Diagnostic::at(0..0, "the profile has no [[position]]")
                    .with_help("add at least one [[position]] with a strategy and a weight"),
            ),
        }
        spec
    }

    fn portfolio(&mut self, v: &Val<'_>) -> Option<PortfolioSpec> {
        let t = self.table(
            v,
            "[portfolio]",
            "write [portfolio] on its own line, then value = ...",
        )?;
        self.check_keys(t, PORTFOLIO_KEYS, "[portfolio]");
        let currency = match get(t, "currency") {
            Some(c) => {
                let s = self.string(c, "`currency` in [portfolio]")?;
                if s.is_empty() || s.len() > 8 || !s.chars().all(|ch| ch.is_ascii_alphabetic()) {
                    self.error(
                        c.span(),
                        format!("`currency` is \"{s}\", not a currency code"),
                        "use a code of letters such as \"USD\" or \"EUR\"",
                    );
                    return None;
                }
                s.to_ascii_uppercase()
            }
            None => "USD".to_string(),
        };
        let Some(value) = get(t, "value") else {
            self.error(
                v.span(),
                "[portfolio] has no `value`",
                "add value = <total value of the portfolio>, e.g. value = 300000",
            );
            return None;
        };
        let amount = self.money(value, "`value` in [portfolio]")?;
        Some(PortfolioSpec {
            value: Sp::new(amount, value.span()),
            currency,
        })
    }

    fn income(&mut self, v: &Val<'_>, what: &str) -> Option<(Decimal, Decimal)> {
        if let DeValue::Table(t) = v.get_ref() {
            self.check_keys(t, INCOME_KEYS, what);
            let min = get(t, "min").and_then(|x| self.money(x, &format!("`min` of {what}")));
            let max = get(t, "max").and_then(|x| self.money(x, &format!("`max` of {what}")));
            return match (min, max, get(t, "min"), get(t, "max")) {
                (Some(a), Some(b), _, _) if a > b => {
                    self.error(
                        v.span(),
                        format!("{what} has `min` above `max`"),
                        "swap the two figures",
                    );
                    None
                }
                (Some(a), Some(b), _, _) => Some((a, b)),
                (Some(a), None, _, None) => Some((a, a)),
                (None, _, None, _) => {
                    self.error(
                        v.span(),
                        format!("{what} has no `min`"),
                        "write { min = 1000, max = 2000 } or a single number",
                    );
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
        self.check_keys(t, GOAL_KEYS, "[goal]");
        let monthly = get(t, "monthly_income");
        let annual = get(t, "annual_income");
        let (value, period) = match (monthly, annual) {
            (Some(m), None) => (m, Period::Monthly),
            (None, Some(a)) => (a, Period::Annual),
            (Some(_), Some(a)) => {
                self.error(
                    a.span(),
                    "[goal] has both `monthly_income` and `annual_income`",
                    "keep one of the two",
                );
                return None;
            }
            (None, None) => {
                self.error(
                    v.span(),
                    "[goal] has no income",
                    "add monthly_income = 1000 or annual_income = { min = 12000, max = 24000 }",
                );
                return None;
            }
        };
        let key = match period {
            Period::Monthly => "`monthly_income`",
            Period::Annual => "`annual_income`",
        };
        let income = self.income(value, key);
        let starts = match get(t, "starts_in_years") {
            Some(x) => self.whole(x, "`starts_in_years`", 100),
            None => Some(0),
        };
        let after_tax = match get(t, "after_tax") {
            Some(x) => self.boolean(x, "`after_tax`"),
            None => Some(false),
        };
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
        let mut rate = |key: &str| get(t, key).and_then(|x| self.rate(x, &format!("`{key}`")));
        let spec = AssumptionsSpec {
            tax_rate: rate("tax_rate"),
            inflation: rate("inflation"),
            reinvest: rate("reinvest"),
            sustainable_yield: rate("sustainable_yield"),
            emissions_haircut: rate("emissions_haircut"),
        };
        for key in ["tax_rate", "reinvest", "emissions_haircut"] {
            if let (Some(x), Some(d)) = (
                get(t, key),
                match key {
                    "tax_rate" => spec.tax_rate,
                    "reinvest" => spec.reinvest,
                    _ => spec.emissions_haircut,
                },
            ) {
                if d > Decimal::ONE {
                    self.error(
                        x.span(),
                        format!("`{key}` is above 100%"),
                        "use a share from 0% to 100%",
                    );
                }
            }
        }
        spec
    }

    fn assets(&mut self, v: &Val<'_>) -> Vec<AssetSpec> {
        let Some(t) = self.table(v, "[assets]", "write one [assets.SYMBOL] table per asset") else {
            return Vec::new();
        };
        let mut out = Vec::new();
        for (key, value) in t {
            let symbol = key.get_ref().to_string();
            let what = format!("[assets.{symbol}]");
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
            if let Some(x) = get(at, "volatility") {
                a.volatility = self.rate(x, &format!("`volatility` in {what}"));
            }
            if let Some(x) = get(at, "inflation") {
                a.inflation = self.rate(x, &format!("`inflation` in {what}"));
            }
            if let Some(x) = get(at, "unbonding_days") {
                a.unbonding_days = self.whole(x, &format!("`unbonding_days` in {what}"), 3650);
            }
            if let Some(x) = get(at, "stablecoin") {
                a.stablecoin = self.boolean(x, &format!("`stablecoin` in {what}"));
            }
            if let Some(x) = get(at, "staking_apy") {
                a.staking_apy = self.band(x, &format!("`staking_apy` in {what}"));
            }
            if let Some(x) = get(at, "lending_apy") {
                a.lending_apy = self.band(x, &format!("`lending_apy` in {what}"));
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
            spec.emissions_share = self.rate(x, "`emissions_share` in [lints]");
        }
        spec
    }

    fn positions(&mut self, v: &Val<'_>) -> Vec<PositionSpec> {
        let DeValue::Array(items) = v.get_ref() else {
            self.error(
                v.span(),
                "`position` must be an array of tables",
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

    fn position(&mut self, v: &Val<'_>, number: usize) -> Option<PositionSpec> {
        let context = format!("position {number}");
        let t = self.table(
            v,
            &context,
            "write each position under its own [[position]] header",
        )?;
        let before = self.diags.len();
        self.check_keys(t, POSITION_KEYS, &context);
        let mut p = PositionSpec {
            number,
            span: v.span(),
            ..PositionSpec::default()
        };
        let sp_string = |r: &mut Reader, key: &str| {
            get(t, key).and_then(|x| {
                r.string(x, &format!("`{key}` of {context}"))
                    .map(|s| Sp::new(s, x.span()))
            })
        };
        p.name = sp_string(self, "name");
        p.asset = sp_string(self, "asset");
        p.index = sp_string(self, "index");
        p.protocol = sp_string(self, "protocol");
        p.chain = sp_string(self, "chain");
        if let Some(x) = get(t, "strategy") {
            if let Some(s) = self.string(x, &format!("`strategy` of {context}")) {
                match Strategy::parse(&s) {
                    Some(st) => p.strategy = Some(Sp::new(st, x.span())),
                    None => {
                        let names: Vec<&str> = Strategy::ALL.iter().map(|s| s.name()).collect();
                        let help = match nearest(&s, names.iter().copied()) {
                            Some(n) => format!("did you mean \"{n}\"?"),
                            None => format!("use one of: {}", names.join(", ")),
                        };
                        self.error(
                            x.span(),
                            format!("unknown strategy \"{s}\" in {context}"),
                            help,
                        );
                    }
                }
            }
        } else {
            self.error(
                v.span(),
                format!("{context} has no `strategy`"),
                "add strategy = \"staking\" (or lending, liquidity, farming, hold, index)",
            );
        }
        if let Some(x) = get(t, "method") {
            if let Some(s) = self.string(x, &format!("`method` of {context}")) {
                match Method::parse(&s) {
                    Some(m) => p.method = Some(Sp::new(m, x.span())),
                    None => self.error(
                        x.span(),
                        format!("unknown staking method \"{s}\" in {context}"),
                        match nearest(&s, Method::NAMES) {
                            Some(n) => format!("did you mean \"{n}\"?"),
                            None => format!("use one of: {}", Method::NAMES.join(", ")),
                        },
                    ),
                }
            }
        }
        if let Some(x) = get(t, "pool") {
            if let Some(s) = self.string(x, &format!("`pool` of {context}")) {
                match PoolKind::parse(&s) {
                    Some(k) => p.pool = Some(Sp::new(k, x.span())),
                    None => self.error(
                        x.span(),
                        format!("unknown pool kind \"{s}\" in {context}"),
                        match nearest(&s, PoolKind::NAMES) {
                            Some(n) => format!("did you mean \"{n}\"?"),
                            None => format!("use one of: {}", PoolKind::NAMES.join(", ")),
                        },
                    ),
                }
            }
        }
        if let Some(x) = get(t, "pair") {
            p.pair = self.pair(x, &context);
        }
        p.allocation = self.allocation(t, v, &context);
        for (key, slot) in [
            ("apy", &mut p.apy),
            ("reward_apy", &mut p.reward_apy),
            ("fee_apr", &mut p.fee_apr),
        ] {
            if let Some(x) = get(t, key) {
                *slot = self
                    .band(x, &format!("`{key}` of {context}"))
                    .map(|b| Sp::new(b, x.span()));
            }
        }
        if let Some(x) = get(t, "range") {
            p.range = self.range(x, &context);
        }
        p.broken = self.diags.len() > before;
        Some(p)
    }

    fn pair(&mut self, x: &Val<'_>, context: &str) -> Option<Sp<[String; 2]>> {
        let help = "write pair = [\"ETH\", \"USDC\"]";
        let DeValue::Array(items) = x.get_ref() else {
            self.wrong_type(
                x,
                &format!("`pair` of {context}"),
                "an array of two asset symbols",
                help,
            );
            return None;
        };
        if items.len() != 2 {
            self.error(
                x.span(),
                format!("`pair` of {context} has {} assets, not 2", items.len()),
                help,
            );
            return None;
        }
        let a = self.string(&items[0], &format!("`pair` of {context}"))?;
        let b = self.string(&items[1], &format!("`pair` of {context}"))?;
        if a == b {
            self.error(
                x.span(),
                format!("`pair` of {context} names {a} twice"),
                "a pool pairs two different assets",
            );
            return None;
        }
        Some(Sp::new([a, b], x.span()))
    }

    fn range(&mut self, x: &Val<'_>, context: &str) -> Option<Sp<RangeSpec>> {
        let what = format!("`range` of {context}");
        let t = self.table(x, &what, "write range = { lower = 0.8, upper = 1.25 }")?;
        self.check_keys(t, RANGE_KEYS, &what);
        let lower = get(t, "lower").and_then(|v| self.number(v, &format!("`lower` of {what}")));
        let upper = get(t, "upper").and_then(|v| self.number(v, &format!("`upper` of {what}")));
        let (Some(lower), Some(upper)) = (lower, upper) else {
            self.error(
                x.span(),
                format!("{what} needs `lower` and `upper`"),
                "write range = { lower = 0.8, upper = 1.25 } (multiples of the entry price)",
            );
            return None;
        };
        if !(lower > Decimal::ZERO
            && lower < Decimal::ONE
            && upper > Decimal::ONE
            && upper <= Decimal::from(1_000_000))
        {
            self.error(
                x.span(),
                format!("{what} [{lower}, {upper}] does not contain the entry price 1"),
                "bounds are multiples of the entry price: lower between 0 and 1, upper above 1",
            );
            return None;
        }
        Some(Sp::new(RangeSpec { lower, upper }, x.span()))
    }

    fn allocation(
        &mut self,
        t: &DeTable<'_>,
        v: &Val<'_>,
        context: &str,
    ) -> Option<Sp<AllocationSpec>> {
        match (get(t, "weight"), get(t, "amount")) {
            (Some(_), Some(a)) => {
                self.error(
                    a.span(),
                    format!("{context} has both `weight` and `amount`"),
                    "keep one of the two",
                );
                None
            }
            (None, None) => {
                self.error(
                    v.span(),
                    format!("{context} has neither `weight` nor `amount`"),
                    "add weight = \"30%\", amount = 90000, or weight = \"rest\" for the remainder",
                );
                None
            }
            (Some(w), None) => {
                if let DeValue::String(s) = w.get_ref() {
                    if s.trim() == "rest" {
                        return Some(Sp::new(AllocationSpec::Rest, w.span()));
                    }
                }
                let d = self.rate(w, &format!("`weight` of {context}"))?;
                if d.is_zero() || d > Decimal::ONE {
                    self.error(
                        w.span(),
                        format!("`weight` of {context} must be above 0% and at most 100%"),
                        "use a share such as \"30%\", or remove the position",
                    );
                    return None;
                }
                Some(Sp::new(AllocationSpec::Weight(d), w.span()))
            }
            (None, Some(a)) => {
                let d = self.money(a, &format!("`amount` of {context}"))?;
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
        assert!(e.iter().any(|m| m.contains("has no `value`")), "{e:?}");
        assert!(
            e.iter()
                .any(|m| m.contains("neither `weight` nor `amount`")),
            "{e:?}"
        );
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
        assert!(e.iter().any(|m| m.contains("`low` above `high`")), "{e:?}");
    }
}
