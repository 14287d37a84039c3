//! The enterprise ledger (企业台账): who the enterprise is, then every issue it raised (open
//! ones first, most urgent first; then closed and voided, newest first) with unit and outcome,
//! its inspections and its evaluations.

use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph, Wrap};
use ratatui::Frame;

use super::super::app::App;
use super::super::strings as S;
use super::super::text::{pad, sanitize, truncate};
use super::super::theme::Theme;
use crate::desk::Ledger;

pub fn render(f: &mut Frame, app: &App, area: Rect, theme: &Theme) {
    let l = app.lang;
    let Some(led) = app.ledger.ledger.as_deref() else {
        f.render_widget(
            Paragraph::new(Line::styled(S::LOADING.get(l), theme.dim())).block(
                Block::default()
                    .borders(Borders::ALL)
                    .title(format!(" {} ", S::LEDGER.get(l))),
            ),
            area,
        );
        return;
    };
    let [top, issues, bottom] = Layout::vertical([
        Constraint::Length(7),
        Constraint::Min(4),
        Constraint::Length(5),
    ])
    .areas(area);
    details(f, app, led, top, theme);
    issue_rows(f, app, led, issues, theme);
    inspections(f, app, led, bottom, theme);
}

fn details(f: &mut Frame, app: &App, led: &Ledger, area: Rect, theme: &Theme) {
    let l = app.lang;
    let e = &led.enterprise;
    let vip = if led.vip_categories.is_empty() {
        "—".to_string()
    } else {
        led.vip_categories
            .iter()
            .map(|c| l.pick(c.zh(), c.en()))
            .collect::<Vec<_>>()
            .join("、")
    };
    let grade = led.grade.map_or("—", |g| l.pick(g.zh(), g.en()));
    let day = |d: Option<chrono::NaiveDate>| d.map_or_else(|| "—".to_string(), |d| d.to_string());
    let c = &led.counts;
    let ev = &led.evaluations;
    let avg = |x: Option<f64>| x.map_or_else(|| "—".to_string(), |v| format!("{v:.1}"));
    let lines = vec![
        Line::from(vec![
            Span::styled(sanitize(&e.name), theme.title()),
            Span::raw(format!("  {}", e.credit_code)),
            Span::styled(
                if led.vip_categories.is_empty() {
                    ""
                } else {
                    "  ★VIP"
                },
                theme.vip(),
            ),
        ]),
        Line::raw(format!(
            "{} {}   {} {}   {} {}",
            l.pick("所属街镇", "District"),
            sanitize(&e.district),
            l.pick("企业分级", "Grade"),
            grade,
            l.pick("重点企业类别", "VIP categories"),
            vip
        )),
        Line::raw(format!(
            "{} {}   {} {}   {} {}",
            l.pick("联系人", "Contact"),
            sanitize(&e.contact),
            l.pick("最后对接", "Last contact"),
            day(led.last_contact),
            l.pick("最近往来", "Last seen"),
            day(led.last_touched)
        )),
        Line::raw(format!(
            "{} {} · {} {} · {} {} · {} {} · {} {}",
            l.pick("在办", "open"),
            c.open,
            l.pick("超期", "overdue"),
            c.overdue,
            l.pick("办结", "closed"),
            c.closed,
            l.pick("作废", "voided"),
            c.voided,
            l.pick("曾重办", "reopened"),
            c.reopened
        )),
        Line::raw(format!(
            "{} {} · {} {} · {} {} · {} {}",
            l.pick("评价次数", "evaluations"),
            ev.count,
            S::CLOSENESS.get(l),
            avg(ev.closeness),
            S::INTEGRITY.get(l),
            avg(ev.integrity),
            S::SATISFACTION.get(l),
            avg(ev.satisfaction)
        )),
    ];
    // The residency placements in the firm, and the key that lists them.
    let placements = match led.placements.first() {
        None => String::new(),
        Some(p) => {
            let key = app
                .keymap
                .key_for(
                    super::super::keymap::Context::Detail,
                    super::super::action::Action::Residency,
                )
                .unwrap_or_else(|| "F9".into());
            if app.en() {
                format!(
                    "· residency: {} placement(s), latest round {} ({key}) ",
                    led.placements.len(),
                    p.round
                )
            } else {
                format!(
                    "· 驻企安排 {} 个，最近第 {} 期（{key} 查看） ",
                    led.placements.len(),
                    p.round
                )
            }
        }
    };
    f.render_widget(
        Paragraph::new(lines).wrap(Wrap { trim: true }).block(
            Block::default()
                .borders(Borders::ALL)
                .title(format!(" {} {placements}", S::LEDGER.get(l))),
        ),
        area,
    );
}

fn issue_rows(f: &mut Frame, app: &App, led: &Ledger, area: Rect, theme: &Theme) {
    let l = app.lang;
    let w = area.width.saturating_sub(2) as usize;
    let room = area.height.saturating_sub(2) as usize;
    let sel = app.ledger.sel.min(led.issues.len().saturating_sub(1));
    let skip = sel.saturating_sub(room.saturating_sub(1));
    let lines: Vec<Line> = led
        .issues
        .iter()
        .enumerate()
        .skip(skip)
        .take(room)
        .map(|(n, i)| {
            let unit = i
                .unit
                .as_ref()
                .map_or("—".to_string(), |u| app.data.unit_name(&u.id, app.en()));
            let status = l.pick(i.status.zh(), i.status.en());
            let outcome = match &i.outcome {
                Some(o) => {
                    let score = o.evaluation.as_ref().map_or(String::new(), |e| {
                        format!(" [{}/{}/{}]", e.closeness, e.integrity, e.satisfaction)
                    });
                    format!("{}{score}", sanitize(&o.text).replace('\n', " "))
                }
                None => {
                    let met = |m: Option<bool>| match m {
                        Some(true) => "✓",
                        Some(false) => "✗",
                        None => "…",
                    };
                    format!(
                        "{} {} {} · {} {} {}",
                        S::CONTACT_DUE.get(l),
                        i.contact.due.format("%m-%d"),
                        met(i.contact.met),
                        S::REPLY_DUE.get(l),
                        i.reply.due.format("%m-%d"),
                        met(i.reply.met)
                    )
                }
            };
            let text = format!(
                "#{:<5} {} {} {} {} {}",
                i.id,
                i.logged_at.format("%Y-%m-%d"),
                pad(status, if app.en() { 11 } else { 6 }),
                pad(&super::short_name(&unit, 16), 16),
                pad(&sanitize(&i.category), 10),
                outcome
            );
            let text = format!("{text} · {}", sanitize(&i.summary));
            let style = if n == sel {
                theme.selected()
            } else if i.open {
                theme.urgency(i.urgency)
            } else {
                Style::default()
            };
            Line::styled(truncate(&text, w), style)
        })
        .collect();
    let title = format!(
        " {} ({}) · Enter {} ",
        l.pick("历次问题", "Issues raised"),
        led.issues.len(),
        l.pick("打开", "open")
    );
    let body = if lines.is_empty() {
        vec![Line::styled(S::NOTHING.get(l), theme.dim())]
    } else {
        lines
    };
    f.render_widget(
        Paragraph::new(body).block(Block::default().borders(Borders::ALL).title(title)),
        area,
    );
}

fn inspections(f: &mut Frame, app: &App, led: &Ledger, area: Rect, theme: &Theme) {
    let l = app.lang;
    let w = area.width.saturating_sub(2) as usize;
    let room = area.height.saturating_sub(2) as usize;
    let mut lines: Vec<Line> = led
        .inspections
        .iter()
        .take(room)
        .map(|i| {
            let text = format!(
                "{}  {}  {}{}",
                i.date,
                sanitize(&i.unit),
                l.pick(i.kind.zh(), i.kind.key()),
                if i.violation {
                    l.pick("  ⚠ 无扰日违规", "  ⚠ no-disturbance violation")
                } else {
                    ""
                }
            );
            let style = if i.violation {
                theme.error()
            } else {
                Style::default()
            };
            Line::styled(truncate(&text, w), style)
        })
        .collect();
    if lines.is_empty() {
        lines.push(Line::styled(
            l.pick("暂无检查记录", "no inspections on record"),
            theme.dim(),
        ));
    }
    f.render_widget(
        Paragraph::new(lines).block(Block::default().borders(Borders::ALL).title(format!(
            " {} ({}) ",
            l.pick("涉企检查", "Inspections"),
            led.inspections.len()
        ))),
        area,
    );
}
