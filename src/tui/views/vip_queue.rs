//! VIP queue: VIP enterprises' open issues, most urgent first; and coverage: VIP enterprises
//! not contacted in the last 30 days, by category.

use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::Line;
use ratatui::widgets::{Block, Borders, Paragraph, Wrap};
use ratatui::Frame;

use super::super::app::App;
use super::super::data::vip_uncovered;
use super::super::strings as S;
use super::super::text::{sanitize, truncate};
use super::super::theme::Theme;
use super::issue_table;

pub fn render(f: &mut Frame, app: &App, area: Rect, theme: &Theme) {
    let [list, cov] =
        Layout::vertical([Constraint::Percentage(60), Constraint::Percentage(40)]).areas(area);
    issue_table(
        f,
        app,
        list,
        theme,
        &app.vip,
        app.vip_sel,
        S::VIP_OPEN_ISSUES.get(app.lang),
    );
    let w = cov.width.saturating_sub(4) as usize;
    let lines: Vec<Line> = vip_uncovered(&app.data, app.now.date())
        .into_iter()
        .map(|(c, names)| {
            let head = format!("{} ({}): ", app.lang.pick(c.zh(), c.en()), names.len());
            let list: Vec<String> = names.iter().take(12).map(|n| sanitize(n)).collect();
            Line::raw(truncate(&format!("{head}{}", list.join("、")), w * 2))
        })
        .collect();
    f.render_widget(
        Paragraph::new(lines).wrap(Wrap { trim: true }).block(
            Block::default()
                .borders(Borders::ALL)
                .title(format!(" {} ", S::VIP_COVERAGE.get(app.lang))),
        ),
        cov,
    );
}
