//! Drawing: a plain function of the app state. One file per screen; shared pieces here.

mod callbacks;
mod dashboard;
mod detail;
mod handover;
mod inspections;
mod intake;
mod issue_list;
mod ledger;
mod overlay;
mod residency;
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
            Screen::Callbacks => callbacks::render(f, app, body, &theme),
            Screen::Ledger => ledger::render(f, app, body, &theme),
            Screen::Residency => residency::render(f, app, body, &theme),
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

/// The tabs of the header: screen, full and short label, the action that opens it.
const TABS: [(Screen, S::Str, S::Str, super::action::Action); 7] = {
    use super::action::Action as A;
    [
        (
            Screen::Dashboard,
            S::DASHBOARD,
            S::TAB_DASHBOARD,
            A::Dashboard,
        ),
        (Screen::Issues, S::ISSUES, S::TAB_ISSUES, A::Issues),
        (Screen::VipQueue, S::VIP_QUEUE, S::TAB_VIP, A::VipQueue),
        (
            Screen::Callbacks,
            S::CALLBACKS,
            S::TAB_CALLBACKS,
            A::Callbacks,
        ),
        (Screen::Units, S::UNITS, S::TAB_UNITS, A::Units),
        (Screen::Handover, S::HANDOVER, S::TAB_HANDOVER, A::Handover),
        (
            Screen::Inspections,
            S::INSPECTIONS,
            S::TAB_INSPECTIONS,
            A::Inspections,
        ),
    ]
};

/// The header: the app's name, every tab with its key, the officer and the clock. On a
/// narrow terminal the name goes first, then the tabs shorten, then the clock drops its
/// date; every tab, the officer and the time always stay.
fn header(f: &mut Frame, app: &App, area: Rect, theme: &Theme) {
    let l = app.lang;
    let w = area.width as usize;
    // Each tab's key, looked up once a frame (the layouts below try several widths).
    let keys: Vec<String> = TABS
        .iter()
        .map(|t| {
            app.keymap
                .key_for(super::keymap::Context::Global, t.3)
                .unwrap_or_default()
        })
        .collect();
    let tabs = |short: bool| -> Vec<(Screen, String)> {
        TABS.iter()
            .zip(&keys)
            .map(|((s, full, brief, _), k)| {
                let label = if short { brief.get(l) } else { full.get(l) };
                let text = match (short, k.is_empty()) {
                    (_, true) => format!(" {label} "),
                    (false, false) => format!(" {label} {k} "),
                    (true, false) => format!(" {k}{label} "),
                };
                (*s, text)
            })
            .collect()
    };
    let officer = app.officer.as_ref().map(|o| sanitize(&o.name));
    let right = |long: bool| {
        let clock = if long {
            app.now.format("%Y-%m-%d %H:%M:%S").to_string()
        } else {
            app.now.format("%H:%M").to_string()
        };
        match (&officer, long) {
            (Some(o), true) => format!(" {} {o} · {clock} ", S::SIGNED_IN_AS.get(l)),
            (Some(o), false) => format!(" {o} {clock} "),
            (None, _) => format!(" {clock} "),
        }
    };
    let title = format!(" {} ", S::APP.get(l));
    let width_of = |parts: &[(Screen, String)]| -> usize {
        parts.iter().map(|(_, t)| super::text::width(t)).sum()
    };
    let layouts = [
        (true, false, true),
        (false, false, true),
        (false, true, true),
        (false, true, false),
    ];
    let (with_title, short, long) = layouts
        .into_iter()
        .find(|&(t, s, lg)| {
            let used = width_of(&tabs(s))
                + super::text::width(&right(lg))
                + if t { super::text::width(&title) } else { 0 };
            used <= w
        })
        .unwrap_or((false, true, false));
    let mut spans = Vec::new();
    if with_title {
        spans.push(Span::styled(title, theme.title()));
    }
    for (s, text) in tabs(short) {
        let style = if app.screen == s {
            theme.selected()
        } else {
            Style::default()
        };
        spans.push(Span::styled(text, style));
    }
    let right = right(long);
    let used: usize = spans.iter().map(|s| super::text::width(&s.content)).sum();
    let room = w.saturating_sub(used);
    // Right-aligned by display width (a Chinese name is two columns a character).
    let right = truncate(&right, room);
    let pad = room.saturating_sub(super::text::width(&right));
    spans.push(Span::raw(format!("{}{right}", " ".repeat(pad))));
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
    // No row is selected when `selected` is past the end (the cursor is in another panel).
    let start = selected.saturating_add(1).saturating_sub(inner_h.max(1));
    let start = if selected < rows.len() { start } else { 0 };
    let today = app.now.date();
    let en = app.en();
    let w = area.width.saturating_sub(2) as usize;
    // Fixed columns: id 6, status (as wide as the longest status word), unit, due 6, left
    // 18, VIP 2; the enterprise takes what is left up to 40 (its distinctive part kept),
    // and a wide terminal gives the rest to the description.
    let status_w = if en { 11 } else { 6 };
    let unit_w = if w >= 100 { 16 } else { 12 };
    let fixed = 6 + status_w + unit_w + 6 + 18 + 3 + 7;
    let ent_w = w.saturating_sub(fixed).clamp(8, 40);
    let desc_w = w.saturating_sub(fixed + ent_w + 1);
    let desc_w = if desc_w >= 12 { desc_w } else { 0 };
    let mut head = vec![
        S::COL_ID.get(app.lang).to_string(),
        S::COL_STATUS.get(app.lang).to_string(),
        S::COL_ENTERPRISE.get(app.lang).to_string(),
        S::COL_UNIT.get(app.lang).to_string(),
        S::COL_DUE.get(app.lang).to_string(),
        S::COL_LEFT.get(app.lang).to_string(),
        "VIP".into(),
    ];
    if desc_w > 0 {
        head.push(S::DESCRIPTION.get(app.lang).to_string());
    }
    let header = Row::new(head).style(theme.dim());
    let mut provisional = false;
    let body: Vec<Row> = rows
        .iter()
        .enumerate()
        .skip(start)
        .take(inner_h.max(1))
        .filter_map(|(n, &k)| {
            let i = app.data.issues.get(k)?;
            let u = app.data.urgency(i, today);
            // A due date counted through a year without its holiday notice is marked `*`.
            let due = i
                .next_deadline()
                .map(|(_, d)| {
                    let p = crate::domain::deadline::due_is_provisional(
                        &app.data.calendar,
                        i.provisional(),
                        i.logged_at.date(),
                        d,
                    );
                    provisional |= p;
                    format!("{}{}", d.format("%m-%d"), if p { "*" } else { "" })
                })
                .unwrap_or_default();
            let unit = i
                .unit
                .as_deref()
                .map(|u| app.data.unit_name(u, en))
                .unwrap_or_default();
            // ★ a VIP enterprise; ⚑ flagged for escalation (提级督办); 驻 驻企遗留, where it
            // fits (the detail and the description say it in full).
            let legacy = app.data.legacy(i, today).is_some();
            let mut vip = format!(
                "{}{}",
                if app.data.vip.contains(&i.enterprise) {
                    "★"
                } else {
                    ""
                },
                if i.status.is_open() && i.escalation().is_some() {
                    "⚑"
                } else {
                    ""
                }
            );
            if legacy && vip.chars().count() < 2 {
                vip.push('驻');
            }
            let mut cells = vec![
                format!("{}{}", Theme::marker(u), i.id),
                truncate(app.lang.pick(i.status.zh(), i.status.en()), status_w),
                short_name(&sanitize(&i.enterprise_name), ent_w),
                short_name(&unit, unit_w),
                due,
                countdown(app, i),
                vip,
            ];
            if desc_w > 0 {
                let tag = if legacy {
                    app.lang.pick("[驻企遗留] ", "[residency legacy] ")
                } else {
                    ""
                };
                cells.push(truncate(
                    &format!("{tag}{}", sanitize(&i.description).replace('\n', " ")),
                    desc_w,
                ));
            }
            let row = Row::new(cells);
            Some(if n == selected {
                row.style(theme.selected())
            } else {
                row.style(theme.urgency(u))
            })
        })
        .collect();
    let mut widths = vec![
        Constraint::Length(6),
        Constraint::Length(status_w as u16),
        Constraint::Length(ent_w as u16),
        Constraint::Length(unit_w as u16),
        Constraint::Length(6),
        Constraint::Length(18),
        Constraint::Length(3),
    ];
    if desc_w > 0 {
        widths.push(Constraint::Length(desc_w as u16));
    }
    if rows.is_empty() {
        f.render_widget(
            Paragraph::new(S::NOTHING.get(app.lang))
                .block(block)
                .style(theme.dim()),
            area,
        );
        return;
    }
    let block = if provisional {
        block.title(Span::styled(
            format!(" {} ", S::PROVISIONAL_LEGEND.get(app.lang)),
            theme.dim(),
        ))
    } else {
        block
    };
    f.render_widget(Table::new(body, widths).header(header).block(block), area);
}

/// A name cut to `w` columns keeping what tells it apart: the city prefix and the company
/// form go before anything distinctive does (重庆远锐铝业有限公司 → 远锐铝业有限公司 →
/// 远锐铝业), and only then the end is cut.
pub fn short_name(name: &str, w: usize) -> String {
    use super::text::width;
    if width(name) <= w {
        return name.to_string();
    }
    let mut s = name;
    for prefix in ["重庆市", "重庆", "Chongqing "] {
        if let Some(rest) = s.strip_prefix(prefix) {
            s = rest;
            break;
        }
    }
    if width(s) <= w {
        return s.to_string();
    }
    for suffix in [
        "股份有限公司",
        "有限责任公司",
        "集团有限公司",
        "有限公司",
        " Co., Ltd.",
        " Co., Ltd",
        " Ltd.",
    ] {
        if let Some(rest) = s.strip_suffix(suffix) {
            if !rest.is_empty() {
                s = rest;
                break;
            }
        }
    }
    truncate(s, w)
}

/// Long text in a bordered box that scrolls: each line wrapped by display width, the lines
/// from `scroll` on shown (clamped so the last page stays full), and the position in the
/// title when there is more than fits. Returns the scroll position used.
pub fn scrolled_text(
    f: &mut Frame,
    area: Rect,
    title: &str,
    lines: &[String],
    scroll: usize,
    theme: &Theme,
    lang: crate::i18n::Lang,
) -> usize {
    let inner_w = area.width.saturating_sub(2) as usize;
    let room = area.height.saturating_sub(2) as usize;
    let wrapped: Vec<String> = lines
        .iter()
        .flat_map(|l| super::text::wrap(l, inner_w.max(1)))
        .collect();
    let top = scroll.min(wrapped.len().saturating_sub(room));
    let shown: Vec<Line> = wrapped
        .iter()
        .skip(top)
        .take(room)
        .map(|l| Line::raw(l.clone()))
        .collect();
    let title = if wrapped.len() > room {
        let last = (top + room).min(wrapped.len());
        format!(
            " {title} · {}–{}/{} {} ",
            top + 1,
            last,
            wrapped.len(),
            lang.pick("↑↓ PgUp/PgDn 滚动", "↑↓ PgUp/PgDn scroll")
        )
    } else {
        format!(" {title} ")
    };
    let title = super::text::truncate(&title, area.width.saturating_sub(2) as usize);
    f.render_widget(
        Paragraph::new(shown).block(
            Block::default()
                .borders(Borders::ALL)
                .title(Line::styled(title, theme.title())),
        ),
        area,
    );
    top
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
