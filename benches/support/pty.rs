//! The release binary's TUI in a pseudo-terminal, as the startup, latency and ledger
//! benchmarks run it: started with a clean environment, fed keys, and its screen followed.

use std::io::{Read, Write};
use std::path::Path;
use std::sync::{Arc, Condvar, Mutex};
use std::time::{Duration, Instant};

use portable_pty::{Child, CommandBuilder, MasterPty, PtySize, native_pty_system};

/// The terminal's size: columns, rows.
pub const SIZE: (u16, u16) = (160, 48);

/// The binary with nothing of the caller's environment (no config file, no terminal program
/// that would make it ask for graphics): a colour terminal, `data` as its data folder and a
/// config file there that does not exist.
pub fn command(data: &Path) -> CommandBuilder {
    let mut cmd = CommandBuilder::new(env!("CARGO_BIN_EXE_ark-assets"));
    cmd.env_clear();
    cmd.env("TERM", "xterm-256color");
    cmd.env("ARK_ASSETS_DATA", data);
    cmd.env("ARK_ASSETS_CONFIG", data.join("none.toml"));
    cmd
}

/// A program running in a pseudo-terminal of [`SIZE`].
pub struct Tui {
    child: Box<dyn Child + Send + Sync>,
    master: Box<dyn MasterPty + Send>,
    keys: Box<dyn Write + Send>,
}

impl Tui {
    /// Starts `cmd` in a new pseudo-terminal.
    pub fn start(cmd: CommandBuilder) -> Tui {
        let pair = native_pty_system()
            .openpty(PtySize {
                rows: SIZE.1,
                cols: SIZE.0,
                pixel_width: 0,
                pixel_height: 0,
            })
            .expect("a pseudo-terminal opens");
        let child = pair.slave.spawn_command(cmd).expect("the binary starts");
        drop(pair.slave);
        let keys = pair.master.take_writer().unwrap();
        Tui {
            child,
            master: pair.master,
            keys,
        }
    }

    /// What the program writes to its terminal.
    pub fn output(&self) -> Box<dyn Read + Send> {
        self.master.try_clone_reader().unwrap()
    }

    /// The program's process id.
    pub fn pid(&self) -> u32 {
        self.child.process_id().expect("the program runs")
    }

    /// Types `bytes`.
    pub fn send(&mut self, bytes: &[u8]) {
        self.keys.write_all(bytes).unwrap();
        self.keys.flush().unwrap();
    }

    /// Quits with `q` and waits for the program to end (killed, and the benchmark failed, if
    /// it has not ended in 20 s).
    pub fn quit(mut self) {
        self.send(b"q");
        let deadline = Instant::now() + Duration::from_secs(20);
        while self.child.try_wait().unwrap().is_none() {
            if Instant::now() > deadline {
                let _ = self.child.kill();
                panic!("the program did not quit on q");
            }
            std::thread::sleep(Duration::from_millis(5));
        }
    }
}

/// A program's screen as it draws it: the parsed terminal, and whether its output has ended.
struct Shared {
    screen: Mutex<(vt100::Parser, bool)>,
    drawn: Condvar,
}

/// The screen of a [`Tui`], kept up to date by a thread reading what it writes.
pub struct Screen(Arc<Shared>);

impl Screen {
    /// Follows `output` (from [`Tui::output`]).
    pub fn follow(mut output: Box<dyn Read + Send>) -> Screen {
        let shared = Arc::new(Shared {
            screen: Mutex::new((vt100::Parser::new(SIZE.1, SIZE.0, 0), false)),
            drawn: Condvar::new(),
        });
        let writer = shared.clone();
        std::thread::spawn(move || {
            let mut buf = [0u8; 65536];
            loop {
                let n = output.read(&mut buf).unwrap_or(0);
                let mut screen = writer.screen.lock().unwrap();
                if n == 0 {
                    screen.1 = true;
                } else {
                    screen.0.process(&buf[..n]);
                }
                drop(screen);
                writer.drawn.notify_all();
                if n == 0 {
                    break;
                }
            }
        });
        Screen(shared)
    }

    /// Waits until the screen's text passes `done`, seen as each write of the program is
    /// drawn, and returns how long that took. Fails the benchmark, showing the screen and
    /// naming `what`, when the program ends first or `bound` runs out.
    pub fn wait_until(
        &self,
        what: &str,
        bound: Duration,
        mut done: impl FnMut(&str) -> bool,
    ) -> Duration {
        let start = Instant::now();
        let mut screen = self.0.screen.lock().unwrap();
        loop {
            let text = screen.0.screen().contents();
            if done(&text) {
                return start.elapsed();
            }
            assert!(!screen.1, "{what}: the program ended first:\n{text}");
            let left = bound.saturating_sub(start.elapsed());
            assert!(!left.is_zero(), "{what}: not within {bound:?}:\n{text}");
            screen = self.0.drawn.wait_timeout(screen, left).unwrap().0;
        }
    }
}
