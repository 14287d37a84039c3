//! Handover: the outgoing officer's notes and sign-off; or the previous shift's brief awaiting
//! acknowledgement.

use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::Line;
use ratatui::widgets::{Block, Borders, Paragraph, Wrap};
use ratatui::Frame;

use super::super::app::App;
use super::super::strings as S;
use super::super::text::sanitize;
use super::super::theme::Theme;
use super::form_lines;

pub fn render(f: &mut Frame, app: &App, area: Rect, theme: &Theme) {
    let l = app.lang;
    if let Some(p) = &app.pending_handover {
        let text = p
            .brief
            .as_ref()
            .map(|b| super::super::brief_text(b, l))
            .unwrap_or_default();
        let mut lines = vec![Line::styled(S::ACK_HINT.get(l), theme.focus())];
        lines.extend(text.lines().map(|s| Line::raw(sanitize(s))));
        f.render_widget(
            Paragraph::new(lines).wrap(Wrap { trim: false }).block(
                Block::default()
                    .borders(Borders::ALL)
                    .title(format!(" {} ", S::HANDOVER.get(l))),
            ),
            area,
        );
        return;
    }
    let [notes, hint] = Layout::vertical([Constraint::Min(4), Constraint::Length(1)]).areas(area);
    let block = Block::default()
        .borders(Borders::ALL)
        .title(format!(" {} ", S::HANDOVER.get(l)));
    let inner = block.inner(notes);
    let (lines, cursor) = form_lines(app, &app.handover_notes, inner.width as usize, theme);
    f.render_widget(Paragraph::new(lines).block(block), notes);
    if let Some((x, y)) = cursor {
        f.set_cursor_position((inner.x + x, inner.y + y));
    }
    f.render_widget(
        Paragraph::new(Line::styled(S::SIGN_OFF_HINT.get(l), theme.dim())),
        hint,
    );
}
