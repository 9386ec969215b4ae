//! The session's messages: the log ([`Messages`]) and the status line's [`Toast`].

use std::collections::VecDeque;

/// How serious a status-line message is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Level {
    /// Neutral information.
    Info,
    /// Something worked.
    Success,
    /// Something failed.
    Error,
}

/// The most messages the log keeps (the oldest go first).
pub const MAX_MESSAGES: usize = 1000;

/// One message of the log: when, how it went, and its whole text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Message {
    /// When it was said.
    pub at: chrono::DateTime<chrono::Utc>,
    /// Severity.
    pub level: Level,
    /// Its whole text (the status line may show it cut).
    pub text: String,
}

/// Every message of the session, the last [`MAX_MESSAGES`] of them, oldest first.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Messages(VecDeque<Message>, bool);

impl Messages {
    /// Keeps `message`, forgetting the oldest past [`MAX_MESSAGES`].
    pub fn push(&mut self, message: Message) {
        if self.0.len() == MAX_MESSAGES {
            self.0.pop_front();
        }
        self.0.push_back(message);
        self.1 = false;
    }

    /// Keeps a step of work the status line cut (`importing … 3 of 19`): in place of the last
    /// message when that was such a step too, so a run's steps are one message, its last.
    pub(crate) fn push_step(&mut self, message: Message) {
        if self.1 {
            self.0.pop_back();
        }
        self.push(message);
        self.1 = true;
    }

    /// The messages, oldest first.
    pub fn iter(&self) -> impl DoubleEndedIterator<Item = &Message> + ExactSizeIterator {
        self.0.iter()
    }

    /// How many there are.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The message at `index` (oldest first).
    pub fn get(&self, index: usize) -> Option<&Message> {
        self.0.get(index)
    }
}

/// A message in the status line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Toast {
    /// Text (one line).
    pub text: String,
    /// Severity.
    pub level: Level,
    /// Tick after which it disappears.
    pub until: u64,
    /// Whether the messages log holds it whole (a cut status line points there).
    pub logged: bool,
}

impl Toast {
    /// What the status line says: the level's mark (as in the log), then the text made
    /// [`visible`](crate::text::visible).
    pub fn line(&self) -> String {
        let mark = match self.level {
            Level::Error => "✗ ",
            Level::Success => "✓ ",
            Level::Info => "",
        };
        format!("{mark}{}", crate::text::visible(&self.text))
    }

    /// Whether [`line`](Self::line) fits `width` columns whole.
    pub fn fits(&self, width: u16) -> bool {
        unicode_width::UnicodeWidthStr::width(self.line().as_str()) <= usize::from(width)
    }
}
