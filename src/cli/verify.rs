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
use crate::api::model::{CreateVisualValidateSession, VERIFY_LINK_LIFETIME};
use crate::text;

/// The language of the H5 page.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Lang {
    /// Simplified Chinese.
    Zh,
    /// English.
    En,
    /// Traditional Chinese.
    #[value(name = "zh-Hant")]
    ZhHant,
}

impl Lang {
    fn code(self) -> &'static str {
        match self {
            Lang::Zh => "zh",
            Lang::En => "en",
            Lang::ZhHant => "zh-Hant",
        }
    }
}

/// `link` with its `lng` parameter set to `lang`.
pub fn with_lang(link: &str, lang: &str) -> String {
    match url::Url::parse(link) {
        Ok(mut url) => {
            let pairs: Vec<(String, String)> = url
                .query_pairs()
                .filter(|(k, _)| k != "lng")
                .map(|(k, v)| (k.into_owned(), v.into_owned()))
                .collect();
            url.query_pairs_mut()
                .clear()
                .extend_pairs(pairs)
                .append_pair("lng", lang);
            url.to_string()
        }
        Err(_) => link.to_owned(),
    }
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "PascalCase")]
struct Verified {
    group_id: String,
}

/// Runs the check: the link as a QR code, then one result query after Enter.
pub(super) async fn run(ctx: &Ctx, lang: Lang) -> Result<u8, Failure> {
    let session = ctx
        .api()
        .create_visual_validate_session(&CreateVisualValidateSession::default())
        .await?;
    let link = with_lang(&session.h5_link, lang.code());
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
         phone shows success (the link expires in {} s).",
        VERIFY_LINK_LIFETIME.as_secs()
    );
    let deadline = tokio::time::Instant::now() + VERIFY_LINK_LIFETIME;
    let mut lines = tokio::io::BufReader::new(tokio::io::stdin()).lines();
    let countdown = std::io::stderr().is_terminal();
    loop {
        tokio::select! {
            line = lines.next_line() => {
                match line {
                    Ok(Some(_)) => break,
                    _ => return Err(Failure::new(EXIT_FAILED, "no confirmation on standard input; nothing was asked")),
                }
            }
            _ = tokio::time::sleep_until(deadline) => {
                return Err(Failure::new(
                    EXIT_FAILED,
                    "the link expired before it was confirmed: run `ark-assets groups verify` again for a new one",
                ));
            }
            _ = tokio::time::sleep(Duration::from_secs(1)), if countdown => {
                let left = deadline.saturating_duration_since(tokio::time::Instant::now());
                eprint!("\r{:>3} s left ", left.as_secs());
            }
        }
    }
    if countdown {
        eprintln!();
    }
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

#[cfg(test)]
mod tests {
    #[test]
    fn the_page_language_is_set_once() {
        assert_eq!(
            super::with_lang("https://h5.example/v?token=t&lng=zh", "en"),
            "https://h5.example/v?token=t&lng=en"
        );
        assert_eq!(
            super::with_lang("https://h5.example/v?token=t", "zh-Hant"),
            "https://h5.example/v?token=t&lng=zh-Hant"
        );
    }
}
