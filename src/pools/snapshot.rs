//! Reading a saved snapshot of DefiLlama's yields "pools" endpoint into
//! checked [`Pool`]s.
//!
//! A snapshot is `{"status": "success", "data": [pool, ...]}` with APYs in
//! percent. Reading is forgiving where the data is: nulls where the field list
//! allows them, unknown fields ignored, `NaN`/`Infinity` tokens (which some
//! JSON writers emit) read as null, a negative base APY kept (rebasing tokens
//! and losses: the total APY is what the pool pays), and pools with
//! impossible values (negative or missing TVL, no APY at all, a negative
//! total or reward APY) skipped, each with its reason. A pool id listed
//! twice is read once: the first entry in the file wins, and the id is
//! reported. An entry of the wrong shape (a field of the wrong type, a
//! `null` in the list), or without a usable id (missing, null, empty,
//! blank, not a string), or holding a number too large for a float
//! (`1e400`), is skipped with its place and the field that is wrong; a
//! number too small for one (`1e-400`) is 0. A file that is not JSON,
//! or is cut short, is an error. It reads bytes already in memory
//! (no I/O) and judges nothing (screening is `screen.rs`).

use std::borrow::Cow;

use serde::{Deserialize, Serialize};

/// The response's outer object; only its `data` array matters.
#[derive(Deserialize)]
struct Envelope {
    #[serde(default)]
    data: Option<Vec<Object<RawPool>>>,
}

/// A value that must be written as a JSON object. A derived struct also
/// takes a list, its items read as the fields in order, so that
/// `["id", "Ethereum", "aave-v3", "USDC", 5000000, 4]` would read as a pool
/// with an APY of 4%; through this a list is a value of the wrong shape.
struct Object<T>(T);

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Object<T> {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Fields<T>(std::marker::PhantomData<T>);
        impl<'de, T: Deserialize<'de>> serde::de::Visitor<'de> for Fields<T> {
            type Value = T;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("an object")
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(self, map: A) -> Result<T, A::Error> {
                T::deserialize(serde::de::value::MapAccessDeserializer::new(map))
            }
        }
        d.deserialize_map(Fields(std::marker::PhantomData))
            .map(Object)
    }
}

/// The response's outer object with each entry of `data` as written, to be
/// read on its own: a file with an entry of the wrong shape is read again
/// this way, so that the entry is skipped instead of refusing the file.
#[derive(Deserialize)]
struct WrittenEnvelope<'a> {
    #[serde(default, borrow)]
    data: Option<Vec<&'a serde_json::value::RawValue>>,
}

/// One pool as the snapshot writes it (APYs in percent), every field optional.
#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase", default)]
struct RawPool {
    pool: Option<String>,
    chain: Option<String>,
    project: Option<String>,
    symbol: Option<String>,
    tvl_usd: Option<f64>,
    apy_base: Option<f64>,
    apy_reward: Option<f64>,
    apy: Option<f64>,
    apy_mean30d: Option<f64>,
    mu: Option<f64>,
    sigma: Option<f64>,
    count: Option<f64>,
    outlier: Option<bool>,
    stablecoin: Option<bool>,
    il_risk: Option<String>,
    exposure: Option<String>,
    predictions: Option<Object<Predictions>>,
    pool_meta: Option<String>,
}

/// The snapshot's forecast of a pool's APY.
#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase", default)]
struct Predictions {
    predicted_class: Option<String>,
}

/// One pool, checked. APYs are yearly fractions here (0.045 = 4.5%).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Pool {
    /// The snapshot's pool id.
    pub id: String,
    /// The chain, as the snapshot spells it (e.g. `Ethereum`).
    pub chain: String,
    /// The protocol (the snapshot's project slug, e.g. `aave-v3`).
    pub project: String,
    /// The pool's token symbol(s), e.g. `USDC-WETH`.
    pub symbol: String,
    /// Total value locked, in US dollars.
    pub tvl_usd: f64,
    /// Current total APY, as a fraction.
    pub apy: f64,
    /// Current APY paid from the pool's own revenue, as a fraction.
    pub apy_base: f64,
    /// Current APY paid in incentive tokens, as a fraction.
    pub apy_reward: f64,
    /// Mean APY over the last 30 days, as a fraction.
    pub apy_mean_30d: Option<f64>,
    /// Mean APY over the pool's history, as a fraction.
    pub mu: Option<f64>,
    /// Standard deviation of the APY over the pool's history, as a fraction.
    pub sigma: Option<f64>,
    /// Days of history behind mu and sigma.
    pub count: Option<u32>,
    /// The snapshot's flag for an APY far outside the pool's history.
    pub outlier: bool,
    /// Whether the snapshot counts it as a stablecoin pool.
    pub stablecoin: bool,
    /// The snapshot's token-family impermanent-loss flag.
    pub il_risk: bool,
    /// The snapshot's exposure (`single` or `multi`), when given.
    pub exposure: Option<String>,
    /// Whether the snapshot predicts the APY to fall.
    pub predicted_down: bool,
    /// The snapshot's free-text note on the pool (lock-ups, tranches, ...).
    pub meta: Option<String>,
}

/// A pool the reader left out, and why.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Skipped {
    /// The pool's id, when it has one.
    pub id: Option<String>,
    /// Why it was left out, e.g. "its total APY is negative (-3%)".
    pub reason: String,
}

/// A read snapshot.
#[derive(Clone, Debug, PartialEq)]
pub struct Snapshot {
    /// The pools that passed the checks, in file order, one per id.
    pub pools: Vec<Pool>,
    /// Pools left out for impossible values, in file order.
    pub skipped: Vec<Skipped>,
    /// Ids listed more than once, with how many times; the first entry of
    /// each is kept.
    pub duplicates: Vec<(String, usize)>,
}

impl Snapshot {
    /// How many pool entries the file lists.
    #[must_use]
    pub fn entries(&self) -> usize {
        self.pools.len()
            + self.skipped.len()
            + self.duplicates.iter().map(|(_, n)| n - 1).sum::<usize>()
    }

    /// One warning per id listed more than once, naming it and the rule,
    /// for the first [`WARNED_IDS`] such ids, then one counting the others.
    #[must_use]
    pub fn warnings(&self) -> Vec<String> {
        let shown = self.duplicates.len().min(WARNED_IDS);
        // Each id's first entry, found once for all (a snapshot can list
        // tens of thousands of ids twice).
        let wanted: std::collections::HashSet<&str> = self.duplicates[..shown]
            .iter()
            .map(|(id, _)| id.as_str())
            .collect();
        let pools: std::collections::HashMap<&str, &Pool> = self
            .pools
            .iter()
            .filter(|p| wanted.contains(p.id.as_str()))
            .map(|p| (p.id.as_str(), p))
            .collect();
        let skipped: std::collections::HashMap<&str, &Skipped> = self
            .skipped
            .iter()
            .filter_map(|s| s.id.as_deref().map(|id| (id, s)))
            .filter(|(id, _)| wanted.contains(id))
            .collect();
        let mut out: Vec<String> = self.duplicates[..shown]
            .iter()
            .map(|(id, n)| {
                let id_shown = crate::printable::printable(id);
                if let Some(p) = pools.get(id.as_str()) {
                    return format!(
                        "pool id `{id_shown}` is listed {n} times in the snapshot; the first entry ({} {} on {}) is used and the others are ignored",
                        p.project, p.symbol, p.chain
                    );
                }
                let why = skipped
                    .get(id.as_str())
                    .map_or_else(String::new, |s| format!(" ({})", s.reason));
                format!(
                    "pool id `{id_shown}` is listed {n} times in the snapshot; the first entry is skipped{why}, so the id gives no pool, and the others are ignored"
                )
            })
            .collect();
        let more = self.duplicates.len() - shown;
        if more > 0 {
            out.push(format!(
                "... and {more} more pool {} listed more than once, each read from its first entry",
                if more == 1 { "id" } else { "ids" }
            ));
        }
        out
    }
}

/// How many repeated pool ids [`Snapshot::warnings`] names one by one.
pub const WARNED_IDS: usize = 20;

/// Why a snapshot could not be read.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
pub enum SnapshotError {
    /// The bytes are not JSON.
    #[error("not valid JSON at line {line}, column {column}: {message}")]
    Json {
        /// Line of the error, from 1.
        line: usize,
        /// Column of the error, from 1.
        column: usize,
        /// What the JSON reader found wrong.
        message: String,
    },
    /// The JSON is not the endpoint's response (`"data": {}`, a list of
    /// numbers): what is where.
    #[error("the JSON is not a pools response at line {line}, column {column}: {message}")]
    Shape {
        /// Line of the problem, from 1.
        line: usize,
        /// Column of the problem, from 1.
        column: usize,
        /// What the JSON reader expected there.
        message: String,
    },
    /// The JSON ends early: placed at the end of the file.
    #[error("the file is cut short at line {line}, column {column} (it ends inside the JSON)")]
    Truncated {
        /// Line of the file's end, from 1.
        line: usize,
        /// Column just past the file's last character, from 1.
        column: usize,
    },
    /// The file holds nothing but blanks.
    #[error("the file is empty")]
    Empty,
    /// The JSON holds no `data` array.
    #[error("there is no `data` array of pools")]
    NoData,
    /// The JSON is a list, not the endpoint's response object.
    #[error(
        "the file is a list at line {line}, column {column}; a snapshot is the pools endpoint's whole response, an object with a `data` list (write it as {{\"data\": [...]}})"
    )]
    List {
        /// Line of the list's opening bracket, from 1.
        line: usize,
        /// Column of the list's opening bracket, from 1.
        column: usize,
    },
}

/// Reads a snapshot from the bytes of a saved pools response.
///
/// # Errors
///
/// [`SnapshotError::Empty`] when the file holds only blanks,
/// [`SnapshotError::Truncated`] when the JSON ends early,
/// [`SnapshotError::Json`] when the bytes are not JSON,
/// [`SnapshotError::Shape`] when the JSON is not the response's shape (an
/// entry of `data` of the wrong shape is skipped, not an error),
/// [`SnapshotError::List`] when they are a list rather than the response
/// object, and [`SnapshotError::NoData`] when there is no `data` array.
pub fn read_snapshot(bytes: &[u8]) -> Result<Snapshot, SnapshotError> {
    // A byte-order mark is skipped, as every other reader does (it is not
    // a column, so places on the first line stay where an editor shows them).
    let bytes = bytes.strip_prefix(b"\xef\xbb\xbf").unwrap_or(bytes);
    let cleaned = nan_to_null(bytes);
    if let Some(at) = cleaned
        .iter()
        .position(|b| !b.is_ascii_whitespace())
        .filter(|&at| cleaned[at] == b'[')
    {
        let (line, column) = crate::error::line_col(&String::from_utf8_lossy(&cleaned), at);
        return Err(SnapshotError::List { line, column });
    }
    match serde_json::from_slice::<Envelope>(&cleaned) {
        Ok(envelope) => {
            let raw = envelope.data.ok_or(SnapshotError::NoData)?;
            // Every entry with its id; when one has none, the file is read
            // again below, entry by entry, so that it is placed (it has no
            // id to be found by).
            let identified: Option<Vec<(String, RawPool)>> = raw
                .into_iter()
                .map(|Object(r)| usable_id(r.pool.as_deref()).map(|id| (id, r)))
                .collect();
            if let Some(entries) = identified {
                let snapshot = checked(entries.into_iter().map(|(id, raw)| check(id, raw)));
                // Every entry read: done. Else the file is read again
                // below, entry by entry, to place those skipped.
                if snapshot.skipped.is_empty() {
                    return Ok(snapshot);
                }
            }
        }
        // An entry of the wrong shape: read entry by entry below.
        Err(e) if e.classify() == serde_json::error::Category::Data => {}
        // A number past the largest float (`1e400`) is a syntax error to
        // the typed reader but not to the reader of entries as written,
        // which does not convert numbers: read entry by entry, so that only
        // the entry holding it is skipped. Any other syntax error stops
        // that reader too, at the same place.
        Err(e) if e.classify() == serde_json::error::Category::Syntax => {}
        Err(e) => return Err(json_problem(&cleaned, &e)),
    }
    let envelope: WrittenEnvelope =
        serde_json::from_slice(&cleaned).map_err(|e| json_problem(&cleaned, &e))?;
    let raw = envelope.data.ok_or(SnapshotError::NoData)?;
    // Read as JSON, so UTF-8 text; the places of the entries skipped are
    // found in one pass over it.
    let text = String::from_utf8_lossy(&cleaned);
    let mut places = crate::error::Places::new(&text);
    Ok(checked(raw.into_iter().map(|entry| {
        let (id, raw) = entry_of(&cleaned, entry, &mut places)?;
        // A value the planner cannot take (a negative TVL, no APY): placed
        // at its entry.
        check(id, raw).map_err(|skipped| {
            let start = (entry.get().as_ptr() as usize).saturating_sub(cleaned.as_ptr() as usize);
            let (line, column) = places.line_col(start);
            Skipped {
                reason: format!("{}, at line {line}, column {column}", skipped.reason),
                ..skipped
            }
        })
    })))
}

/// A pool id that can name a pool: a string with something besides blanks.
fn usable_id(id: Option<&str>) -> Option<String> {
    id.filter(|s| !s.trim().is_empty()).map(str::to_string)
}

/// What is wrong with `cleaned`, a file serde could not read: empty, cut
/// short, or the problem at its place.
fn json_problem(cleaned: &[u8], e: &serde_json::Error) -> SnapshotError {
    if cleaned.iter().all(u8::is_ascii_whitespace) {
        SnapshotError::Empty
    } else if e.is_eof() {
        let text = String::from_utf8_lossy(cleaned);
        let (line, column) = crate::error::line_col(&text, text.len());
        SnapshotError::Truncated { line, column }
    } else {
        // Placed on the lines an editor shows, carriage returns alone
        // included (serde_json counts only line feeds).
        // (Bytes that are not UTF-8 are shown as U+FFFD, after the
        // first of them, which is where the problem is placed.)
        let text = String::from_utf8_lossy(cleaned);
        let (at, message) = match std::str::from_utf8(cleaned) {
            // Whatever serde made of it: the first byte that is not
            // UTF-8 is the problem.
            Err(u) => (
                u.valid_up_to(),
                "a byte here is not UTF-8 text; save the file as UTF-8".to_string(),
            ),
            Ok(_) => crate::error::json_error(&text, e),
        };
        let (line, column) = crate::error::line_col(&text, at);
        if e.classify() == serde_json::error::Category::Data {
            SnapshotError::Shape {
                line,
                column,
                message: message
                    .replace("expected a sequence", "expected a list of pools")
                    .replace(
                        "expected struct WrittenEnvelope",
                        "expected the response object, {\"data\": [...]}",
                    )
                    .replace(
                        "expected struct Envelope",
                        "expected the response object, {\"data\": [...]}",
                    ),
            }
        } else {
            SnapshotError::Json {
                line,
                column,
                message,
            }
        }
    }
}

/// The snapshot of the entries of `data`, each read and checked, in file
/// order: the first entry of each pool id is kept.
fn checked(entries: impl Iterator<Item = Result<Pool, Skipped>>) -> Snapshot {
    let mut out = Snapshot {
        pools: Vec::new(),
        skipped: Vec::new(),
        duplicates: Vec::new(),
    };
    // Entries per id, and the ids in the order first listed: the first entry
    // of an id decides it, also when it is skipped (a later entry does not
    // stand in for it).
    let mut seen: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
    let mut first_listed = Vec::new();
    for entry in entries {
        let id = match &entry {
            Ok(pool) => Some(&pool.id),
            Err(skipped) => skipped.id.as_ref(),
        };
        if let Some(id) = id {
            let count = seen.entry(id.clone()).or_insert(0);
            *count += 1;
            if *count > 1 {
                continue;
            }
            first_listed.push(id.clone());
        }
        match entry {
            Ok(pool) => out.pools.push(pool),
            Err(skipped) => out.skipped.push(skipped),
        }
    }
    out.duplicates = first_listed
        .into_iter()
        .filter_map(|id| seen.get(&id).filter(|n| **n > 1).map(|n| (id.clone(), *n)))
        .collect();
    out
}

/// One entry of the `data` list read as a pool with its id, or skipped
/// (with its id when it has one) when it is not an object of the endpoint's
/// fields and types (`"chain": 5`, a `null` entry) or has no usable id,
/// placed in `file`, the bytes read: the reason names the field that is
/// wrong and what it should be.
fn entry_of(
    file: &[u8],
    entry: &serde_json::value::RawValue,
    places: &mut crate::error::Places<'_>,
) -> Result<(String, RawPool), Skipped> {
    let written = entry.get();
    // The entry is a slice of the file: its offset places the problem.
    let start = (written.as_ptr() as usize).saturating_sub(file.as_ptr() as usize);
    let mut placed = |within: usize, what: String| {
        let (line, column) = places.line_col(start + within);
        format!("{what}, at line {line}, column {column}")
    };
    let raw: RawPool = match serde_json::from_str(written) {
        Ok(Object(raw)) => raw,
        Err(e) => {
            let (within, what) = wrong_shape(written, &e);
            #[derive(Deserialize)]
            struct Id {
                pool: Option<String>,
            }
            let id = serde_json::from_str::<Object<Id>>(written)
                .ok()
                .and_then(|Object(i)| usable_id(i.pool.as_deref()));
            let reason = match what {
                Wrong::Id(what) | Wrong::Value(what) => placed(within, what),
                Wrong::Shape(what) => format!(
                    "it is not a pool as the endpoint writes one ({})",
                    placed(within, what)
                ),
            };
            return Err(Skipped { id, reason });
        }
    };
    match usable_id(raw.pool.as_deref()) {
        Some(id) => Ok((id, raw)),
        None => {
            // An object (it read as one), so its fields are found.
            let (within, what) = match field(written, "pool") {
                Some((at, value)) if value.trim() == "null" => {
                    (at, "it has no pool id (`pool` is null)".to_string())
                }
                Some((at, value)) => (at, id_problem(value)),
                None => (0, "it has no pool id (`pool` is missing)".to_string()),
            };
            Err(Skipped {
                id: None,
                reason: placed(within, what),
            })
        }
    }
}

/// What is wrong with the pool id written as `value` (empty, blank, or a
/// value of another type than a string), and what it should be.
fn id_problem(value: &str) -> String {
    let what = match value.trim() {
        "\"\"" => "empty".to_string(),
        v if v.starts_with('"') => "blank".to_string(),
        v => kind(v).to_string(),
    };
    let shown = if what == "empty" {
        String::new()
    } else {
        format!(" ({})", shown(value))
    };
    format!("its pool id (`pool`) is {what}{shown}; expected a non-empty string")
}

/// What is wrong with an entry that does not read as a pool.
enum Wrong {
    /// Its pool id is not a string.
    Id(String),
    /// Another field, or the entry itself, is not of the endpoint's shape.
    Shape(String),
    /// A field holds a number past the largest a float holds (`1e400`).
    Value(String),
}

/// Where the problem `e` found in the entry `written` is (a byte offset
/// in it) and what it is: the field holding the value of the wrong type,
/// named with its path (`tvlUsd`, `predictions.predictedClass`), what the
/// value is and what it should be. A `null` or a number in the list is not
/// an object of pool fields.
fn wrong_shape(written: &str, e: &serde_json::Error) -> (usize, Wrong) {
    if !written.starts_with('{') {
        let mut head: String = written.chars().take(40).collect();
        if head.len() < written.len() {
            head.push('…');
        }
        return (
            0,
            Wrong::Shape(format!("`{head}` is not an object of pool fields")),
        );
    }
    let (at, said) = crate::error::json_error(written, e);
    // Said in the file's terms, not the reader's types.
    let said = said
        .replace("expected f64", "expected a number")
        .replace("expected struct Predictions", "expected an object")
        .replace("invalid type: sequence", "invalid type: list")
        .replace("invalid type: map", "invalid type: object");
    let Some((path, within, value)) = field_holding(written, at) else {
        return (at, Wrong::Shape(said));
    };
    let expected = said
        .strip_prefix("invalid type: ")
        .and_then(|s| s.rsplit_once(", expected "))
        .map(|(_, e)| e);
    let named = crate::printable::printable(&path).into_owned();
    let what = match expected {
        Some(_) if path == "pool" => Wrong::Id(id_problem(value)),
        // The entry was read as JSON before (as written), so the one
        // syntax error left at a number is its size: past `f64::MAX`.
        None if kind(value) == "a number"
            && e.classify() == serde_json::error::Category::Syntax =>
        {
            Wrong::Value(format!(
                "`{named}` is a number too large to hold ({}; the largest is ±{:.1e})",
                shown(value),
                f64::MAX
            ))
        }
        // A string the typed reader cannot make text of (a lone UTF-16
        // surrogate escape, `"\ud800"`).
        None if kind(value) == "a string" => Wrong::Shape(format!(
            "`{named}` is a string that is not text ({}: {said}); expected a string of text",
            shown(value)
        )),
        Some(expected) => Wrong::Shape(format!(
            "`{named}` is {} ({}); expected {expected}",
            kind(value),
            shown(value)
        )),
        // Not a value of the wrong type (a number past any float): the
        // reader's words, with the field named.
        None => Wrong::Shape(format!("`{named}`: {said}")),
    };
    (within, what)
}

/// The field of the object `written` whose value holds byte `at`, as a
/// path into nested objects (`predictions.predictedClass`), with the
/// value's offset in `written` and the value as written. The reader places
/// a value of the wrong type anywhere from the byte before it (a list, an
/// object) to its last byte (a string).
fn field_holding(written: &str, at: usize) -> Option<(String, usize, &str)> {
    let (key, offset, value) = fields(written)?
        .into_iter()
        .find(|(_, offset, value)| *offset <= at + 1 && at <= *offset + value.len())?;
    // Inside an object: the field of it that is wrong.
    if value.starts_with('{') && at > offset {
        if let Some((inner, within, deeper)) = field_holding(value, at - offset) {
            return Some((format!("{key}.{inner}"), offset + within, deeper));
        }
    }
    Some((key, offset, value))
}

/// The value of field `key` of the object `written`, with its offset in
/// `written`.
fn field<'a>(written: &'a str, key: &str) -> Option<(usize, &'a str)> {
    fields(written)?
        .into_iter()
        .find(|(k, _, _)| k == key)
        .map(|(_, offset, value)| (offset, value))
}

/// The fields of the object `written` in file order (the last of a key
/// written twice), each with its value's offset in `written` and the value
/// as written.
fn fields(written: &str) -> Option<Vec<(String, usize, &str)>> {
    let object: std::collections::HashMap<String, &serde_json::value::RawValue> =
        serde_json::from_str(written).ok()?;
    let base = written.as_ptr() as usize;
    let mut fields: Vec<(String, usize, &str)> = object
        .into_iter()
        .map(|(key, value)| {
            let value = value.get();
            (key, (value.as_ptr() as usize).saturating_sub(base), value)
        })
        .collect();
    fields.sort_by_key(|(_, offset, _)| *offset);
    Some(fields)
}

/// What kind of JSON value `value` (as written) is: "a string", "a number", ...
fn kind(value: &str) -> &'static str {
    match value.trim_start().as_bytes().first() {
        Some(b'"') => "a string",
        Some(b'[') => "a list",
        Some(b'{') => "an object",
        Some(b't' | b'f') => "a boolean",
        Some(b'n') => "null",
        _ => "a number",
    }
}

/// A value as written, cut to 40 characters (then `…`), its control
/// characters escaped.
fn shown(value: &str) -> String {
    let value = value.trim();
    let head: String = value.chars().take(40).collect();
    let head = if head.len() < value.len() {
        format!("{head}…")
    } else {
        head
    };
    crate::printable::printable(&head).into_owned()
}

/// Replaces bare `NaN`, `Infinity` and `-Infinity` tokens outside strings by `null`.
fn nan_to_null(bytes: &[u8]) -> Cow<'_, [u8]> {
    if !bytes.windows(3).any(|w| w == b"NaN" || w == b"Inf") {
        return Cow::Borrowed(bytes);
    }
    let mut out = Vec::with_capacity(bytes.len());
    let (mut i, mut in_string, mut escaped) = (0, false, false);
    while i < bytes.len() {
        let b = bytes[i];
        if in_string {
            out.push(b);
            if escaped {
                escaped = false;
            } else if b == b'\\' {
                escaped = true;
            } else if b == b'"' {
                in_string = false;
            }
            i += 1;
            continue;
        }
        let rest = &bytes[i..];
        let token = [&b"-Infinity"[..], b"Infinity", b"NaN"]
            .into_iter()
            .find(|t| rest.starts_with(t));
        if let Some(t) = token {
            out.extend_from_slice(b"null");
            i += t.len();
        } else {
            if b == b'"' {
                in_string = true;
            }
            out.push(b);
            i += 1;
        }
    }
    Cow::Owned(out)
}

/// The largest history APY a pool may show, in percent (the planner's
/// million percent, halved so that mu + sigma stays within it); a larger
/// history figure is read as unknown.
const MAX_APY_PCT: f64 = 500_000.0;

/// The value, when it is a finite number; a negative zero (`-0`, or a
/// number too small for a float such as `-1e-400`) is zero.
fn finite(x: Option<f64>) -> Option<f64> {
    x.filter(|v| v.is_finite()).map(|v| v + 0.0)
}

/// A history figure in percent, as a fraction, when it lies within
/// 0..=[`MAX_APY_PCT`].
fn history_apy(x: Option<f64>) -> Option<f64> {
    finite(x)
        .filter(|x| (0.0..=MAX_APY_PCT).contains(x))
        .map(percent)
}

/// A percent as a fraction.
fn percent(x: f64) -> f64 {
    x / 100.0
}

/// The current total, base and reward APYs in percent, or why they are
/// impossible. A missing total is base + reward; a missing base is
/// total − reward. A negative base is kept (the total is what the pool
/// pays); a negative total or reward is not.
fn current_apys(raw: &RawPool) -> Result<(f64, f64, f64), String> {
    let base = finite(raw.apy_base);
    let reward = finite(raw.apy_reward);
    let apy = finite(raw.apy)
        .or_else(|| match (base, reward) {
            (None, None) => None,
            (b, r) => Some(b.unwrap_or(0.0) + r.unwrap_or(0.0)),
        })
        .ok_or("it gives no APY (apy, apyBase and apyReward are all missing)")?;
    if !apy.is_finite() {
        // apyBase + apyReward past the largest number a float holds.
        return Err(
            "its APY (apyBase + apyReward) is larger than any number this tool holds".to_string(),
        );
    }
    if apy < 0.0 {
        return Err(format!("its total APY is negative ({apy}%)"));
    }
    if let Some(r) = reward.filter(|r| *r < 0.0) {
        return Err(format!("its reward APY is negative ({r}%)"));
    }
    let reward = reward.unwrap_or(0.0);
    let base = base.unwrap_or(apy - reward);
    Ok((apy, base, reward))
}

/// The most TVL a pool may report, in USD (10^15, the most money a plan
/// holds): past it a figure is an error, not a pool.
const MAX_TVL: f64 = 1e15;

/// The checked pool `id`, or why it was skipped: no usable TVL or
/// impossible APYs.
fn check(id: String, raw: RawPool) -> Result<Pool, Skipped> {
    let skip = |reason: String| Skipped {
        id: Some(id.clone()),
        reason,
    };
    let (apy, base, reward) = current_apys(&raw).map_err(skip)?;
    let tvl = match finite(raw.tvl_usd) {
        Some(t) if t > MAX_TVL => {
            return Err(skip(format!(
                "its TVL ({t:e} USD) is over {MAX_TVL:e} USD, more than any pool holds"
            )));
        }
        Some(t) if t >= 0.0 => t,
        Some(t) => return Err(skip(format!("its TVL is negative ({t} USD)"))),
        None => return Err(skip("it gives no TVL".into())),
    };
    Ok(Pool {
        id,
        chain: raw.chain.unwrap_or_default(),
        project: raw.project.unwrap_or_default(),
        symbol: raw.symbol.unwrap_or_default(),
        tvl_usd: tvl,
        apy: percent(apy),
        apy_base: percent(base),
        apy_reward: percent(reward),
        apy_mean_30d: history_apy(raw.apy_mean30d),
        mu: history_apy(raw.mu),
        sigma: history_apy(raw.sigma),
        count: finite(raw.count).filter(|c| *c >= 0.0).map(days),
        outlier: raw.outlier.unwrap_or(false),
        stablecoin: raw.stablecoin.unwrap_or(false),
        il_risk: raw.il_risk.as_deref() == Some("yes"),
        exposure: raw.exposure,
        predicted_down: raw
            .predictions
            .and_then(|p| p.0.predicted_class)
            .is_some_and(|c| c.eq_ignore_ascii_case("down")),
        meta: raw.pool_meta,
    })
}

/// A finite, non-negative count of days as a whole number, capped at 10⁹
/// (which fits in a `u32`, so the cast neither wraps nor loses a sign).
fn days(c: f64) -> u32 {
    c.min(1e9) as u32
}
