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
    let items = [
        (S::LOGGED_TODAY.get(l), s.logged_today, theme.title()),
        (
            S::UNASSIGNED.get(l),
            s.unassigned,
            theme.urgency(Some(Urgency::DueSoon)),
        ),
        (
            S::DUE_TODAY.get(l),
            s.contact_due_today,
            theme.urgency(Some(Urgency::DueSoon)),
        ),
        (
            S::OVERDUE.get(l),
            s.overdue,
            theme.urgency(Some(Urgency::Overdue)),
        ),
        (
            S::SUPERVISED.get(l),
            s.supervised,
            theme.urgency(Some(Urgency::Overdue)),
        ),
        (S::VIP_OPEN.get(l), s.vip_open, theme.vip()),
        (S::CALLBACKS.get(l), app.callbacks.rows.len(), theme.title()),
    ];
    // Every count shows: what does not fit on the first line goes on the second.
    let w = bar.width as usize;
    let mut lines: Vec<Vec<Span>> = vec![vec![]];
    let mut used = 0;
    for (label, n, style) in items {
        let cell = super::super::text::width(label) + n.to_string().len() + 5;
        if used + cell > w && used > 0 && lines.len() < 2 {
            lines.push(vec![]);
            used = 0;
        }
        used += cell;
        let line = lines.last_mut().expect("a line");
        line.push(Span::raw(format!(" {label} ")));
        line.push(Span::styled(format!("{n}"), style));
        line.push(Span::raw("  │"));
    }
    f.render_widget(
        Paragraph::new(lines.into_iter().map(Line::from).collect::<Vec<_>>()),
        bar,
    );
    if app.data.enterprises == 0 && app.data.issues.is_empty() {
        // A new store: say how to load the district's enterprises and units, not just 暂无.
        let lines: Vec<Line> = S::FIRST_RUN
            .get(l)
            .lines()
            .map(|s| Line::raw(s.to_string()))
            .collect();
        f.render_widget(
            Paragraph::new(lines)
                .wrap(ratatui::widgets::Wrap { trim: false })
                .block(
                    ratatui::widgets::Block::default()
                        .borders(ratatui::widgets::Borders::ALL)
                        .title(format!(" {} ", S::FIRST_RUN_TITLE.get(l))),
                ),
            list,
        );
        return;
    }
    issue_table(
        f,
        app,
        list,
        theme,
        &app.dash.rows,
        app.dash.sel,
        S::NEEDS_ACTION.get(l),
    );
}
