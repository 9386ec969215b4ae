//! Dialogs, one file each: typed forms that own their fields, rules and request, a delete
//! confirmation, and a text display. [`Dialog`] holds a form with what every form shares
//! (focus, busy, the service's error, a note); `update` drives it through the key table's
//! `Form` scope.

mod confirm_delete;
mod create_asset;
mod create_group;
mod generate_task;
mod import_folder;
mod pull_group;
mod rename_asset;
mod rename_group;
mod shown_text;
mod switch_project;
mod sync_folder;

pub use confirm_delete::{ConfirmDelete, Holds};
pub use create_asset::CreateAssetForm;
pub use create_group::CreateGroupForm;
pub use generate_task::{GenerateTaskForm, PROMPT_ROWS};
pub use import_folder::ImportFolderForm;
pub use pull_group::PullGroupForm;
pub use rename_asset::RenameAssetForm;
pub use rename_group::RenameGroupForm;
pub use shown_text::ShownText;
pub use switch_project::SwitchProject;
pub use sync_folder::SyncFolderForm;

use crossterm::event::{Event, KeyEvent};
use tui_input::Input;
use tui_input::backend::crossterm::to_input_request;

use super::effect::Effect;
use crate::catalog::complete::Completion;
use crate::validate::Invalid;

/// The rule a field's (trimmed) value must follow.
pub(crate) type Rule = fn(&str) -> Result<(), Invalid>;

/// One text field of a form, with the rule its value must follow.
#[derive(Debug, Clone)]
pub struct TextField {
    /// Label shown above the input.
    pub label: &'static str,
    /// The text being edited.
    pub input: Input,
    /// Inline validation message.
    pub error: Option<String>,
    rule: Rule,
    /// A value the field cannot hold as it is (a newline, a control character), with how it is
    /// shown: kept whole unless the shown text is edited.
    kept: Option<Kept>,
}

/// A value a one-line field shows escaped.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Kept {
    shown: String,
    value: String,
}

impl TextField {
    /// A field with an initial value.
    pub fn new(label: &'static str, value: &str, rule: Rule) -> Self {
        TextField {
            label,
            input: Input::new(value.to_owned()),
            error: None,
            rule,
            kept: None,
        }
    }

    /// A field editing `value`, which came from outside: what a one-line field cannot show
    /// faithfully (a newline, a control character) is shown escaped, and the value is kept as
    /// it is unless the user edits it.
    pub(crate) fn editing(label: &'static str, value: &str, rule: Rule) -> Self {
        let shown = crate::text::visible(value);
        let kept = (shown != value).then(|| Kept {
            shown: shown.clone().into_owned(),
            value: value.to_owned(),
        });
        TextField {
            kept,
            ..TextField::new(label, &shown, rule)
        }
    }

    /// The value kept when the field shows it escaped and it was not edited.
    fn unchanged(&self) -> Option<&str> {
        self.kept
            .as_ref()
            .filter(|k| self.input.value() == k.shown)
            .map(|k| k.value.as_str())
    }

    /// What the field says of its value beside any error: that it is shown escaped and kept.
    pub fn note(&self) -> Option<&'static str> {
        self.unchanged().map(|_| {
            "holds characters a one-line field cannot show (shown escaped): kept as it is \
             unless you change it"
        })
    }

    /// The trimmed value (a value shown escaped and not edited: as it was).
    pub fn value(&self) -> String {
        match self.unchanged() {
            Some(value) => value.to_owned(),
            None => self.input.value().trim().to_owned(),
        }
    }

    /// Checks the value against the rule; the message stays on the field. A value kept as it
    /// came is not the user's to fix.
    pub fn check(&mut self) -> bool {
        self.error = match self.unchanged() {
            Some(_) => None,
            None => (self.rule)(&self.value()).err().map(|e| e.to_string()),
        };
        self.error.is_none()
    }

    /// Applies an editing key; a shown error is re-checked as the user fixes the value.
    fn edit(&mut self, key: KeyEvent) {
        if let Some(req) = to_input_request(&Event::Key(key)) {
            self.input.handle(req);
            if self.error.is_some() {
                self.check();
            }
        }
    }

    /// Appends pasted text (control characters dropped).
    fn paste(&mut self, text: &str) {
        let text: String = text.chars().filter(|c| !c.is_control()).collect();
        self.input = Input::new(format!("{}{text}", self.input.value()));
        self.error = None;
    }
}

/// Which form a dialog holds.
#[derive(Debug, Clone)]
pub enum Form {
    /// New group.
    CreateGroup(CreateGroupForm),
    /// New asset in the open group.
    CreateAsset(CreateAssetForm),
    /// A group's name and description.
    RenameGroup(RenameGroupForm),
    /// An asset's name.
    RenameAsset(RenameAssetForm),
    /// A folder to import into the open group.
    ImportFolder(ImportFolderForm),
    /// The folder to sync the open group with.
    SyncFolder(SyncFolderForm),
    /// The folder a group's files are pulled into.
    PullGroup(PullGroupForm),
    /// A Seedance task from assets.
    GenerateTask(Box<GenerateTaskForm>),
}

impl Form {
    /// The dialog's title.
    pub fn title(&self) -> &'static str {
        match self {
            Form::CreateGroup(_) => " New group ",
            Form::CreateAsset(_) => " New asset ",
            Form::RenameGroup(_) => " Rename group ",
            Form::RenameAsset(_) => " Rename asset ",
            Form::ImportFolder(_) => " Import a folder ",
            Form::SyncFolder(_) => " Sync with a folder ",
            Form::PullGroup(_) => " Pull the group's files ",
            Form::GenerateTask(_) => " New Seedance task ",
        }
    }

    /// What Enter does, for its hint: `create`, `rename`, `import`…
    pub fn action(&self) -> &'static str {
        match self {
            Form::CreateGroup(_) | Form::CreateAsset(_) => "create",
            Form::RenameGroup(_) => "save",
            Form::RenameAsset(_) => "rename",
            Form::ImportFolder(_) => "import",
            Form::SyncFolder(_) => "show the plan",
            Form::PullGroup(_) => "pull",
            Form::GenerateTask(_) => "generate",
        }
    }

    /// What Tab does when the form has one field: completes a path, or nothing.
    pub(crate) fn lone_tab(&self) -> Option<&'static str> {
        match self {
            Form::ImportFolder(_) | Form::SyncFolder(_) | Form::PullGroup(_) => Some("completes"),
            _ => None,
        }
    }

    /// The fields, in order.
    pub fn fields(&self) -> Vec<&TextField> {
        match self {
            Form::CreateGroup(f) => vec![&f.name, &f.description],
            Form::CreateAsset(f) => vec![&f.url, &f.name],
            Form::RenameGroup(f) => vec![&f.name, &f.description],
            Form::RenameAsset(f) => vec![&f.name],
            Form::ImportFolder(f) => vec![&f.path, &f.recursive],
            Form::SyncFolder(f) => vec![&f.path],
            Form::PullGroup(f) => vec![&f.path],
            Form::GenerateTask(f) => {
                vec![&f.prompt, &f.model, &f.ratio, &f.resolution, &f.duration]
            }
        }
    }

    fn fields_mut(&mut self) -> Vec<&mut TextField> {
        match self {
            Form::CreateGroup(f) => vec![&mut f.name, &mut f.description],
            Form::CreateAsset(f) => vec![&mut f.url, &mut f.name],
            Form::RenameGroup(f) => vec![&mut f.name, &mut f.description],
            Form::RenameAsset(f) => vec![&mut f.name],
            Form::ImportFolder(f) => vec![&mut f.path, &mut f.recursive],
            Form::SyncFolder(f) => vec![&mut f.path],
            Form::PullGroup(f) => vec![&mut f.path],
            Form::GenerateTask(f) => vec![
                &mut f.prompt,
                &mut f.model,
                &mut f.ratio,
                &mut f.resolution,
                &mut f.duration,
            ],
        }
    }

    /// The work the form asks for, once every field passes its rule.
    pub fn request(&self) -> Effect {
        match self {
            Form::CreateGroup(f) => f.request(),
            Form::CreateAsset(f) => f.request(),
            Form::RenameGroup(f) => f.request(),
            Form::RenameAsset(f) => f.request(),
            Form::ImportFolder(f) => f.request(),
            Form::SyncFolder(f) => f.request(),
            Form::PullGroup(f) => f.request(),
            Form::GenerateTask(f) => f.request(),
        }
    }

    /// The rows field `i` is shown over (the task's prompt: several).
    pub(crate) fn rows_of(&self, i: usize) -> usize {
        match self {
            Form::GenerateTask(_) if i == 0 => PROMPT_ROWS,
            _ => 1,
        }
    }

    /// The field that holds a local path (Tab completes it), when there is one.
    fn path_field(&self) -> Option<usize> {
        match self {
            Form::CreateAsset(_)
            | Form::ImportFolder(_)
            | Form::SyncFolder(_)
            | Form::PullGroup(_) => Some(0),
            _ => None,
        }
    }
}

/// A form with what every dialog shares.
#[derive(Debug, Clone)]
pub struct Dialog {
    /// The form.
    pub form: Form,
    /// Field with the cursor.
    pub focus: usize,
    /// Waiting for the service; input is locked.
    pub busy: bool,
    /// A problem shown under the fields (e.g. the service's error).
    pub error: Option<String>,
    /// A non-blocking note (e.g. a private URL the real service cannot reach).
    pub note: Option<String>,
}

impl Dialog {
    /// A dialog around `form`, cursor in its first field.
    pub fn new(form: Form) -> Self {
        Dialog {
            form,
            focus: 0,
            busy: false,
            error: None,
            note: None,
        }
    }

    /// Moves the cursor `delta` fields on, wrapping around.
    pub(crate) fn move_focus(&mut self, delta: isize) {
        let count = self.form.fields().len().max(1) as isize;
        self.focus = (self.focus as isize + delta).rem_euclid(count) as usize;
    }

    /// Applies an editing key to the focused field.
    pub fn edit(&mut self, key: KeyEvent) {
        let focus = self.focus;
        if let Some(field) = self.form.fields_mut().into_iter().nth(focus) {
            field.edit(key);
        }
    }

    /// Appends pasted text to the focused field.
    pub(crate) fn paste(&mut self, text: &str) {
        let focus = self.focus;
        if let Some(field) = self.form.fields_mut().into_iter().nth(focus) {
            field.paste(text);
        }
    }

    /// Checks every field; on failure the cursor goes to the first one in error.
    pub fn validate(&mut self) -> bool {
        let mut first_bad = None;
        for (i, field) in self.form.fields_mut().into_iter().enumerate() {
            if !field.check() && first_bad.is_none() {
                first_bad = Some(i);
            }
        }
        match first_bad {
            Some(i) => {
                self.focus = i;
                false
            }
            None => true,
        }
    }

    /// The typed path Tab should complete: the focused field holds a local path (not a URL).
    pub(crate) fn path_to_complete(&self) -> Option<String> {
        let field = self.form.path_field().filter(|i| *i == self.focus)?;
        let value = self.form.fields()[field].value();
        (!crate::catalog::local::has_scheme(&value)).then_some(value)
    }

    /// Applies Tab's completion of `typed`: the value grows, or, with several choices, they are
    /// shown; with nothing to add, the cursor moves on.
    pub fn complete(&mut self, typed: &str, completion: Completion) {
        let focus = self.focus;
        if completion.value != typed {
            if let Some(field) = self.form.fields_mut().into_iter().nth(focus) {
                field.input = Input::new(completion.value);
                field.error = None;
            }
            self.note = None;
        } else if completion.choices.len() > 1 {
            const SHOWN: usize = 6;
            let mut note = completion.choices[..completion.choices.len().min(SHOWN)].join("  ");
            if completion.choices.len() > SHOWN {
                note.push_str(&format!("  … {} more", completion.choices.len() - SHOWN));
            }
            self.note = Some(note);
        } else {
            self.note = None;
            self.move_focus(1);
        }
    }

    /// Shows `problem` on the first field (the input the service's checks refused).
    /// Whether `key` takes the offer to fit a refused image (`f` right after the refusal);
    /// any other key withdraws the offer. Taken, the form asks for the fit.
    pub(crate) fn take_fit_offer(&mut self, key: &KeyEvent) -> bool {
        let Form::CreateAsset(form) = &mut self.form else {
            return false;
        };
        let offered = std::mem::take(&mut form.fit_offered);
        let taken =
            offered && key.code == crossterm::event::KeyCode::Char('f') && key.modifiers.is_empty();
        if taken {
            form.fit = Some(crate::media::fit::FitMode::Pad);
        }
        if offered {
            self.note = None;
        }
        taken
    }

    /// The answer refused the source for `problems`: said on the first field; when fitting
    /// could fix a local image, fitting is offered.
    pub(crate) fn refused(&mut self, problems: &[crate::validate::Invalid]) {
        self.refuse_first(crate::catalog::import::check::joined(problems));
        if let Form::CreateAsset(form) = &mut self.form
            && form.local_file().is_some()
            && form.fit.is_none()
            && crate::catalog::local::is_fixable(problems)
        {
            form.fit_offered = true;
            self.note = Some(
                "f fits it into the rules (black bars, as --fit pad) and tries again".to_owned(),
            );
        }
    }

    pub(crate) fn refuse_first(&mut self, problem: String) {
        self.busy = false;
        if let Some(field) = self.form.fields_mut().into_iter().next() {
            field.error = Some(problem);
        }
    }
}
