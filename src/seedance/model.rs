//! The data plane's answers (spec section 14), read leniently: unknown fields ignored, an
//! unknown status kept as it came, every field but the id optional.

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// Where a task is in its life.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum TaskStatus {
    /// Waiting for a worker; the only state a task can be cancelled in.
    Queued,
    /// Being generated: it can be neither cancelled nor deleted.
    Running,
    /// Done: its video is at `content.video_url` for 24 h.
    Succeeded,
    /// Failed: see its error.
    Failed,
    /// Not finished by `created_at + execution_expires_after`.
    Expired,
    /// Cancelled while queued.
    Cancelled,
    /// A status this client does not know, as the service wrote it.
    Other(String),
}

impl TaskStatus {
    /// The name the service uses (`queued`, …).
    pub fn name(&self) -> &str {
        match self {
            TaskStatus::Queued => "queued",
            TaskStatus::Running => "running",
            TaskStatus::Succeeded => "succeeded",
            TaskStatus::Failed => "failed",
            TaskStatus::Expired => "expired",
            TaskStatus::Cancelled => "cancelled",
            TaskStatus::Other(name) => name,
        }
    }

    /// The status named `name` (unknown names kept).
    pub fn parse(name: &str) -> TaskStatus {
        match name.trim().to_ascii_lowercase().as_str() {
            "queued" => TaskStatus::Queued,
            "running" => TaskStatus::Running,
            "succeeded" => TaskStatus::Succeeded,
            "failed" => TaskStatus::Failed,
            "expired" => TaskStatus::Expired,
            "cancelled" | "canceled" => TaskStatus::Cancelled,
            _ => TaskStatus::Other(name.to_owned()),
        }
    }

    /// Whether the task will not change any more (an unknown status counts as not finished,
    /// so a wait goes on until its bound).
    pub(crate) fn is_finished(&self) -> bool {
        matches!(
            self,
            TaskStatus::Succeeded
                | TaskStatus::Failed
                | TaskStatus::Expired
                | TaskStatus::Cancelled
        )
    }
}

impl std::fmt::Display for TaskStatus {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&crate::text::visible(self.name()))
    }
}

impl Serialize for TaskStatus {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.name())
    }
}

impl<'de> Deserialize<'de> for TaskStatus {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let value = Option::<serde_json::Value>::deserialize(d)?;
        Ok(match value {
            Some(serde_json::Value::String(s)) => TaskStatus::parse(&s),
            Some(other) => TaskStatus::Other(other.to_string()),
            None => TaskStatus::Other(String::new()),
        })
    }
}

/// Why a task failed, as the service says.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct TaskFailure {
    /// The service's code.
    #[serde(default)]
    pub code: String,
    /// Its message.
    #[serde(default)]
    pub message: String,
}

/// What a finished task made. The links expire 24 h after the task finished.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct TaskContent {
    /// The video.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub video_url: Option<String>,
    /// The last frame, when asked for.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_frame_url: Option<String>,
}

/// Tokens a task used.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Usage {
    /// Tokens of the output.
    #[serde(default)]
    pub completion_tokens: Option<u64>,
    /// Tokens in all.
    #[serde(default)]
    pub total_tokens: Option<u64>,
}

/// A generation task as the service answers it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Task {
    /// `cgt-…`.
    pub id: String,
    /// The model it runs on.
    #[serde(default)]
    pub model: String,
    /// Where it is.
    #[serde(default = "unknown_status")]
    pub status: TaskStatus,
    /// Why it failed (null on success).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<TaskFailure>,
    /// What it made.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub content: Option<TaskContent>,
    /// Tokens used.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub usage: Option<Usage>,
    /// When it was created, Unix seconds.
    #[serde(default, deserialize_with = "seconds")]
    pub created_at: Option<i64>,
    /// When it last changed, Unix seconds.
    #[serde(default, deserialize_with = "seconds")]
    pub updated_at: Option<i64>,
    /// `720p`, …
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resolution: Option<String>,
    /// `16:9`, …
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ratio: Option<String>,
    /// Seconds of video.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub duration: Option<i64>,
    /// Frames a second of the video.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub framespersecond: Option<u32>,
    /// The seed used.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub seed: Option<i64>,
    /// Whether it has sound.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub generate_audio: Option<bool>,
    /// The service tier it ran in.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub service_tier: Option<String>,
}

fn unknown_status() -> TaskStatus {
    TaskStatus::Other(String::new())
}

/// Unix seconds as a number or a numeric string (milliseconds are brought to seconds).
fn seconds<'de, D: Deserializer<'de>>(d: D) -> Result<Option<i64>, D::Error> {
    let value = Option::<serde_json::Value>::deserialize(d)?;
    let n = match value {
        Some(serde_json::Value::Number(n)) => n.as_i64().or(n.as_f64().map(|f| f as i64)),
        Some(serde_json::Value::String(s)) => s.trim().parse().ok(),
        _ => None,
    };
    Ok(n.map(|n| if n > 100_000_000_000 { n / 1000 } else { n }))
}

impl Task {
    /// The video's link, when the task made one.
    pub fn video_url(&self) -> Option<&str> {
        self.content
            .as_ref()?
            .video_url
            .as_deref()
            .filter(|u| !u.is_empty())
    }
}

/// One page of tasks.
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize)]
pub struct TaskPage {
    /// Tasks that match, in all pages.
    #[serde(default)]
    pub total: Option<u64>,
    /// This page's tasks.
    #[serde(default)]
    pub items: Vec<Task>,
}

/// The answer to a create.
#[derive(Debug, Clone, Deserialize)]
pub(crate) struct CreatedTask {
    /// The new task's id.
    pub id: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tasks_are_read_leniently() {
        let task: Task = serde_json::from_str(
            r#"{"id":"cgt-1","status":"thinking","created_at":"1700000000","updated_at":1700000000123,"new":1}"#,
        )
        .unwrap();
        assert_eq!(task.status, TaskStatus::Other("thinking".into()));
        assert!(!task.status.is_finished());
        assert_eq!(task.created_at, Some(1_700_000_000));
        assert_eq!(task.updated_at, Some(1_700_000_000));
        assert_eq!(task.video_url(), None);
        let done: Task =
            serde_json::from_str(r#"{"id":"cgt-2","status":"succeeded","error":null,"content":{"video_url":"http://x/v.mp4"}}"#)
                .unwrap();
        assert!(done.status.is_finished());
        assert_eq!(done.video_url(), Some("http://x/v.mp4"));
    }
}
