//! Reading a rate-book file a person wrote (`--rates FILE`): every problem
//! of the file in one run, each at its file:line:col.
//!
//! The file is parsed keeping every span, then walked table by table: a key
//! it does not know is reported with the nearest valid one (or its new name,
//! for the book's earlier spellings); each value is read on its own, so one
//! bad figure hides no other. An entry the book already has is changed only
//! where the file says so; a figure without a source is sourced as "your
//! file". Whether the resulting book is consistent is `checks.rs`'s to say.

use std::collections::BTreeMap;
use std::path::Path;

use serde::de::DeserializeOwned;
use toml::Spanned;
use toml::de::{DeTable, DeValue, ValueDeserializer};

use super::book::RateBook;
use super::entries::PoolEntry;
use super::names::{Aliases, slug, unversioned};
use super::patches::{
    ASSET_KEYS, AssetPatch, BAND_KEYS, BandPatch, FARMING_KEYS, FarmingPatch, INDEX_KEYS,
    IndexPatch, METHOD_KEYS, MethodPatch, Missing, PROTOCOL_KEYS, ProtocolPatch,
    RENAMED_ASSET_KEYS, TIER_KEYS, TierPatch, UNKNOWN_ASSET_KEYS, UnknownAssetPatch, correlation,
};
use super::stand_in::StandIn;
use super::written::{Coefficient, Keys, Written};
use crate::date::Date;
use crate::error::{Diagnostic, Diagnostics, nearest, shorten};

/// A TOML value with its span.
type Val<'i> = Spanned<DeValue<'i>>;

/// Keys at the top of a rate-book file.
pub const TOP_KEYS: Keys = &[
    "as_of",
    "replace",
    "assets",
    "lending",
    "liquidity",
    "farming",
    "index",
    "correlations",
    "staking_methods",
    "risk_tiers",
    "protocols",
    "pools",
    "aliases",
    "unknown_asset",
];

/// Keys of `[aliases]`.
const ALIAS_KEYS: Keys = &["assets", "chains", "protocols"];

/// Walks one file, collecting every problem.
struct FileReader {
    /// How the file's own figures are sourced: "your file PATH".
    your: String,
    /// Problems found so far.
    diags: Vec<Diagnostic>,
    /// The latest date the file's `as_of` may be.
    today: Date,
    /// Entries refused as another spelling (`assets.eth`): not read further.
    respelt: std::collections::HashSet<String>,
    /// Keys of the entry being read that the file writes but that could not
    /// be read: a value refused, or a misspelling (by the key it is nearest
    /// to). Such a key is not reported again as missing.
    tried: Vec<String>,
    /// Entries the file writes that could not be read, by their keys
    /// (`["assets", "NEAR"]`): a blank stands for each in the book, and no
    /// problem of the whole book is reported about it (its own is).
    refused: Vec<Vec<String>>,
    /// Whether the file may declare chains that cannot be known: a table
    /// that declares chains (`[pools]`, `[aliases]`, `[aliases.chains]`) is
    /// not a table, or a pool is not a table or its `chain` is missing or
    /// not a name. No chain is then said to be unknown (see [`CHAINS_UNKNOWN`]).
    chains_unknown: bool,
}

/// The mark in [`FileReader::refused`] of a file whose chains cannot all be
/// known (see [`FileReader::chains_unknown`]): no problem of the book about
/// a chain it does not know follows, in [`follows_from`]. No table of a
/// file is called so.
const CHAINS_UNKNOWN: &str = "(chains)";

/// What reading a file gives: the book it makes (`None` when the file is not
/// valid TOML), every problem found in file order, and the entries it writes
/// that could not be read (see [`FileReader::refused`]).
pub(super) type FileRead = (Option<RateBook>, Vec<Diagnostic>, Vec<Vec<String>>);

/// Reads a rate-book file over `base` (the default book, or an empty one
/// when the file says `replace = true`, as chosen by `base_for`).
///
/// Returns the book the file makes (entries with problems left as they
/// were, new ones given a blank stand-in), every problem found, in file
/// order, and the entries that could not be read; no book when the file is
/// not valid TOML.
pub(super) fn read_file(
    path: &Path,
    text: &str,
    today: Date,
    base_for: impl FnOnce(bool) -> RateBook,
) -> FileRead {
    if let Some(d) = crate::toml_budget::over_budget(text, "rate book")
        .or_else(|| crate::toml_budget::lone_carriage_return(text, "rate book"))
    {
        return (None, vec![d], Vec::new());
    }
    let (root, errors) = DeTable::parse_recoverable(text);
    if !errors.is_empty() {
        let diags = errors
            .iter()
            .map(|e| {
                Diagnostic::new(
                    e.span(),
                    format!("invalid TOML: {}", e.message().trim_end()),
                )
                .with_help("fix the TOML syntax here (see https://toml.io for the format)")
            })
            .collect();
        return (None, diags, Vec::new());
    }
    let mut r = FileReader {
        your: format!("your file {}", path.display()),
        diags: Vec::new(),
        today,
        respelt: std::collections::HashSet::new(),
        tried: Vec::new(),
        refused: Vec::new(),
        chains_unknown: false,
    };
    let root = root.get_ref();
    r.check_keys(root, TOP_KEYS, &[], "the rate book");
    let replace = get(root, "replace")
        .and_then(|v| r.value::<bool>(v, "`replace`"))
        .unwrap_or(false);
    let mut book = base_for(replace);
    r.read_into(root, &mut book);
    if r.chains_unknown {
        r.refused.push(vec![CHAINS_UNKNOWN.to_string()]);
    }
    r.diags.sort_by_key(|d| d.span.as_ref().map(|s| s.start));
    (Some(book), r.diags, r.refused)
}

/// How a name of `family` (`assets`, `chains` or `protocols`) is found: an
/// asset symbol in any case, a chain or protocol as its [`slug`] (in any
/// case, a space and a hyphen alike). Two keys with one spelling are one
/// entry written twice.
fn spelling(family: &str, name: &str) -> String {
    if family == "assets" {
        name.trim().to_lowercase()
    } else {
        slug(name)
    }
}

/// The value of `key` in `table`, if written.
fn get<'a, 'i>(table: &'a DeTable<'i>, key: &str) -> Option<&'a Val<'i>> {
    table
        .iter()
        .find(|(k, _)| k.get_ref().as_ref() == key)
        .map(|(_, v)| v)
}

impl FileReader {
    /// Every table of the file, laid over `book`.
    fn read_into(&mut self, root: &DeTable<'_>, book: &mut RateBook) {
        if let Some(v) = get(root, "as_of") {
            book.as_of = self.as_of(v).or(book.as_of.take());
        }
        self.other_spellings(root, book);
        // Before the file's own entries are laid over the book.
        let chains = ChainTargets::new(root, book);
        let your = self.your.clone();
        self.family(
            root,
            "assets",
            ASSET_KEYS,
            RENAMED_ASSET_KEYS,
            &mut book.assets,
            |p: AssetPatch, old, id| p.apply(old, id, &your),
        );
        self.family(
            root,
            "lending",
            BAND_KEYS,
            &[],
            &mut book.lending,
            |p: BandPatch, old, _| p.apply(old, &your),
        );
        self.family(
            root,
            "liquidity",
            BAND_KEYS,
            &[],
            &mut book.liquidity,
            |p: BandPatch, old, _| p.apply(old, &your),
        );
        self.family(
            root,
            "staking_methods",
            METHOD_KEYS,
            &[],
            &mut book.staking_methods,
            |p: MethodPatch, old, _| p.apply(old, &your),
        );
        self.family(
            root,
            "risk_tiers",
            TIER_KEYS,
            &[],
            &mut book.risk_tiers,
            |p: TierPatch, old, _| p.apply(old, &your),
        );
        self.family(
            root,
            "protocols",
            PROTOCOL_KEYS,
            &[],
            &mut book.protocols,
            |p: ProtocolPatch, old, id| p.apply(old, id, &your),
        );
        if let Some(v) = get(root, "farming") {
            let what = "[farming]";
            let read = self
                .patch::<FarmingPatch>(v, FARMING_KEYS, &[], what)
                .map(|p| p.apply(book.farming.clone(), &your));
            book.farming = self.settled(v, what, read, book.farming.take(), &["farming"]);
        }
        if let Some(v) = get(root, "unknown_asset") {
            let what = "[unknown_asset]";
            let read = self
                .patch::<UnknownAssetPatch>(v, UNKNOWN_ASSET_KEYS, &[], what)
                .map(|p| p.apply(book.unknown_asset.clone(), &your));
            let old = book.unknown_asset.take();
            book.unknown_asset = self.settled(v, what, read, old, &["unknown_asset"]);
        }
        self.correlations(root, book);
        self.family(
            root,
            "index",
            INDEX_KEYS,
            &[],
            &mut book.index,
            |p: IndexPatch, old, _| p.apply(old, &your),
        );
        self.whole_entries::<PoolEntry>(root, "pools", &mut book.pools);
        self.aliases(root, &mut book.aliases, &chains);
    }

    /// The book's date, `as_of`: a day of the calendar, written YYYY-MM-DD,
    /// that is not after today (the day its figures were read has come).
    fn as_of(&mut self, v: &Val<'_>) -> Option<String> {
        let s = self.value::<String>(v, "`as_of`")?;
        let Some(date) = Date::parse(&s) else {
            self.diags.push(
                Diagnostic::at(
                    v.span(),
                    format!("`as_of` is \"{}\", not a date", shorten(&s)),
                )
                .with_help(
                    "write the book's date as YYYY-MM-DD, a day that exists, e.g. 2026-11-01",
                ),
            );
            return None;
        };
        if date > self.today {
            self.diags.push(
                Diagnostic::at(
                    v.span(),
                    format!("`as_of` is {date}, after today ({})", self.today),
                )
                .with_help("`as_of` is the day the book's figures were read: write that day, today or earlier, as YYYY-MM-DD"),
            );
            return None;
        }
        Some(s)
    }

    /// Entries and aliases the file writes under another spelling of one
    /// the book already has: a profile finds assets, protocols and aliases
    /// in any case (and protocols through their aliases), so `[protocols.Aave]`
    /// beside the book's `aave`, `[protocols.aave-v3]` (an alias of `aave`),
    /// `[assets.eth]` beside `ETH` or an alias `weth` beside the book's
    /// `WETH` would each be a second entry no profile can reach, or one that
    /// wins by accident of order. Each is refused at its key, naming the
    /// spelling to write.
    fn other_spellings(&mut self, root: &DeTable<'_>, book: &RateBook) {
        let keys_of = |family: &str| -> Vec<(String, std::ops::Range<usize>)> {
            get(root, family)
                .and_then(|v| match v.get_ref() {
                    DeValue::Table(t) => Some(
                        t.iter()
                            .map(|(k, _)| (k.get_ref().to_string(), k.span()))
                            .collect(),
                    ),
                    _ => None,
                })
                .unwrap_or_default()
        };
        let mut mine: std::collections::HashMap<String, String> = std::collections::HashMap::new();
        for (key, at) in keys_of("assets") {
            if key.trim() != key || key.is_empty() {
                self.diags.push(
                    Diagnostic::at(
                        at,
                        format!(
                            "the asset symbol \"{}\" has blanks around it",
                            key.escape_debug()
                        ),
                    )
                    .with_help("a symbol is found without its blanks: write it without them"),
                );
                self.respelt.insert(format!("assets.{key}"));
                continue;
            }
            let first = mine
                .entry(key.to_lowercase())
                .or_insert_with(|| key.clone());
            if *first != key {
                let first = first.clone();
                self.diags.push(
                    Diagnostic::at(
                        at,
                        format!(
                            "[assets.{}] and [assets.{}] differ only in case",
                            shorten(&first),
                            shorten(&key)
                        ),
                    )
                    .with_help("assets are found in any case: keep one of the two"),
                );
                self.respelt.insert(format!("assets.{key}"));
                continue;
            }
            if book.assets.contains_key(&key) {
                continue;
            }
            // An alias (`WETH`) included: the asset it names is the entry.
            if let Some(id) = book.canonical_asset(&key) {
                self.diags.push(
                    Diagnostic::at(
                        at,
                        format!("[assets.{}] is the book's `{id}` written another way", shorten(&key)),
                    )
                    .with_help(format!(
                        "assets are found in any case and through their aliases: write [assets.{id}] to change it"
                    )),
                );
                self.respelt.insert(format!("assets.{key}"));
            }
        }
        let own_protocols: Vec<String> = keys_of("protocols")
            .into_iter()
            .map(|(k, _)| slug(&k))
            .collect();
        for (key, at) in keys_of("protocols") {
            if let Some(base) = version_of(&key, book, &own_protocols) {
                self.diags.push(
                    Diagnostic::at(
                        at,
                        format!(
                            "[protocols.{}] is a version of the protocol `{base}`, a second entry for one protocol",
                            shorten(&key)
                        ),
                    )
                    .with_help(format!(
                        "profiles and snapshots count every version of a protocol as the protocol (`aave-v3` and `Aave V9` are `aave`): write [protocols.{base}], or give a protocol of its own an id that is not `{base}-vN`"
                    )),
                );
                self.respelt.insert(format!("protocols.{key}"));
                continue;
            }
            if key.trim() != key {
                self.diags.push(
                    Diagnostic::at(
                        at,
                        format!(
                            "the protocol id \"{}\" has blanks around it",
                            key.escape_debug()
                        ),
                    )
                    .with_help("an id is found without its blanks: write it without them"),
                );
                self.respelt.insert(format!("protocols.{key}"));
                continue;
            }
            let id = book.aliases.protocol(&key);
            if id != key {
                self.diags.push(
                    Diagnostic::at(
                        at,
                        format!(
                            "[protocols.{}] is the protocol `{id}` written another way",
                            shorten(&key)
                        ),
                    )
                    .with_help(format!(
                        "protocol ids are lower case, with hyphens for spaces, and found through their aliases: write [protocols.{id}]"
                    )),
                );
                self.respelt.insert(format!("protocols.{key}"));
            }
        }
        let Some(DeValue::Table(aliases)) = get(root, "aliases").map(Spanned::get_ref) else {
            return;
        };
        // The book's assets and protocols and the file's own, by their
        // lower-case spelling.
        let respelt = self.respelt.clone();
        let by_lower = |book_keys: Vec<&String>, family: &str| {
            let mut m: std::collections::HashMap<String, String> = std::collections::HashMap::new();
            // The file's own entries, but not those refused as respellings.
            let own = keys_of(family)
                .into_iter()
                .map(|(k, _)| k)
                .filter(|k| !respelt.contains(&format!("{family}.{k}")));
            for k in book_keys.into_iter().cloned().chain(own) {
                m.entry(spelling(family, &k)).or_insert(k);
            }
            m
        };
        // The book's chain ids: what its chain aliases name and its assets'
        // native chains.
        let mut chains: std::collections::HashMap<String, String> =
            std::collections::HashMap::new();
        for c in book
            .aliases
            .chains
            .values()
            .chain(book.assets.values().filter_map(|a| a.chain.as_ref()))
        {
            chains.entry(slug(c)).or_insert_with(|| c.clone());
        }
        let entries = (
            by_lower(book.assets.keys().collect(), "assets"),
            by_lower(book.protocols.keys().collect(), "protocols"),
            chains,
        );
        for (table, known) in [
            ("assets", &book.aliases.assets),
            ("chains", &book.aliases.chains),
            ("protocols", &book.aliases.protocols),
        ] {
            let Some(DeValue::Table(t)) = get(aliases, table).map(Spanned::get_ref) else {
                continue;
            };
            let mut mine: std::collections::HashMap<String, &str> =
                std::collections::HashMap::new();
            for (k, target) in t {
                let key = k.get_ref().as_ref();
                let lower = spelling(table, key);
                let other = known
                    .keys()
                    .find(|o| o.as_str() != key && spelling(table, o) == lower)
                    .map(String::as_str)
                    .or_else(|| mine.get(&lower).copied().filter(|o| *o != key));
                if let Some(other) = other {
                    let (how, found) = if other.to_lowercase() == key.to_lowercase() {
                        ("in another case", "in any case")
                    } else {
                        (
                            "written another way",
                            "in any case, a space and a hyphen alike",
                        )
                    };
                    self.diags.push(
                        Diagnostic::at(
                            k.span(),
                            format!(
                                "alias `{}` in [aliases.{table}] is `{}` {how}",
                                shorten(key),
                                shorten(other)
                            ),
                        )
                        .with_help(format!(
                            "aliases are found {found}: write `{}` to change that alias",
                            shorten(other)
                        )),
                    );
                }
                mine.entry(lower).or_insert(key);
                // An alias cannot stand for an entry the book has (in any
                // case): every profile naming that entry would silently get
                // another. The exact spelling of an asset is the whole
                // book's check (it names both).
                if key.trim().is_empty() {
                    self.diags.push(
                        Diagnostic::at(k.span(), format!("an alias in [aliases.{table}] is empty"))
                            .with_help("an alias is another name for an entry: give it one, or leave it out"),
                    );
                    // Refused as a whole: not read on (see `aliases`).
                    self.respelt.insert(format!("aliases.{table}.{key}"));
                    continue;
                }
                if key.trim() != key {
                    self.diags.push(
                        Diagnostic::at(
                            k.span(),
                            format!(
                                "alias \"{}\" in [aliases.{table}] has blanks around it",
                                key.escape_debug()
                            ),
                        )
                        .with_help("a name is found without its blanks, so this alias would never match: write it without them"),
                    );
                    continue;
                }
                let lower = spelling(table, key);
                let taken = match table {
                    "assets" => entries
                        .0
                        .get(&lower)
                        .filter(|e| e.as_str() != key)
                        .map(|e| ("asset", e)),
                    "protocols" => entries.1.get(&lower).map(|e| ("protocol", e)),
                    "chains" => entries
                        .2
                        .get(&lower)
                        // `ethereum = "ethereum"` names itself, which is harmless.
                        .filter(|e| match target.get_ref() {
                            DeValue::String(to) => !e.eq_ignore_ascii_case(to.trim()),
                            _ => true,
                        })
                        .map(|e| ("chain", e)),
                    _ => None,
                };
                if let Some((kind, entry)) = taken {
                    self.diags.push(
                        Diagnostic::at(
                            k.span(),
                            format!(
                                "alias `{}` in [aliases.{table}] is the {kind} `{}`",
                                shorten(key),
                                shorten(entry)
                            ),
                        )
                        .with_help(format!(
                            "an alias cannot stand for {} {kind} the book has: every profile naming `{}` would get another; leave it out",
                            if kind == "asset" { "an" } else { "a" },
                            shorten(entry)
                        )),
                    );
                }
            }
        }
    }

    /// A table of named entries (`[assets.ETH]`, ...): each entry's keys are
    /// checked, each value read on its own, and the entry laid over the one
    /// of the same name by `apply`.
    fn family<P, E: Clone + StandIn>(
        &mut self,
        root: &DeTable<'_>,
        family: &str,
        keys: Keys,
        renamed: &[(&str, &str)],
        target: &mut BTreeMap<String, E>,
        apply: impl Fn(P, Option<E>, &str) -> Result<E, Missing>,
    ) where
        P: DeserializeOwned + Default,
    {
        let help = format!("write one [{family}.NAME] table per entry");
        let Some(t) = self.entries(root, family, &help) else {
            return;
        };
        for (name, v) in t {
            let id = name.get_ref().to_string();
            if self.respelt.contains(&format!("{family}.{id}")) {
                continue;
            }
            let what = format!("[{family}.{}]", shorten(&id));
            let read = self
                .patch::<P>(v, keys, renamed, &what)
                .map(|p| apply(p, target.get(&id).cloned(), &id));
            let old = target.remove(&id);
            if let Some(e) = self.settled(name, &what, read, old, &[family, &id]) {
                target.insert(id, e);
            }
        }
    }

    /// The entry after reading the file's table for it (`read`: `None` when
    /// the table could not be read, a [`Missing`] key when a new entry lacks
    /// one, reported here at `at`). An entry that could not be read stays as
    /// it was (`old`), or, when new, is stood in for by a blank one named
    /// after the last of its `keys` (`["assets", "NEAR"]`, `["farming"]`),
    /// which are noted in [`FileReader::refused`].
    fn settled<T, E: StandIn>(
        &mut self,
        at: &Spanned<T>,
        what: &str,
        read: Option<Result<E, Missing>>,
        old: Option<E>,
        keys: &[&str],
    ) -> Option<E> {
        match read {
            Some(Ok(e)) => return Some(e),
            Some(Err(m)) => self.missing(at, what, m),
            None => {}
        }
        if old.is_some() {
            return old;
        }
        self.refused
            .push(keys.iter().map(|k| (*k).to_string()).collect());
        Some(E::stand_in(keys.last().copied().unwrap_or_default()))
    }

    /// Reports a required key a new entry lacks, at the entry's name.
    /// Keys the file writes but that could not be read (a bad value, a
    /// misspelling) are not reported again: their problem is.
    fn missing<T>(&mut self, at: &Spanned<T>, what: &str, (key, help): Missing) {
        let lacking: Vec<&str> = key
            .split("`, `")
            .filter(|k| !self.tried.iter().any(|t| t == k))
            .collect();
        if lacking.is_empty() {
            return;
        }
        self.diags.push(
            Diagnostic::at(
                at.span(),
                format!(
                    "{what} is not in the book and has no `{}`",
                    lacking.join("`, `")
                ),
            )
            .with_help(help),
        );
    }

    /// An entry's changes: its keys checked, each value read on its own (so
    /// every bad value is reported), the good ones kept.
    fn patch<P: DeserializeOwned + Default>(
        &mut self,
        v: &Val<'_>,
        keys: Keys,
        renamed: &[(&str, &str)],
        what: &str,
    ) -> Option<P> {
        self.tried.clear();
        let t = self.table(v, what, &format!("write {what} with its settings under it"))?;
        self.tried = self.check_keys(t, keys, renamed, what);
        let mut good = DeTable::new();
        for (key, value) in t {
            if !keys.contains(&key.get_ref().as_ref()) {
                continue;
            }
            let mut one = DeTable::new();
            one.insert(key.clone(), value.clone());
            let about = format!("`{}` in {what}", key.get_ref());
            if self
                .deserialize::<P>(Spanned::new(value.span(), DeValue::Table(one)), &about)
                .is_some()
            {
                good.insert(key.clone(), value.clone());
            } else {
                self.tried.push(key.get_ref().to_string());
            }
        }
        self.deserialize::<P>(Spanned::new(v.span(), DeValue::Table(good)), what)
    }

    /// `value` read as a `T`, or a problem at its place, called `what`.
    fn value<T: DeserializeOwned>(&mut self, v: &Val<'_>, what: &str) -> Option<T> {
        self.deserialize(v.clone(), what)
    }

    /// A spanned value read as a `T`, or a problem at the place serde names.
    fn deserialize<T: DeserializeOwned>(&mut self, v: Val<'_>, what: &str) -> Option<T> {
        let span = v.span();
        let date = datetime_in(&v);
        match T::deserialize(ValueDeserializer::from(v)) {
            Ok(t) => Some(t),
            Err(e) => {
                let message = in_file_terms(e.message().trim_end());
                // A TOML date reaches serde as a private map; name it as
                // what it is.
                let (at, message) = match date {
                    Some(at) => (
                        at,
                        "a TOML date or time is written here; the book takes dates as strings (as_of = \"2026-11-01\") and figures as percents or numbers".to_string(),
                    ),
                    None => (e.span().unwrap_or(span), message),
                };
                self.diags.push(
                    Diagnostic::at(at, format!("{what}: {message}"))
                        .with_help("see \"Rate-book files\" in the README; `yieldplan rates --format toml` prints the whole book"),
                );
                None
            }
        }
    }

    /// The table `family` of the file (`[assets]`), if written; a problem
    /// when it is not a table, which is noted in [`FileReader::refused`]:
    /// the names it would declare are unknown, so the book's problems with
    /// references to them follow from this one (see [`follows_from`]).
    fn entries<'a, 'i>(
        &mut self,
        root: &'a DeTable<'i>,
        family: &str,
        help: &str,
    ) -> Option<&'a DeTable<'i>> {
        let v = get(root, family)?;
        let t = self.table(v, &format!("[{family}]"), help);
        if t.is_none() {
            self.refused.push(vec![family.to_string()]);
            if matches!(family, "pools" | "aliases") {
                self.chains_unknown = true;
            }
        }
        t
    }

    /// `v` as a table, or a problem.
    fn table<'a, 'i>(&mut self, v: &'a Val<'i>, what: &str, help: &str) -> Option<&'a DeTable<'i>> {
        if let DeValue::Table(t) = v.get_ref() {
            Some(t)
        } else {
            self.diags.push(
                Diagnostic::at(
                    v.span(),
                    format!(
                        "{what} must be a table, found {}",
                        a_type(v.get_ref().type_str())
                    ),
                )
                .with_help(help.to_string()),
            );
            None
        }
    }

    /// Reports keys of `table` not in `known`, with their new name (for the
    /// book's earlier spellings) or the nearest valid key. Returns those
    /// names: the keys the unknown ones were meant to be.
    fn check_keys(
        &mut self,
        table: &DeTable<'_>,
        known: Keys,
        renamed: &[(&str, &str)],
        what: &str,
    ) -> Vec<String> {
        let mut meant = Vec::new();
        for (key, _) in table {
            let name = key.get_ref().as_ref();
            if known.contains(&name) {
                continue;
            }
            let help = match (
                renamed.iter().find(|(old, _)| *old == name),
                nearest(name, known.iter().copied()),
            ) {
                (Some((_, new)), _) => {
                    meant.push((*new).to_string());
                    format!(
                        "`{name}` is now called `{new}`, as in a profile's [assets.X]; rename it"
                    )
                }
                (None, Some(n)) => {
                    meant.push(n.to_string());
                    format!("did you mean `{n}`?")
                }
                (None, None) => format!("valid keys here: {}", known.join(", ")),
            };
            self.diags.push(
                Diagnostic::at(
                    key.span(),
                    format!("unknown key `{}` in {what}", shorten(name)),
                )
                .with_help(help),
            );
        }
        meant
    }

    /// `[correlations]`: `"A/B" = 0.8` or `{ value = 0.8, source = "..." }`.
    fn correlations(&mut self, root: &DeTable<'_>, book: &mut RateBook) {
        let Some(t) = get(root, "correlations").and_then(|v| {
            self.table(
                v,
                "[correlations]",
                "write correlations as \"A/B\" = 0.8 under [correlations]",
            )
        }) else {
            return;
        };
        for (key, v) in t {
            let what = format!("correlation `{}`", shorten(key.get_ref()));
            if let Some(w) = self.value::<Written<Coefficient>>(v, &what) {
                book.correlations
                    .insert(key.get_ref().to_string(), correlation(w, &self.your));
            }
        }
    }

    /// A table of entries each written in full (`[index.ID]`, `[pools.ID]`).
    fn whole_entries<E: DeserializeOwned + Shares>(
        &mut self,
        root: &DeTable<'_>,
        family: &str,
        target: &mut BTreeMap<String, E>,
    ) {
        let help = format!("write one [{family}.ID] table per entry");
        let Some(t) = self.entries(root, family, &help) else {
            return;
        };
        for (key, v) in t {
            let id = key.get_ref().to_string();
            if id.trim().is_empty() {
                self.diags.push(
                    Diagnostic::at(key.span(), format!("an id in [{family}] is blank"))
                        .with_help("give the entry an id a profile can name, e.g. [pools.my-pool]"),
                );
                continue;
            }
            let what = format!("[{family}.{}]", shorten(&id));
            let Some(e) = self.whole_entry::<E>(key.span(), v, &what) else {
                // What it declares (a pool's chain) stays declared, so a
                // reference to it raises no second problem; when that
                // cannot be read, any chain might be.
                let stand_in = E::declaring(&id, table_in(Some(v)));
                self.chains_unknown |= !stand_in.declares_all();
                if let std::collections::btree_map::Entry::Vacant(slot) = target.entry(id.clone()) {
                    slot.insert(stand_in);
                    self.refused.push(vec![family.to_string(), id]);
                }
                continue;
            };
            target.insert(id, e);
        }
    }

    /// One entry written in full, `what`, whose key is at `key`: every required key it
    /// lacks is said at once (reading it whole would name only the first),
    /// and every value it writes is read on its own, in an entry otherwise
    /// complete, so each bad one is said in the same run; then it is read,
    /// sourced and its reward share checked. `None` when it has a problem,
    /// said here.
    fn whole_entry<E: DeserializeOwned + Shares>(
        &mut self,
        key: std::ops::Range<usize>,
        v: &Val<'_>,
        what: &str,
    ) -> Option<E> {
        if let DeValue::Table(entry) = v.get_ref() {
            let lacking: Vec<String> = E::REQUIRED
                .iter()
                .filter(|k| get(entry, k).is_none())
                .map(|k| format!("`{k}`"))
                .collect();
            if !lacking.is_empty() {
                self.diags.push(
                    Diagnostic::at(key, format!("{what} has no {}", lacking.join(", ")))
                        .with_help(E::EXAMPLE),
                );
            }
            let complete = DeTable::parse(E::COMPLETE).map(Spanned::into_inner);
            let mut bad = !lacking.is_empty();
            for (k, value) in entry {
                let Ok(mut one) = complete.clone() else {
                    break;
                };
                one.insert(k.clone(), value.clone());
                let one = Spanned::new(v.span(), DeValue::Table(one));
                bad |= self.deserialize::<E>(one, what).is_none();
            }
            if bad {
                return None;
            }
        }
        let mut e = self.value::<E>(v, what)?;
        e.default_source(&self.your);
        if let Some(problem) = e.share_problem() {
            let at = table_in(Some(v))
                .and_then(|t| get(t, "reward_share"))
                .map_or(v.span(), Spanned::span);
            self.diags.push(
                Diagnostic::at(at, format!("`reward_share` in {what}: {problem}"))
                    .with_help("use a share from 0% to 100%"),
            );
            return None;
        }
        Some(e)
    }

    /// `[aliases]`: each of its tables adds to (or changes) the book's, alias
    /// by alias. A chain alias names a chain the book knows or itself (see
    /// [`ChainTargets`]). An alias that cannot be read keeps the one the
    /// book has, or is noted in [`FileReader::refused`].
    fn aliases(&mut self, root: &DeTable<'_>, aliases: &mut Aliases, chains: &ChainTargets) {
        let help = "write [aliases.assets], [aliases.chains] or [aliases.protocols]";
        let Some(t) = self.entries(root, "aliases", help) else {
            return;
        };
        self.check_keys(t, ALIAS_KEYS, &[], "[aliases]");
        for (key, v) in t {
            let what = format!("[aliases.{}]", shorten(key.get_ref()));
            let slot = match key.get_ref().as_ref() {
                "assets" => &mut aliases.assets,
                "chains" => &mut aliases.chains,
                "protocols" => &mut aliases.protocols,
                _ => continue,
            };
            let DeValue::Table(entries) = v.get_ref() else {
                // Said as a whole, as the shape serde expects.
                let _ = self.value::<BTreeMap<String, String>>(v, &what);
                self.refused
                    .push(vec!["aliases".into(), key.get_ref().to_string()]);
                self.chains_unknown |= key.get_ref() == "chains";
                continue;
            };
            for (name, target) in entries {
                let name = name.get_ref().to_string();
                if self
                    .respelt
                    .contains(&format!("aliases.{}.{name}", key.get_ref()))
                {
                    // An empty alias, said once (see `other_spellings`):
                    // neither its target nor the book's view of it is.
                    self.refused
                        .push(vec!["aliases".into(), key.get_ref().to_string(), name]);
                    continue;
                }
                let mut read = self.value::<String>(target, &what);
                // Its target is not checked when the file's chains cannot
                // all be known: it may name one of them.
                if key.get_ref() == "chains" && !self.chains_unknown {
                    read = read.filter(|to| self.chain_target(&name, to, target, chains));
                }
                match read {
                    Some(to) => {
                        slot.insert(name, to);
                    }
                    None => {
                        // A new chain alias declares its own name in the
                        // meantime: an asset on that chain follows from
                        // this problem, as does one on the chain it names.
                        if key.get_ref() == "chains" && !slot.contains_key(&name) {
                            slot.insert(name.clone(), slug(&name));
                        }
                        self.refused
                            .push(vec!["aliases".into(), key.get_ref().to_string(), name]);
                    }
                }
            }
        }
    }

    /// Whether the chain alias `name` may name `to` (written at `at`): a
    /// chain the book knows, or itself (a chain of one's own). Any other
    /// target would be a new chain made by a typo (`"eth mainnet" =
    /// "etherium"`), so it is refused at its value, with the nearest chain
    /// the book knows.
    fn chain_target(&mut self, name: &str, to: &str, at: &Val<'_>, chains: &ChainTargets) -> bool {
        if chains.allows(name, to) {
            return true;
        }
        let id = slug(to);
        let near = nearest(&id, chains.known.iter().map(String::as_str))
            .map_or_else(String::new, |n| format!("did you mean `{n}`? "));
        self.diags.push(
            Diagnostic::at(
                at.span(),
                format!(
                    "chain alias `{}` names `{}`, which is not a chain the book knows",
                    shorten(name),
                    shorten(to)
                ),
            )
            .with_help(format!(
                "{near}An alias names a chain the book knows (`yieldplan rates --format toml` lists them under [aliases.chains]); a chain of your own is declared by an alias naming itself ({:?} = {:?})",
                shorten(&id),
                shorten(&id)
            )),
        );
        false
    }
}

/// A TOML type's name with its article: "an integer", "an array", "a string".
fn a_type(name: &str) -> String {
    let article = if name.starts_with(['a', 'e', 'i', 'o', 'u']) {
        "an"
    } else {
        "a"
    };
    format!("{article} {name}")
}

/// A message of serde about a rate-book value, in the file's terms: the
/// program's own type names (`expected struct PoolEntry`, `expected enum
/// AssetClass`) and serde's words for TOML's shapes (`sequence`, `map`) are
/// said as what the file writes.
fn in_file_terms(message: &str) -> String {
    let mut out = message
        .replace(
            "expected struct PoolEntry",
            "expected a table of the pool's figures",
        )
        .replace(
            "wanted string or table",
            "expected a name, written as a string",
        )
        .replace("invalid type: sequence", "invalid type: array")
        .replace("expected a sequence", "expected an array")
        .replace("invalid type: map", "invalid type: table")
        .replace("expected a map", "expected a table");
    for (kind, said) in [
        ("expected struct ", "expected a table"),
        ("expected enum ", "expected a name, written as a string"),
    ] {
        while let Some(at) = out.find(kind) {
            let name = at + kind.len();
            let end = out[name..]
                .find(|c: char| !(c.is_alphanumeric() || c == '_'))
                .map_or(out.len(), |n| name + n);
            out.replace_range(at..end, said);
        }
    }
    out
}

/// `v` as a table, when it is one.
fn table_in<'a, 'i>(v: Option<&'a Val<'i>>) -> Option<&'a DeTable<'i>> {
    match v?.get_ref() {
        DeValue::Table(t) => Some(t),
        _ => None,
    }
}

/// `v` as a string, when it is one.
fn text_in(v: Option<&Val<'_>>) -> Option<String> {
    match v?.get_ref() {
        DeValue::String(s) => Some(s.to_string()),
        _ => None,
    }
}

/// What a chain alias of a file may name: a chain the book knows before the
/// file is laid over it (the shipped book's chains count even under
/// `replace = true`, which copies them), a chain one of the file's pools is
/// on, or a chain the file declares by an alias naming itself, anywhere in
/// the file. The targets of the file's other chain aliases do not count:
/// each would declare the chain it names, a typo included.
struct ChainTargets {
    /// Those chains, by id.
    known: std::collections::BTreeSet<String>,
    /// The book's chain aliases with the file's laid over them (those
    /// written as strings): a target that is an alias is the book's check
    /// to rewrite as the chain it stands for.
    aliases: Aliases,
}

impl ChainTargets {
    /// The chains the file's aliases may name, over `base` (the book before
    /// the file).
    fn new(root: &DeTable<'_>, base: &RateBook) -> ChainTargets {
        let mut aliases = base.aliases.clone();
        let own = table_in(get(root, "aliases")).and_then(|t| table_in(get(t, "chains")));
        let Some(own) = own else {
            // No chain alias to check.
            let known = std::collections::BTreeSet::new();
            return ChainTargets { known, aliases };
        };
        let mut known = base.chains();
        known.extend(RateBook::default_book().chains());
        // The file's pools, on chains as the book (not the file's aliases)
        // names them.
        for (_, pool) in table_in(get(root, "pools")).into_iter().flatten() {
            let chain = table_in(Some(pool)).and_then(|t| text_in(get(t, "chain")));
            if let Some(c) = chain.filter(|c| !c.trim().is_empty()) {
                known.insert(base.aliases.chain(&c));
            }
        }
        // An empty alias declares nothing (it is refused).
        for (name, to) in own.iter().filter(|(n, _)| !n.get_ref().trim().is_empty()) {
            let Some(to) = text_in(Some(to)) else {
                // It stands in for its own name (see `aliases`).
                known.insert(slug(name.get_ref()));
                continue;
            };
            if slug(name.get_ref()) == slug(&to) {
                known.insert(slug(&to));
            }
            aliases.chains.insert(name.get_ref().to_string(), to);
        }
        ChainTargets { known, aliases }
    }

    /// Whether the alias `name` may name `to`: itself, a chain known, or an
    /// alias of one (the book's check then says to write the chain itself).
    fn allows(&self, name: &str, to: &str) -> bool {
        let id = slug(to);
        id == slug(name) || self.known.contains(&id) || self.known.contains(&self.aliases.chain(to))
    }
}

/// The protocol that `key`, a protocol id the book does not have, is a
/// version of (`aave-v9` of `aave`), when the book or the file's own
/// `[protocols]` (`own`, as slugs) has it: a profile names such a
/// version by that protocol, so it cannot be an entry of its own.
fn version_of(key: &str, book: &RateBook, own: &[String]) -> Option<String> {
    let id = slug(key);
    if book.aliases.protocol(key) != id {
        // An alias the tables list: refused as one, naming its protocol.
        return None;
    }
    let base = unversioned(&id);
    let known = book.protocols.contains_key(base) || own.iter().any(|k| k == base);
    (base != id && known && !book.protocols.contains_key(&id)).then(|| base.to_string())
}

/// An entry written in full whose reward share must be a share (at most 100%).
trait Shares {
    /// The keys an entry must give.
    const REQUIRED: &'static [&'static str];
    /// An entry written in full, for the help of one that lacks keys.
    const EXAMPLE: &'static str;
    /// A complete entry in TOML, each of whose values stands for one the
    /// file leaves out when the file's values are read one by one.
    const COMPLETE: &'static str;
    /// What is wrong with its reward share, if anything.
    fn share_problem(&self) -> Option<String> {
        None
    }
    /// Sources the entry as `your` ("your file PATH") when it gives none.
    fn default_source(&mut self, your: &str);
    /// A blank entry `id` standing for one the file writes (`written`, when
    /// a table) but that could not be read, with the names it declares.
    fn declaring(id: &str, written: Option<&DeTable<'_>>) -> Self;
    /// Whether this stand-in (see [`Shares::declaring`]) declares every
    /// name the entry it stands for might (a pool whose chain was read).
    fn declares_all(&self) -> bool;
}

impl Shares for PoolEntry {
    const REQUIRED: &'static [&'static str] = &[
        "project",
        "symbol",
        "chain",
        "low",
        "mid",
        "high",
        "reward_share",
        "stablecoin",
        "il_risk",
    ];
    const EXAMPLE: &'static str = "a pool is written in full, e.g. project = \"aave-v3\", symbol = \"USDC\", \
         chain = \"ethereum\", low = \"3%\", mid = \"4%\", high = \"5%\", reward_share = \"0%\", \
         stablecoin = true, il_risk = false (and an optional source)";
    const COMPLETE: &'static str = "project = \"p\"\nsymbol = \"S\"\nchain = \"c\"\n\
         low = 0\nmid = 0\nhigh = 0\nreward_share = 0\nstablecoin = false\nil_risk = false\n";

    fn declaring(id: &str, written: Option<&DeTable<'_>>) -> Self {
        let mut pool = PoolEntry::stand_in(id);
        // Its chain, when written as a name.
        pool.chain = written
            .and_then(|t| text_in(get(t, "chain")))
            .unwrap_or_default();
        pool
    }

    fn declares_all(&self) -> bool {
        !self.chain.trim().is_empty()
    }

    fn default_source(&mut self, your: &str) {
        if self.source.trim().is_empty() {
            self.source = your.to_string();
        }
    }

    fn share_problem(&self) -> Option<String> {
        (self.reward_share.0 > rust_decimal::Decimal::ONE).then(|| {
            format!(
                "{}% is above 100%",
                (self.reward_share.0 * rust_decimal::Decimal::ONE_HUNDRED).normalize()
            )
        })
    }
}

impl RateBook {
    /// The default book extended (or replaced) by a user's file.
    ///
    /// The file may change single figures of the book's entries, and is
    /// checked value by value (see `file.rs`), then as a whole.
    ///
    /// # Errors
    ///
    /// Every problem of the file, each at its place (TOML syntax, unknown
    /// keys, values out of bounds, new entries lacking a required key, an
    /// `as_of` after today by the system clock, see [`Date::today`]), and
    /// every consistency problem of the resulting book (see
    /// [`RateBook::problems`]).
    pub fn with_file(path: &Path, text: &str) -> Result<RateBook, Diagnostics> {
        Self::with_file_on(path, text, Date::today())
    }

    /// [`RateBook::with_file`] on the day `today`: a file dated (`as_of`)
    /// after it is refused.
    ///
    /// # Errors
    ///
    /// As [`RateBook::with_file`].
    pub fn with_file_on(path: &Path, text: &str, today: Date) -> Result<RateBook, Diagnostics> {
        let (book, mut diags, refused) = read_file(path, text, today, |replace| {
            if replace {
                RateBook::default()
            } else {
                RateBook::default_book()
            }
        });
        if let Some(book) = &book {
            // An entry the file writes but that could not be read has its
            // problem reported; what the whole book says of it follows from
            // that one.
            let problems: Vec<_> = book
                .problems()
                .into_iter()
                .filter(|(_, _, at)| !follows_from(at, &refused))
                .collect();
            // Only a book with problems is read again, to place them.
            let root = (!problems.is_empty())
                .then(|| DeTable::parse(text).ok())
                .flatten();
            let placed: Vec<(Diagnostic, bool)> = problems
                .into_iter()
                .map(|(message, help, at)| {
                    let span = root.as_ref().and_then(|r| place_of(r.get_ref(), &at));
                    // About an entry the file does not write: a consequence
                    // of a change elsewhere (ETH made to follow stETH leaves
                    // every ETH token following a follower).
                    let consequence = span.is_none() && !at.is_empty();
                    (Diagnostic::new(span, message).with_help(help), consequence)
                })
                .collect();
            // Consequences are shown only when nothing the file writes is at
            // fault; fixing what it writes clears them, or shows them next.
            let any_placed = diags.iter().any(|d| d.span.is_some())
                || placed.iter().any(|(d, _)| d.span.is_some());
            diags.extend(
                placed
                    .into_iter()
                    .filter(|(_, consequence)| !(any_placed && *consequence))
                    .map(|(d, _)| d),
            );
        }
        match book {
            Some(book) if diags.is_empty() => Ok(book),
            _ => {
                diags.sort_by_key(|d| d.span.as_ref().map(|s| s.start));
                Err(Diagnostics::new(path, text, "rate book", diags))
            }
        }
    }
}

/// Whether the book's problem with the entry at `at` follows from one the
/// file has with an entry it writes but that could not be read (`refused`,
/// see [`FileReader::refused`]): it is about that entry, or it is about a
/// reference (a chain, an underlying, a protocol, a tier) to a name the
/// table of `refused` declares, a table that could not be read as a whole.
fn follows_from(at: &[String], refused: &[Vec<String>]) -> bool {
    refused.iter().any(|r| {
        at.starts_with(r)
            || declared_in(at)
                .iter()
                .any(|table| r.iter().map(String::as_str).eq(table.iter().copied()))
    })
}

/// The tables of a rate-book file that declare the names a reference at
/// `at` may name: chains for an asset's or index component's `chain` and a
/// chain alias, assets for an `underlying`, a component's `asset` or `pair`,
/// a correlation and an asset alias, protocols for a `protocol` and a
/// protocol alias, tiers for a protocol's `tier`. None for other entries.
fn declared_in(at: &[String]) -> &'static [&'static [&'static str]] {
    const CHAINS: &[&[&str]] = &[&["aliases"], &["aliases", "chains"], &["pools"]];
    // A chain an asset or a component is on is not said to be unknown
    // when the file's chains cannot all be known.
    const ON_CHAIN: &[&[&str]] = &[
        &["aliases"],
        &["aliases", "chains"],
        &["pools"],
        &[CHAINS_UNKNOWN],
    ];
    const ASSETS: &[&[&str]] = &[&["assets"]];
    const PROTOCOLS: &[&[&str]] = &[&["protocols"]];
    const TIERS: &[&[&str]] = &[&["risk_tiers"]];
    let first = at.first().map(String::as_str);
    let last = at.last().map(String::as_str);
    match (first, at.get(1).map(String::as_str), last) {
        (Some("aliases"), Some("chains"), _) => CHAINS,
        (Some("aliases"), Some("assets"), _) | (Some("correlations"), _, _) => ASSETS,
        (Some("aliases"), Some("protocols"), _) => PROTOCOLS,
        (Some("assets" | "index"), _, Some("chain")) => ON_CHAIN,
        (Some("assets" | "index"), _, Some("underlying" | "asset")) => ASSETS,
        (Some("assets" | "index"), _, Some("protocol")) => PROTOCOLS,
        (Some("index"), _, _) if at.iter().any(|k| k == "pair") => ASSETS,
        (Some("protocols"), _, Some("tier")) => TIERS,
        _ => &[],
    }
}

/// Where `v` holds a TOML date or time, if anywhere (itself, or within its
/// tables and arrays).
fn datetime_in(v: &Val<'_>) -> Option<std::ops::Range<usize>> {
    match v.get_ref() {
        DeValue::Datetime(_) => Some(v.span()),
        DeValue::Table(t) => t.iter().find_map(|(_, x)| datetime_in(x)),
        DeValue::Array(a) => a.iter().find_map(datetime_in),
        _ => None,
    }
}

/// Where the file writes the entry with keys `at` (`["correlations",
/// "ETH/BTC"]`): the deepest of those keys it has, provided it has the entry
/// itself (the first two keys, or the only one). `None` when the entry comes
/// from the default book.
fn place_of(root: &DeTable<'_>, at: &[String]) -> Option<std::ops::Range<usize>> {
    let mut here = Some(root);
    let mut items: &[Spanned<DeValue<'_>>] = &[];
    let mut found = None;
    for (depth, key) in at.iter().enumerate() {
        // A table is entered by a key, an array (`components`) by a number.
        let next = match here {
            Some(table) => table
                .get_key_value(key.as_str())
                .map(|(k, v)| (k.span(), v)),
            None => key
                .parse::<usize>()
                .ok()
                .and_then(|n| items.get(n))
                .map(|v| (v.span(), v)),
        };
        let Some((span, v)) = next else {
            break;
        };
        found = Some((depth, span));
        match v.get_ref() {
            DeValue::Table(t) => here = Some(t),
            DeValue::Array(a) => {
                here = None;
                items = a;
            }
            _ => break,
        }
    }
    let (depth, span) = found?;
    // An alias's entry is its own key under `[aliases.KIND]`.
    let entry = if at.first().is_some_and(|k| k == "aliases") {
        3
    } else {
        2
    };
    (depth + 1 >= at.len().min(entry)).then_some(span)
}
