//! Issue list: filter, sort, live countdowns coloured by urgency.

use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::Line;
use ratatui::widgets::Paragraph;
use ratatui::Frame;

use super::super::app::App;
use super::super::data::Sort;
use super::super::strings as S;
use super::super::theme::Theme;
use super::issue_table;

pub fn render(f: &mut Frame, app: &App, area: Rect, theme: &Theme) {
    let [bar, list] = Layout::vertical([Constraint::Length(1), Constraint::Min(3)]).areas(area);
    let l = app.lang;
    let fl = &app.filter;
    let status = match fl.status {
        None => S::ALL.get(l).to_string(),
        Some(None) => S::OPEN.get(l).to_string(),
        Some(Some(s)) => l.pick(s.zh(), s.en()).to_string(),
    };
    let mut parts = vec![format!("{}: {status}", S::COL_STATUS.get(l))];
    if let Some(u) = &fl.unit {
        parts.push(format!(
            "{}: {}",
            S::COL_UNIT.get(l),
            app.data.unit_name(u, app.en())
        ));
    }
    if fl.vip {
        parts.push("VIP".into());
    }
    if fl.overdue {
        parts.push(S::OVERDUE.get(l).into());
    }
    if !fl.text.is_empty() {
        parts.push(format!("“{}”", super::super::text::sanitize(&fl.text)));
    }
    let sort = match app.sort {
        Sort::Deadline => S::SORT_DEADLINE,
        Sort::Age => S::SORT_AGE,
        Sort::Enterprise => S::SORT_ENTERPRISE,
    };
    parts.push(sort.get(l).into());
    parts.push(format!("{} {}", app.list.len(), l.pick("条", "issues")));
    let shows_closed = match fl.status {
        None => true,
        Some(None) => false,
        Some(Some(s)) => !s.is_open(),
    };
    if let (true, Some((n, total))) = (shows_closed, app.data.closed_loaded) {
        if n < total {
            parts.push(if app.en() {
                format!("newest {n} of {total} closed/voided (older: `dutydesk issue list --status closed`)")
            } else {
                format!("已办结/作废显示最近 {n} 条，共 {total} 条（更早的：dutydesk issue list --status closed）")
            });
        }
    }
    f.render_widget(
        Paragraph::new(Line::styled(
            format!(" {}: {}", S::FILTER.get(l), parts.join(" · ")),
            theme.dim(),
        )),
        bar,
    );
    issue_table(
        f,
        app,
        list,
        theme,
        &app.list,
        app.list_sel,
        S::ISSUES.get(l),
    );
}
