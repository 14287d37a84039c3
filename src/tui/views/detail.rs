//! Issue detail: everything about the issue, its history and the actions legal now.

use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph, Wrap};
use ratatui::Frame;

use super::super::action::Action;
use super::super::app::App;
use super::super::keymap::Context;
use super::super::strings as S;
use super::super::text::sanitize;
use super::super::theme::Theme;
use super::countdown;
use crate::domain::{transition, IssueOp};

pub fn render(f: &mut Frame, app: &App, area: Rect, theme: &Theme) {
    let Some(i) = app.detail.id.and_then(|id| app.data.get(id)) else {
        f.render_widget(Paragraph::new(S::NOTHING.get(app.lang)), area);
        return;
    };
    let l = app.lang;
    let en = app.en();
    let [top, hist, acts] = Layout::vertical([
        Constraint::Length(10),
        Constraint::Min(3),
        Constraint::Length(3),
    ])
    .areas(area);
    let u = app.data.urgency(i, app.now.date());
    let unit = i
        .unit
        .as_deref()
        .map(|u| app.data.unit_name(u, en))
        .unwrap_or_else(|| "—".into());
    let helpers: Vec<String> = i
        .helpers
        .iter()
        .map(|h| app.data.unit_name(h, en))
        .collect();
    let vip = if app.data.vip.contains(&i.enterprise) {
        " ★VIP"
    } else {
        ""
    };
    let mut lines = vec![
        Line::from(vec![
            Span::styled(format!("#{} ", i.id), theme.title()),
            Span::raw(format!(
                "{} ({}){vip}",
                sanitize(&i.enterprise_name),
                i.enterprise
            )),
        ]),
        Line::raw(format!(
            "{}: {}   {}: {}   {}: {}",
            S::COL_STATUS.get(l),
            l.pick(i.status.zh(), i.status.en()),
            S::COL_CATEGORY.get(l),
            sanitize(&i.category),
            S::CHANNEL.get(l),
            l.pick(i.channel.zh(), i.channel.key())
        )),
        Line::raw(format!(
            "{}: {}{}   {}: {} {}",
            S::COL_UNIT.get(l),
            unit,
            if helpers.is_empty() {
                String::new()
            } else {
                format!(" (+{})", helpers.join("、"))
            },
            S::CONTACT.get(l),
            sanitize(&i.contact_name),
            sanitize(&i.phone)
        )),
        Line::from(vec![
            Span::raw(format!(
                "{} {}   {} {}   ",
                S::CONTACT_DUE.get(l),
                i.contact_due,
                S::REPLY_DUE.get(l),
                i.reply_due
            )),
            Span::styled(countdown(app, i), theme.urgency(u)),
            Span::styled(supervision(app, i), theme.error()),
        ]),
    ];
    // Reopened or transferred three times or more: flagged for escalation (提级督办).
    if let Some(e) = i.escalation().filter(|_| i.status.is_open()) {
        lines.push(Line::styled(e.text(app.en()), theme.error()));
    }
    if let Some(m) = app.data.legacy(i, app.now.date()) {
        let unit = app.data.unit_name(&m.unit, app.en());
        lines.push(Line::styled(
            if app.en() {
                format!(
                    "Residency legacy: raised by {} ({unit}) in placement {}; the round is over, it stays with them until closed",
                    sanitize(&m.cadre),
                    m.placement
                )
            } else {
                format!(
                    "驻企遗留：{}（{unit}）在驻企安排 {} 中收集；驻企已结束，办结前由其持续跟进",
                    sanitize(&m.cadre),
                    m.placement
                )
            },
            theme.error(),
        ));
    }
    if i.provisional() {
        lines.push(Line::styled(
            crate::domain::deadline::provisional_line(l),
            theme.error(),
        ));
    }
    if let Some(e) = &i.evaluation {
        lines.push(Line::raw(format!(
            "{} {} · {} {} · {} {} {}",
            S::CLOSENESS.get(l),
            e.closeness,
            S::INTEGRITY.get(l),
            e.integrity,
            S::SATISFACTION.get(l),
            e.satisfaction,
            sanitize(&e.comment)
        )));
    }
    lines.push(Line::raw(format!(
        "{}: {}",
        S::DESCRIPTION.get(l),
        sanitize(&i.description)
    )));
    f.render_widget(
        Paragraph::new(lines).wrap(Wrap { trim: false }).block(
            Block::default()
                .borders(Borders::ALL)
                .title(format!(" {} ", S::DETAIL.get(l))),
        ),
        top,
    );
    // Newest first; j/k and the page keys scroll it.
    let hl: Vec<String> = app
        .detail
        .history
        .iter()
        .rev()
        .map(|r| {
            let what = if en {
                r.event.name().replace('_', " ")
            } else {
                r.event.zh().to_string()
            };
            format!(
                "{}  {}  {}  {}",
                r.at.format("%m-%d %H:%M"),
                sanitize(&r.by),
                what,
                sanitize(&r.event.detail(&|u| app.data.unit_name(u, app.en())))
            )
        })
        .collect();
    super::scrolled_text(f, hist, S::HISTORY.get(l), &hl, app.detail.scroll, theme, l);
    // Only the actions the lifecycle allows now.
    let ops = [
        (Action::Assign, IssueOp::Assign),
        (Action::Receive, IssueOp::Receive),
        (Action::Transfer, IssueOp::Transfer),
        (Action::Return, IssueOp::Return),
        (Action::Contact, IssueOp::Contact),
        (Action::Reply, IssueOp::Reply),
        (Action::Resolve, IssueOp::Resolve),
        (Action::Evaluate, IssueOp::Evaluate { low: false }),
        (Action::Reopen, IssueOp::Reopen),
        (Action::Void, IssueOp::Void),
        (Action::Supervise, IssueOp::Supervise),
        (Action::Note, IssueOp::Note),
    ];
    let spans: Vec<Span> = ops
        .iter()
        .filter(|(_, op)| transition(i.status, *op).is_ok())
        // Signing for it happens once per assignment.
        .filter(|(_, op)| *op != IssueOp::Receive || i.received_at.is_none())
        .map(|(a, _)| {
            let key = app.keymap.key_for(Context::Detail, *a).unwrap_or_default();
            Span::raw(format!(" [{key}] {} ", a.describe(en)))
        })
        .collect();
    f.render_widget(
        Paragraph::new(Line::from(spans))
            .wrap(Wrap { trim: true })
            .block(
                Block::default()
                    .borders(Borders::ALL)
                    .title(format!(" {} ", S::ACTIONS.get(l))),
            ),
        acts,
    );
}

/// The supervision mark: its level, its due day, and whether that has passed.
fn supervision(app: &App, i: &crate::domain::Issue) -> String {
    let l = app.lang;
    let Some(level) = i.supervision() else {
        return String::new();
    };
    let mut s = format!("   [{}", l.pick(level.zh(), level.en()));
    if let Some(d) = i.supervision_due {
        s.push_str(&format!(" {} {d}", l.pick("期限", "due")));
    }
    if i.supervision_overdue(app.now.date()) {
        s.push_str(l.pick(" 已超期", " OVERDUE"));
    }
    s.push(']');
    s
}
