//! A task checked before anything is sent: every asset read (Active only, its type from the
//! asset, video and audio durations read from their files when they can be), the model's
//! limits, the modes not mixed; then the request in the service's order and the legend that
//! tells which asset is "Image 1".

use crate::api::model::{Asset, Status};
use crate::media::MediaKind;
use crate::seedance::{ContentItem, CreateTask, Role};

/// The limits of a family of models (spec section 14).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ModelLimits {
    /// The family, as shown (`Seedance 2.0`).
    pub family: &'static str,
    /// Most reference images.
    pub images: usize,
    /// Most reference videos.
    pub videos: usize,
    /// Most reference audios.
    pub audios: usize,
    /// Most seconds of reference videos, and apart from them of audios, in all.
    pub reference_seconds: f64,
    /// The video's length in seconds.
    pub durations: (i64, i64),
    /// Whether `-1` (the model chooses) is a length.
    pub auto_duration: bool,
}

/// Seedance 2.0 (and its fast and mini variants).
const SEEDANCE_2_0: ModelLimits = ModelLimits {
    family: "Seedance 2.0",
    images: 9,
    videos: 3,
    audios: 3,
    reference_seconds: 15.0,
    durations: (4, 15),
    auto_duration: false,
};

/// Seedance 2.5.
const SEEDANCE_2_5: ModelLimits = ModelLimits {
    family: "Seedance 2.5",
    images: 30,
    videos: 10,
    audios: 10,
    reference_seconds: 30.0,
    durations: (4, 30),
    auto_duration: true,
};

/// The models by the part of their id that names the family.
const MODELS: [(&str, ModelLimits); 2] = [
    ("seedance-2-5", SEEDANCE_2_5),
    ("seedance-2-0", SEEDANCE_2_0),
];

/// The limits of `model`, and whether the model is known (an unknown one is held to 2.0's,
/// the stricter).
pub fn limits_of(model: &str) -> (ModelLimits, bool) {
    let lower = model.to_ascii_lowercase();
    MODELS
        .iter()
        .find(|(part, _)| lower.contains(part))
        .map_or((SEEDANCE_2_0, false), |(_, limits)| (*limits, true))
}

/// What a person asks for.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TaskAsk {
    /// Reference assets (images, videos, audios), in the order given.
    pub assets: Vec<String>,
    /// The first frame's image.
    pub first_frame: Option<String>,
    /// The last frame's image.
    pub last_frame: Option<String>,
    /// The prompt.
    pub prompt: String,
    /// The model.
    pub model: String,
    /// `16:9`, …
    pub ratio: Option<String>,
    /// `720p`, …
    pub resolution: Option<String>,
    /// Seconds.
    pub duration: Option<i64>,
    /// Whether the video has sound.
    pub generate_audio: Option<bool>,
}

/// One asset of the request, as the prompt names it.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Reference {
    /// `Image 1`, `Video 2`, `Audio 1`, `First frame`, `Last frame`.
    pub label: String,
    /// Its role in the request.
    pub role: Role,
    /// The asset's id.
    pub asset_id: String,
    /// The asset's name.
    pub name: String,
    /// Its length in seconds (videos and audios), when it could be read.
    pub seconds: Option<f64>,
}

impl Reference {
    /// `Image 1 = hero-front (asset-…)`, the name made safe to print.
    pub fn line(&self) -> String {
        format!(
            "{} = {} ({})",
            self.label,
            crate::text::visible(&self.name),
            crate::text::visible(&self.asset_id)
        )
    }
}

/// A checked task: the request to send, the legend and what was worth a warning.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct TaskPlan {
    /// The body of the create.
    pub request: CreateTask,
    /// Which asset is which in the prompt's words, in the request's order.
    pub legend: Vec<Reference>,
    /// Warnings (an unknown model, a length that could not be read).
    pub warnings: Vec<String>,
}

/// An asset read for the plan, with its kind and length.
#[derive(Debug, Clone)]
pub(crate) struct Checked {
    pub asset: Asset,
    pub kind: MediaKind,
    pub seconds: Option<f64>,
}

/// The problem of asset `id` as read (`None`: it can be used), in one line.
pub(crate) fn unusable(id: &str, asset: &Asset) -> Option<String> {
    let id = crate::text::visible(id);
    match &asset.status {
        Status::Active => None,
        Status::Processing => Some(format!(
            "asset {id} is Processing: only Active assets can be used (`ark-assets wait {id}`)"
        )),
        Status::Failed => Some(format!(
            "asset {id} is Failed: only Active assets can be used (`ark-assets assets retry {id}`)"
        )),
        other => Some(format!(
            "asset {id} is {}: only Active assets can be used",
            crate::text::visible(other.name())
        )),
    }
}

/// The checks that need no asset: a prompt, the length, frames not mixed with references.
pub(crate) fn check_ask(ask: &TaskAsk, limits: &ModelLimits) -> Vec<String> {
    let mut problems = Vec::new();
    if ask.prompt.trim().is_empty() {
        problems.push("--prompt is empty: the prompt says what the video shows".to_owned());
    }
    if let Some(d) = ask.duration {
        let (lo, hi) = limits.durations;
        let auto = limits.auto_duration && d == -1;
        if !auto && !(lo..=hi).contains(&d) {
            problems.push(format!(
                "--duration {d}: {} makes videos of {lo}–{hi} s{}",
                limits.family,
                if limits.auto_duration {
                    " (or -1: the model chooses)"
                } else {
                    ""
                }
            ));
        }
    }
    let frames = ask.first_frame.is_some() || ask.last_frame.is_some();
    if frames && !ask.assets.is_empty() {
        problems.push(
            "--first-frame/--last-frame are a mode of their own: they cannot be mixed with \
             --asset references"
                .to_owned(),
        );
    }
    if !frames && ask.assets.is_empty() {
        problems.push("no asset given: pass --asset ID (or --first-frame ID)".to_owned());
    }
    problems
}

/// The request and the legend of `ask` over its checked assets (`checked`, by id), or every
/// rule they break.
pub(crate) fn build(
    ask: &TaskAsk,
    limits: &ModelLimits,
    checked: &std::collections::HashMap<String, Checked>,
) -> Result<(CreateTask, Vec<Reference>), Vec<String>> {
    let mut problems = Vec::new();
    let mut legend = Vec::new();
    for (role, id, label) in [
        (Role::FirstFrame, &ask.first_frame, "First frame"),
        (Role::LastFrame, &ask.last_frame, "Last frame"),
    ] {
        let Some(c) = id.as_ref().and_then(|id| checked.get(id)) else {
            continue;
        };
        if c.kind != MediaKind::Image {
            problems.push(format!(
                "{label}: asset {} is a {}, not an image",
                crate::text::visible(&c.asset.id),
                c.kind.name()
            ));
        }
        legend.push(reference(label.to_owned(), role, c));
    }
    for kind in [MediaKind::Image, MediaKind::Video, MediaKind::Audio] {
        legend.extend(references_of(kind, ask, limits, checked, &mut problems));
    }
    if !legend.is_empty() && legend.iter().all(|r| r.role == Role::ReferenceAudio) {
        problems
            .push("audio alone is refused: give at least one image or video beside it".to_owned());
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    let mut content = vec![ContentItem::text(&ask.prompt)];
    content.extend(
        legend
            .iter()
            .map(|r| ContentItem::asset(r.role, &r.asset_id)),
    );
    let request = CreateTask {
        model: ask.model.clone(),
        content,
        ratio: ask.ratio.clone(),
        resolution: ask.resolution.clone(),
        duration: ask.duration,
        generate_audio: ask.generate_audio,
    };
    Ok((request, legend))
}

/// The references of `kind` in `ask` (each asset once, in the order given), labelled `Image 1`,
/// …; the limits they pass go to `problems`.
fn references_of(
    kind: MediaKind,
    ask: &TaskAsk,
    limits: &ModelLimits,
    checked: &std::collections::HashMap<String, Checked>,
    problems: &mut Vec<String>,
) -> Vec<Reference> {
    let (role, word, most) = match kind {
        MediaKind::Image => (Role::ReferenceImage, "Image", limits.images),
        MediaKind::Video => (Role::ReferenceVideo, "Video", limits.videos),
        MediaKind::Audio => (Role::ReferenceAudio, "Audio", limits.audios),
    };
    let mut seen = std::collections::HashSet::new();
    let of_kind: Vec<&Checked> = ask
        .assets
        .iter()
        .filter_map(|id| checked.get(id))
        .filter(|c| c.kind == kind && seen.insert(c.asset.id.clone()))
        .collect();
    if of_kind.len() > most {
        problems.push(format!(
            "{} {}s given: {} takes at most {most}",
            of_kind.len(),
            word.to_lowercase(),
            limits.family
        ));
    }
    let total: f64 = of_kind.iter().filter_map(|c| c.seconds).sum();
    if kind != MediaKind::Image && total > limits.reference_seconds {
        problems.push(format!(
            "the reference {}s last {total:.1} s in all: {} takes at most {} s",
            word.to_lowercase(),
            limits.family,
            limits.reference_seconds
        ));
    }
    of_kind
        .into_iter()
        .enumerate()
        .map(|(n, c)| reference(format!("{word} {}", n + 1), role, c))
        .collect()
}

fn reference(label: String, role: Role, c: &Checked) -> Reference {
    Reference {
        label,
        role,
        asset_id: c.asset.id.clone(),
        name: c.asset.name.clone(),
        seconds: c.seconds,
    }
}
