//! VIP queue: VIP enterprises' open issues, most urgent first; and coverage: VIP enterprises
//! not contacted in the last 30 days, by category.

use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::Line;
use ratatui::widgets::{Block, Borders, Paragraph};
use ratatui::Frame;

use super::super::app::App;
use super::super::data::vip_uncovered;
use super::super::strings as S;
use super::super::text::{pad, sanitize, truncate};
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
        &app.vip.rows,
        if app.uncovered.focus {
            usize::MAX
        } else {
            app.vip.sel
        },
        S::VIP_OPEN_ISSUES.get(app.lang),
    );
    // One enterprise per row, by category; Tab moves the cursor here, Enter opens its ledger.
    let l = app.lang;
    let w = cov.width.saturating_sub(2) as usize;
    let room = cov.height.saturating_sub(2) as usize;
    let groups = vip_uncovered(&app.data, app.now.date());
    let counts: Vec<String> = groups
        .iter()
        .map(|(c, v)| format!("{} {}", l.pick(c.zh(), c.en()), v.len()))
        .collect();
    let rows: Vec<(String, String)> = groups
        .iter()
        .flat_map(|(c, v)| {
            v.iter()
                .map(move |(_, name)| (l.pick(c.zh(), c.en()).to_string(), sanitize(name)))
        })
        .collect();
    let sel = app.uncovered.sel.min(rows.len().saturating_sub(1));
    let skip = sel.saturating_sub(room.saturating_sub(1));
    let lines: Vec<Line> = rows
        .iter()
        .enumerate()
        .skip(skip)
        .take(room)
        .map(|(n, (cat, name))| {
            let text = truncate(&format!("{}  {name}", pad(cat, 12)), w);
            if app.uncovered.focus && n == sel {
                Line::styled(text, theme.selected())
            } else {
                Line::raw(text)
            }
        })
        .collect();
    let hint = if app.uncovered.focus {
        l.pick(
            "Enter 企业台账 · Tab 回到上方",
            "Enter: ledger · Tab: back up",
        )
    } else {
        l.pick("Tab 选择企业", "Tab: choose one")
    };
    let title = truncate(
        &format!(
            " {} ({}) · {} ",
            S::VIP_COVERAGE.get(l),
            counts.join(" "),
            hint
        ),
        w,
    );
    f.render_widget(
        Paragraph::new(lines).block(Block::default().borders(Borders::ALL).title(title)),
        cov,
    );
}
