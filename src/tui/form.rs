//! Form fields shared by every form: text inputs and choices, with focus and an error line.

use super::strings::Str;
use super::text::Input;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FieldKind {
    Text {
        input: Input,
        multiline: bool,
    },
    /// One of a list of options (←/→ to change).
    Choice {
        options: Vec<String>,
        idx: usize,
    },
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Field {
    pub label: Str,
    pub kind: FieldKind,
}

impl Field {
    pub fn text(label: Str, v: &str) -> Field {
        Field {
            label,
            kind: FieldKind::Text {
                input: Input::new(v),
                multiline: false,
            },
        }
    }
    pub fn multiline(label: Str) -> Field {
        Field {
            label,
            kind: FieldKind::Text {
                input: Input::default(),
                multiline: true,
            },
        }
    }
    pub fn choice(label: Str, options: Vec<String>, idx: usize) -> Field {
        let idx = idx.min(options.len().saturating_sub(1));
        Field {
            label,
            kind: FieldKind::Choice { options, idx },
        }
    }
    pub fn value(&self) -> String {
        match &self.kind {
            FieldKind::Text { input, .. } => input.value.clone(),
            FieldKind::Choice { options, idx } => options.get(*idx).cloned().unwrap_or_default(),
        }
    }
    pub fn index(&self) -> usize {
        match &self.kind {
            FieldKind::Choice { idx, .. } => *idx,
            FieldKind::Text { .. } => 0,
        }
    }
    pub fn input_mut(&mut self) -> Option<&mut Input> {
        match &mut self.kind {
            FieldKind::Text { input, .. } => Some(input),
            FieldKind::Choice { .. } => None,
        }
    }
    pub fn is_text(&self) -> bool {
        matches!(self.kind, FieldKind::Text { .. })
    }
    pub fn is_multiline(&self) -> bool {
        matches!(
            self.kind,
            FieldKind::Text {
                multiline: true,
                ..
            }
        )
    }
    /// ←/→ on a choice.
    pub fn cycle(&mut self, forward: bool) {
        if let FieldKind::Choice { options, idx } = &mut self.kind {
            let n = options.len().max(1);
            *idx = if forward {
                (*idx + 1) % n
            } else {
                (*idx + n - 1) % n
            };
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Form {
    pub fields: Vec<Field>,
    pub focus: usize,
    pub error: Option<String>,
}

impl Form {
    pub fn new(fields: Vec<Field>) -> Form {
        Form {
            fields,
            focus: 0,
            error: None,
        }
    }
    pub fn next(&mut self) {
        if !self.fields.is_empty() {
            self.focus = (self.focus + 1) % self.fields.len();
        }
    }
    pub fn prev(&mut self) {
        if !self.fields.is_empty() {
            self.focus = (self.focus + self.fields.len() - 1) % self.fields.len();
        }
    }
    pub fn focused(&mut self) -> Option<&mut Field> {
        self.fields.get_mut(self.focus)
    }
    /// The field with the focus, to look at.
    pub fn current(&self) -> Option<&Field> {
        self.fields.get(self.focus)
    }
    pub fn value(&self, i: usize) -> String {
        self.fields.get(i).map(Field::value).unwrap_or_default()
    }
    pub fn index(&self, i: usize) -> usize {
        self.fields.get(i).map(Field::index).unwrap_or(0)
    }
}
