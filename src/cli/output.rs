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
//!   replaced;
//! - a run with several outputs (`--plot` beside `--output` or standard
//!   output) is all or nothing: each is checked and written aside first
//!   ([`stage_file`], [`stage_output`]); then [`commit`] writes the streams
//!   and, only if they all succeeded, renames the files into place.

use std::fs::{self, OpenOptions};
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::{Mutex, Once};

use anyhow::{Context, Result, bail};

use super::files::{input_at, shown, write_stdout};

/// The temporary files written and not yet renamed into place, removed if
/// the run is interrupted.
static PENDING: Mutex<Vec<PathBuf>> = Mutex::new(Vec::new());

/// Exit code after an interruption (128 + SIGINT).
const INTERRUPTED: i32 = 130;

/// Writes `text` to stdout, or to `output` (named `--output` in errors);
/// `-o -` is standard output too, as `-` is standard input.
///
/// # Errors
/// As [`stage_file`] and [`commit`].
pub fn emit(output: Option<&Path>, text: &str) -> Result<()> {
    commit(vec![stage_output(output, text)?])
}

/// One output of a run, checked and ready: its text is either held for a
/// stream or already written to a temporary file beside its target. Dropped
/// without [`commit`], it leaves nothing behind.
pub struct Staged {
    /// The flag and path, as errors name them.
    what: String,
    kind: StagedKind,
}

/// How a staged output gets into place.
enum StagedKind {
    /// Written to standard output.
    Stdout(String),
    /// Written as a stream to a device or FIFO at this path.
    Stream(PathBuf, String),
    /// A temporary file renamed over the target (`new`: only if the name is
    /// still free).
    File {
        tmp: tempfile::NamedTempFile,
        target: PathBuf,
        new: bool,
    },
}

impl Drop for Staged {
    fn drop(&mut self) {
        if let StagedKind::File { tmp, .. } = &self.kind {
            forget_pending(tmp.path());
        }
    }
}

/// Stages `text` for standard output, or for `output` (named `--output`);
/// `-o -` is standard output too.
///
/// # Errors
/// As [`stage_file`].
pub fn stage_output(output: Option<&Path>, text: &str) -> Result<Staged> {
    match output {
        Some(path) if !is_stdout(path) => stage_file("--output", path, text),
        _ => Ok(Staged {
            what: "standard output".into(),
            kind: StagedKind::Stdout(text.to_string()),
        }),
    }
}

/// Writes the staged outputs, all or nothing as far as files go: first
/// every stream (standard output, a device) in turn, then, only when they
/// all succeeded, each temporary file renamed into place. On an error the
/// files not yet in place are removed, so a failing `-o /dev/full` leaves
/// no `--plot` file either.
///
/// # Errors
/// A stream cannot be written, or a file cannot be renamed into place (a
/// new file's name was taken meanwhile).
pub fn commit(staged: Vec<Staged>) -> Result<()> {
    for out in &staged {
        match &out.kind {
            StagedKind::Stdout(text) => write_stdout(text)?,
            StagedKind::Stream(path, text) => {
                stream(path, text).map_err(|e| write_error(&out.what, None, &e, ""))?;
            }
            StagedKind::File { .. } => {}
        }
    }
    for mut out in staged {
        let kind = std::mem::replace(&mut out.kind, StagedKind::Stdout(String::new()));
        if let StagedKind::File { tmp, target, new } = kind {
            let at = tmp.path().to_path_buf();
            let placed = if new {
                tmp.persist_noclobber(&target)
            } else {
                tmp.persist(&target)
            };
            forget_pending(&at);
            match placed {
                Ok(_) => {}
                Err(e) if new && e.error.kind() == io::ErrorKind::AlreadyExists => bail!(
                    "{} already exists; it is never overwritten: choose a new name, or remove the file first",
                    out.what
                ),
                Err(e) => {
                    let after = if new {
                        "; nothing was written"
                    } else {
                        "; the file is left as it was"
                    };
                    return Err(write_error(
                        &out.what,
                        Some(&folder_of(&target)),
                        &e.error,
                        after,
                    ));
                }
            }
        }
    }
    Ok(())
}

/// Refuses an `--output` whose name ends in another extension than
/// `.toml` for a command that writes TOML (`what`: "a profile", "a rate-book
/// extension"), with `help` on what to write instead. A name without an
/// extension, or `-`, is not refused.
///
/// # Errors
/// The name ends in `.json`, `.txt` or any extension but `.toml`.
pub fn toml_output(path: Option<&Path>, what: &str, help: &str) -> Result<()> {
    match path.and_then(Path::extension) {
        Some(ext) if !ext.eq_ignore_ascii_case("toml") => bail!(
            "--output writes {what}, which is TOML, but its name ends in .{}\n  = help: {help}",
            ext.to_string_lossy()
        ),
        _ => Ok(()),
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

/// Checks the target of `text` at `path`, given with `flag`, and writes the
/// text to a temporary file beside it (or holds it for a stream), to be put
/// in place by [`commit`]; see the module documentation for how each kind
/// of target is treated.
///
/// # Errors
/// `path` is `-` (standard output carries the report), a file this run read, a directory, a link to nothing, in a
/// missing folder, or cannot be written.
pub fn stage_file(flag: &str, path: &Path, text: &str) -> Result<Staged> {
    let at = shown(path);
    let what = format!("{flag} {at}");
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
            return Ok(Staged {
                what,
                kind: StagedKind::Stream(path.to_path_buf(), text.to_string()),
            });
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
    let tmp = write_aside(&target, &dir, meta.as_ref(), text)
        .map_err(|e| write_error(&what, Some(&dir), &e, kept))?;
    Ok(Staged {
        what,
        kind: StagedKind::File {
            tmp,
            target,
            new: false,
        },
    })
}

/// The error of a failed write of `what` (the flag and its path; a file in
/// `dir`, or a stream when `None`), saying what happened and what to do,
/// then `after` (what became of the file). The temporary file's name is not
/// shown: it was removed.
fn write_error(what: &str, dir: Option<&Path>, e: &io::Error, after: &str) -> anyhow::Error {
    let why = os_message(e);
    let folder = dir.map_or_else(
        || "it".to_string(),
        |d| format!("the directory {}", shown(d)),
    );
    let happened = match e.kind() {
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
    anyhow::anyhow!("cannot write {what}: {happened}{after}")
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

/// The folder a file at `target` goes into: its parent, `.` for a bare name.
fn folder_of(target: &Path) -> PathBuf {
    match target.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => PathBuf::from("."),
    }
}

/// The folder a file at `target` goes into (`.` for a bare name), which must
/// exist; `flag` and `at` name the output in the error.
fn existing_folder(flag: &str, at: &str, target: &Path) -> Result<PathBuf> {
    let dir = folder_of(target);
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
    commit(vec![stage_new(flag, path, text)?])
}

/// Checks that nothing exists at `path`, given with `flag`, and writes
/// `text` to a temporary file beside it, to be linked into place by
/// [`commit`] only if the name is still free; `-` is standard output.
///
/// # Errors
/// Something exists at `path`, its folder is missing, or it cannot be written.
pub fn stage_new(flag: &str, path: &Path, text: &str) -> Result<Staged> {
    if is_stdout(path) {
        return stage_output(None, text);
    }
    let at = shown(path);
    let what = format!("{flag} {at}");
    let meta = fs::metadata(path);
    if meta.as_ref().is_ok_and(fs::Metadata::is_dir) {
        bail!("{flag} {at} is a directory; give the path of a new file, such as {at}/profile.toml");
    }
    if meta.as_ref().is_ok_and(|m| !m.is_file()) {
        return Ok(Staged {
            what,
            kind: StagedKind::Stream(path.to_path_buf(), text.to_string()),
        });
    }
    if fs::symlink_metadata(path).is_ok() {
        bail!(
            "{flag} {at} already exists; it is never overwritten: choose a new name, or remove the file first"
        );
    }
    let dir = existing_folder(flag, &at, path)?;
    let tmp = write_aside(path, &dir, None, text)
        .map_err(|e| write_error(&what, Some(&dir), &e, "; nothing was written"))?;
    Ok(Staged {
        what,
        kind: StagedKind::File {
            tmp,
            target: path.to_path_buf(),
            new: true,
        },
    })
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

/// Writes `text` to a new temporary file in `dir` named after `target`
/// (with the permissions of the file it will replace, `old`), synced to
/// disk; it is removed when dropped or when the run is interrupted.
fn write_aside(
    target: &Path,
    dir: &Path,
    old: Option<&fs::Metadata>,
    text: &str,
) -> io::Result<tempfile::NamedTempFile> {
    on_interrupt_remove_pending();
    let prefix = temp_prefix(target);
    let builder = temp_builder(&prefix);
    let mut tmp = builder.tempfile_in(dir)?;
    remember_pending(tmp.path());
    let written = (|| {
        if let Some(old) = old {
            fs::set_permissions(tmp.path(), old.permissions())?;
        }
        tmp.write_all(text.as_bytes())?;
        tmp.as_file().sync_all()
    })();
    match written {
        Ok(()) => Ok(tmp),
        Err(e) => {
            // Removed as `tmp` is dropped.
            forget_pending(tmp.path());
            Err(e)
        }
    }
}

fn pending() -> std::sync::MutexGuard<'static, Vec<PathBuf>> {
    PENDING
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

fn remember_pending(path: &Path) {
    pending().push(path.to_path_buf());
}

fn forget_pending(path: &Path) {
    pending().retain(|p| p != path);
}

/// Installs, once, a SIGINT/SIGTERM handler that removes the temporary file
/// being written and exits with 130.
fn on_interrupt_remove_pending() {
    static INSTALL: Once = Once::new();
    INSTALL.call_once(|| {
        // Without a handler an interruption still ends the run; only the
        // clean-up is lost, so a failure to install is not an error.
        let _ = ctrlc::set_handler(|| {
            for path in std::mem::take(&mut *pending()) {
                let _ = fs::remove_file(path);
            }
            std::process::exit(INTERRUPTED);
        });
    });
}
