//! Drawing: a plain function of the app state. One file per screen; shared pieces here.

mod dashboard;
mod detail;
mod handover;
mod inspections;
mod intake;
mod issue_list;
mod overlay;
mod signin;
mod units_board;
mod vip_queue;

use chrono::NaiveTime;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph, Row, Table};
use ratatui::Frame;

use super::app::{App, Screen};
use super::strings as S;
use super::text::{pad, sanitize, truncate};
use super::theme::Theme;
use crate::domain::Issue;

/// Smallest usable terminal.
pub const MIN_W: u16 = 80;
pub const MIN_H: u16 = 24;

pub fn render(f: &mut Frame, app: &App) {
    let theme = Theme::from_env();
    let area = f.area();
    if area.width < MIN_W || area.height < MIN_H {
        let lines: Vec<Line> = too_small(app.lang, area.width, area.height)
            .into_iter()
            .map(Line::raw)
            .collect();
        f.render_widget(Paragraph::new(lines).style(theme.error()), area);
        return;
    }
    let [head, body, foot] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Min(3),
        Constraint::Length(1),
    ])
    .areas(area);
    header(f, app, head, &theme);
    if !app.loaded {
        f.render_widget(Paragraph::new(S::LOADING.get(app.lang)), body);
    } else {
        match app.screen {
            Screen::SignIn => signin::render(f, app, body, &theme),
            Screen::Dashboard => dashboard::render(f, app, body, &theme),
            Screen::Issues => issue_list::render(f, app, body, &theme),
            Screen::Intake => intake::render(f, app, body, &theme),
            Screen::Detail => detail::render(f, app, body, &theme),
            Screen::VipQueue => vip_queue::render(f, app, body, &theme),
            Screen::Units => units_board::render(f, app, body, &theme),
            Screen::Handover => handover::render(f, app, body, &theme),
            Screen::Inspections => inspections::render(f, app, body, &theme),
            Screen::InspectionForm => inspections::render_form(f, app, body, &theme),
        }
    }
    footer(f, app, foot, &theme);
    overlay::render(f, app, body, &theme);
}

/// The lines telling the officer the terminal is too small, cut to fit `w`×`h`: the whole
/// message with the size when it fits, shorter ones when not, nothing when not even one
/// character fits. Wrapped here, by display width, so no line is ever wider than the screen
/// (ratatui's own wrapping could index past the buffer with wide characters at 2 columns).
pub fn too_small(lang: crate::i18n::Lang, w: u16, h: u16) -> Vec<String> {
    let (w, h) = (w as usize, h as usize);
    let size = format!("({w}×{h})");
    let full = S::TOO_SMALL.get(lang);
    let short = lang.pick("窗口太小", "Too small");
    let candidates = [
        vec![full.to_string(), size.clone()],
        vec![full.to_string()],
        vec![format!("{short} {MIN_W}×{MIN_H}")],
        vec![short.to_string()],
        vec![format!("{MIN_W}×{MIN_H}")],
        vec!["!".to_string()],
    ];
    for c in candidates {
        let lines: Vec<String> = c
            .iter()
            .flat_map(|p| super::text::wrap(p, w))
            .map(|l| l.trim().to_string())
            .collect();
        if lines.len() <= h && lines.iter().all(|l| super::text::width(l) <= w) {
            return lines;
        }
    }
    Vec::new()
}

fn header(f: &mut Frame, app: &App, area: Rect, theme: &Theme) {
    use super::action::Action;
    let tabs = [
        (Screen::Dashboard, S::DASHBOARD, Action::Dashboard),
        (Screen::Issues, S::ISSUES, Action::Issues),
        (Screen::VipQueue, S::VIP_QUEUE, Action::VipQueue),
        (Screen::Units, S::UNITS, Action::Units),
        (Screen::Handover, S::HANDOVER, Action::Handover),
        (Screen::Inspections, S::INSPECTIONS, Action::Inspections),
    ];
    let mut spans = vec![Span::styled(
        format!(" {} ", S::APP.get(app.lang)),
        theme.title(),
    )];
    for (s, label, action) in tabs {
        let style = if app.screen == s {
            theme.selected()
        } else {
            Style::default()
        };
        // The key shown is the one the active keymap binds, so a custom keymap stays truthful.
        let key = app
            .keymap
            .key_for(super::keymap::Context::Global, action)
            .map(|k| format!(" {k}"))
            .unwrap_or_default();
        spans.push(Span::styled(
            format!(" {}{key} ", label.get(app.lang)),
            style,
        ));
    }
    let right = match &app.officer {
        Some(o) => format!(
            "{} {} · {} ",
            S::SIGNED_IN_AS.get(app.lang),
            sanitize(&o.name),
            app.now.format("%Y-%m-%d %H:%M:%S")
        ),
        None => format!("{} ", app.now.format("%Y-%m-%d %H:%M:%S")),
    };
    let used: usize = spans.iter().map(|s| super::text::width(&s.content)).sum();
    let room = (area.width as usize).saturating_sub(used);
    spans.push(Span::raw(format!(
        "{:>w$}",
        truncate(&right, room),
        w = room
    )));
    f.render_widget(Paragraph::new(Line::from(spans)), area);
}

fn footer(f: &mut Frame, app: &App, area: Rect, theme: &Theme) {
    let help = app
        .keymap
        .key_for(super::keymap::Context::Global, super::action::Action::Help)
        .unwrap_or_else(|| "F1".into());
    let hint = format!("{help} {}", super::action::Action::Help.describe(app.en()));
    let (text, style) = match (&app.message, &app.read_only) {
        (Some((m, true)), _) => (sanitize(m), theme.error()),
        (Some((m, false)), _) => (sanitize(m), theme.ok()),
        (None, Some(r)) => (sanitize(r), theme.error()),
        (None, None) => (String::new(), Style::default()),
    };
    let w = area.width as usize;
    let hw = super::text::width(&hint);
    let line = Line::from(vec![
        Span::styled(pad(&text, w.saturating_sub(hw + 1)), style),
        Span::raw(" "),
        Span::styled(hint, theme.dim()),
    ]);
    f.render_widget(Paragraph::new(line), area);
}

/// The countdown to an issue's next deadline, e.g. 剩2个工作日 / 今日到期 06:12:09 / 超期3个工作日.
pub fn countdown(app: &App, i: &Issue) -> String {
    let Some((_, due)) = i.next_deadline() else {
        return app.lang.pick(i.status.zh(), i.status.en()).to_string();
    };
    let today = app.now.date();
    let left = app.data.left(i, today).unwrap_or(0);
    if today > due {
        if app.en() {
            format!("overdue {}wd", -left)
        } else {
            format!("超期{}个工作日", -left)
        }
    } else if today == due {
        let end = NaiveTime::from_hms_opt(23, 59, 59).unwrap_or_default();
        let secs = (end - app.now.time()).num_seconds().max(0);
        let t = format!("{:02}:{:02}:{:02}", secs / 3600, secs / 60 % 60, secs % 60);
        format!("{} {t}", S::DUE_TODAY_SHORT.get(app.lang))
    } else if app.en() {
        format!("{left} wd left")
    } else {
        format!("剩{left}个工作日")
    }
}

/// A table of issues (by index into app.data.issues), with the selected row highlighted and
/// only the visible rows built.
pub fn issue_table(
    f: &mut Frame,
    app: &App,
    area: Rect,
    theme: &Theme,
    rows: &[usize],
    selected: usize,
    title: &str,
) {
    let block = Block::default()
        .borders(Borders::ALL)
        .title(Span::styled(format!(" {title} "), theme.title()));
    let inner_h = area.height.saturating_sub(3) as usize;
    let start = if selected >= inner_h {
        selected + 1 - inner_h
    } else {
        0
    };
    let today = app.now.date();
    let en = app.en();
    let w = area.width.saturating_sub(2) as usize;
    // id 6, status 8, unit 14, due 10, left 18, vip 3, gaps 6; the rest is the enterprise.
    let ent_w = w.saturating_sub(6 + 8 + 14 + 10 + 18 + 3 + 6).max(8);
    let header = Row::new(vec![
        S::COL_ID.get(app.lang).to_string(),
        S::COL_STATUS.get(app.lang).to_string(),
        S::COL_ENTERPRISE.get(app.lang).to_string(),
        S::COL_UNIT.get(app.lang).to_string(),
        S::COL_DUE.get(app.lang).to_string(),
        S::COL_LEFT.get(app.lang).to_string(),
        "VIP".into(),
    ])
    .style(theme.dim());
    let body: Vec<Row> = rows
        .iter()
        .enumerate()
        .skip(start)
        .take(inner_h.max(1))
        .filter_map(|(n, &k)| {
            let i = app.data.issues.get(k)?;
            let u = app.data.urgency(i, today);
            let due = i
                .next_deadline()
                .map(|d| d.1.format("%m-%d").to_string())
                .unwrap_or_default();
            let unit = i
                .unit
                .as_deref()
                .map(|u| app.data.unit_name(u, en))
                .unwrap_or_default();
            let vip = if app.data.vip.contains(&i.enterprise) {
                "★"
            } else {
                ""
            };
            let row = Row::new(vec![
                format!("{}{}", Theme::marker(u), i.id),
                truncate(app.lang.pick(i.status.zh(), i.status.en()), 8),
                truncate(&sanitize(&i.enterprise_name), ent_w),
                truncate(&unit, 14),
                due,
                countdown(app, i),
                vip.to_string(),
            ]);
            Some(if n == selected {
                row.style(theme.selected())
            } else {
                row.style(theme.urgency(u))
            })
        })
        .collect();
    let widths = [
        Constraint::Length(6),
        Constraint::Length(8),
        Constraint::Length(ent_w as u16),
        Constraint::Length(14),
        Constraint::Length(10),
        Constraint::Length(18),
        Constraint::Length(3),
    ];
    if rows.is_empty() {
        f.render_widget(
            Paragraph::new(S::NOTHING.get(app.lang))
                .block(block)
                .style(theme.dim()),
            area,
        );
        return;
    }
    f.render_widget(Table::new(body, widths).header(header).block(block), area);
}

/// Centered box for overlays.
pub fn centered(area: Rect, w: u16, h: u16) -> Rect {
    let w = w.min(area.width);
    let h = h.min(area.height);
    Rect {
        x: area.x + (area.width - w) / 2,
        y: area.y + (area.height - h) / 2,
        width: w,
        height: h,
    }
}

pub fn clear(f: &mut Frame, r: Rect) {
    f.render_widget(Clear, r);
}

/// Lines of a form: label, value (with the cursor shown on the focused text field), error.
pub fn form_lines(
    app: &App,
    form: &super::form::Form,
    width: usize,
    theme: &Theme,
) -> (Vec<Line<'static>>, Option<(u16, u16)>) {
    use super::form::FieldKind;
    let mut lines = Vec::new();
    let mut cursor = None;
    let label_w = form
        .fields
        .iter()
        .map(|f| super::text::width(f.label.get(app.lang)))
        .max()
        .unwrap_or(8)
        .min(24)
        + 2;
    for (n, field) in form.fields.iter().enumerate() {
        let focused = n == form.focus;
        let label = pad(field.label.get(app.lang), label_w);
        let lstyle = if focused {
            theme.focus()
        } else {
            Style::default()
        };
        let room = width.saturating_sub(label_w + 2).max(4);
        match &field.kind {
            FieldKind::Text { input, .. } => {
                let (v, col) = input.view(room);
                if focused {
                    cursor = Some(((label_w + 1 + col) as u16, lines.len() as u16));
                }
                lines.push(Line::from(vec![
                    Span::styled(label, lstyle),
                    Span::raw("["),
                    Span::raw(pad(&v, room)),
                    Span::raw("]"),
                ]));
            }
            FieldKind::Choice { options, idx } => {
                let v = options.get(*idx).cloned().unwrap_or_default();
                let shown = format!("◀ {} ▶", truncate(&v, room.saturating_sub(4)));
                lines.push(Line::from(vec![
                    Span::styled(label, lstyle),
                    Span::styled(
                        shown,
                        if focused {
                            theme.focus()
                        } else {
                            Style::default()
                        },
                    ),
                ]));
            }
        }
    }
    if let Some(e) = &form.error {
        lines.push(Line::from(Span::styled(
            truncate(&sanitize(e), width),
            theme.error(),
        )));
    }
    (lines, cursor)
}
