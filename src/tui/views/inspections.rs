//! Inspections: the reports newest first with their marks (no-disturbance-day violations in the
//! overdue colour, too-frequent inspections, unit/enterprise filings matched), the selected
//! report's details, the filing form with live enterprise search, and the confirmation asked
//! before a violation is recorded.

use chrono::NaiveDate;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph, Row, Table, Wrap};
use ratatui::Frame;

use super::super::action::Action;
use super::super::app::App;
use super::super::keymap::Context;
use super::super::strings as S;
use super::super::text::{sanitize, truncate};
use super::super::theme::Theme;
use super::{centered, clear, form_lines};
use crate::domain::deadline::Urgency;
use crate::domain::FiledBy;
use crate::report::inspections::InspectionRow;
use crate::tui::app::inspect::{F_DATE, F_ENTERPRISE, F_EXEMPTION};

/// A unit as the list shows it: a configured unit by its name, another department as filed.
fn unit_label(app: &App, unit: &str) -> String {
    if app.data.all_units.iter().any(|u| u.id == unit) {
        return app.data.unit_name(unit, app.en());
    }
    sanitize(unit)
}

/// The marks of a row: violation, frequent (with the 30-day count), matched filing.
fn flags(app: &App, r: &InspectionRow) -> String {
    let l = app.lang;
    let mut v = Vec::new();
    if r.violation {
        v.push(S::MARK_VIOLATION.get(l).to_string());
    }
    if r.frequent {
        v.push(format!("{}{}", S::MARK_FREQUENT.get(l), r.in_30_days));
    }
    if let Some(m) = r.matched {
        v.push(format!("{}#{m}", S::MARK_MATCHED.get(l)));
    }
    v.join(" ")
}

fn row_style(r: &InspectionRow, theme: &Theme) -> Style {
    if r.violation {
        theme.urgency(Some(Urgency::Overdue))
    } else if r.frequent {
        theme.urgency(Some(Urgency::DueSoon))
    } else {
        Style::default()
    }
}

fn quiet_rule(app: &App) -> String {
    let q = app.data.quiet;
    S::QUIET_RULE
        .get(app.lang)
        .replace("{first}", &q.first.to_string())
        .replace("{last}", &q.last.to_string())
        .replace("{max}", &app.data.max_inspections_30d.to_string())
}

/// The list screen.
pub fn render(f: &mut Frame, app: &App, area: Rect, theme: &Theme) {
    let [list, detail, hint] = Layout::vertical([
        Constraint::Min(5),
        Constraint::Length(5),
        Constraint::Length(1),
    ])
    .areas(area);
    let l = app.lang;
    let s = &app.insp;
    let only = if s.violations_only {
        format!(" · {}", S::VIOLATIONS_ONLY.get(l))
    } else {
        String::new()
    };
    let title = format!(
        " {} · {} {} · {} {} · {} {}{only} ",
        S::INSPECTIONS.get(l),
        S::TOTAL.get(l),
        s.total,
        S::VIOLATIONS.get(l),
        s.violations,
        S::FREQUENT.get(l),
        s.frequent
    );
    let block = Block::default().borders(Borders::ALL).title(Span::styled(
        truncate(&title, list.width.saturating_sub(2) as usize),
        theme.title(),
    ));
    if s.rows.is_empty() {
        f.render_widget(
            Paragraph::new(S::NOTHING.get(l))
                .block(block)
                .style(theme.dim()),
            list,
        );
    } else {
        table(f, app, list, theme, block);
    }
    details(f, app, detail, theme);
    let key = |a| {
        app.keymap
            .key_for(Context::List, a)
            .unwrap_or_else(|| a.name())
    };
    let text = format!(
        "{} {} · {} {} · {}",
        key(Action::NewInspection),
        S::INSP_HINT_NEW.get(l),
        key(Action::Filter),
        S::INSP_HINT_FILTER.get(l),
        quiet_rule(app)
    );
    f.render_widget(
        Paragraph::new(Line::styled(
            truncate(&text, hint.width as usize),
            theme.dim(),
        )),
        hint,
    );
}

fn table(f: &mut Frame, app: &App, area: Rect, theme: &Theme, block: Block) {
    let l = app.lang;
    let s = &app.insp;
    let w = area.width.saturating_sub(2) as usize;
    let wide = w >= 118;
    let (unit_w, kind_w, flags_w, ex_w) = if wide {
        (16, 18, 24, 12)
    } else {
        (12, 10, 16, 0)
    };
    let ncols = if wide { 8 } else { 7 };
    let fixed = 5 + 10 + unit_w + kind_w + 4 + flags_w + ex_w + (ncols - 1);
    let ent_w = w.saturating_sub(fixed).max(8);
    let mut header = vec![
        S::COL_ID.get(l).to_string(),
        S::COL_DATE.get(l).to_string(),
        S::COL_INSP_UNIT.get(l).to_string(),
        S::COL_ENTERPRISE.get(l).to_string(),
        S::COL_KIND.get(l).to_string(),
    ];
    if wide {
        header.push(S::COL_EXEMPTION.get(l).to_string());
    }
    header.extend([
        S::COL_BY.get(l).to_string(),
        S::COL_FLAGS.get(l).to_string(),
    ]);
    let inner_h = area.height.saturating_sub(3) as usize;
    let start = if s.sel >= inner_h {
        s.sel + 1 - inner_h
    } else {
        0
    };
    let body: Vec<Row> = s
        .rows
        .iter()
        .enumerate()
        .skip(start)
        .take(inner_h.max(1))
        .map(|(n, r)| {
            let i = &r.inspection;
            let by = match i.by {
                FiledBy::Unit => S::BY_UNIT_SHORT,
                FiledBy::Enterprise => S::BY_ENT_SHORT,
            };
            let mut cells = vec![
                i.id.to_string(),
                i.date.format("%Y-%m-%d").to_string(),
                truncate(&unit_label(app, &i.unit), unit_w),
                truncate(&sanitize(&i.enterprise_name), ent_w),
                truncate(S::kind(i.kind).get(l), kind_w),
            ];
            if wide {
                cells.push(truncate(
                    i.exemption.map_or("", |e| S::exemption(e).get(l)),
                    ex_w,
                ));
            }
            cells.extend([by.get(l).to_string(), truncate(&flags(app, r), flags_w)]);
            let row = Row::new(cells);
            if n == s.sel {
                row.style(theme.selected())
            } else {
                row.style(row_style(r, theme))
            }
        })
        .collect();
    let mut widths = vec![
        Constraint::Length(5),
        Constraint::Length(10),
        Constraint::Length(unit_w as u16),
        Constraint::Length(ent_w as u16),
        Constraint::Length(kind_w as u16),
    ];
    if wide {
        widths.push(Constraint::Length(ex_w as u16));
    }
    widths.extend([Constraint::Length(4), Constraint::Length(flags_w as u16)]);
    f.render_widget(
        Table::new(body, widths)
            .header(Row::new(header).style(theme.dim()))
            .block(block),
        area,
    );
}

/// The selected report in full.
fn details(f: &mut Frame, app: &App, area: Rect, theme: &Theme) {
    let l = app.lang;
    let block = Block::default().borders(Borders::ALL);
    let w = area.width.saturating_sub(2) as usize;
    let Some(r) = app.insp.rows.get(app.insp.sel) else {
        f.render_widget(block, area);
        return;
    };
    let i = &r.inspection;
    let by = match i.by {
        FiledBy::Unit => S::BY_UNIT,
        FiledBy::Enterprise => S::BY_ENTERPRISE,
    };
    let ex = i
        .exemption
        .map_or(S::NONE.get(l), |e| S::exemption(e).get(l));
    let mut second = format!(
        "{}: {} · {}: {ex} · {}: {} · {}",
        S::INSP_KIND.get(l),
        S::kind(i.kind).get(l),
        S::INSP_EXEMPTION.get(l),
        S::INSP_BY.get(l),
        by.get(l),
        S::IN_30_DAYS
            .get(l)
            .replace("{n}", &r.in_30_days.to_string())
    );
    if let Some(m) = r.matched {
        second.push_str(" · ");
        second.push_str(&S::MATCHED_WITH.get(l).replace("{id}", &m.to_string()));
    }
    let lines = vec![
        Line::styled(
            truncate(
                &format!(
                    "#{} {} {} → {} {}",
                    i.id,
                    i.date,
                    unit_label(app, &i.unit),
                    sanitize(&i.enterprise_name),
                    i.enterprise
                ),
                w,
            ),
            row_style(r, theme),
        ),
        Line::raw(truncate(&second, w)),
        Line::raw(truncate(
            &format!(
                "{}: {} · {}: {} · {}: {} {}",
                S::INSPECTORS.get(l),
                sanitize(&i.inspectors),
                S::INSP_RESULT.get(l),
                sanitize(&i.result),
                S::FILED.get(l),
                i.filed_at.format("%Y-%m-%d %H:%M"),
                sanitize(&i.filed_by)
            ),
            w,
        )),
    ];
    f.render_widget(Paragraph::new(lines).block(block), area);
}

/// The filing form, with the enterprise candidates and that enterprise's recent inspections.
pub fn render_form(f: &mut Frame, app: &App, area: Rect, theme: &Theme) {
    let l = app.lang;
    let s = &app.insp;
    let [form_area, side] =
        Layout::horizontal([Constraint::Percentage(55), Constraint::Percentage(45)]).areas(area);
    let block = Block::default()
        .borders(Borders::ALL)
        .title(format!(" {} ", S::INSP_FORM.get(l)))
        .title_style(theme.title());
    let inner = block.inner(form_area);
    let (mut lines, cursor) = form_lines(app, &s.form, inner.width as usize, theme);
    let w = inner.width as usize;
    if let Some(c) = &s.chosen {
        lines.insert(
            1,
            Line::styled(
                truncate(
                    &format!("  ✓ {} {}", c.code, if c.vip { "★VIP" } else { "" }),
                    w,
                ),
                theme.ok(),
            ),
        );
    }
    let date = NaiveDate::parse_from_str(s.form.value(F_DATE).trim(), "%Y-%m-%d").ok();
    if date.is_some_and(|d| app.data.quiet.contains(d)) && s.form.index(F_EXEMPTION) == 0 {
        lines.push(Line::styled(
            truncate(S::QUIET_WARN.get(l), w),
            theme.urgency(Some(Urgency::Overdue)),
        ));
    }
    lines.push(Line::raw(""));
    lines.push(Line::styled(truncate(&quiet_rule(app), w), theme.dim()));
    lines.push(Line::styled(S::INSP_FORM_HINT.get(l), theme.dim()));
    f.render_widget(
        Paragraph::new(lines)
            .block(block)
            .wrap(Wrap { trim: false }),
        form_area,
    );
    if app.overlay.is_none() {
        if let Some((x, y)) = cursor {
            let y = if s.chosen.is_some() && y >= 1 {
                y + 1
            } else {
                y
            };
            f.set_cursor_position((inner.x + x, inner.y + y));
        }
    }
    let cb = Block::default()
        .borders(Borders::ALL)
        .title(format!(" {} ", S::ENTERPRISE_SEARCH.get(l)));
    let w = side.width.saturating_sub(4) as usize;
    let mut cl = Vec::new();
    let q = s.form.value(F_ENTERPRISE);
    if s.candidates.is_empty() && !q.trim().is_empty() && s.chosen.is_none() {
        cl.push(Line::styled(
            truncate(S::NO_SUCH_ENTERPRISE.get(l), w),
            theme.focus(),
        ));
    }
    for (n, c) in s.candidates.iter().enumerate() {
        let style = if n == s.selected && s.form.focus == F_ENTERPRISE {
            theme.selected()
        } else {
            Style::default()
        };
        let badge = if c.vip { "★" } else { " " };
        cl.push(Line::from(vec![
            Span::styled(badge.to_string(), theme.vip()),
            Span::styled(truncate(&sanitize(&c.name), w), style),
        ]));
    }
    if let Some(c) = &s.chosen {
        cl.push(Line::raw(""));
        cl.push(Line::styled(S::INSPECTIONS.get(l), theme.title()));
        // Its latest reports, so a frequent inspection shows before it is filed.
        let earlier: Vec<_> = s
            .rows
            .iter()
            .filter(|r| r.inspection.enterprise == c.code)
            .take(6)
            .collect();
        if earlier.is_empty() {
            cl.push(Line::styled(
                truncate(S::NO_EARLIER_INSPECTIONS.get(l), w),
                theme.dim(),
            ));
        }
        for r in earlier {
            let i = &r.inspection;
            cl.push(Line::styled(
                truncate(
                    &format!(
                        "{} {} {} {}",
                        i.date,
                        unit_label(app, &i.unit),
                        S::kind(i.kind).get(l),
                        flags(app, r)
                    ),
                    w,
                ),
                row_style(r, theme),
            ));
        }
    }
    f.render_widget(Paragraph::new(cl).block(cb), side);
}

/// Asked before an inspection on a no-disturbance day without an exemption is recorded.
pub fn render_confirm(f: &mut Frame, app: &App, area: Rect, theme: &Theme, date: NaiveDate) {
    let l = app.lang;
    let q = app.data.quiet;
    // Full width, so the box never starts inside a wide character of the form beneath.
    let r = centered(area, area.width, 9);
    clear(f, r);
    let text = S::QUIET_CONFIRM
        .get(l)
        .replace("{date}", &date.to_string())
        .replace("{first}", &q.first.to_string())
        .replace("{last}", &q.last.to_string());
    let mut lines: Vec<Line> = text
        .lines()
        .map(|t| Line::styled(t.to_string(), theme.urgency(Some(Urgency::Overdue))))
        .collect();
    lines.push(Line::raw(""));
    lines.push(Line::styled(S::QUIET_CONFIRM_HINT.get(l), theme.dim()));
    f.render_widget(
        Paragraph::new(lines).wrap(Wrap { trim: true }).block(
            Block::default().borders(Borders::ALL).title(Span::styled(
                format!(" {} ", S::CONFIRM_VIOLATION.get(l)),
                theme.error(),
            )),
        ),
        r,
    );
}
