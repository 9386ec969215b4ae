//! The real binary in a pseudo-terminal: the demo walkthrough, and terminal restore on quit,
//! panic, SIGHUP and SIGTERM.

use std::io::{Read, Write};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use portable_pty::{Child, CommandBuilder, MasterPty, PtySize, native_pty_system};

use crate::support::cli_env;

pub(crate) struct Session {
    screen: Arc<Mutex<vt100::Parser>>,
    raw: Arc<Mutex<Vec<u8>>>,
    writer: Box<dyn Write + Send>,
    child: Box<dyn Child + Send + Sync>,
    master: Box<dyn MasterPty + Send>,
    /// Set once the reader has taken the last byte (the terminal's other end closed).
    drained: Arc<std::sync::atomic::AtomicBool>,
    /// The data folder (the demo keeps its account in `demo/account.json` there).
    data: std::path::PathBuf,
}

impl Session {
    /// `--demo`, with `env` added.
    fn start(env: &[(&str, &str)]) -> Session {
        Session::start_with(&["--demo"], env)
    }

    /// The binary with `args`, with `env` added.
    fn start_with(args: &[&str], env: &[(&str, &str)]) -> Session {
        Session::run(env!("CARGO_BIN_EXE_ark-assets"), args, env)
    }

    /// `program` with `args` in the terminal, with `env` added.
    fn run(program: &str, args: &[&str], env: &[(&str, &str)]) -> Session {
        Session::run_sized(program, args, env, (120, 32))
    }

    /// `program` with `args` in a terminal of `cols` x `rows`, with `env` added.
    pub(crate) fn run_sized(
        program: &str,
        args: &[&str],
        env: &[(&str, &str)],
        (cols, rows): (u16, u16),
    ) -> Session {
        let pair = native_pty_system()
            .openpty(PtySize {
                rows,
                cols,
                pixel_width: 0,
                pixel_height: 0,
            })
            .unwrap();
        let mut cmd = CommandBuilder::new(program);
        cmd.args(args);
        cmd.env("TERM", "xterm-256color");
        let config =
            std::env::temp_dir().join(format!("ark-assets-pty-{}.toml", std::process::id()));
        cmd.env("ARK_ASSETS_CONFIG", config);
        // A data folder of its own: the demo keeps its account there, and sessions running at
        // once must not share one.
        static SESSIONS: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
        let n = SESSIONS.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let data = std::env::temp_dir().join(format!("ark-assets-pty-{}-{n}", std::process::id()));
        let _ = std::fs::remove_dir_all(&data);
        cmd.env("ARK_ASSETS_DATA", &data);
        for (k, v) in env {
            cmd.env(k, v);
        }
        let child = pair.slave.spawn_command(cmd).unwrap();
        drop(pair.slave);
        let screen = Arc::new(Mutex::new(vt100::Parser::new(rows, cols, 0)));
        let raw = Arc::new(Mutex::new(Vec::new()));
        let mut reader = pair.master.try_clone_reader().unwrap();
        let drained = Arc::new(std::sync::atomic::AtomicBool::new(false));
        let (s, r, d) = (screen.clone(), raw.clone(), drained.clone());
        std::thread::spawn(move || {
            let mut buf = [0u8; 8192];
            while let Ok(n) = reader.read(&mut buf) {
                if n == 0 {
                    break;
                }
                s.lock().unwrap().process(&buf[..n]);
                r.lock().unwrap().extend_from_slice(&buf[..n]);
            }
            d.store(true, std::sync::atomic::Ordering::Release);
        });
        let writer = pair.master.take_writer().unwrap();
        Session {
            screen,
            raw,
            writer,
            child,
            master: pair.master,
            drained,
            data,
        }
    }

    pub(crate) fn contents(&self) -> String {
        self.screen.lock().unwrap().screen().contents()
    }

    pub(crate) fn wait_for(&self, what: &str, timeout: Duration) -> String {
        let deadline = Instant::now() + timeout;
        loop {
            let text = self.contents();
            if text.contains(what) {
                return text;
            }
            assert!(
                Instant::now() < deadline,
                "timed out waiting for {what:?}; screen:\n{text}"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// Waits until the screen no longer shows `what`.
    fn wait_until_gone(&self, what: &str, timeout: Duration) {
        let deadline = Instant::now() + timeout;
        while self.contents().contains(what) {
            assert!(Instant::now() < deadline, "{what:?} stayed on the screen");
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    pub(crate) fn send(&mut self, text: &str) {
        self.writer.write_all(text.as_bytes()).unwrap();
        self.writer.flush().unwrap();
    }

    pub(crate) fn wait_exit(&mut self, timeout: Duration) -> portable_pty::ExitStatus {
        let deadline = Instant::now() + timeout;
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                // The reader takes the last bytes before the checks read them.
                while !self.drained.load(std::sync::atomic::Ordering::Acquire) {
                    assert!(Instant::now() < deadline, "the terminal stayed open");
                    std::thread::sleep(Duration::from_millis(10));
                }
                return status;
            }
            assert!(
                Instant::now() < deadline,
                "still running; screen:\n{}",
                self.contents()
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// Every byte the program wrote, as text.
    pub(crate) fn raw_text(&self) -> String {
        String::from_utf8_lossy(&self.raw.lock().unwrap()).into_owned()
    }

    /// The terminal is back to normal: alternate screen left, canonical mode with echo.
    fn assert_restored(&self) {
        let raw = self.raw.lock().unwrap();
        let text = String::from_utf8_lossy(&raw);
        let entered = text
            .rfind("\x1b[?1049h")
            .expect("entered the alternate screen");
        let left = text
            .rfind("\x1b[?1049l")
            .expect("left the alternate screen");
        assert!(
            left > entered,
            "alternate screen left before it was entered"
        );
        assert!(!self.screen.lock().unwrap().screen().alternate_screen());
        let termios = self.master.get_termios().expect("termios of the pty");
        use nix::sys::termios::LocalFlags;
        assert!(
            termios
                .local_flags
                .contains(LocalFlags::ICANON | LocalFlags::ECHO),
            "raw mode left on: {:?}",
            termios.local_flags
        );
    }

    fn signal(&self, sig: nix::sys::signal::Signal) {
        let pid = self.child.process_id().expect("child pid") as i32;
        nix::sys::signal::kill(nix::unistd::Pid::from_raw(pid), sig).unwrap();
    }
}

const LONG: Duration = Duration::from_secs(30);

/// Opens the first group, creates `name` from the emulator's sample image, and waits until the
/// TUI reports it Active. `seen_processing` asks that the row showed Processing first: under
/// faults the create's answer may be lost and the row found by a later listing, Active already.
fn create_and_watch(s: &mut Session, name: &str, seen_processing: bool) {
    let screen = s.wait_for("Groups (6)", LONG);
    let start = screen
        .find("http://127.0.0.1:")
        .expect("emulator URL in the title bar");
    let url: String = screen[start..]
        .chars()
        .take_while(|c| !c.is_whitespace())
        .collect();
    s.send("\r");
    s.wait_for("/12)", LONG);
    s.send("n");
    s.wait_for("New asset", LONG);
    // The demo's dialog offers the sample image: Tab takes it and moves to the name.
    s.wait_for(&format!("{url}/assets/portrait.png"), LONG);
    s.send("\t");
    s.send(name);
    s.send("\r");
    let created = s.wait_for("/13)", LONG);
    assert!(created.contains(name), "the new asset shows:\n{created}");
    assert!(
        !seen_processing || created.contains("Processing"),
        "the new asset shows Processing:\n{created}"
    );
    // The row itself turns Active (a toast could be replaced by another under faults).
    s.wait_for(&format!("✓ Active     image {name}"), LONG);
}

#[test]
fn demo_walkthrough_create_watch_rename_quit() {
    let mut s = Session::start(&[]);
    s.wait_for(
        "demo: press n in the assets pane: the dialog offers a sample",
        LONG,
    );
    create_and_watch(&mut s, "pty-hero", true);

    s.send("r");
    s.wait_for("Rename asset", LONG);
    s.send("\x15"); // Ctrl-U clears the field
    s.send("pty-renamed");
    s.send("\r");
    s.wait_for("renamed to \"pty-renamed\"", LONG);

    s.send("q");
    let status = s.wait_exit(LONG);
    assert!(status.success(), "{status:?}");
    s.assert_restored();
}

#[test]
fn the_tui_keeps_working_against_a_flaky_service() {
    let seed = crate::support::FaultSeed::new();
    let faults = format!(
        "error_rate=0.15,drop_rate=0.1,throttle_rate=0.1,latency_ms=50,seed={}",
        seed.0
    );
    let mut s = Session::start(&[("ARK_ASSETS_DEMO_FAULTS", &faults)]);
    create_and_watch(&mut s, "flaky-hero", false);
    s.send("R");
    s.wait_for("/13)", LONG);
    s.send("q");
    assert!(s.wait_exit(LONG).success());
    s.assert_restored();
    // The account the demo kept holds the new asset once: no duplicate was created.
    let account = std::fs::read_to_string(s.data.join("demo/account.json")).unwrap();
    let made = account.matches("\"Name\": \"flaky-hero\"").count();
    assert_eq!(made, 1, "assets named flaky-hero in the demo's account");
}

#[test]
fn a_panic_or_an_error_restores_the_terminal() {
    for (mode, message) in [("panic", "panic requested"), ("error", "error requested")] {
        let mut s = Session::start(&[("ARK_ASSETS_FAIL_FOR_TESTS", mode)]);
        let status = s.wait_exit(LONG);
        assert!(!status.success(), "{mode}");
        s.assert_restored();
        let raw = String::from_utf8_lossy(&s.raw.lock().unwrap()).into_owned();
        let entered = raw.rfind("\x1b[?1049h").unwrap();
        let left = entered + raw[entered..].find("\x1b[?1049l").unwrap();
        let after = &raw[left..];
        assert!(
            after.contains(message),
            "{mode}: the message is printed after the restore"
        );
    }
}

#[test]
fn resizing_to_20x5_and_back_keeps_running() {
    let mut s = Session::start(&[]);
    s.wait_for("Groups (6)", LONG);
    for (cols, rows) in [(20, 5), (1, 1), (120, 32)] {
        let drawn = s.raw.lock().unwrap().len();
        s.master
            .resize(PtySize {
                rows,
                cols,
                pixel_width: 0,
                pixel_height: 0,
            })
            .unwrap();
        // The parser only grows: bytes drawn for the larger size before the child saw the
        // resize must still fit the parser's screen (a smaller one panics inside vt100).
        let mut screen = s.screen.lock().unwrap();
        let (now_rows, now_cols) = screen.screen().size();
        if rows >= now_rows && cols >= now_cols {
            screen.screen_mut().set_size(rows, cols);
        }
        drop(screen);
        // Drawn again at the new size (bytes after the resize), still running.
        let deadline = Instant::now() + LONG;
        while s.raw.lock().unwrap().len() == drawn {
            assert!(Instant::now() < deadline, "not drawn at {cols}x{rows}");
            std::thread::sleep(Duration::from_millis(10));
        }
        assert!(
            s.child.try_wait().unwrap().is_none(),
            "exited at {cols}x{rows}"
        );
    }
    s.send("?");
    s.wait_for("Both panes", LONG);
    s.send("q");
    s.send("q");
    assert!(s.wait_exit(LONG).success());
    s.assert_restored();
}

#[test]
fn hang_up_and_terminate_restore_the_terminal() {
    for sig in [
        nix::sys::signal::Signal::SIGHUP,
        nix::sys::signal::Signal::SIGTERM,
    ] {
        let mut s = Session::start(&[]);
        s.wait_for("Groups (6)", LONG);
        s.signal(sig);
        s.wait_exit(LONG);
        s.assert_restored();
    }
}

/// Every key is handled, in turn: `?` opens the help overlay and Esc closes it, twenty times.
/// (How soon a key is drawn is measured by the latency bench.)
#[test]
fn keys_are_handled_in_turn() {
    let mut s = Session::start(&[]);
    s.wait_for("Groups (", LONG);
    for i in 0..20u64 {
        let (key, shown) = if i % 2 == 0 {
            ("?", true)
        } else {
            ("\u{1b}", false)
        };
        s.send(key);
        let deadline = Instant::now() + LONG;
        while s.contents().contains("Both panes") != shown {
            assert!(Instant::now() < deadline, "key {i} was not handled");
            std::thread::sleep(Duration::from_millis(1));
        }
    }
    s.send("q");
    assert!(s.wait_exit(LONG).success());
}

/// A local path in the create dialog of `--demo`: the file is uploaded to the in-process object
/// storage and the asset goes Processing → Active.
#[test]
fn the_demo_uploads_a_local_file() {
    let mut s = Session::start(&[]);
    s.wait_for("Groups (6)", LONG);
    s.send("\r");
    s.wait_for("/12)", LONG);
    s.send("n");
    s.wait_for("URL or local file", LONG);
    s.send("\x15"); // Ctrl-U clears the offered sample
    s.send(concat!(env!("CARGO_MANIFEST_DIR"), "/assets/portrait.jpg"));
    s.send("\t");
    s.send("from-disk");
    s.send("\r");
    let created = s.wait_for("/13)", LONG);
    assert!(created.contains("from-disk"), "{created}");
    s.wait_for("✓ Active     image from-disk", LONG);
    s.send("q");
    assert!(s.wait_exit(LONG).success());
}

/// A reflex Enter in a delete question keeps: the asset stays; only `y` deletes it. A group
/// holding assets waits for its name or count to be typed: Enter on nothing keeps it too.
#[test]
fn enter_in_a_delete_dialog_keeps() {
    let mut s = Session::start(&[]);
    s.wait_for("Groups (6)", LONG);
    s.send("\r");
    s.wait_for("/12)", LONG);
    s.send("d");
    s.wait_for("Delete asset", LONG);
    s.send("\r");
    s.wait_until_gone("Delete asset", LONG);
    s.send("R");
    let kept = s.wait_for("/12)", LONG);
    assert!(!kept.contains("deleted"), "{kept}");
    s.send("d");
    s.wait_for("Delete asset", LONG);
    s.send("y");
    s.wait_for("/11)", LONG);

    s.send("h");
    s.send("d");
    s.wait_for("Type the group's name or 11 to delete it", LONG);
    s.send("\r");
    s.wait_for("Not deleted: type", LONG);
    s.send("\x1b");
    s.wait_until_gone("Delete group", LONG);
    // One asset was deleted in the whole session: the log holds one deletion.
    s.send("m");
    let log = s.wait_for("Messages (", LONG);
    let deletions = log
        .lines()
        .filter(|l| l.contains("│") && l.contains("deleted asset-"))
        .count();
    assert_eq!(deletions, 1, "{log}");
    s.send("q");
    s.wait_until_gone("Messages (", LONG);
    s.send("q");
    assert!(s.wait_exit(LONG).success());
}

#[test]
fn the_palette_opens_a_group_by_part_of_its_name() {
    let mut s = Session::start(&[]);
    s.wait_for("Groups (6)", LONG);
    s.send(":");
    s.wait_for("Go to or run", LONG);
    s.send("clips");
    s.send("\r");
    let opened = s.wait_for("/8)", LONG);
    assert!(opened.contains("Reference clips"), "{opened}");
    assert!(
        !opened.contains("Go to or run"),
        "the palette closed: {opened}"
    );
    s.send("q");
    assert!(s.wait_exit(LONG).success());
}

#[test]
fn p_switches_to_a_typed_project_and_b_comes_back_to_the_group_left() {
    let mut s = Session::start(&[]);
    s.wait_for("Groups (6)", LONG);
    s.send(":");
    s.wait_for("Go to or run", LONG);
    s.send("clips\r");
    s.wait_for("· Reference clips", LONG);
    s.send("p");
    let picker = s.wait_for("Switch project", LONG);
    assert!(picker.contains("default  · open now"), "{picker}");
    s.send("team-b");
    s.wait_for("team-b  · typed", LONG);
    s.send("\r");
    let switched = s.wait_for("Groups (0)", LONG);
    assert!(switched.contains("project team-b"), "{switched}");
    s.send("b");
    let back = s.wait_for("· Reference clips", LONG);
    assert!(back.contains("project default"), "{back}");
    // The project used is offered next time, the one open now marked.
    s.send("p");
    let picker = s.wait_for("Switch project", LONG);
    assert!(picker.contains("▸ team-b"), "{picker}");
    s.send("\x1b");
    s.wait_until_gone("Switch project", LONG);
    s.send("q");
    assert!(s.wait_exit(LONG).success());
}

#[test]
fn the_demo_imports_a_folder_of_videos_and_audio() {
    let mut s = Session::start(&[]);
    s.wait_for("Groups (6)", LONG);
    s.send("\r");
    s.wait_for("/12)", LONG);
    s.send("I");
    s.wait_for("Import a folder", LONG);
    s.send(concat!(env!("CARGO_MANIFEST_DIR"), "/assets/medi"));
    s.send("\t");
    s.wait_for("assets/media/", LONG);
    s.send("\r");
    // 17 media files (generate.sh is not one): 11 pass the rules, 6 are refused.
    let done = s.wait_for("folder imported: 11 created", LONG);
    assert!(done.contains("6 not"), "{done}");
    let listed = s.wait_for("/23)", LONG);
    // The new rows (newest first) carry their types.
    assert!(listed.contains("video hevc-pcm"), "{listed}");
    assert!(listed.contains("audio voice-vbr"), "{listed}");
    s.send("q");
    assert!(s.wait_exit(LONG).success());
}

/// Standard base64 (as OSC 52 carries it).
fn base64_decode(text: &str) -> Vec<u8> {
    let value = |c: u8| match c {
        b'A'..=b'Z' => c - b'A',
        b'a'..=b'z' => c - b'a' + 26,
        b'0'..=b'9' => c - b'0' + 52,
        b'+' => 62,
        _ => 63,
    };
    let digits: Vec<u8> = text.bytes().filter(|&c| c != b'=').map(value).collect();
    let mut out = Vec::new();
    for chunk in digits.chunks(4) {
        let n = chunk
            .iter()
            .enumerate()
            .fold(0u32, |n, (i, &d)| n | (u32::from(d) << (18 - 6 * i)));
        out.extend_from_slice(&n.to_be_bytes()[1..chunk.len()]);
    }
    out
}

/// Three marked assets and `Y`: the terminal receives an OSC 52 whose payload is a Seedance
/// content array of three items.
#[test]
fn marking_three_assets_copies_a_three_item_content_array() {
    let mut s = Session::start(&[]);
    s.wait_for("Groups (6)", LONG);
    s.send("\r");
    s.wait_for("/12)", LONG);
    s.send("   ");
    s.wait_for("3 marked", LONG);
    s.send("Y");
    s.wait_for("content array of 3 items", LONG);
    let items: serde_json::Value = serde_json::from_str(&s.last_copy()).unwrap();
    assert_eq!(items.as_array().unwrap().len(), 3, "{items}");
    assert!(
        items[0]["image_url"]["url"]
            .as_str()
            .unwrap()
            .starts_with("Asset://asset-")
    );
    s.send("q");
    assert!(s.wait_exit(LONG).success());
}

/// The id the detail pane shows (the selected asset's).
fn detail_id(screen: &str) -> Option<String> {
    screen.lines().find_map(|line| {
        let rest = &line[line.find("│Id ")? + "│Id ".len()..];
        let id: String = rest
            .trim_start()
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '-')
            .collect();
        id.starts_with("asset-").then_some(id)
    })
}

impl Session {
    /// The screen once a frame is whole: no byte came for 20 ms (a frame is written at once).
    fn settled(&self) -> String {
        let deadline = Instant::now() + LONG;
        loop {
            let before = self.raw.lock().unwrap().len();
            std::thread::sleep(Duration::from_millis(20));
            if self.raw.lock().unwrap().len() == before {
                return self.contents();
            }
            assert!(Instant::now() < deadline, "the screen never settled");
        }
    }

    /// Waits for the detail pane to show an asset; answers its id.
    fn detail_shown(&self) -> String {
        let deadline = Instant::now() + LONG;
        loop {
            let screen = self.settled();
            if let Some(id) = detail_id(&screen) {
                return id;
            }
            assert!(
                Instant::now() < deadline,
                "no asset in the detail pane:\n{screen}"
            );
            std::thread::sleep(Duration::from_millis(10));
        }
    }

    /// Sends `keys`, then waits for the detail pane to show another asset than `before`.
    fn move_from(&mut self, before: &str, keys: &str) -> String {
        self.send(keys);
        let deadline = Instant::now() + LONG;
        loop {
            let screen = self.settled();
            if let Some(id) = detail_id(&screen).filter(|id| id != before) {
                return id;
            }
            assert!(Instant::now() < deadline, "{keys} did not move:\n{screen}");
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// The text of the last OSC 52 copy the terminal received.
    fn last_copy(&self) -> String {
        let raw = String::from_utf8_lossy(&self.raw.lock().unwrap()).into_owned();
        let start = raw.rfind("\u{1b}]52;c;").expect("an OSC 52 sequence") + 7;
        let end = raw[start..]
            .find(['\u{7}', '\u{1b}'])
            .map(|i| start + i)
            .unwrap();
        String::from_utf8(base64_decode(&raw[start..end])).unwrap()
    }
}

/// `5j` moves five rows (the sixth row's asset is shown), `v` marks from there as the
/// selection moves, and `y` copies the range in the order the screen shows it.
#[test]
fn a_count_moves_rows_and_v_with_moves_copies_the_range_in_screen_order() {
    let mut s = Session::start(&[]);
    s.wait_for("Groups (6)", LONG);
    s.send("\r");
    s.wait_for("/12)", LONG);
    let first = s.detail_shown();
    let sixth = s.move_from(&first, "5j");
    // Back to the top (Home: `g` makes a task in the assets pane) and down one row at a time:
    // five rows down is the same asset.
    let top = s.move_from(&sixth, "\x1b[H");
    assert_eq!(top, first);
    let mut id = top;
    for _ in 0..5 {
        id = s.move_from(&id, "j");
    }
    assert_eq!(id, sixth, "5j moved five rows");
    s.send("v");
    s.wait_for("1 marked", LONG);
    let seventh = s.move_from(&sixth, "j");
    let eighth = s.move_from(&seventh, "j");
    s.wait_for("3 marked", LONG);
    s.send("y");
    s.wait_for("copied", LONG);
    let expected = [&sixth, &seventh, &eighth]
        .map(|id| format!("Asset://{id}"))
        .join("\n");
    assert_eq!(s.last_copy(), expected);
    s.send("q");
    assert!(s.wait_exit(LONG).success());
}

/// Deleting the 240-asset group asks with its count (listed first: the group is not open);
/// `G` in it loads the remaining pages and selects the oldest asset.
#[test]
fn g_selects_the_oldest_of_240_assets() {
    let mut s = Session::start(&[]);
    s.wait_for("Groups (6)", LONG);
    s.send("j");
    s.send("d");
    s.wait_for("and its 240 assets?", LONG);
    s.send("\x1b");
    s.wait_until_gone("and its 240 assets?", LONG);
    s.send("\r");
    // Token paging gives no total: the pane counts what it loaded, `+` while more come.
    s.wait_for("/100+)", LONG);
    s.send("G");
    s.wait_for("Name        extra-001", LONG);
    s.wait_for("/240)", LONG);
    s.send("q");
    assert!(s.wait_exit(LONG).success());
}

/// Two profiles in a config file, against one emulator: the palette switches from one to the
/// other, whose project (so its groups) and read-only setting take over; the profile left
/// keeps its state for its next session.
#[test]
fn the_palette_switches_to_another_profile() {
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let env = runtime.block_on(async {
        let env = cli_env::Env::start(ark_assets::emulator::Config::default()).await;
        env.ok(&["groups", "create", "Staging stills"]).await;
        env.ok(&[
            "--project",
            "review-room",
            "groups",
            "create",
            "Zeta review shots",
        ])
        .await;
        env
    });
    let config = env.data.join("config.toml");
    let profile = |name: &str, extra: &str| {
        format!(
            "[profiles.{name}]\nendpoint = \"{}\"\n{}{extra}\n",
            env.emu.url,
            env.keys_toml()
        )
    };
    let text = profile("staging", "")
        + &profile("review", "project = \"review-room\"\nread_only = true\n");
    ark_assets::files::write_private(&config, text.as_bytes()).unwrap();
    let data = env.data.to_str().unwrap();
    let mut s = Session::start_with(
        &["--profile", "staging"],
        &[
            ("ARK_ASSETS_CONFIG", config.to_str().unwrap()),
            ("ARK_ASSETS_DATA", data),
        ],
    );
    s.wait_for("Staging stills", LONG);
    s.send(":");
    s.send("review");
    s.wait_for("profile", LONG);
    s.send("\r");
    s.wait_for("Zeta review shots", LONG);
    let screen = s.wait_for("READ-ONLY", LONG);
    assert!(screen.contains("review-room"), "{screen}");
    assert!(!screen.contains("Staging stills"), "{screen}");
    s.send("q");
    assert!(s.wait_exit(LONG).success());
    // Each profile kept its own state: staging before the switch, review at the end.
    let kept = |name: &str| {
        ark_assets::app::remembered::load_from(&env.data.join("state").join(format!("{name}.json")))
            .unwrap()
    };
    assert_eq!(kept("review").project.as_deref(), Some("review-room"));
    assert!(kept("staging").group.is_some());
}

/// `e` hands the marked asset's name to `$EDITOR` (here a script of shell built-ins that
/// renames every line), with the terminal given back meanwhile; the TUI comes back drawn
/// whole and renames the asset.
#[test]
fn e_edits_names_in_the_editor_and_comes_back() {
    let dir = std::env::temp_dir().join(format!("ark-assets-pty-editor-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let script = dir.join("editor.sh");
    std::fs::write(
        &script,
        "#!/bin/sh\nout=''\nwhile IFS= read -r line; do\n  case \"$line\" in\n    \"#\"*) ;;\n    \
         *) line=\"${line%%\t*}\tpty-edited\" ;;\n  esac\n  out=\"$out$line\n\"\ndone < \"$1\"\n\
         printf '%s' \"$out\" > \"$1\"\n",
    )
    .unwrap();
    let editor = format!("sh {}", script.display());
    let mut s = Session::start(&[("EDITOR", &editor)]);
    s.wait_for("Groups (6)", LONG);
    s.send("\r");
    s.wait_for("/12)", LONG);
    s.send(" ");
    s.send("e");
    s.wait_for("1 asset renamed", LONG);
    let screen = s.wait_for("pty-edited", LONG);
    assert!(
        screen.contains("Groups (6)"),
        "drawn whole again:\n{screen}"
    );
    let raw = String::from_utf8_lossy(&s.raw.lock().unwrap()).into_owned();
    assert!(
        raw.matches("\x1b[?1049h").count() >= 2,
        "the alternate screen was left for the editor and entered again"
    );
    s.send("q");
    assert!(s.wait_exit(LONG).success());
    s.assert_restored();
    std::fs::remove_dir_all(dir).unwrap();
}

/// Ctrl-Z gives the terminal back and stops (a shell's `fg` resumes it); here, with no shell
/// owning the terminal, the kernel does not stop a process nobody could resume, so the TUI
/// comes straight back, drawn whole.
#[test]
fn ctrl_z_gives_the_terminal_back_and_resumes_drawn_whole() {
    let mut s = Session::start(&[]);
    s.wait_for("Groups (6)", LONG);
    let before = String::from_utf8_lossy(&s.raw.lock().unwrap())
        .matches("\x1b[?1049h")
        .count();
    s.send("\u{1a}");
    let deadline = Instant::now() + LONG;
    loop {
        let raw = String::from_utf8_lossy(&s.raw.lock().unwrap()).into_owned();
        let entered: Vec<usize> = raw.match_indices("\x1b[?1049h").map(|(at, _)| at).collect();
        if entered.len() > before {
            // Between the last entry before Ctrl-Z and the one after it, the screen was left.
            let between = &raw[entered[before - 1]..entered[before]];
            assert!(
                between.contains("\x1b[?1049l"),
                "entered the alternate screen again without leaving it"
            );
            break;
        }
        assert!(Instant::now() < deadline, "the TUI did not come back");
        std::thread::sleep(Duration::from_millis(50));
    }
    s.wait_for("Groups (6)", LONG);
    s.send("q");
    assert!(s.wait_exit(LONG).success());
    s.assert_restored();
}

/// `assets delete` with a terminal but standard error in a file (`2>log`, as a person types it)
/// asks at the terminal, naming each id once: `n` keeps the assets, `y` deletes them.
#[test]
fn a_delete_asks_at_the_terminal_whatever_stderr_is() {
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let (env, group) = runtime.block_on(async {
        let env = cli_env::Env::start(ark_assets::emulator::Config::default()).await;
        let group = env.group("Asked").await;
        env.seed_assets(&group, "q", 3, |i| format!("asked-{i}"));
        (env, group)
    });
    let id = |i: usize| format!("asset-20260101000000-q{i:04}");
    let log = env.data.join("stderr.log");
    let vars: Vec<(&str, String)> = env.vars(false);
    let mut vars: Vec<(&str, &str)> = vars.iter().map(|(k, v)| (*k, v.as_str())).collect();
    vars.push(("ARK_TEST_STDERR", log.to_str().unwrap()));
    let (a, b, c) = (id(0), id(1), id(2));
    let args = [
        "-c",
        "exec \"$0\" \"$@\" 2>\"$ARK_TEST_STDERR\"",
        env!("CARGO_BIN_EXE_ark-assets"),
        "assets",
        "delete",
        &a,
        &b,
        &a,
        &c,
    ];
    let count = || env.group_size(&group);
    let mut s = Session::run("/bin/sh", &args, &vars);
    s.wait_for("Delete 3 assets? [y/N]", LONG);
    s.send("n\r");
    assert_eq!(s.wait_exit(LONG).exit_code(), 1);
    assert!(
        std::fs::read_to_string(&log)
            .unwrap()
            .contains("nothing was deleted")
    );
    assert_eq!(count(), 3, "n keeps them");
    let mut s = Session::run("/bin/sh", &args, &vars);
    s.wait_for("Delete 3 assets? [y/N]", LONG);
    s.send("y\r");
    assert!(s.wait_exit(LONG).success());
    s.wait_for(&format!("deleted {c}"), LONG);
    assert_eq!(count(), 0, "y deletes them");
}

/// `sync --delete` asks at the terminal, and plans again after the yes: what changed while the
/// question waited (a new asset no file matches) is not deleted on the strength of a yes to
/// another plan.
#[test]
fn a_sync_plans_again_after_its_question_and_deletes_nothing_the_question_did_not_name() {
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let (env, group) = runtime.block_on(async {
        let env = cli_env::Env::start(ark_assets::emulator::Config::default())
            .await
            .with_storage("")
            .await;
        let group = env.group("Asked").await;
        env.seed_assets(&group, "q", 2, |i| format!("asked-{i}"));
        (env, group)
    });
    let dir = env.data.join("refs");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("notes.txt"), "not media").unwrap();
    let vars: Vec<(&str, String)> = env.vars(false);
    let vars: Vec<(&str, &str)> = vars.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let args = [
        "sync",
        dir.to_str().unwrap(),
        "--group",
        "Asked",
        "--delete",
        "--delete-all",
    ];
    let mut s = Session::run(env!("CARGO_BIN_EXE_ark-assets"), &args, &vars);
    s.wait_for(
        "Delete 2 assets of the group that match no file? [y/N]",
        LONG,
    );
    // Meanwhile another asset arrives that no file matches.
    env.seed_assets(&group, "n", 1, |_| "newcomer".to_owned());
    s.send("y\r");
    assert_eq!(s.wait_exit(LONG).exit_code(), 1);
    s.wait_for("changed while the question waited", LONG);
    assert_eq!(env.group_size(&group), 3, "nothing deleted");
}

/// `g` on an asset of `--demo` opens the task form with its legend; the task sent is followed
/// in the background until `T` shows it succeeded.
#[test]
fn the_demo_makes_a_seedance_task_and_follows_it_to_the_end() {
    let mut s = Session::start(&[]);
    s.wait_for("Groups (6)", LONG);
    s.send("\r");
    s.wait_for("/12)", LONG);
    s.send("g");
    s.wait_for("New Seedance task", LONG);
    s.wait_for("Image 1 = ", LONG);
    s.send("Image 1 waves at the camera");
    s.send("\r");
    s.wait_for("submitted: T shows it", LONG);
    s.send("T");
    s.wait_for("Tasks (1)", LONG);
    s.wait_for("the video is ready", LONG);
    s.send("\x1b");
    s.wait_until_gone("Tasks (1)", LONG);
    s.send("q");
    assert!(s.wait_exit(LONG).success());
}

/// `config init` on a terminal asks for the data plane's ark API key, hidden, and keeps it
/// beside the other secrets (the file is 0600); left empty, the profile has none.
#[test]
fn config_init_asks_for_the_ark_api_key_hidden() {
    let dir = std::env::temp_dir().join(format!("ark-assets-pty-init-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("config.toml");
    let config = path.to_str().unwrap();
    let init = |profile: &str, key: &str| {
        let args = [
            "--config",
            config,
            "--profile",
            profile,
            "config",
            "init",
            "--provider",
            "volcengine",
            "--access-key",
            "AKLTpty",
            "--bucket",
            "pty-assets",
        ];
        let mut s = Session::start_with(&args, &[("VOLC_SECRETKEY", "pty-secret-key-0001")]);
        s.wait_for("Session token", LONG);
        s.send("\r");
        s.wait_for("Seedance ark API key", LONG);
        s.send(&format!("{key}\r"));
        assert!(s.wait_exit(LONG).success(), "{}", s.contents());
        assert!(!s.raw_text().contains(key) || key.is_empty(), "not echoed");
    };
    init("cn", "ark-pty-data-key-98");
    init("bare", "");
    let file: toml::Table = std::fs::read_to_string(&path).unwrap().parse().unwrap();
    let key = |profile: &str| file["profiles"][profile].get("ark_api_key").cloned();
    assert_eq!(key("cn"), Some("ark-pty-data-key-98".into()));
    assert_eq!(key("bare"), None, "empty skips it");
    use std::os::unix::fs::PermissionsExt;
    let mode = std::fs::metadata(&path).unwrap().permissions().mode();
    assert_eq!(mode & 0o777, 0o600);
    std::fs::remove_dir_all(&dir).unwrap();
}
