//! Positions: each `[[position]]`, its stacked layers and its sizing.
//!
//! Reads what a position holds and how (strategy, method, pool kind), its
//! pair, range and pool weights, its size (`weight` or `amount`) and the
//! layers stacked on it, and marks a position broken when any of it is wrong.
//! Which fields a strategy allows, and what the rate book fills in, is for
//! `resolve`: this file only checks what the file alone can tell.

use std::fmt;

use rust_decimal::Decimal;
use toml::de::{DeTable, DeValue};

use super::keys::{LAYER_KEYS, POSITION_KEYS, RANGE_KEYS};
use super::reader::{Reader, Val, get};
use super::values::{percent, written};
use super::{AllocationSpec, LayerSpec, PositionSpec, RangeSpec, Sp, Span};
use crate::error::{Diagnostic, nearest, shorten};
use crate::model::{Method, PoolKind, Strategy};

/// Strategies a stacked layer may have: all but `hold` and `index`.
const LAYER_STRATEGIES: [Strategy; 4] = [
    Strategy::Staking,
    Strategy::Lending,
    Strategy::Liquidity,
    Strategy::Farming,
];

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

impl Reader {
    /// `[[position]]`: every position, in file order.
    pub(super) fn positions(&mut self, v: &Val<'_>) -> Vec<PositionSpec> {
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
        if self.too_many(
            "[[position]] tables",
            items.len(),
            super::MAX_POSITIONS,
            items.get(super::MAX_POSITIONS).map(toml::Spanned::span),
        ) {
            return Vec::new();
        }
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

    /// The `number`th `[[position]]`, marked broken if any of it is wrong.
    fn position(&mut self, v: &Val<'_>, number: usize) -> Option<PositionSpec> {
        let context = format!("position {number}");
        let t = self.table(
            v,
            &context,
            "write each position under its own [[position]] header",
        )?;
        let before = self.problem_count();
        let suggested = self.check_keys(t, POSITION_KEYS, &context);
        let mut p = PositionSpec {
            number,
            span: v.span(),
            ..PositionSpec::default()
        };
        self.position_names(t, &context, &mut p);
        self.position_kind(t, v, &context, &suggested, &mut p);
        p.allocation = self.allocation(t, v, &context, &suggested);
        self.position_yields(t, &context, &mut p);
        self.pool_fields(t, &context, &mut p);
        p.risk_tier = self.label_of(t, "risk_tier", &context);
        if let Some(x) = get(t, "stack") {
            p.stack = self.layers(x, &context);
        }
        p.broken = self.problem_count() > before;
        Some(p)
    }

    /// What a position is called and where it lives: its name, asset, pool
    /// id, index template, protocol and chain.
    fn position_names(&mut self, t: &DeTable<'_>, context: &str, p: &mut PositionSpec) {
        p.name = get(t, "name").and_then(|x| {
            self.string(x, &format_args!("`name` of {context}"))
                .map(|s| Sp::new(s, x.span()))
        });
        p.asset = self.label_of(t, "asset", context);
        p.pool_id = self.label_of(t, "pool_id", context);
        p.index = self.label_of(t, "index", context);
        p.protocol = self.label_of(t, "protocol", context);
        p.chain = self.label_of(t, "chain", context);
    }

    /// What a position does: its strategy (required), staking method and pool kind.
    fn position_kind(
        &mut self,
        t: &DeTable<'_>,
        v: &Val<'_>,
        context: &str,
        suggested: &[&str],
        p: &mut PositionSpec,
    ) {
        let strategies: Vec<&str> = Strategy::ALL.iter().map(|s| s.name()).collect();
        match get(t, "strategy") {
            Some(x) => {
                p.strategy = self.word(
                    x,
                    context,
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
                context,
                "method",
                "staking method",
                &Method::NAMES,
                Method::parse,
            );
        }
        if let Some(x) = get(t, "pool") {
            p.pool = self.word(
                x,
                context,
                "pool",
                "pool kind",
                &PoolKind::NAMES,
                PoolKind::parse,
            );
        }
    }

    /// A position's yields: its bands (`apy`, `reward_apy`, `fee_apr`) and
    /// the staking provider's fee.
    fn position_yields(&mut self, t: &DeTable<'_>, context: &str, p: &mut PositionSpec) {
        p.apy = self.band_of(t, "apy", context);
        p.reward_apy = self.band_of(t, "reward_apy", context);
        p.fee_apr = self.band_of(t, "fee_apr", context);
        if let Some(x) = get(t, "provider_fee") {
            p.provider_fee = self
                .share(x, &format_args!("`provider_fee` of {context}"))
                .map(|d| Sp::new(d, x.span()));
        }
    }

    /// A liquidity position's pool: the pair, the pool's shape (range,
    /// weights, amplification) and overrides of the pair's price behaviour.
    fn pool_fields(&mut self, t: &DeTable<'_>, context: &str, p: &mut PositionSpec) {
        if let Some((pair, spans)) = get(t, "pair").and_then(|x| self.pair(x, context)) {
            p.pair = Some(pair);
            p.pair_spans = spans;
        }
        if let Some(x) = get(t, "range") {
            p.range = self.range(x, context);
        }
        if let Some(x) = get(t, "weights") {
            p.weights = self.pool_weights(x, context);
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
        if let Some(x) = get(t, "correlation") {
            p.correlation = self.bounded(
                x,
                &format_args!("`correlation` of {context}"),
                "0.8",
                -Decimal::ONE,
                Decimal::ONE,
            );
        }
    }

    /// A position's size: `weight` (a share of the portfolio, or `"rest"`)
    /// or `amount` (money), exactly one of them.
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
                if let DeValue::Table(bounds) = w.get_ref() {
                    return self.weight_bounds(bounds, w, context);
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

    /// A liquidity pair: two different asset symbols, with where each is written.
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

    /// A concentrated-liquidity range: `lower` and `upper` as multiples of the
    /// entry price, around 1.
    fn range(&mut self, x: &Val<'_>, context: &str) -> Option<Sp<RangeSpec>> {
        const EXAMPLE: &str = "range = { lower = 0.8, upper = 1.25 }";
        let what = format!("`range` of {context}");
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
                    "`weights` of {context} add up to {}, not 100%",
                    percent(a + b)
                ),
                HELP,
            );
            return None;
        }
        Some(Sp::new([a, b], x.span()))
    }

    /// `[[position.stack]]` layers under a position.
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
        items
            .iter()
            .enumerate()
            .filter_map(|(i, item)| self.layer(item, &format!("layer {} of {context}", i + 1)))
            .collect()
    }

    /// One layer of a stack, called `what` in messages.
    fn layer(&mut self, item: &Val<'_>, what: &str) -> Option<LayerSpec> {
        let t = self.table(
            item,
            what,
            "write each layer under its own [[position.stack]] header",
        )?;
        self.check_keys(t, LAYER_KEYS, what);
        let mut layer = LayerSpec {
            span: item.span(),
            ..LayerSpec::default()
        };
        let names: Vec<&str> = LAYER_STRATEGIES.iter().map(|s| s.name()).collect();
        match get(t, "strategy") {
            Some(x) => {
                layer.strategy = self.word(x, what, "strategy", "layer strategy", &names, |s| {
                    Strategy::parse(s).filter(|s| LAYER_STRATEGIES.contains(s))
                });
            }
            None => self.error(
                item.span(),
                format!("{what} has no `strategy`"),
                "add strategy = \"lending\" (or staking, liquidity, farming)",
            ),
        }
        layer.asset = self.label_of(t, "asset", what);
        layer.protocol = self.label_of(t, "protocol", what);
        layer.chain = self.label_of(t, "chain", what);
        layer.risk_tier = self.label_of(t, "risk_tier", what);
        layer.apy = self.band_of(t, "apy", what);
        layer.reward_apy = self.band_of(t, "reward_apy", what);
        Some(layer)
    }

    /// A field naming one of a fixed set of words (a strategy, a method).
    pub(super) fn word<T>(
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
        if let Some(t) = parse(&s) {
            return Some(Sp::new(t, x.span()));
        }
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
