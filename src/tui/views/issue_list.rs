//! Issue list: filter, sort, live countdowns coloured by urgency.

use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::Line;
use ratatui::widgets::Paragraph;
use ratatui::Frame;

use super::super::app::App;
use super::super::strings as S;
use super::super::theme::Theme;
use super::issue_table;
use crate::desk::Sort;

pub fn render(f: &mut Frame, app: &App, area: Rect, theme: &Theme) {
    let [bar, list] = Layout::vertical([Constraint::Length(1), Constraint::Min(3)]).areas(area);
    let l = app.lang;
    let fl = &app.list.filter;
    let status = match fl.status_choice() {
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
    if fl.supervised {
        parts.push(S::SUPERVISED.get(l).into());
    }
    if let Some(c) = &fl.category {
        parts.push(super::super::text::sanitize(c));
    }
    if let Some(c) = fl.channel {
        parts.push(l.pick(c.zh(), c.key()).into());
    }
    if fl.from.is_some() || fl.to.is_some() {
        let d = |d: Option<chrono::NaiveDate>| d.map(|d| d.to_string()).unwrap_or_default();
        parts.push(format!("{}…{}", d(fl.from), d(fl.to)));
    }
    if let Some(t) = &fl.text {
        parts.push(format!("“{}”", super::super::text::sanitize(t)));
    }
    let sort = match app.list.sort {
        Sort::Deadline => S::SORT_DEADLINE,
        Sort::Age => S::SORT_AGE,
        Sort::Enterprise => S::SORT_ENTERPRISE,
    };
    parts.push(sort.get(l).into());
    parts.push(format!(
        "{} {}",
        app.list.rows.rows.len(),
        l.pick("条", "issues")
    ));
    let shows_closed = !fl.only_open();
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
        &app.list.rows.rows,
        app.list.rows.sel,
        S::ISSUES.get(l),
    );
}
