//! Colours, in one place: the three urgency colours are the same everywhere. With NO_COLOR set
//! the UI uses no colour and marks urgency with symbols instead.

use ratatui::style::{Color, Modifier, Style};

use crate::domain::deadline::Urgency;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Theme {
    pub color: bool,
}

impl Theme {
    pub fn from_env() -> Theme {
        Theme {
            color: std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty()),
        }
    }

    fn fg(&self, c: Color) -> Style {
        if self.color {
            Style::default().fg(c)
        } else {
            Style::default()
        }
    }

    pub fn urgency(&self, u: Option<Urgency>) -> Style {
        match u {
            Some(Urgency::Overdue) => self.fg(Color::Red).add_modifier(Modifier::BOLD),
            Some(Urgency::DueSoon) => self.fg(Color::Yellow),
            Some(Urgency::InTime) => self.fg(Color::Green),
            None => self.fg(Color::Gray),
        }
    }

    /// The marker shown before a countdown (so urgency reads without colour too).
    pub fn marker(u: Option<Urgency>) -> &'static str {
        match u {
            Some(Urgency::Overdue) => "!!",
            Some(Urgency::DueSoon) => "! ",
            Some(Urgency::InTime) => "  ",
            None => "  ",
        }
    }

    pub fn title(&self) -> Style {
        self.fg(Color::Cyan).add_modifier(Modifier::BOLD)
    }
    pub fn selected(&self) -> Style {
        if self.color {
            Style::default()
                .bg(Color::Blue)
                .fg(Color::White)
                .add_modifier(Modifier::BOLD)
        } else {
            Style::default().add_modifier(Modifier::REVERSED)
        }
    }
    pub fn dim(&self) -> Style {
        self.fg(Color::DarkGray)
    }
    pub fn error(&self) -> Style {
        self.fg(Color::Red).add_modifier(Modifier::BOLD)
    }
    pub fn ok(&self) -> Style {
        self.fg(Color::Green)
    }
    pub fn vip(&self) -> Style {
        self.fg(Color::Magenta).add_modifier(Modifier::BOLD)
    }
    pub fn focus(&self) -> Style {
        self.fg(Color::Yellow).add_modifier(Modifier::BOLD)
    }
}
