//! Callbacks due (待回访): replied issues waiting for the enterprise's evaluation, the longest
//! waiting first.

use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::Line;
use ratatui::widgets::Paragraph;
use ratatui::Frame;

use super::super::app::App;
use super::super::strings as S;
use super::super::text::truncate;
use super::super::theme::Theme;
use super::issue_table;

pub fn render(f: &mut Frame, app: &App, area: Rect, theme: &Theme) {
    let l = app.lang;
    let [bar, list] = Layout::vertical([Constraint::Length(1), Constraint::Min(3)]).areas(area);
    let head = format!(
        " {} · {} {}",
        S::CALLBACKS_HINT.get(l),
        app.callbacks.rows.len(),
        l.pick("条", "issues")
    );
    f.render_widget(
        Paragraph::new(Line::styled(
            truncate(&head, bar.width as usize),
            theme.dim(),
        )),
        bar,
    );
    issue_table(
        f,
        app,
        list,
        theme,
        &app.callbacks.rows,
        app.callbacks.sel,
        S::CALLBACKS.get(l),
    );
}
