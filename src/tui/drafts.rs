//! Drafts: what an officer has typed into a form and not yet saved, kept across every way the
//! TUI can stop (quit, a signal, a lost terminal, a panic) and given back when the same officer
//! signs in again.
//!
//! Handover notes belong to the shift, so the runtime saves them to the store
//! (`SaveShiftNotes`) on the way out. The other forms — intake, the inspection form and an
//! issue's action form — have no record in the store until they are submitted, so they are
//! kept in `drafts.json` in the data directory (mode 0600: it holds contact names and phone
//! numbers), one entry per officer. At sign-in the officer's entry is *parked* in the app: a
//! form opened again starts from its draft, and the footer says what was kept. The file is
//! rewritten from the live state, so a submitted or cancelled form leaves no draft behind.

use std::collections::BTreeMap;
use std::io::Write as _;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::action::Action;
use super::app::{inspect, App, Candidate, Overlay, Screen};
use super::form::{FieldKind, Form};
use crate::i18n::Lang;

/// The file in the data directory.
pub const FILE: &str = "drafts.json";

/// Every officer's drafts, by officer name.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Drafts {
    pub officers: BTreeMap<String, Draft>,
}

/// One officer's unsaved work.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Draft {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub intake: Option<FormDraft>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub inspection: Option<FormDraft>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub action: Option<ActionDraft>,
    /// Handover notes not yet in the store (saved there on the way out; kept here in case
    /// the way out never came, e.g. the process was killed).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub notes: Option<NotesDraft>,
}

/// A form's values, field by field, and what the enterprise picker had chosen.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FormDraft {
    pub fields: Vec<Value>,
    #[serde(default)]
    pub focus: usize,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub chosen: Option<Candidate>,
}

/// One field: the text typed, or the option chosen (by its text, so a changed list of
/// categories or units cannot shift the choice to a different one).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Value {
    Text(String),
    Choice(String),
}

/// An issue action's form (contact, reply, resolve, note, …) half filled.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ActionDraft {
    pub issue: u64,
    pub action: Action,
    /// The unit a transfer goes to.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unit: Option<String>,
    pub form: FormDraft,
}

/// Handover notes typed during a shift.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NotesDraft {
    pub shift: u64,
    pub text: String,
}

impl Draft {
    pub fn is_empty(&self) -> bool {
        self.intake.is_none()
            && self.inspection.is_none()
            && self.action.is_none()
            && self.notes.is_none()
    }
}

impl FormDraft {
    /// The form's values; `None` when no text field holds anything but `ignore` (fields
    /// that start filled, such as the inspection date).
    pub fn of(form: &Form, chosen: Option<&Candidate>, ignore: &[usize]) -> Option<FormDraft> {
        let typed = form.fields.iter().enumerate().any(|(n, f)| {
            !ignore.contains(&n)
                && matches!(&f.kind, FieldKind::Text { input, .. } if !input.value.trim().is_empty())
        });
        if !typed {
            return None;
        }
        Some(FormDraft {
            fields: form
                .fields
                .iter()
                .map(|f| match &f.kind {
                    FieldKind::Text { input, .. } => Value::Text(input.value.clone()),
                    FieldKind::Choice { .. } => Value::Choice(f.value()),
                })
                .collect(),
            focus: form.focus,
            chosen: chosen.cloned(),
        })
    }

    /// Puts the values back into a freshly built form of the same shape; fields whose kind
    /// differs, and choices no longer offered, keep the fresh form's value.
    pub fn apply(&self, form: &mut Form) {
        for (field, value) in form.fields.iter_mut().zip(&self.fields) {
            match (&mut field.kind, value) {
                (FieldKind::Text { input, .. }, Value::Text(v)) => {
                    *input = super::text::Input::new(v);
                }
                (FieldKind::Choice { options, idx }, Value::Choice(v)) => {
                    if let Some(p) = options.iter().position(|o| o == v) {
                        *idx = p;
                    }
                }
                _ => {}
            }
        }
        form.focus = self.focus.min(form.fields.len().saturating_sub(1));
        form.error = None;
    }
}

/// Whether a form is open on `s`: on screen, or left for another screen and not cancelled.
fn open(app: &App, s: Screen) -> bool {
    app.screen == s || app.stack.contains(&s)
}

/// The signed-in officer's unsaved work: the open forms, else what was parked at sign-in and
/// not yet taken up again.
pub fn collect(app: &App) -> Draft {
    let parked = &app.parked;
    let intake = if open(app, Screen::Intake) {
        FormDraft::of(&app.intake.form, app.intake.chosen.as_ref(), &[])
    } else {
        None
    };
    let inspection = if open(app, Screen::InspectionForm) {
        FormDraft::of(&app.insp.form, app.insp.chosen.as_ref(), &[inspect::F_DATE])
    } else {
        None
    };
    let action = match (&app.overlay, app.detail.id) {
        (Some(Overlay::ActionForm(af)), Some(issue)) => {
            FormDraft::of(&af.form, None, &[]).map(|form| ActionDraft {
                issue,
                action: Action::for_op(af.op),
                unit: af.to.clone(),
                form,
            })
        }
        _ => None,
    };
    let notes = app.shift.as_ref().and_then(|s| {
        let text = app.handover.notes.value(0);
        (text != s.notes).then_some(NotesDraft { shift: s.id, text })
    });
    Draft {
        intake: intake.or_else(|| parked.intake.clone()),
        inspection: inspection.or_else(|| parked.inspection.clone()),
        action: action.or_else(|| parked.action.clone()),
        notes,
    }
}

/// Every officer's drafts as they stand now: the file's as loaded, with the signed-in
/// officer's replaced by their live ones.
pub fn all(app: &App) -> Drafts {
    let mut d = app.drafts.clone();
    if let Some(o) = &app.officer {
        let mine = collect(app);
        if mine.is_empty() {
            d.officers.remove(&o.name);
        } else {
            d.officers.insert(o.name.clone(), mine);
        }
    }
    d
}

/// At sign-off the officer's unsaved forms stay theirs for the next sign-in.
pub fn stash(app: &mut App) {
    let Some(o) = app.officer.clone() else { return };
    let mut mine = collect(app);
    // The shift is over: its notes went into the filed brief.
    mine.notes = None;
    app.parked = Draft::default();
    if mine.is_empty() {
        app.drafts.officers.remove(&o.name);
    } else {
        app.drafts.officers.insert(o.name, mine);
    }
}

/// At sign-in: takes the officer's drafts out of the file's set and parks them in the app;
/// returns them so the caller can restore the notes of a resumed shift.
pub fn park(app: &mut App, officer: &str) -> Draft {
    let d = app.drafts.officers.remove(officer).unwrap_or_default();
    app.parked = Draft {
        notes: None,
        ..d.clone()
    };
    d
}

/// What the footer says was kept, e.g. "已恢复未提交的草稿：登记新问题 · #12 记录答复".
pub fn restored_message(d: &Draft, notes: bool, lang: Lang) -> Option<String> {
    let en = lang.is_en();
    let mut parts = Vec::new();
    if d.intake.is_some() {
        parts.push(Action::NewIssue.describe(en).to_string());
    }
    if d.inspection.is_some() {
        parts.push(Action::NewInspection.describe(en).to_string());
    }
    if let Some(a) = &d.action {
        parts.push(format!("#{} {}", a.issue, a.action.describe(en)));
    }
    if notes {
        parts.push(lang.pick("交接班备注", "handover notes").to_string());
    }
    if parts.is_empty() {
        return None;
    }
    Some(format!(
        "{}{}",
        lang.pick("已恢复未提交的草稿：", "unsaved drafts kept: "),
        parts.join(" · ")
    ))
}

/// Where the drafts live in a data directory.
pub fn path(dir: &Path) -> PathBuf {
    dir.join(FILE)
}

/// Reads the drafts file. A missing file is no drafts; an unreadable one is set aside
/// (renamed, never deleted) and logged, so one bad file cannot stop the desk.
pub fn load(path: &Path) -> Drafts {
    let text = match std::fs::read_to_string(path) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Drafts::default(),
        Err(e) => {
            tracing::warn!("drafts: cannot read {}: {e}", path.display());
            return Drafts::default();
        }
    };
    match serde_json::from_str(&text) {
        Ok(d) => d,
        Err(e) => {
            let aside = path.with_extension(format!(
                "json.unreadable-{}",
                chrono::Local::now().format("%Y%m%d%H%M%S")
            ));
            tracing::warn!(
                "drafts: {} is not readable ({e}); set aside as {}",
                path.display(),
                aside.display()
            );
            let _ = std::fs::rename(path, &aside);
            Drafts::default()
        }
    }
}

/// Writes the drafts file (created 0600, replaced whole through a rename); removes it when
/// there is nothing to keep.
pub fn save(path: &Path, d: &Drafts) -> std::io::Result<()> {
    if d.officers.is_empty() {
        return match std::fs::remove_file(path) {
            Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(e),
            _ => Ok(()),
        };
    }
    let tmp = path.with_extension("json.tmp");
    let _ = std::fs::remove_file(&tmp);
    let mut f = private_file(&tmp)?;
    let text = serde_json::to_string_pretty(d).map_err(std::io::Error::other)?;
    f.write_all(text.as_bytes())?;
    f.sync_all()?;
    std::fs::rename(&tmp, path)
}

/// Creates a new file only its owner can read and write.
fn private_file(p: &Path) -> std::io::Result<std::fs::File> {
    let mut o = std::fs::OpenOptions::new();
    o.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt as _;
        o.mode(0o600);
    }
    o.open(p)
}
