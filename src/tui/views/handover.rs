//! Handover: the draft brief of the current shift, the outgoing officer's notes and sign-off;
//! or the previous shift's filed brief awaiting acknowledgement.

use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::Line;
use ratatui::widgets::{Block, Borders, Paragraph};
use ratatui::Frame;

use super::super::app::App;
use super::super::strings as S;
use super::super::text::{sanitize, truncate};
use super::super::theme::Theme;
use super::form_lines;
use crate::domain::deadline::Urgency;
use crate::report::handover::sections;

pub fn render(f: &mut Frame, app: &App, area: Rect, theme: &Theme) {
    let l = app.lang;
    if let Some(p) = &app.handover.pending {
        // The hint stays put; the brief below it scrolls (the note and this shift's own
        // items come first, the backlog as counts).
        let [hint, body] =
            Layout::vertical([Constraint::Length(1), Constraint::Min(1)]).areas(area);
        f.render_widget(
            Paragraph::new(Line::styled(
                truncate(S::ACK_HINT.get(l), hint.width as usize),
                theme.focus(),
            )),
            hint,
        );
        let lines: Vec<String> =
            super::super::brief_lines(p, l, body.width.saturating_sub(2) as usize)
                .iter()
                .map(|s| sanitize(s))
                .collect();
        super::scrolled_text(
            f,
            body,
            S::HANDOVER.get(l),
            &lines,
            app.handover.scroll,
            theme,
            l,
        );
        return;
    }
    let [draft, notes, hint] = Layout::vertical([
        Constraint::Min(3),
        Constraint::Length(6),
        Constraint::Length(1),
    ])
    .areas(area);
    render_draft(f, app, draft, theme);
    let block = Block::default()
        .borders(Borders::ALL)
        .title(format!(" {} ", S::NOTES_TO_NEXT.get(l)));
    let inner = block.inner(notes);
    let (lines, cursor) = form_lines(app, &app.handover.notes, inner.width as usize, theme);
    f.render_widget(Paragraph::new(lines).block(block), notes);
    if let Some((x, y)) = cursor {
        f.set_cursor_position((inner.x + x, inner.y + y));
    }
    f.render_widget(
        Paragraph::new(Line::styled(S::SIGN_OFF_HINT.get(l), theme.dim())),
        hint,
    );
}

/// Section counts, then the items the next officer must act on first.
fn render_draft(f: &mut Frame, app: &App, area: Rect, theme: &Theme) {
    let l = app.lang;
    let block = Block::default()
        .borders(Borders::ALL)
        .title(format!(" {} ", S::DRAFT_BRIEF.get(l)));
    let inner = block.inner(area);
    let width = inner.width as usize;
    let Some(b) = &app.handover.draft else {
        // Only a desk officer's shift has a brief to draft (units and supervisors keep none).
        let say = if app.shift.is_some() {
            S::DRAFTING
        } else {
            S::NO_SHIFT_BRIEF
        };
        f.render_widget(
            Paragraph::new(Line::styled(say.get(l), theme.dim())).block(block),
            area,
        );
        return;
    };
    // 驻企遗留 only where the residency programme left something open.
    let counts: Vec<String> = sections(b)
        .iter()
        .filter(|(_, _, items)| !(items.is_empty() && std::ptr::eq(*items, &b.legacy)))
        .map(|(zh, en, items)| format!("{} {}", l.pick(zh, en), items.len()))
        .collect();
    let mut lines = vec![Line::raw(truncate(&counts[..4].join(" · "), width))];
    lines.push(Line::raw(truncate(&counts[4..].join(" · "), width)));
    for (items, urgency) in [
        (&b.overdue, Urgency::Overdue),
        (&b.due_soon, Urgency::DueSoon),
    ] {
        for i in items.iter() {
            let due = i.next_due.map(|d| d.to_string()).unwrap_or_default();
            let mut parts = vec![format!(
                "#{} {}{}",
                i.id,
                sanitize(&i.enterprise),
                if i.vip { " [VIP]" } else { "" }
            )];
            if !i.unit.is_empty() {
                parts.push(sanitize(&i.unit));
            }
            parts.push(due);
            let text = parts.join(" · ");
            lines.push(Line::styled(
                truncate(&text, width),
                theme.urgency(Some(urgency)),
            ));
        }
    }
    // The screen shows what fits; the filed brief has everything.
    let room = inner.height as usize;
    if lines.len() > room && room > 0 {
        let more = lines.len() - (room - 1);
        lines.truncate(room - 1);
        let note = S::MORE_IN_BRIEF.get(l).replace("{n}", &more.to_string());
        lines.push(Line::styled(truncate(&note, width), theme.dim()));
    }
    f.render_widget(Paragraph::new(lines).block(block), area);
}
