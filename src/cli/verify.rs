//! `groups verify`: a real person's group, made by a liveness check on their phone (spec 10).
//!
//! The session's H5 link is shown as a QR code and as a link; the person scans it and completes
//! the check there. The token is single-use, so nothing polls: the user presses Enter once the
//! phone shows success, and the result is asked for exactly once.

use std::io::IsTerminal;
use std::time::Duration;

use serde::Serialize;
use tokio::io::AsyncBufReadExt;

use super::{Ctx, EXIT_FAILED, Failure, output};
use crate::api::AssetsApi;
use crate::api::model::{
    CreateVisualValidateSession, H5Lang, VERIFY_LINK_LIFETIME, VERIFY_LINK_LONGEST,
};
use crate::text;

#[derive(Debug, Serialize)]
#[serde(rename_all = "PascalCase")]
struct Verified {
    group_id: String,
}

/// Runs the check: the link as a QR code, then one result query after Enter.
pub(super) async fn run(ctx: &Ctx, lang: H5Lang) -> Result<u8, Failure> {
    let session = ctx
        .api()
        .create_visual_validate_session(&CreateVisualValidateSession::default())
        .await?;
    let link = lang.on(&session.h5_link);
    let shown = text::visible(&link).into_owned();
    if let Some(code) = crate::qr::render(&link).filter(|_| shown == link) {
        eprintln!("{code}");
    }
    // A clickable link (OSC 8) on a terminal, when the link holds nothing a terminal obeys.
    if std::io::stderr().is_terminal() && shown == link {
        eprintln!("\u{1b}]8;;{link}\u{1b}\\{link}\u{1b}]8;;\u{1b}\\");
    } else {
        eprintln!("{shown}");
    }
    eprintln!(
        "Scan it with the person's phone and complete the check there; press Enter once the \
         phone shows success (the service advises doing it within {} s).",
        VERIFY_LINK_LIFETIME.as_secs()
    );
    let stdin = tokio::io::BufReader::new(tokio::io::stdin());
    confirmation(stdin, std::io::stderr().is_terminal()).await?;
    // One query: the token is spent by it, whatever it answers.
    let result = ctx
        .api()
        .get_visual_validate_result(&session.byted_token)
        .await
        .map_err(|e| {
            let mut f = Failure::from(e);
            f.message.push_str(
                "\n  the token is spent: run `ark-assets groups verify` for a new session",
            );
            f
        })?;
    ctx.show(
        &Verified {
            group_id: result.group_id.clone(),
        },
        |v| {
            output::line(format_args!(
                "verified: real-person group {} (add the person's images, videos or audio to it)",
                text::visible(&v.group_id)
            ))
        },
    );
    Ok(0)
}

/// Waits for the user's Enter on `input`. The advised lifetime is counted down (on a terminal,
/// `countdown`), but its end decides nothing: the link may still work, and the one result query
/// says whether it did. Only the longest lifetime reported ends the wait.
async fn confirmation(
    input: impl tokio::io::AsyncBufRead + Unpin,
    countdown: bool,
) -> Result<(), Failure> {
    let start = tokio::time::Instant::now();
    let advised = start + VERIFY_LINK_LIFETIME;
    let mut lines = input.lines();
    let mut said_late = false;
    loop {
        tokio::select! {
            line = lines.next_line() => {
                return match line {
                    Ok(Some(_)) => {
                        if countdown {
                            eprintln!();
                        }
                        Ok(())
                    }
                    _ => Err(Failure::new(EXIT_FAILED, "no confirmation on standard input; nothing was asked")),
                };
            }
            _ = tokio::time::sleep_until(start + VERIFY_LINK_LONGEST) => {
                return Err(Failure::new(
                    EXIT_FAILED,
                    format!(
                        "no confirmation within {} min, longer than any link is known to last; \
                         nothing was asked: run `ark-assets groups verify` again for a new link",
                        VERIFY_LINK_LONGEST.as_secs() / 60
                    ),
                ));
            }
            _ = tokio::time::sleep_until(advised), if !said_late => {
                said_late = true;
                eprintln!(
                    "\rThe advised {} s have passed, but the link may still work: press Enter \
                     once the phone shows success (the service's answer decides), Ctrl-C to stop.",
                    VERIFY_LINK_LIFETIME.as_secs()
                );
            }
            _ = tokio::time::sleep(Duration::from_secs(1)), if countdown && !said_late => {
                let left = advised.saturating_duration_since(tokio::time::Instant::now());
                eprint!("\r{:>3} s left ", left.as_secs());
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use tokio::io::AsyncWriteExt;

    use super::{H5Lang, VERIFY_LINK_LIFETIME, VERIFY_LINK_LONGEST, confirmation};

    /// Enter `after` the link was shown, on a clock that jumps ahead while nothing happens.
    async fn enter_after(after: Duration) -> Result<(), super::Failure> {
        let (mut user, input) = tokio::io::duplex(64);
        tokio::spawn(async move {
            tokio::time::sleep(after).await;
            let _ = user.write_all(b"\n").await;
            // Held open: a closed input is an answer of its own.
            tokio::time::sleep(Duration::from_secs(24 * 3600)).await;
        });
        confirmation(tokio::io::BufReader::new(input), false).await
    }

    #[tokio::test(start_paused = true)]
    async fn the_advised_lifetime_is_advice_and_the_longest_one_ends_the_wait() {
        assert!(enter_after(Duration::from_secs(5)).await.is_ok());
        let late = VERIFY_LINK_LIFETIME * 3;
        assert!(
            enter_after(late).await.is_ok(),
            "Enter after the advised time still asks"
        );
        let err = enter_after(VERIFY_LINK_LONGEST + Duration::from_secs(60))
            .await
            .unwrap_err();
        assert!(
            err.message.contains("no confirmation within 30 min"),
            "{}",
            err.message
        );
        let (user, input) = tokio::io::duplex(64);
        drop(user);
        let closed = confirmation(tokio::io::BufReader::new(input), false).await;
        assert!(closed.unwrap_err().message.contains("nothing was asked"));
    }

    #[test]
    fn the_page_language_is_set_once() {
        assert_eq!(
            H5Lang::En.on("https://h5.example/v?token=t&lng=zh"),
            "https://h5.example/v?token=t&lng=en"
        );
        assert_eq!(
            H5Lang::ZhHant.on("https://h5.example/v?token=t"),
            "https://h5.example/v?token=t&lng=zh-Hant"
        );
    }
}
