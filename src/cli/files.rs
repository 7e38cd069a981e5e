//! Every file the program reads, and its standard streams: reads with a
//! size limit enforced while reading, of regular files only, remembered so no
//! output of the same run can overwrite them; output to stdout; error text to
//! stderr. Writing to `--output` and `--plot` is in [`super::output`].
//! Nothing else in the program touches the file system. It must not
//! interpret what it reads: parsing is the library's job.

use std::fs::{self, File, Metadata};
use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use anyhow::{Context, Result, bail};
use yieldplan::error::Diagnostics;
use yieldplan::printable::{escape_except, printable};
use yieldplan::profile::MAX_PROFILE_BYTES;

/// The files read so far in this run, by identity, with the path given.
static INPUTS: Mutex<Vec<(FileId, PathBuf)>> = Mutex::new(Vec::new());

/// What makes two paths the same file: device and inode where the platform
/// has them, else the canonical path.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FileId(Option<(u64, u64)>, Option<PathBuf>);

impl FileId {
    /// The identity of the file at `path` with metadata `meta`.
    pub fn of(path: &Path, meta: &Metadata) -> Self {
        #[cfg(unix)]
        {
            use std::os::unix::fs::MetadataExt;
            let _ = path;
            FileId(Some((meta.dev(), meta.ino())), None)
        }
        #[cfg(not(unix))]
        {
            let _ = meta;
            FileId(None, fs::canonicalize(path).ok())
        }
    }
}

/// The path of an input of this run that is the same file as `meta`, if any.
pub fn input_at(path: &Path, meta: &Metadata) -> Option<PathBuf> {
    let id = FileId::of(path, meta);
    let inputs = INPUTS
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    inputs
        .iter()
        .find(|(i, _)| *i == id)
        .map(|(_, p)| p.clone())
}

/// Shows a path in a message, its control characters escaped.
pub fn shown(path: &Path) -> String {
    printable(&path.display().to_string()).into_owned()
}

/// Reads a whole input file (a profile, a rate book, a pools snapshot) of at
/// most [`MAX_PROFILE_BYTES`] bytes, counted while reading. `what` names the
/// file in errors. Only a regular file is read: a device, a pipe or a
/// directory is refused before it is opened for reading.
///
/// # Errors
/// The path is missing, not a regular file, too large or unreadable.
pub fn read_limited(path: &Path, what: &str) -> Result<Vec<u8>> {
    if is_stdin(path) {
        return read_stdin(what);
    }
    let at = shown(path);
    let meta =
        fs::metadata(path).with_context(|| format!("cannot read {what} {at}: check the path"))?;
    if meta.is_dir() {
        bail!("{what} {at} is a directory; give the path of a file");
    }
    if !meta.is_file() {
        bail!(
            "{what} {at} is not a regular file (a device, a pipe or a socket); save the input to a file and give its path"
        );
    }
    read_regular(path, what)
}

/// Whether a path given on the command line means standard input (`-`).
pub fn is_stdin(path: &Path) -> bool {
    path.as_os_str() == "-"
}

/// Reads standard input (`-`) whole, with the same size limit as a file,
/// once per run. When standard input is a regular file (`< profile.toml`),
/// that file is remembered as an input, so no output of the run can
/// overwrite it.
fn read_stdin(what: &str) -> Result<Vec<u8>> {
    static TAKEN: Mutex<bool> = Mutex::new(false);
    {
        let mut taken = TAKEN
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if *taken {
            bail!(
                "standard input (-) is given twice and can be read only once; it was read for an earlier input, so give the {what} as a file"
            );
        }
        *taken = true;
    }
    #[cfg(unix)]
    {
        use std::os::fd::AsFd;
        let stdin = io::stdin();
        if let Ok(fd) = stdin.as_fd().try_clone_to_owned() {
            if let Ok(meta) = File::from(fd).metadata() {
                if meta.is_dir() {
                    bail!(
                        "standard input is a directory; give the {what} on standard input or as a path"
                    );
                }
                if meta.is_file() {
                    INPUTS
                        .lock()
                        .unwrap_or_else(std::sync::PoisonError::into_inner)
                        .push((FileId::of(Path::new("-"), &meta), PathBuf::from("-")));
                }
            }
        }
    }
    let mut bytes = Vec::new();
    let limit = MAX_PROFILE_BYTES as u64;
    io::stdin()
        .lock()
        .take(limit + 1)
        .read_to_end(&mut bytes)
        .with_context(|| format!("cannot read the {what} from standard input"))?;
    if bytes.len() as u64 > limit {
        bail!(
            "the {what} on standard input is more than the {} MiB accepted; check that this is the right file{}",
            MAX_PROFILE_BYTES / (1024 * 1024),
            too_large_hint(what)
        );
    }
    Ok(bytes)
}

/// Reads an input file named inside another file (a profile's `[rates]
/// pools`): as [`read_limited`], but every failure reads the same, so the
/// message reveals nothing about what else is at that path.
///
/// # Errors
/// The path is not a readable regular file of at most [`MAX_PROFILE_BYTES`].
pub fn read_named(path: &Path, what: &str, named_in: &Path) -> Result<Vec<u8>> {
    let usable = fs::metadata(path).is_ok_and(|m| m.is_file());
    match usable.then(|| read_regular(path, what)) {
        Some(Ok(bytes)) => Ok(bytes),
        _ => bail!(
            "cannot use {what} {} named in {}: it must be a readable regular file of at most {} MiB; the path is relative to the profile's folder",
            shown(path),
            shown(named_in),
            MAX_PROFILE_BYTES / (1024 * 1024)
        ),
    }
}

/// What else to say of a `what` past the size limit: a plan snapshot that
/// large is one of very many positions.
fn too_large_hint(what: &str) -> &'static str {
    if what.contains("snapshot") && !what.contains("pools") {
        " (the plan of a portfolio of more than about 35,000 positions writes a larger snapshot: review such a portfolio in parts)"
    } else {
        ""
    }
}

/// Opens a regular file and reads at most one byte past the limit.
fn read_regular(path: &Path, what: &str) -> Result<Vec<u8>> {
    let at = shown(path);
    let file = File::open(path).with_context(|| format!("cannot read {what} {at}"))?;
    let meta = file
        .metadata()
        .with_context(|| format!("cannot read {what} {at}"))?;
    if !meta.is_file() {
        bail!("{what} {at} is not a regular file; save the input to a file and give its path");
    }
    let mut bytes = Vec::new();
    let limit = MAX_PROFILE_BYTES as u64;
    file.take(limit + 1)
        .read_to_end(&mut bytes)
        .with_context(|| format!("cannot read {what} {at}"))?;
    if bytes.len() as u64 > limit {
        bail!(
            "{what} {at} is more than the {} MiB accepted; check that this is the right file{}",
            MAX_PROFILE_BYTES / (1024 * 1024),
            too_large_hint(what)
        );
    }
    INPUTS
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
        .push((FileId::of(path, &meta), path.to_path_buf()));
    Ok(bytes)
}

/// Writes one line of error text to stderr, its control characters escaped
/// (line breaks kept); a failure to write it is ignored (there is nowhere
/// left to report it).
pub fn print_error(text: &str) {
    let _ = writeln!(io::stderr(), "{}", escape_except(text, &['\n']));
}

/// Writes to stdout; a closed pipe (`yieldplan ... | head`) is not an error.
///
/// # Errors
/// Standard output cannot be written (e.g. the disk is full).
pub fn write_stdout(text: &str) -> Result<()> {
    let mut stdout = io::stdout().lock();
    match stdout
        .write_all(text.as_bytes())
        .and_then(|()| stdout.flush())
    {
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => Ok(()),
        other => other.context("cannot write to standard output"),
    }
}

/// The text of an error in the program's one style: a profile's diagnostics
/// as they render, anything else as `error: ` and its chain of causes.
pub fn error_text(e: &anyhow::Error) -> String {
    match e.downcast_ref::<Diagnostics>() {
        Some(d) => d.to_string(),
        None => format!("error: {e:#}"),
    }
}

/// Prints an error to stderr in the program's one style.
pub fn report_error(e: &anyhow::Error) {
    print_error(&error_text(e));
}

/// A path that is not UTF-8 as one word in ANSI-C quotes (`$'i\xfe.toml'`,
/// read back byte for byte by bash, zsh and ksh): printable ASCII as it is,
/// every other byte as `\xHH`.
#[cfg(unix)]
fn ansi_c_quoted(path: &Path) -> String {
    use std::os::unix::ffi::OsStrExt;
    let bytes = path.as_os_str().as_bytes();
    let dash = if bytes.starts_with(b"-") { "./" } else { "" };
    let mut out = format!("$'{dash}");
    for &b in bytes {
        match b {
            b'\'' | b'\\' => {
                out.push('\\');
                out.push(char::from(b));
            }
            0x20..=0x7e => out.push(char::from(b)),
            _ => out.push_str(&format!("\\x{b:02x}")),
        }
    }
    out.push('\'');
    out
}

/// `path` as one word a POSIX shell reads back as that path: as it is when
/// it holds only characters no shell treats specially, else in single
/// quotes. A path with control characters (a newline) is shown escaped, as
/// in other messages: no pasted command could carry it.
#[must_use]
pub fn shell_word(path: &Path) -> String {
    #[cfg(unix)]
    if path.to_str().is_none() {
        return ansi_c_quoted(path);
    }
    let mut text = path.to_string_lossy().into_owned();
    if text.starts_with('-') {
        // Not an option to the command: `./-x.toml`.
        text.insert_str(0, "./");
    }
    if text.chars().any(char::is_control) {
        return shown(path);
    }
    let plain = |c: char| c.is_alphanumeric() || "._/+-=:,@%".contains(c);
    if !text.is_empty() && text.chars().all(plain) {
        text
    } else {
        format!("'{}'", text.replace('\'', "'\\''"))
    }
}
