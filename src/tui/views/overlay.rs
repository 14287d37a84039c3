//! Overlays drawn over the screen: help, unit picker, action forms, filter, new enterprise,
//! similar-issue warning, no-disturbance-day confirmation.

use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph, Wrap};
use ratatui::Frame;

use super::super::action::Action;
use super::super::app::{picker_units, App, Overlay};
use super::super::data::display_name;
use super::super::data::units_board;
use super::super::strings as S;
use super::super::text::{pad, sanitize, truncate};
use super::super::theme::Theme;
use super::{centered, clear, form_lines};
use crate::domain::credit_code;

pub fn render(f: &mut Frame, app: &App, area: Rect, theme: &Theme) {
    let Some(ov) = &app.overlay else { return };
    let l = app.lang;
    match ov {
        Overlay::Help => {
            let r = centered(area, area.width.saturating_sub(4), area.height);
            clear(f, r);
            let mut lines = Vec::new();
            for (ctx, binds) in app.keymap.grouped() {
                lines.push(Line::styled(ctx.title(app.en()), theme.title()));
                let items: Vec<String> = binds
                    .iter()
                    .map(|(k, a)| format!("{} {}", pad(k, 10), a.describe(app.en())))
                    .collect();
                for chunk in items.chunks(3) {
                    lines.push(Line::raw(
                        chunk.iter().map(|s| pad(s, 26)).collect::<String>(),
                    ));
                }
            }
            // On a small terminal the help scrolls; the title says so.
            let room = r.height.saturating_sub(2) as usize;
            let max = lines.len().saturating_sub(room) as u16;
            let title = if max > 0 {
                format!(" {} · {} ", S::HELP.get(l), S::HELP_SCROLL.get(l))
            } else {
                format!(" {} ", S::HELP.get(l))
            };
            f.render_widget(
                Paragraph::new(lines)
                    .scroll((app.help_scroll.min(max), 0))
                    .block(Block::default().borders(Borders::ALL).title(title)),
                r,
            );
        }
        Overlay::UnitPicker(p) => {
            let r = centered(area, 72, 22);
            clear(f, r);
            let board = units_board(&app.data, app.now.date());
            let block = Block::default()
                .borders(Borders::ALL)
                .title(format!(" {} ", S::PICK_UNIT.get(l)));
            let inner = block.inner(r);
            let (v, col) = p.filter.view(inner.width.saturating_sub(4) as usize);
            let hint = if p.transfer {
                S::PICKER_HINT_TRANSFER
            } else {
                S::PICKER_HINT_ASSIGN
            };
            let mut lines = vec![
                Line::raw(format!("> {v}")),
                Line::styled(truncate(hint.get(l), inner.width as usize), theme.dim()),
            ];
            let units = picker_units(&app.data, p);
            // The cursor's row stays in sight however long the list.
            let room = inner.height.saturating_sub(2) as usize;
            let skip = p.selected.saturating_sub(room.saturating_sub(1));
            for (n, &k) in units.iter().enumerate().skip(skip).take(room) {
                let u = &app.data.units[k];
                let row = board.iter().find(|b| b.id == u.id);
                let counts = row
                    .map(|b| {
                        format!(
                            "{} {} · {} {}",
                            S::OPEN_COUNT.get(l),
                            b.open,
                            S::OVERDUE_COUNT.get(l),
                            b.overdue
                        )
                    })
                    .unwrap_or_default();
                let mark = if p.helpers.contains(&u.id) {
                    format!("[{}] ", S::HELPER_MARK.get(l))
                } else if !p.transfer {
                    "[ ] ".repeat(usize::from(!p.helpers.is_empty()))
                } else {
                    String::new()
                };
                let suggested = if p.suggested.as_ref() == Some(&u.id) {
                    format!(" ({})", S::SUGGESTED.get(l))
                } else {
                    String::new()
                };
                let name = format!("{mark}{}{suggested}", display_name(u, app.en()));
                let text = format!("{} {counts}", pad(&name, 36));
                let style = if n == p.selected {
                    theme.selected()
                } else {
                    Style::default()
                };
                lines.push(Line::styled(truncate(&text, inner.width as usize), style));
            }
            f.render_widget(Paragraph::new(lines).block(block), r);
            f.set_cursor_position((inner.x + 2 + col as u16, inner.y));
        }
        Overlay::ActionForm(af) => {
            let what = Action::for_op(af.op).describe(app.en());
            let title = match &af.to {
                Some(u) => format!("{what} → {}", app.data.unit_name(u, app.en())),
                None => what.to_string(),
            };
            draw_form(f, app, area, theme, &title, &af.form, None);
        }
        Overlay::GoTo(input) => {
            let r = centered(area, 48, 5);
            clear(f, r);
            let block = Block::default()
                .borders(Borders::ALL)
                .title(format!(" {} ", S::GOTO.get(l)));
            let inner = block.inner(r);
            let (v, col) = input.view(inner.width.saturating_sub(3) as usize);
            let lines = vec![
                Line::raw(format!("# {v}")),
                Line::styled(
                    truncate(S::GOTO_HINT.get(l), inner.width as usize),
                    theme.dim(),
                ),
            ];
            f.render_widget(Paragraph::new(lines).block(block), r);
            f.set_cursor_position((inner.x + 2 + col as u16, inner.y));
        }
        Overlay::ConfirmQuit => {
            let r = centered(area, 60, 7);
            clear(f, r);
            f.render_widget(
                Paragraph::new(S::QUIT_TEXT.get(l))
                    .wrap(Wrap { trim: true })
                    .block(
                        Block::default()
                            .borders(Borders::ALL)
                            .title(format!(" {} ", S::QUIT_TITLE.get(l))),
                    ),
                r,
            );
        }
        Overlay::Filter(form) => draw_form(f, app, area, theme, S::FILTER.get(l), form, None),
        Overlay::NewEnterprise(form) => {
            // The credit code is checked as it is typed.
            let code = form.value(0);
            let check = if code.trim().is_empty() {
                None
            } else {
                Some(match credit_code::validate(&code) {
                    Ok(_) => (format!("✓ {}", S::CODE_OK.get(l)), theme.ok()),
                    Err(e) => {
                        let m = crate::desk::DeskError::invalid(
                            "credit_code",
                            code.trim(),
                            crate::desk::Problem::CreditCode(e),
                        )
                        .message(l);
                        (format!("✗ {m}"), theme.error())
                    }
                })
            };
            draw_form(f, app, area, theme, S::NEW_ENTERPRISE.get(l), form, check);
        }
        Overlay::ConfirmViolation { date } => {
            super::inspections::render_confirm(f, app, area, theme, *date)
        }
        Overlay::Similar { existing } => {
            let r = centered(area, 70, 8);
            clear(f, r);
            let i = app.data.get(*existing);
            let lines = vec![
                Line::styled(S::SIMILAR.get(l), theme.focus()),
                Line::raw(
                    i.map(|i| format!("#{} {}", i.id, sanitize(&i.description)))
                        .unwrap_or_default(),
                ),
                Line::raw(""),
                Line::styled(S::SIMILAR_HINT.get(l), theme.dim()),
            ];
            f.render_widget(
                Paragraph::new(lines)
                    .wrap(Wrap { trim: true })
                    .block(Block::default().borders(Borders::ALL)),
                r,
            );
        }
    }
}

fn draw_form(
    f: &mut Frame,
    app: &App,
    area: Rect,
    theme: &Theme,
    title: &str,
    form: &super::super::form::Form,
    extra: Option<(String, Style)>,
) {
    let h = form.fields.len() as u16 + 5;
    let r = centered(area, 72, h);
    clear(f, r);
    let block = Block::default()
        .borders(Borders::ALL)
        .title(Span::styled(format!(" {title} "), theme.title()));
    let inner = block.inner(r);
    let (mut lines, cursor) = form_lines(app, form, inner.width as usize, theme);
    if let Some((t, s)) = extra {
        lines.push(Line::styled(truncate(&t, inner.width as usize), s));
    }
    lines.push(Line::styled(
        app.lang.pick(
            "Tab 下一项 · Enter 保存 · Esc 取消",
            "Tab next · Enter save · Esc cancel",
        ),
        theme.dim(),
    ));
    f.render_widget(Paragraph::new(lines).block(block), r);
    if let Some((x, y)) = cursor {
        f.set_cursor_position((inner.x + x, inner.y + y));
    }
}
