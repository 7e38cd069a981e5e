//! A whole rate book written as a rate-book file (`yieldplan rates --format
//! toml`): what `--rates` reads back to the same book.
//!
//! The text is made by the `toml` serializer from the book's own fields, with
//! rates written as exact percent strings ("4.5%"), as a person writes them;
//! day counts stay whole numbers and correlations plain numbers. It starts
//! with `replace = true`, since it is the whole book. Nothing here reads a
//! file or checks a book.

use rust_decimal::Decimal;
use serde_json::Value as Json;
use toml::Value as Toml;

use super::book::RateBook;

impl RateBook {
    /// The book as a rate-book file (TOML) that reads back to the same book.
    ///
    /// # Errors
    /// A figure that has no TOML form (cannot happen for a book that was read
    /// from TOML or JSON), as the serializer's message.
    pub fn to_toml(&self) -> Result<String, String> {
        let json = serde_json::to_value(self).map_err(|e| e.to_string())?;
        let mut table = match to_toml(&json, &[]) {
            Toml::Table(t) => t,
            _ => toml::Table::new(),
        };
        table.insert("replace".into(), Toml::Boolean(true));
        toml::to_string(&table).map_err(|e| e.to_string())
    }
}

/// One JSON value of the book as TOML; `path` is the keys above it, which
/// say what a number is.
fn to_toml(v: &Json, path: &[&str]) -> Toml {
    match v {
        Json::Null => Toml::String(String::new()),
        Json::Bool(b) => Toml::Boolean(*b),
        Json::Number(n) => number(&n.to_string(), path),
        Json::String(s) => Toml::String(s.clone()),
        Json::Array(items) => Toml::Array(items.iter().map(|i| to_toml(i, path)).collect()),
        Json::Object(map) => Toml::Table(
            map.iter()
                .filter(|(_, v)| !v.is_null())
                .map(|(k, v)| {
                    let mut below = path.to_vec();
                    below.push(k);
                    (k.clone(), to_toml(v, &below))
                })
                .collect(),
        ),
    }
}

/// A number of the book: a day count, a correlation, or else a rate (a
/// fraction, written as an exact percent string).
fn number(text: &str, path: &[&str]) -> Toml {
    let is_days = path.len() >= 2 && path[path.len() - 2] == "unbonding_days";
    let is_correlation = path.first() == Some(&"correlations");
    if is_days {
        if let Ok(d) = text.parse::<i64>() {
            return Toml::Integer(d);
        }
    }
    if is_correlation {
        if let Ok(x) = text.parse::<f64>() {
            return Toml::Float(x);
        }
    }
    match Decimal::from_str_exact(text).or_else(|_| Decimal::from_scientific(text)) {
        Ok(d) => Toml::String(format!("{}%", (d * Decimal::ONE_HUNDRED).normalize())),
        Err(_) => Toml::String(text.to_string()),
    }
}
