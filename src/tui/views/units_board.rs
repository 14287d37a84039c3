//! Units board: per lead unit, open and overdue issues and the on-time contact rate, with a bar.

use ratatui::layout::{Constraint, Rect};
use ratatui::widgets::{Block, Borders, Row, Table};
use ratatui::Frame;

use super::super::app::App;
use super::super::data::units_board;
use super::super::strings as S;
use super::super::text::truncate;
use super::super::theme::Theme;
use crate::domain::deadline::Urgency;

pub fn render(f: &mut Frame, app: &App, area: Rect, theme: &Theme) {
    let rows = units_board(&app.data, app.now.date());
    let max_open = rows.iter().map(|r| r.open).max().unwrap_or(1).max(1);
    let bar_w = 20usize;
    let body: Vec<Row> = rows
        .iter()
        .map(|r| {
            let name = app.data.unit_name(&r.id, app.en());
            let bar = "█".repeat(r.open * bar_w / max_open);
            let rate = r
                .on_time
                .map(|x| format!("{:.0}%", x * 100.0))
                .unwrap_or_else(|| "—".into());
            let style = if r.overdue > 0 {
                theme.urgency(Some(Urgency::Overdue))
            } else {
                theme.urgency(Some(Urgency::InTime))
            };
            Row::new(vec![
                truncate(&name, 24),
                r.open.to_string(),
                r.overdue.to_string(),
                rate,
                bar,
            ])
            .style(style)
        })
        .collect();
    let header = Row::new(vec![
        S::COL_UNIT.get(app.lang).to_string(),
        S::OPEN_COUNT.get(app.lang).to_string(),
        S::OVERDUE_COUNT.get(app.lang).to_string(),
        S::ON_TIME.get(app.lang).to_string(),
        String::new(),
    ])
    .style(theme.dim());
    let widths = [
        Constraint::Length(26),
        Constraint::Length(6),
        Constraint::Length(6),
        Constraint::Length(12),
        Constraint::Length(bar_w as u16),
    ];
    f.render_widget(
        Table::new(body, widths).header(header).block(
            Block::default()
                .borders(Borders::ALL)
                .title(format!(" {} ", S::UNITS.get(app.lang))),
        ),
        area,
    );
}
