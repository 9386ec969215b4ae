//! A Seedance task from assets (`g`): the prompt, the model, ratio, resolution and duration
//! (the profile's `[tasks]` table fills them), beside the legend of the assets it references.
//! Every rule is the use case's ([`crate::catalog::Catalog::plan_task`]); the form only reads
//! its fields.

use super::TextField;
use crate::app::effect::Effect;
use crate::catalog::tasks::TaskAsk;
use crate::config::TasksFile;
use crate::validate::Invalid;

/// The fields of a new task.
#[derive(Debug, Clone)]
pub struct GenerateTaskForm {
    /// The reference assets, in the order the pane shows them.
    pub assets: Vec<String>,
    /// Which asset is which (`Image 1 = hero (asset-…)`), once they were read; `None` while
    /// they are.
    pub legend: Option<Vec<String>>,
    /// What the prompt says (shown over several lines).
    pub prompt: TextField,
    /// The model.
    pub model: TextField,
    /// `16:9`, `9:16`, `adaptive`…
    pub ratio: TextField,
    /// `720p`, `480p`…
    pub resolution: TextField,
    /// Seconds of video.
    pub duration: TextField,
    /// Whether the video has sound (the profile's default).
    pub generate_audio: bool,
}

/// Rows the prompt's field shows.
pub const PROMPT_ROWS: usize = 3;

impl GenerateTaskForm {
    /// A form for `assets`, its fields filled from `defaults`.
    pub fn new(assets: Vec<String>, defaults: &TasksFile) -> Self {
        let any = |_: &str| Ok(());
        GenerateTaskForm {
            assets,
            legend: None,
            prompt: TextField::new("Prompt (Image 1, Video 1… name the assets)", "", any),
            model: TextField::new("Model", defaults.model.as_deref().unwrap_or_default(), any),
            ratio: TextField::new("Ratio", &defaults.ratio, any),
            resolution: TextField::new("Resolution", &defaults.resolution, any),
            duration: TextField::new(
                "Duration (seconds)",
                &defaults.duration.to_string(),
                seconds,
            ),
            generate_audio: defaults.generate_audio,
        }
    }

    /// What the fields ask for (the duration passed its rule).
    pub fn ask(&self) -> TaskAsk {
        let given = |f: &TextField| Some(f.value()).filter(|v| !v.is_empty());
        TaskAsk {
            assets: self.assets.clone(),
            prompt: self.prompt.value(),
            model: self.model.value(),
            ratio: given(&self.ratio),
            resolution: given(&self.resolution),
            duration: self.duration.value().parse().ok(),
            generate_audio: Some(self.generate_audio),
            ..TaskAsk::default()
        }
    }

    /// Checks the task (every asset read) and creates it once.
    pub fn request(&self) -> Effect {
        Effect::CreateTask(self.ask())
    }
}

/// A whole number of seconds (`-1`: the model chooses, where it may).
fn seconds(value: &str) -> Result<(), Invalid> {
    value.parse::<i64>().map(drop).map_err(|_| {
        Invalid::new(
            crate::validate::Field::Duration,
            crate::text::visible(value),
            "must be a whole number of seconds (e.g. 5)",
        )
    })
}
