//! Handing over to the user's own programs. Text goes to their editor, as git does: `$VISUAL`,
//! else `$EDITOR`, else `vi`, run through `sh -c` so the command may carry arguments (`code
//! --wait`), through a private file (mode 0600, in the temporary folder) removed afterwards.
//! A link goes to `$BROWSER`, else to the desktop's opener when there is a display.

use std::io;
use std::path::PathBuf;

use crate::config::Env;

/// The largest text read back from the editor.
const MAX_EDITED_BYTES: u64 = 16 * 1024 * 1024;

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
        status: std::process::ExitStatus,
    },
}

/// A private temporary file named `<stem>-<random>.<extension>`, removed when dropped.
struct Scratch(PathBuf);

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.0);
    }
}

/// Lets the user edit `text` in their editor (a file ending in `extension`, so the editor
/// picks its mode); returns the text as saved. Blocking: the editor owns the terminal meanwhile.
pub fn edit(text: &str, extension: &str, env: &Env) -> Result<String, EditError> {
    let path = std::env::temp_dir().join(format!(
        "ark-assets-{}-{:08x}.{extension}",
        std::process::id(),
        rand::random::<u32>()
    ));
    crate::files::write_private(&path, text.as_bytes())?;
    let scratch = Scratch(path);
    let command = command(env);
    let status = std::process::Command::new("sh")
        .arg("-c")
        .arg(format!("{command} \"$@\""))
        .arg("editor")
        .arg(&scratch.0)
        .status()
        .map_err(|source| EditError::Start {
            command: command.clone(),
            source,
        })?;
    if !status.success() {
        return Err(EditError::Failed { command, status });
    }
    let bytes = crate::files::read_bounded(&scratch.0, MAX_EDITED_BYTES)?;
    String::from_utf8(bytes)
        .map_err(|e| EditError::File(io::Error::new(io::ErrorKind::InvalidData, e)))
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
