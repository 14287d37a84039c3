//! Intake: enterprise picker with live search, then the issue's fields.

use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph};
use ratatui::Frame;

use super::super::app::App;
use super::super::strings as S;
use super::super::text::{sanitize, truncate};
use super::super::theme::Theme;
use super::form_lines;

pub fn render(f: &mut Frame, app: &App, area: Rect, theme: &Theme) {
    let [form_area, cands] =
        Layout::horizontal([Constraint::Percentage(55), Constraint::Percentage(45)]).areas(area);
    let block = Block::default()
        .borders(Borders::ALL)
        .title(format!(" {} ", S::INTAKE.get(app.lang)))
        .title_style(theme.title());
    let inner = block.inner(form_area);
    let (mut lines, cursor) = form_lines(app, &app.intake.form, inner.width as usize, theme);
    if let Some(c) = &app.intake.chosen {
        lines.insert(
            1,
            Line::styled(
                format!("  ✓ {} {}", c.code, if c.vip { "★VIP" } else { "" }),
                theme.ok(),
            ),
        );
    }
    lines.push(Line::raw(""));
    lines.push(Line::styled(S::INTAKE_HINT.get(app.lang), theme.dim()));
    f.render_widget(
        Paragraph::new(lines)
            .block(block)
            .wrap(ratatui::widgets::Wrap { trim: false }),
        form_area,
    );
    if let Some((x, y)) = cursor {
        let y = if app.intake.chosen.is_some() && y >= 1 {
            y + 1
        } else {
            y
        };
        f.set_cursor_position((inner.x + x, inner.y + y));
    }
    // Candidates with VIP badge and open issues.
    let cb = Block::default()
        .borders(Borders::ALL)
        .title(format!(" {} ", S::ENTERPRISE_SEARCH.get(app.lang)));
    let w = cands.width.saturating_sub(4) as usize;
    let mut cl = Vec::new();
    let q = app.intake.form.value(0);
    if app.intake.candidates.is_empty() && !q.trim().is_empty() && app.intake.chosen.is_none() {
        cl.push(Line::styled(S::NO_MATCH_NEW.get(app.lang), theme.focus()));
    }
    for (n, c) in app.intake.candidates.iter().enumerate() {
        let style = if n == app.intake.selected && app.intake.form.focus == 0 {
            theme.selected()
        } else {
            ratatui::style::Style::default()
        };
        let badge = if c.vip { "★" } else { " " };
        let open = if c.open > 0 {
            format!(" [{}{}]", c.open, app.lang.pick("件在办", " open"))
        } else {
            String::new()
        };
        cl.push(Line::from(vec![
            Span::styled(badge.to_string(), theme.vip()),
            Span::styled(truncate(&format!("{}{open}", sanitize(&c.name)), w), style),
        ]));
    }
    if let Some(c) = &app.intake.chosen {
        cl.push(Line::raw(""));
        cl.push(Line::styled(S::OPEN_ISSUES_OF.get(app.lang), theme.title()));
        for i in app
            .data
            .issues
            .iter()
            .filter(|i| i.enterprise == c.code && i.status.is_open())
            .take(6)
        {
            cl.push(Line::raw(truncate(
                &format!(
                    "#{} {} {}",
                    i.id,
                    app.lang.pick(i.status.zh(), i.status.en()),
                    sanitize(&i.description)
                ),
                w,
            )));
        }
    }
    f.render_widget(Paragraph::new(cl).block(cb), cands);
}
