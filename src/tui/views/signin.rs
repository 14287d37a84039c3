//! Sign-in: officer name, own unit, duty type. Starts a shift.

use ratatui::layout::Rect;
use ratatui::text::Line;
use ratatui::widgets::{Block, Borders, Paragraph};
use ratatui::Frame;

use super::super::app::App;
use super::super::strings as S;
use super::super::theme::Theme;
use super::{centered, form_lines};

pub fn render(f: &mut Frame, app: &App, area: Rect, theme: &Theme) {
    let r = centered(area, 70, 12);
    let block = Block::default()
        .borders(Borders::ALL)
        .title(format!(" {} ", S::SIGN_IN.get(app.lang)))
        .title_style(theme.title());
    let inner = block.inner(r);
    let (mut lines, cursor) = form_lines(app, &app.signin, inner.width as usize, theme);
    lines.push(Line::raw(""));
    lines.push(Line::styled(S::SIGN_IN_HINT.get(app.lang), theme.dim()));
    if app.handover.pending.is_some() {
        lines.push(Line::styled(S::ACK_HINT.get(app.lang), theme.focus()));
    }
    f.render_widget(Paragraph::new(lines).block(block), r);
    if let Some((x, y)) = cursor {
        f.set_cursor_position((inner.x + x, inner.y + y));
    }
}
