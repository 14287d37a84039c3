//! Reports over the desk's records: the shift handover brief, unit scorecards and inspection
//! checks. Each is a serde document computed from the recorded events (so a past range always
//! comes out the same), rendered to Markdown for people and JSON/CSV for scripts.

pub mod handover;
pub mod inspections;
pub mod residency;
pub mod scorecard;
#[cfg(test)]
mod script;

/// Escapes text for one Markdown table cell: no pipes, no line breaks; controls and invisible
/// characters shown visibly (`crate::sanitize::line`).
pub fn md_cell(s: &str) -> String {
    crate::sanitize::line(s).replace('|', "｜")
}

/// The journal's chain head as briefs and reports print it: a witness that
/// `dutydesk verify --witness SEQ:HASH` checks the journal against later.
pub fn witness(head: &crate::store::ChainHead, lang: crate::i18n::Lang) -> String {
    format!(
        "{}: {head}",
        lang.pick(
            "日志链头（核验用）",
            "Journal chain head (for verification)"
        )
    )
}

/// A Markdown table.
pub fn md_table(header: &[&str], rows: &[Vec<String>]) -> String {
    let mut out = format!("| {} |\n", header.join(" | "));
    out.push_str(&format!("|{}\n", "---|".repeat(header.len())));
    for r in rows {
        let cells: Vec<String> = r.iter().map(|c| md_cell(c)).collect();
        out.push_str(&format!("| {} |\n", cells.join(" | ")));
    }
    out
}

/// Free text for Markdown outside tables: line breaks kept, controls and invisible characters
/// shown visibly (`crate::sanitize::text`).
pub fn md_text(s: &str) -> String {
    crate::sanitize::text(&s.replace("\r\n", "\n"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_cannot_break_the_table() {
        let t = md_table(
            &["a", "b"],
            &[vec!["x|y".into(), "line\nbreak\u{1b}[31m".into()]],
        );
        assert_eq!(t, "| a | b |\n|---|---|\n| x｜y | line break␛[31m |\n");
        assert_eq!(md_text("a\u{202e}\r\nb\u{7}"), "a⟨U+202E⟩\nb␇");
    }
}
