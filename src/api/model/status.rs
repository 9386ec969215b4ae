//! [`Status`]: an asset's status as the service names it (an unknown one kept by its name).

use serde::{Deserialize, Serialize};

/// Processing state of an asset.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Status {
    /// Ready: usable as `Asset://<Id>`.
    Active,
    /// The service is downloading and checking the image.
    #[default]
    Processing,
    /// The image was rejected; see the asset's error.
    Failed,
    /// A status this client does not know, kept as the service wrote it (see [`Status::name`])
    /// rather than failing the whole answer.
    Unknown(UnknownStatus),
}

/// A status the service sent that this client does not know: an index into the few such
/// names seen in this process (a status is a word, so they stay few; past [`MAX_UNKNOWN`]
/// distinct ones, the rest read as `Unknown`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct UnknownStatus(u16);

/// Most distinct unknown status names remembered.
const MAX_UNKNOWN: usize = 64;

fn unknown_names() -> &'static std::sync::Mutex<Vec<&'static str>> {
    static NAMES: std::sync::OnceLock<std::sync::Mutex<Vec<&'static str>>> =
        std::sync::OnceLock::new();
    NAMES.get_or_init(Default::default)
}

impl Status {
    /// The status named `name` on the wire; unknown names are kept.
    pub fn parse(name: &str) -> Status {
        match name {
            "Active" => Status::Active,
            "Processing" => Status::Processing,
            "Failed" => Status::Failed,
            other => {
                let mut names = unknown_names().lock().expect("status names lock");
                let index = match names.iter().position(|n| *n == other) {
                    Some(i) => i,
                    None if names.len() < MAX_UNKNOWN => {
                        // Shown on terminals: made visible once, here.
                        let short: String = other.chars().take(32).collect();
                        let shown = crate::text::visible(&short).into_owned();
                        names.push(Box::leak(shown.into_boxed_str()));
                        names.len() - 1
                    }
                    None => usize::from(u16::MAX),
                };
                Status::Unknown(UnknownStatus(index as u16))
            }
        }
    }

    /// The wire name (an unknown status as the service wrote it).
    pub fn name(self) -> &'static str {
        match self {
            Status::Active => "Active",
            Status::Processing => "Processing",
            Status::Failed => "Failed",
            Status::Unknown(UnknownStatus(i)) => unknown_names()
                .lock()
                .expect("status names lock")
                .get(usize::from(i))
                .copied()
                .unwrap_or("Unknown"),
        }
    }
}

impl Serialize for Status {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.name())
    }
}

impl<'de> Deserialize<'de> for Status {
    /// Any JSON value: a string is the status's name; anything else (`null`, `123`) is kept as
    /// an unknown status written as it came, never a failure of the whole answer.
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        Ok(match serde_json::Value::deserialize(d)? {
            serde_json::Value::String(name) => Status::parse(&name),
            other => Status::parse(&other.to_string()),
        })
    }
}

impl std::fmt::Display for Status {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}
