//! Writing a report or a picture to a file named on the command line
//! (`--output`, `--plot`, `rates import --output`), safely:
//!
//! - never over a file this run read (the profile, `--rates`, `--pools`, a
//!   profile's `[rates] pools`), compared by identity, not by name;
//! - a regular file is replaced atomically: the text goes to a temporary file
//!   created exclusively (`O_EXCL`, unpredictable name) in the target's
//!   folder, with the target's permissions, then renamed over it; the
//!   temporary file is removed when the write fails or the run is
//!   interrupted (SIGINT, SIGTERM);
//! - a symbolic link is written through: its target is replaced, the link
//!   stays;
//! - anything that is not a regular file (`/dev/null`, `/dev/stdout`, a FIFO)
//!   and any path under `/dev` or `/proc` is written to as a stream, never
//!   replaced.

use std::fs::{self, OpenOptions};
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::{Mutex, Once};

use anyhow::{Context, Result, bail};

use super::files::{input_at, shown, write_stdout};

/// The temporary file being written, removed if the run is interrupted.
static PENDING: Mutex<Option<PathBuf>> = Mutex::new(None);

/// Exit code after an interruption (128 + SIGINT).
const INTERRUPTED: i32 = 130;

/// Writes `text` to stdout, or to `output` (named `--output` in errors);
/// `-o -` is standard output too, as `-` is standard input.
///
/// # Errors
/// As [`write_file`].
pub fn emit(output: Option<&Path>, text: &str) -> Result<()> {
    match output {
        None => write_stdout(text),
        Some(path) if is_stdout(path) => write_stdout(text),
        Some(path) => write_file("--output", path, text),
    }
}

/// Whether an output path is `-`: standard output.
#[must_use]
pub fn is_stdout(path: &Path) -> bool {
    path.as_os_str() == "-"
}

/// Refuses two outputs of one run at the same path (`--plot X --output X`),
/// before any work is done. `targets` pairs each flag with its path.
///
/// # Errors
/// Two of the paths name the same file.
pub fn distinct_outputs(targets: &[(&str, Option<&Path>)]) -> Result<()> {
    let given: Vec<(&str, &Path)> = targets
        .iter()
        .filter_map(|(flag, p)| p.map(|p| (*flag, p)))
        .collect();
    for (i, (flag_a, a)) in given.iter().enumerate() {
        for (flag_b, b) in &given[i + 1..] {
            if same_target(a, b) {
                bail!(
                    "{flag_a} {} and {flag_b} {} are the same file; give each its own path",
                    shown(a),
                    shown(b)
                );
            }
        }
    }
    Ok(())
}

/// Whether two output paths name the same file: equal after resolving the
/// folder (the file itself may not exist yet).
fn same_target(a: &Path, b: &Path) -> bool {
    let resolve = |p: &Path| {
        fs::canonicalize(p).ok().or_else(|| {
            let dir = match p.parent() {
                Some(d) if !d.as_os_str().is_empty() => d,
                _ => Path::new("."),
            };
            Some(fs::canonicalize(dir).ok()?.join(p.file_name()?))
        })
    };
    a == b || matches!((resolve(a), resolve(b)), (Some(x), Some(y)) if x == y)
}

/// Writes `text` to the file at `path`, given with `flag`; see the module
/// documentation for how each kind of target is treated.
///
/// # Errors
/// `path` is `-` (standard output carries the report), a file this run read, a directory, a link to nothing, in a
/// missing folder, or cannot be written.
pub fn write_file(flag: &str, path: &Path, text: &str) -> Result<()> {
    let at = shown(path);
    if is_stdout(path) {
        bail!(
            "{flag} - would write to standard output, where the report goes; give a file path, e.g. chart.svg"
        );
    }
    let meta = match fs::metadata(path) {
        Ok(meta) => Some(meta),
        Err(e) if e.kind() == io::ErrorKind::NotFound => {
            if fs::symlink_metadata(path).is_ok() {
                bail!(
                    "{flag} {at} is a symbolic link to a missing file; give the path of the file itself"
                );
            }
            None
        }
        Err(e) => return Err(e).with_context(|| format!("cannot write {flag} {at}")),
    };
    if let Some(meta) = &meta {
        if let Some(input) = input_at(path, meta) {
            bail!(
                "{flag} {at} is an input of this run ({}); choose another path so the input is not overwritten",
                shown(&input)
            );
        }
        if meta.is_dir() {
            let example = match flag {
                "--plot" => "fan.svg",
                _ if path
                    .extension()
                    .is_some_and(|e| e.eq_ignore_ascii_case("toml")) =>
                {
                    "new.toml"
                }
                _ => "report.json",
            };
            bail!(
                "{flag} {at} is a directory; give a file path inside it such as {}",
                shown(&path.join(example))
            );
        }
        if !meta.is_file() || is_system_path(path) {
            return stream(path, text).map_err(|e| write_error(flag, &at, None, &e, ""));
        }
    }
    // Through a symbolic link: replace what it points to.
    let target = match &meta {
        Some(_) => fs::canonicalize(path).with_context(|| format!("cannot write {flag} {at}"))?,
        None => path.to_path_buf(),
    };
    let dir = existing_folder(flag, &at, &target)?;
    let kept = if meta.is_some() {
        "; the file is left as it was"
    } else {
        "; nothing was written"
    };
    replace(&target, &dir, meta.as_ref(), text)
        .map_err(|e| write_error(flag, &at, Some(&dir), &e, kept))
}

/// The error of a failed write of `flag` `at` (a file in `dir`, or a stream
/// when `None`), saying what happened and what to do, then `after` (what
/// became of the file). The temporary file's name is not shown: it was
/// removed.
fn write_error(
    flag: &str,
    at: &str,
    dir: Option<&Path>,
    e: &io::Error,
    after: &str,
) -> anyhow::Error {
    let why = os_message(e);
    let folder = dir.map_or_else(
        || "it".to_string(),
        |d| format!("the directory {}", shown(d)),
    );
    let what = match e.kind() {
        io::ErrorKind::StorageFull => {
            format!("the device is full ({why}); free some space or write elsewhere")
        }
        io::ErrorKind::PermissionDenied | io::ErrorKind::ReadOnlyFilesystem => {
            format!("{folder} cannot be written to ({why}); choose a place you can write to")
        }
        _ if dir.is_some() => {
            format!("a file cannot be created in {folder} ({why}); choose another place")
        }
        _ => why,
    };
    anyhow::anyhow!("cannot write {flag} {at}: {what}{after}")
}

/// The system's message for `e` (`No space left on device (os error 28)`),
/// without the temporary file's path that `tempfile` adds to it (`... at
/// path "/dir/.name.x1y2.tmp"`).
fn os_message(e: &io::Error) -> String {
    if let Some(code) = e.raw_os_error() {
        return io::Error::from_raw_os_error(code).to_string();
    }
    let text = e.to_string();
    match text.split_once(" at path ") {
        Some((message, _)) => message.to_string(),
        None => text,
    }
}

/// The folder a file at `target` goes into (`.` for a bare name), which must
/// exist; `flag` and `at` name the output in the error.
fn existing_folder(flag: &str, at: &str, target: &Path) -> Result<PathBuf> {
    let dir = match target.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => PathBuf::from("."),
    };
    if !dir.is_dir() {
        bail!(
            "cannot write {flag} {at}: the directory {} does not exist",
            shown(&dir)
        );
    }
    Ok(dir)
}

/// Writes `text` to a new file at `path`, given with `flag`, or to standard
/// output when `path` is `-` (as [`emit`] does). A file is refused when
/// anything exists at `path` (a file, a link, even a dangling one), and
/// creates the file atomically (a temporary file linked into place only if
/// the name is still free), so a file that appears meanwhile is not
/// overwritten either. A device or a pipe (`/dev/stdout`, a FIFO) is no
/// file to overwrite: it is written to as a stream.
///
/// # Errors
/// Something exists at `path`, its folder is missing, or it cannot be written
/// (each said as what happened: a full device, a folder not writable, ...).
pub fn write_new(flag: &str, path: &Path, text: &str) -> Result<()> {
    if is_stdout(path) {
        return write_stdout(text);
    }
    let at = shown(path);
    let meta = fs::metadata(path);
    if meta.as_ref().is_ok_and(fs::Metadata::is_dir) {
        bail!("{flag} {at} is a directory; give the path of a new file, such as {at}/profile.toml");
    }
    if meta.as_ref().is_ok_and(|m| !m.is_file()) {
        return stream(path, text).map_err(|e| write_error(flag, &at, None, &e, ""));
    }
    if fs::symlink_metadata(path).is_ok() {
        bail!(
            "{flag} {at} already exists; it is never overwritten: choose a new name, or remove the file first"
        );
    }
    let dir = existing_folder(flag, &at, path)?;
    on_interrupt_remove_pending();
    let prefix = temp_prefix(path);
    let builder = temp_builder(&prefix);
    let result = (|| {
        let mut tmp = builder.tempfile_in(&dir)?;
        set_pending(Some(tmp.path().to_path_buf()));
        tmp.write_all(text.as_bytes())?;
        tmp.as_file().sync_all()?;
        tmp.persist_noclobber(path).map(|_| ()).map_err(|e| e.error)
    })();
    set_pending(None);
    match result {
        Err(e) if e.kind() == io::ErrorKind::AlreadyExists => bail!(
            "{flag} {at} already exists; it is never overwritten: choose a new name, or remove the file first"
        ),
        Err(e) => Err(write_error(
            flag,
            &at,
            Some(&dir),
            &e,
            "; nothing was written",
        )),
        Ok(()) => Ok(()),
    }
}

/// A path under `/dev` or `/proc` (`/dev/stdout`, `/proc/self/fd/1`): it
/// stands for a stream even when it resolves to a regular file.
fn is_system_path(path: &Path) -> bool {
    let absolute = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    absolute.starts_with("/dev") || absolute.starts_with("/proc")
}

/// Writes to an existing non-regular file as a stream.
fn stream(path: &Path, text: &str) -> io::Result<()> {
    let mut f = OpenOptions::new().write(true).open(path)?;
    f.write_all(text.as_bytes())?;
    f.flush()
}

/// The hidden name prefix of a temporary file for `target`: `.NAME.`.
fn temp_prefix(target: &Path) -> String {
    let name = target
        .file_name()
        .map_or_else(|| "output".into(), |n| n.to_string_lossy().into_owned());
    format!(".{name}.")
}

/// A temporary-file builder: `prefix`, a random middle, `.tmp`; created
/// exclusively, with the usual 0666 less the umask, as any created file.
fn temp_builder(prefix: &str) -> tempfile::Builder<'_, 'static> {
    let mut builder = tempfile::Builder::new();
    builder.prefix(prefix).suffix(".tmp");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        builder.permissions(fs::Permissions::from_mode(0o666));
    }
    builder
}

/// Writes a temporary file in `dir` and renames it over `target`.
fn replace(target: &Path, dir: &Path, old: Option<&fs::Metadata>, text: &str) -> io::Result<()> {
    on_interrupt_remove_pending();
    let prefix = temp_prefix(target);
    let builder = temp_builder(&prefix);
    let mut tmp = builder.tempfile_in(dir)?;
    set_pending(Some(tmp.path().to_path_buf()));
    let result = (|| {
        if let Some(old) = old {
            fs::set_permissions(tmp.path(), old.permissions())?;
        }
        tmp.write_all(text.as_bytes())?;
        tmp.as_file().sync_all()?;
        tmp.persist(target).map(|_| ()).map_err(|e| e.error)
    })();
    // On failure the temporary file was removed when `tmp` was dropped.
    set_pending(None);
    result
}

fn set_pending(path: Option<PathBuf>) {
    *PENDING
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner) = path;
}

/// Installs, once, a SIGINT/SIGTERM handler that removes the temporary file
/// being written and exits with 130.
fn on_interrupt_remove_pending() {
    static INSTALL: Once = Once::new();
    INSTALL.call_once(|| {
        // Without a handler an interruption still ends the run; only the
        // clean-up is lost, so a failure to install is not an error.
        let _ = ctrlc::set_handler(|| {
            let pending = PENDING
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner)
                .take();
            if let Some(path) = pending {
                let _ = fs::remove_file(path);
            }
            std::process::exit(INTERRUPTED);
        });
    });
}
