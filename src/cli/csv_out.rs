//! The one writer for every CSV the command line prints (`issue list`, `inspection list`,
//! `enterprise export`, `report`, `account list`), so they all look alike to a spreadsheet:
//!
//! * a UTF-8 byte-order mark first, so Excel reads the Chinese as UTF-8;
//! * the header row in the chosen language (Chinese words, or English snake_case names that
//!   scripts can rely on);
//! * codes written as words in that language (statuses, channels, units, kinds, yes/no), never
//!   the internal keys or ids;
//! * phones and credit codes as text cells (`crate::sanitize::csv_text_cell`), so Excel keeps
//!   the leading 0 and every digit; every other cell neutralised against formula injection
//!   (`crate::sanitize::csv_cell`);
//! * dates as YYYY-MM-DD, times as YYYY-MM-DD HH:MM:SS.

use chrono::{NaiveDate, NaiveDateTime};

use crate::i18n::Lang;

/// A column: its header in Chinese and in English.
pub type Column = (&'static str, &'static str);

/// One cell of a CSV row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Cell {
    /// Ordinary text (neutralised if it looks like a formula).
    Plain(String),
    /// An identifier a spreadsheet must not turn into a number: a phone, a credit code.
    Text(String),
}

impl From<String> for Cell {
    fn from(s: String) -> Cell {
        Cell::Plain(s)
    }
}

impl From<&str> for Cell {
    fn from(s: &str) -> Cell {
        Cell::Plain(s.to_string())
    }
}

impl Cell {
    fn render(&self) -> String {
        match self {
            Cell::Plain(s) => crate::sanitize::csv_cell(s),
            Cell::Text(s) => crate::sanitize::csv_text_cell(s),
        }
    }
}

/// The header names of `columns` in `lang`.
pub fn header(lang: Lang, columns: &[Column]) -> Vec<&'static str> {
    columns.iter().map(|c| lang.pick(c.0, c.1)).collect()
}

/// The whole CSV document: BOM, the header row, one record per row, each ended by `\n`.
pub fn document(header: &[&str], rows: &[Vec<Cell>]) -> String {
    let mut out = String::from("\u{feff}");
    out.push_str(&crate::sanitize::csv_row(header));
    for r in rows {
        let cells: Vec<String> = r.iter().map(Cell::render).collect();
        out.push_str(&cells.join(","));
        out.push('\n');
    }
    out
}

/// A flag as a word: 是/否, yes/no.
pub fn yes_no(b: bool, lang: Lang) -> Cell {
    Cell::Plain(
        match (b, lang) {
            (true, Lang::Zh) => "是",
            (false, Lang::Zh) => "否",
            (true, Lang::En) => "yes",
            (false, Lang::En) => "no",
        }
        .to_string(),
    )
}

pub fn date(d: NaiveDate) -> Cell {
    Cell::Plain(d.format("%Y-%m-%d").to_string())
}

pub fn datetime(t: NaiveDateTime) -> Cell {
    Cell::Plain(t.format("%Y-%m-%d %H:%M:%S").to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bom_header_text_cells_and_neutral_cells() {
        let cols: [Column; 3] = [("名称", "name"), ("电话", "phone"), ("备注", "note")];
        let row = vec![
            Cell::from("x,y"),
            Cell::Text("023-68881234".into()),
            Cell::from("=1+1"),
        ];
        assert_eq!(
            document(&header(Lang::Zh, &cols), std::slice::from_ref(&row)),
            "\u{feff}名称,电话,备注\n\"x,y\",\"=\"\"023-68881234\"\"\",\"'=1+1\"\n"
        );
        assert!(document(&header(Lang::En, &cols), &[]).starts_with("\u{feff}name,phone,note\n"));
        // A "phone" that is not one is no formula.
        let evil = vec![Cell::Text("=HYPERLINK(\"x\")".into())];
        assert_eq!(
            document(&["a"], &[evil]),
            "\u{feff}a\n\"'=HYPERLINK(\"\"x\"\")\"\n"
        );
    }

    #[test]
    fn words_and_dates() {
        assert_eq!(yes_no(true, Lang::Zh), Cell::from("是"));
        assert_eq!(yes_no(false, Lang::En), Cell::from("no"));
        let d = NaiveDate::from_ymd_opt(2026, 3, 5).unwrap();
        assert_eq!(date(d), Cell::from("2026-03-05"));
        let t = d.and_hms_opt(9, 7, 0).unwrap();
        assert_eq!(datetime(t), Cell::from("2026-03-05 09:07:00"));
    }
}
