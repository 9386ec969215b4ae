//! Text shown whole in a dialog, copyable (an asset's signed URL).

/// What the dialog shows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ShownText {
    /// Title.
    pub title: &'static str,
    /// The text (or why there is none).
    pub text: String,
    /// Whether `y` copies it (false when it is an explanation).
    pub copyable: bool,
}
