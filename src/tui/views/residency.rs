//! The residency screen (四帮一体验): rounds with their figures, a round's placements (a row per
//! cadre with the 五个一 marks), and one cadre's checklist.

use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::Line;
use ratatui::widgets::{Block, Borders, Paragraph, Row, Table, TableState};
use ratatui::Frame;

use super::super::app::residency::Level;
use super::super::app::App;
use super::super::strings as S;
use super::super::text::{sanitize, truncate, wrap};
use super::super::theme::Theme;
use crate::desk::residency::ResidencyPage;
use crate::report::residency::{figure_cells, placement_lines, ticks, Reader};

pub fn render(f: &mut Frame, app: &App, area: Rect, theme: &Theme) {
    let l = app.lang;
    let title = match &app.residency.page.as_ref().and_then(|p| p.firm.clone()) {
        Some((_, name)) => format!(" {} · {} ", S::RESIDENCY.get(l), sanitize(name)),
        None => format!(" {} ", S::RESIDENCY.get(l)),
    };
    let Some(page) = app.residency.page.as_deref() else {
        f.render_widget(
            Paragraph::new(Line::styled(S::LOADING.get(l), theme.dim()))
                .block(Block::default().borders(Borders::ALL).title(title)),
            area,
        );
        return;
    };
    let [body, note] = Layout::vertical([Constraint::Min(3), Constraint::Length(1)]).areas(area);
    let hint = match app.residency.level {
        Level::Rounds => S::RESIDENCY_ROUNDS_HINT,
        Level::Placements => S::RESIDENCY_PLACEMENTS_HINT,
        Level::Cadre => S::RESIDENCY_CADRE_HINT,
    };
    match app.residency.level {
        Level::Rounds => rounds(f, app, page, body, theme, &title),
        Level::Placements => placements(f, app, body, theme, &title),
        Level::Cadre => cadre(f, app, page, body, theme, &title),
    }
    f.render_widget(
        Paragraph::new(Line::styled(
            truncate(hint.get(l), note.width as usize),
            theme.dim(),
        )),
        note,
    );
}

fn rounds(f: &mut Frame, app: &App, page: &ResidencyPage, area: Rect, theme: &Theme, title: &str) {
    let l = app.lang;
    let en = app.en();
    if page.report.rounds.is_empty() {
        f.render_widget(
            Paragraph::new(
                wrap(
                    S::RESIDENCY_NONE.get(l),
                    area.width.saturating_sub(2) as usize,
                )
                .into_iter()
                .map(Line::raw)
                .collect::<Vec<_>>(),
            )
            .block(
                Block::default()
                    .borders(Borders::ALL)
                    .title(title.to_string()),
            ),
            area,
        );
        return;
    }
    // On a narrow screen the dates and the extensions give way to the figures.
    let wide = area.width >= 100;
    let cells = |f: &crate::report::residency::Figures| figure_cells(f, wide);
    let mut rows: Vec<Row> = page
        .report
        .rounds
        .iter()
        .enumerate()
        .map(|(k, r)| {
            let mut c = vec![if en {
                format!("#{}", r.no)
            } else {
                format!("第{}期", r.no)
            }];
            if wide {
                c.push(format!(
                    "{}–{}",
                    r.start.format("%m-%d"),
                    r.end.format("%m-%d")
                ));
            }
            c.push(l.pick(r.phase.zh(), r.phase.en()).to_string());
            c.extend(cells(&r.figures));
            let style = if k == app.residency.round_sel {
                theme.selected()
            } else {
                ratatui::style::Style::default()
            };
            Row::new(c).style(style)
        })
        .collect();
    let mut total = vec![l.pick("合计", "total").to_string()];
    if wide {
        total.push(String::new());
    }
    total.push(String::new());
    total.extend(cells(&page.report.total));
    rows.push(Row::new(total).style(theme.title()));
    let mut names = vec![l.pick("期次", "round")];
    let mut widths = vec![Constraint::Length(7)];
    if wide {
        names.push(l.pick("日期", "dates"));
        widths.push(Constraint::Length(11));
    }
    names.push(l.pick("状态", "phase"));
    widths.push(Constraint::Length(if en { 8 } else { 6 }));
    let mut cols = vec![
        (l.pick("干部", "cadres"), if en { 7 } else { 5 }),
        (l.pick("企业", "firms"), 6),
        (l.pick("政策", "policies"), if en { 8 } else { 5 }),
        (l.pick("资金(万元)", "万元"), 10),
        (l.pick("问题", "problems"), if en { 8 } else { 5 }),
        (l.pick("办结", "closed"), if en { 6 } else { 5 }),
        (l.pick("在办", "open"), 5),
    ];
    if wide {
        cols.push((l.pick("加期", "extend"), if en { 6 } else { 5 }));
    }
    cols.push((l.pick("五个一", "五个一"), 7));
    for (n, w) in cols {
        names.push(n);
        widths.push(Constraint::Length(w));
    }
    let header =
        Row::new(names.into_iter().map(str::to_string).collect::<Vec<_>>()).style(theme.dim());
    let mut state = TableState::default().with_selected(Some(app.residency.round_sel));
    f.render_stateful_widget(
        Table::new(rows, widths).header(header).block(
            Block::default()
                .borders(Borders::ALL)
                .title(title.to_string()),
        ),
        area,
        &mut state,
    );
}

fn placements(f: &mut Frame, app: &App, area: Rect, theme: &Theme, title: &str) {
    let l = app.lang;
    let en = app.en();
    let rs = &app.residency;
    let list = rs.rows();
    let page = rs.page.as_deref();
    let heading = match rs.round() {
        Some(n) => format!(
            "{}{}",
            title.trim_end(),
            if en {
                format!(" · round {n} ")
            } else {
                format!(" · 第{n}期 ")
            }
        ),
        None => title.to_string(),
    };
    if list.is_empty() {
        f.render_widget(
            Paragraph::new(Line::styled(S::RESIDENCY_NO_PLACEMENTS.get(l), theme.dim()))
                .block(Block::default().borders(Borders::ALL).title(heading)),
            area,
        );
        return;
    }
    let firm_w = if area.width >= 120 { 30 } else { 20 };
    let rows: Vec<Row> = list
        .iter()
        .enumerate()
        .map(|(k, c)| {
            let open = c.five_ones.problems_open();
            let mut flags = vec![];
            if page
                .and_then(|p| p.programme.placements.get(&c.placement))
                .is_some_and(|k| k.extension.is_some())
            {
                flags.push(l.pick("加期", "extend"));
            }
            if !c.legacy.is_empty() {
                flags.push(l.pick("驻企遗留", "legacy"));
            }
            let style = if k == rs.row_sel {
                theme.selected()
            } else if c.done == 5 {
                theme.ok()
            } else {
                ratatui::style::Style::default()
            };
            let mut cells = vec![
                c.placement.to_string(),
                c.round.to_string(),
                truncate(&sanitize(&c.enterprise), firm_w),
                truncate(&sanitize(&c.name), 8),
                truncate(&app.data.unit_name(&c.unit, en), 14),
            ];
            cells.push(ticks(c).join(""));
            cells.push(format!("{}/5", c.done));
            cells.push(open.to_string());
            cells.push(flags.join(" "));
            Row::new(cells).style(style)
        })
        .collect();
    let header = Row::new(
        [
            l.pick("安排", "no."),
            l.pick("期", "rd"),
            l.pick("企业", "firm"),
            l.pick("干部", "cadre"),
            l.pick("单位", "unit"),
            l.pick("五个一", "五个一"),
            l.pick("完成", "done"),
            l.pick("在办", "open"),
            l.pick("标记", "flags"),
        ]
        .map(str::to_string)
        .to_vec(),
    )
    .style(theme.dim());
    let widths = [
        Constraint::Length(5),
        Constraint::Length(3),
        Constraint::Length(firm_w as u16),
        Constraint::Length(8),
        Constraint::Length(14),
        Constraint::Length(6),
        Constraint::Length(5),
        Constraint::Length(5),
        Constraint::Min(8),
    ];
    let mut state = TableState::default().with_selected(Some(rs.row_sel));
    f.render_stateful_widget(
        Table::new(rows, widths)
            .header(header)
            .block(Block::default().borders(Borders::ALL).title(heading)),
        area,
        &mut state,
    );
}

fn cadre(f: &mut Frame, app: &App, page: &ResidencyPage, area: Rect, theme: &Theme, title: &str) {
    let rs = &app.residency;
    let Some(row) = rs.selected_row() else {
        return;
    };
    let Some(k) = page.programme.placements.get(&row.placement) else {
        return;
    };
    let en = app.en();
    let status = |id: u64| page.status(id);
    let unit_name = |u: &str| app.data.unit_name(u, en);
    let reader = Reader {
        unit_name: &unit_name,
        status: &status,
        scores: page.scores,
        today: app.now.date(),
        lang: app.lang,
    };
    let mut lines = placement_lines(&page.programme, k, std::slice::from_ref(row), &reader);
    // The other cadre of the pair, for who works beside whom.
    let partners: Vec<&str> = k
        .placement
        .cadres
        .iter()
        .filter(|c| c.name != row.name)
        .map(|c| c.name.as_str())
        .collect();
    if !partners.is_empty() {
        lines.insert(
            1,
            format!(
                "{}{}",
                app.lang.pick("同组：", "paired with: "),
                partners.join("、")
            ),
        );
    }
    let w = area.width.saturating_sub(2) as usize;
    let text: Vec<Line> = lines
        .iter()
        .flat_map(|l| wrap(l, w))
        .skip(rs.scroll)
        .enumerate()
        .map(|(i, s)| {
            if i == 0 && rs.scroll == 0 {
                Line::styled(s, theme.title())
            } else {
                Line::raw(s)
            }
        })
        .collect();
    f.render_widget(
        Paragraph::new(text).block(Block::default().borders(Borders::ALL).title(format!(
            "{}· {} ",
            title.trim_end().to_string() + " ",
            sanitize(&row.name)
        ))),
        area,
    );
}
