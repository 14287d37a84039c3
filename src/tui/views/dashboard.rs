//! Dashboard: the summary bar and the issues that need action now.

use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use ratatui::Frame;

use super::super::app::App;
use super::super::strings as S;
use super::super::theme::Theme;
use super::issue_table;
use crate::domain::deadline::Urgency;

pub fn render(f: &mut Frame, app: &App, area: Rect, theme: &Theme) {
    let [bar, list] = Layout::vertical([Constraint::Length(2), Constraint::Min(3)]).areas(area);
    let s = &app.summary;
    let l = app.lang;
    let item = |label: &str, n: usize, style| {
        vec![
            Span::raw(format!(" {label} ")),
            Span::styled(format!("{n}"), style),
            Span::raw("  │"),
        ]
    };
    let mut spans = Vec::new();
    spans.extend(item(S::LOGGED_TODAY.get(l), s.logged_today, theme.title()));
    spans.extend(item(
        S::UNASSIGNED.get(l),
        s.unassigned,
        theme.urgency(Some(Urgency::DueSoon)),
    ));
    spans.extend(item(
        S::DUE_TODAY.get(l),
        s.contact_due_today,
        theme.urgency(Some(Urgency::DueSoon)),
    ));
    spans.extend(item(
        S::OVERDUE.get(l),
        s.overdue,
        theme.urgency(Some(Urgency::Overdue)),
    ));
    spans.extend(item(
        S::SUPERVISED.get(l),
        s.supervised,
        theme.urgency(Some(Urgency::Overdue)),
    ));
    spans.extend(item(S::VIP_OPEN.get(l), s.vip_open, theme.vip()));
    f.render_widget(Paragraph::new(vec![Line::from(spans)]), bar);
    issue_table(
        f,
        app,
        list,
        theme,
        &app.dash,
        app.dash_sel,
        S::NEEDS_ACTION.get(l),
    );
}
