//! Handing over to the user's own programs. Text goes to their editor, as git does: `$VISUAL`,
//! else `$EDITOR`, else `vi`, run through `sh -c` so the command may carry arguments (`code
//! --wait`), as `exec <editor> "$@"` where it is one command so that the editor is the process
//! waited for, through a private file (mode 0600, in the temporary folder) removed afterwards. While the editor is open, Ctrl-C is the
//! editor's (it reaches it, and this program lets it decide), and SIGTERM or SIGHUP end the
//! editor and remove the file before the signal is raised again, so nothing is left behind.
//! A link goes to `$BROWSER`, else to the desktop's opener when there is a display.

use std::ffi::c_int;
use std::io;
use std::path::{Path, PathBuf};
use std::process::{Child, ExitStatus};
use std::sync::Mutex;
use std::sync::atomic::{AtomicI32, Ordering};
use std::time::{Duration, Instant};

use nix::sys::signal::{SaFlags, SigAction, SigHandler, SigSet, Signal};

use crate::config::Env;

/// The largest text read back from the editor.
const MAX_EDITED_BYTES: u64 = 16 * 1024 * 1024;

/// An editor that gives the text back unchanged sooner than this did not wait for the user.
const AT_ONCE: Duration = Duration::from_secs(1);

/// How long an editor told to end (SIGTERM) has before it is killed.
const GRACE: Duration = Duration::from_secs(2);

/// How often the editor is looked at while it is open, and signals with it.
const LOOK: Duration = Duration::from_millis(25);

/// The editor command `env` names.
pub fn command(env: &Env) -> String {
    env.get("VISUAL")
        .or_else(|| env.get("EDITOR"))
        .unwrap_or("vi")
        .to_owned()
}

/// Why an edit did not come back.
#[derive(Debug, thiserror::Error)]
pub enum EditError {
    /// The file could not be written or read back.
    #[error("the file to edit: {0}")]
    File(#[from] io::Error),
    /// The editor could not be started.
    #[error("the editor `{command}` could not be started: {source}")]
    Start {
        /// The command.
        command: String,
        /// Why.
        source: io::Error,
    },
    /// The editor ended in error (`:cq` in vi): the edit is abandoned.
    #[error("the editor `{command}` ended with {status}; nothing was changed")]
    Failed {
        /// The command.
        command: String,
        /// How it ended.
        status: ExitStatus,
    },
    /// The editor gave the text back unchanged at once: it did not wait for the user (a
    /// window's editor started without its wait flag), so the edit would be lost.
    #[error(
        "the editor `{command}` gave the text back unchanged at once, so it did not wait for \
         the edit; nothing was changed. Make it wait until its file is closed, e.g. \
         EDITOR=\"code --wait\" (subl -w, gedit -s, emacsclient without -n)"
    )]
    Returned {
        /// The command.
        command: String,
    },
    /// A signal ended the edit: the editor was ended and its file removed.
    #[error("{0} while the editor was open: it was ended; nothing was changed")]
    Interrupted(Signal),
}

/// A private temporary file named `<stem>-<random>.<extension>`, removed when dropped.
struct Scratch(PathBuf);

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.0);
    }
}

/// Lets the user edit `text` in their editor (a file ending in `extension`, so the editor
/// picks its mode); returns the text as saved, without a byte-order mark an editor added.
/// Blocking: the editor owns the terminal meanwhile. A SIGTERM or SIGHUP meanwhile ends the
/// editor, removes the file, and is raised again once this program's own handling of it is
/// back (a CLI ends of it, the TUI quits as it does on it).
pub fn edit(text: &str, extension: &str, env: &Env) -> Result<String, EditError> {
    let path = std::env::temp_dir().join(format!(
        "ark-assets-{}-{:08x}.{extension}",
        std::process::id(),
        rand::random::<u32>()
    ));
    crate::files::write_private(&path, text.as_bytes())?;
    let scratch = Scratch(path);
    let command = command(env);
    let started = Instant::now();
    let status = match run_editor(&command, &scratch.0)? {
        Ended::Exited(status) => status,
        Ended::Signalled(signal) => {
            drop(scratch);
            let _ = nix::sys::signal::raise(signal);
            return Err(EditError::Interrupted(signal));
        }
    };
    if !status.success() {
        return Err(EditError::Failed { command, status });
    }
    let bytes = crate::files::read_bounded(&scratch.0, MAX_EDITED_BYTES)?;
    let mut edited = String::from_utf8(bytes)
        .map_err(|e| EditError::File(io::Error::new(io::ErrorKind::InvalidData, e)))?;
    if edited.starts_with('\u{feff}') {
        edited.drain(..'\u{feff}'.len_utf8());
    }
    if edited == text && started.elapsed() < AT_ONCE {
        return Err(EditError::Returned { command });
    }
    Ok(edited)
}

/// How the editor's run ended.
enum Ended {
    /// The editor exited by itself.
    Exited(ExitStatus),
    /// A signal came, and the editor was ended.
    Signalled(Signal),
}

/// The signals an edit handles while the editor is open: SIGINT is noted and left to the
/// editor, the others end it.
const HANDLED: [Signal; 3] = [Signal::SIGINT, Signal::SIGTERM, Signal::SIGHUP];

/// The signal that came while the editor was open (0: none).
static SIGNALLED: AtomicI32 = AtomicI32::new(0);

/// One edit at a time holds the signals.
static EDITING: Mutex<()> = Mutex::new(());

/// The handler while an editor is open: notes a signal that ends the edit. (It only stores
/// to an atomic, which is safe in a signal handler.)
extern "C" fn note_signal(signal: c_int) {
    if signal != Signal::SIGINT as c_int {
        SIGNALLED.store(signal, Ordering::SeqCst);
    }
}

/// Runs the editor on `file` with [`HANDLED`] caught, each put back as it was afterwards.
fn run_editor(command: &str, file: &Path) -> Result<Ended, EditError> {
    let _one = EDITING.lock().unwrap_or_else(|e| e.into_inner());
    SIGNALLED.store(0, Ordering::SeqCst);
    let catch = SigAction::new(
        SigHandler::Handler(note_signal),
        SaFlags::SA_RESTART,
        SigSet::empty(),
    );
    let mut before = Vec::new();
    for signal in HANDLED {
        // SAFETY: the handler only stores to an atomic; every action replaced is put back
        // below, before this returns.
        let Ok(old) = (unsafe { nix::sys::signal::sigaction(signal, &catch) }) else {
            continue;
        };
        if old.handler() == SigHandler::SigIgn {
            // Ignored before (`nohup`): it stays ignored, the editor's too.
            // SAFETY: puts back the action just replaced.
            let _ = unsafe { nix::sys::signal::sigaction(signal, &old) };
        }
        before.push((signal, old));
    }
    // Handlers (unlike ignored signals) do not pass to the editor: it starts with the defaults.
    let spawned = std::process::Command::new("sh")
        .arg("-c")
        .arg(exec_line(command))
        .arg("editor")
        .arg(file)
        .spawn();
    let ended = match spawned {
        Ok(child) => wait_or_end(child).map_err(EditError::File),
        Err(source) => Err(EditError::Start {
            command: command.to_owned(),
            source,
        }),
    };
    for (signal, old) in before {
        // SAFETY: puts back the action this function replaced.
        let _ = unsafe { nix::sys::signal::sigaction(signal, &old) };
    }
    ended
}

/// The shell line that runs `command` on the file (`"$@"`) as the shell's own process (`exec`
/// after any leading `NAME=value`), so that ending the process the shell was ends the editor.
/// A command of several (`;`, `&&`, `|`…) or an assignment with quotes runs as it is written.
fn exec_line(command: &str) -> String {
    let as_written = || format!("{command} \"$@\"");
    if command.contains([';', '&', '|', '(', ')', '{', '}', '\n']) {
        return as_written();
    }
    let is_name = |name: &str| {
        name.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_')
            && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
    };
    let mut at = 0;
    loop {
        let start = command[at..]
            .find(|c: char| !c.is_whitespace())
            .map_or(command.len(), |n| at + n);
        let end = command[start..]
            .find(char::is_whitespace)
            .map_or(command.len(), |n| start + n);
        match command[start..end].split_once('=') {
            Some((name, value)) if is_name(name) => {
                if value.contains(['"', '\'', '\\', '$', '`']) {
                    return as_written();
                }
                at = end;
            }
            _ => return format!("{}exec {} \"$@\"", &command[..start], &command[start..]),
        }
    }
}

/// Waits for the editor; when a signal that ends the edit comes first, tells the editor to end
/// (SIGTERM), kills it after [`GRACE`], and waits for it.
fn wait_or_end(mut child: Child) -> io::Result<Ended> {
    loop {
        if let Some(status) = child.try_wait()? {
            return Ok(Ended::Exited(status));
        }
        if let Ok(signal) = Signal::try_from(SIGNALLED.load(Ordering::SeqCst)) {
            let pid = nix::unistd::Pid::from_raw(child.id() as i32);
            let _ = nix::sys::signal::kill(pid, Signal::SIGTERM);
            let deadline = Instant::now() + GRACE;
            while child.try_wait()?.is_none() && Instant::now() < deadline {
                std::thread::sleep(LOOK);
            }
            // Killed if it is still there; reaped either way, so nothing of it is left.
            let _ = child.kill();
            child.wait()?;
            return Ok(Ended::Signalled(signal));
        }
        std::thread::sleep(LOOK);
    }
}

/// The program that opens a link here: `$BROWSER`; else, with a display, the desktop's
/// (`xdg-open`; `open` on macOS); none over a plain SSH session.
pub fn opener(env: &Env) -> Option<String> {
    if let Some(browser) = env.get("BROWSER") {
        return Some(browser.to_owned());
    }
    if cfg!(target_os = "macos") {
        return Some("open".to_owned());
    }
    (env.get("DISPLAY").is_some() || env.get("WAYLAND_DISPLAY").is_some())
        .then(|| "xdg-open".to_owned())
}

/// Opens `link` with `opener` (run through `sh -c`, its output away from the terminal the
/// TUI draws on); waits for it to start, not to end.
pub fn open(opener: &str, link: &str) -> io::Result<()> {
    let mut child = std::process::Command::new("sh")
        .arg("-c")
        .arg(format!("{opener} \"$@\""))
        .arg("open")
        .arg(link)
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()?;
    // Reaped when it ends, so no zombie is left behind.
    std::thread::spawn(move || child.wait());
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::exec_line;

    #[test]
    fn the_editor_is_the_shell_s_own_process_when_it_can_be() {
        assert_eq!(exec_line("vi"), "exec vi \"$@\"");
        assert_eq!(exec_line("code --wait"), "exec code --wait \"$@\"");
        assert_eq!(
            exec_line("TERM=xterm LANG=C vim -u NONE"),
            "TERM=xterm LANG=C exec vim -u NONE \"$@\""
        );
        assert_eq!(
            exec_line("vim -c 'set tw=0'"),
            "exec vim -c 'set tw=0' \"$@\""
        );
        assert_eq!(exec_line("FOO='a b' vim"), "FOO='a b' vim \"$@\"");
        assert_eq!(exec_line("vim; echo done"), "vim; echo done \"$@\"");
    }
}
