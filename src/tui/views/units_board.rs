//! Units board: per lead unit, open and overdue issues now, and this month's scorecard (on-time
//! contact and reply rates, closed, satisfaction, score with a bar), best first.

use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::Line;
use ratatui::widgets::{Block, Borders, Paragraph, Row, Table};
use ratatui::Frame;

use super::super::app::App;
use super::super::data::ranked_board;
use super::super::strings as S;
use super::super::text::truncate;
use super::super::theme::Theme;
use crate::domain::deadline::Urgency;

/// A bar of `width` cells for a 0–100 value, in eighths.
fn bar(value: f64, width: usize) -> String {
    const PARTS: [char; 8] = ['▏', '▎', '▍', '▌', '▋', '▊', '▉', '█'];
    let eighths = ((value.clamp(0.0, 100.0) / 100.0) * (width * 8) as f64).round() as usize;
    let mut s = "█".repeat(eighths / 8);
    if !eighths.is_multiple_of(8) {
        s.push(PARTS[eighths % 8 - 1]);
    }
    s
}

fn pct(v: Option<f64>) -> String {
    v.map(|x| format!("{x:.0}%")).unwrap_or_else(|| "—".into())
}

pub fn render(f: &mut Frame, app: &App, area: Rect, theme: &Theme) {
    let l = app.lang;
    let now_rows = ranked_board(
        &app.data,
        app.units.scorecard.as_deref(),
        app.own_unit.as_deref(),
        app.now.date(),
    );
    let bar_w = if area.width >= 120 { 20 } else { 6 };
    let scores = app
        .units
        .scorecard
        .as_ref()
        .map(|r| r.units.as_slice())
        .unwrap_or(&[]);
    let score_of = |id: &str| scores.iter().find(|s| s.unit_id == id);
    let body: Vec<Row> = now_rows
        .iter()
        .enumerate()
        .map(|(k, r)| {
            let s = score_of(&r.id);
            let name = app.data.unit_name(&r.id, app.en());
            let style = if k == app.units.sel {
                theme.selected()
            } else if r.overdue > 0 {
                theme.urgency(Some(Urgency::Overdue))
            } else {
                theme.urgency(Some(Urgency::InTime))
            };
            let score = s.and_then(|s| s.score);
            // A unit with too few issues this month keeps its figures but no rank.
            let rank = match s {
                Some(s) if s.too_few => S::TOO_FEW.get(l).to_string(),
                _ => s
                    .and_then(|s| s.rank)
                    .map(|r| r.to_string())
                    .unwrap_or_else(|| "—".into()),
            };
            Row::new(vec![
                rank,
                truncate(&name, if app.en() { 16 } else { 14 }),
                r.open.to_string(),
                r.overdue.to_string(),
                pct(s.and_then(|s| s.contact_on_time_pct)),
                pct(s.and_then(|s| s.reply_on_time_pct)),
                s.map(|s| s.closed.to_string()).unwrap_or_default(),
                s.and_then(|s| s.satisfaction)
                    .map(|x| format!("{x:.1}"))
                    .unwrap_or_else(|| "—".into()),
                score
                    .map(|x| format!("{x:.0}"))
                    .unwrap_or_else(|| "—".into()),
                score.map(|x| bar(x, bar_w)).unwrap_or_default(),
            ])
            .style(style)
        })
        .collect();
    let header = Row::new(
        [
            S::RANK,
            S::COL_UNIT,
            S::OPEN_COUNT,
            S::OVERDUE_COUNT,
            S::CONTACT_SHORT,
            S::REPLY_SHORT,
            S::CLOSED_COUNT,
            S::SATISFACTION_SHORT,
            S::SCORE_SHORT,
        ]
        .iter()
        .map(|s| s.get(l).to_string())
        .chain([String::new()])
        .collect::<Vec<_>>(),
    )
    .style(theme.dim());
    let num = |en: u16, zh: u16| Constraint::Length(if app.en() { en } else { zh });
    let widths = [
        Constraint::Length(if app.en() { 7 } else { 8 }),
        Constraint::Length(if app.en() { 16 } else { 14 }),
        num(4, 4),
        num(7, 4),
        num(7, 8),
        num(7, 8),
        num(6, 4),
        num(7, 6),
        num(5, 5),
        Constraint::Length(bar_w as u16),
    ];
    let [table, note] = Layout::vertical([Constraint::Min(3), Constraint::Length(1)]).areas(area);
    f.render_widget(
        Table::new(body, widths).header(header).block(
            Block::default().borders(Borders::ALL).title(format!(
                " {} · {} · {} ",
                S::UNITS.get(l),
                S::THIS_MONTH.get(l),
                l.pick("Enter 查看该单位在办问题", "Enter: the unit's open issues")
            )),
        ),
        table,
    );
    f.render_widget(
        Paragraph::new(Line::styled(
            truncate(S::SCORE_NOTE.get(l), note.width as usize),
            theme.dim(),
        )),
        note,
    );
}

#[cfg(test)]
mod tests {
    use super::bar;

    #[test]
    fn bars_grow_in_eighths() {
        assert_eq!(bar(0.0, 8), "");
        assert_eq!(bar(100.0, 8), "████████");
        assert_eq!(bar(50.0, 8), "████");
        assert_eq!(bar(1.0 / 0.64, 8), "▏");
        assert_eq!(bar(250.0, 2), "██");
    }
}
