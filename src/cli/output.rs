//! Printing for people (aligned tables that respect Chinese display width) and for scripts
//! (JSON, CSV with a BOM so Excel keeps the Chinese intact).

use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

/// Cuts `s` to at most `width` display columns, ending with `…` when cut; never splits a
/// character.
pub fn fit(s: &str, width: usize) -> String {
    if s.width() <= width {
        return s.to_string();
    }
    let mut out = String::new();
    let mut w = 0;
    for c in s.chars() {
        let cw = c.width().unwrap_or(0);
        if w + cw + 1 > width {
            break;
        }
        out.push(c);
        w += cw;
    }
    out.push('…');
    out
}

/// Pads `s` with spaces to exactly `width` columns (cutting first if needed).
pub fn pad(s: &str, width: usize) -> String {
    let s = fit(s, width);
    let w = s.width();
    format!("{s}{}", " ".repeat(width.saturating_sub(w)))
}

/// Replaces control characters so stored text cannot drive the terminal.
pub fn clean(s: &str) -> String {
    s.chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect()
}

/// Renders rows as an aligned table; `widths[i]` caps column i (0 = no cap).
pub fn table(header: &[&str], rows: &[Vec<String>], caps: &[usize]) -> String {
    let n = header.len();
    let mut widths: Vec<usize> = header.iter().map(|h| h.width()).collect();
    for r in rows {
        for (i, c) in r.iter().enumerate().take(n) {
            widths[i] = widths[i].max(clean(c).width());
        }
    }
    for (i, cap) in caps.iter().enumerate().take(n) {
        if *cap > 0 {
            widths[i] = widths[i].min(*cap);
        }
    }
    let mut out = String::new();
    let line = |cells: Vec<String>| -> String {
        let mut l = cells
            .iter()
            .enumerate()
            .map(|(i, c)| pad(&clean(c), widths[i]))
            .collect::<Vec<_>>()
            .join("  ");
        l.truncate(l.trim_end().len());
        l
    };
    out.push_str(&line(header.iter().map(|h| h.to_string()).collect()));
    out.push('\n');
    for r in rows {
        out.push_str(&line(r.clone()));
        out.push('\n');
    }
    out
}

/// CSV text with a UTF-8 BOM.
pub fn csv_with_bom(header: &[&str], rows: &[Vec<String>]) -> anyhow::Result<String> {
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(header)?;
    for r in rows {
        w.write_record(r)?;
    }
    let bytes = w.into_inner().map_err(|e| anyhow::anyhow!("{e}"))?;
    Ok(format!("\u{feff}{}", String::from_utf8(bytes)?))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cuts_by_width_never_mid_character() {
        assert_eq!(fit("重庆戴卡捷力", 7), "重庆戴…");
        assert_eq!(fit("重庆戴卡捷力", 12), "重庆戴卡捷力");
        assert_eq!(fit("ab重庆", 4), "ab…");
        assert_eq!(pad("重庆", 6), "重庆  ");
        assert_eq!(clean("a\u{1b}[31mb"), "a [31mb");
    }

    #[test]
    fn table_aligns_mixed_text() {
        let t = table(
            &["id", "名称"],
            &[
                vec!["1".into(), "重庆".into()],
                vec!["22".into(), "ab".into()],
            ],
            &[],
        );
        let lines: Vec<&str> = t.lines().collect();
        assert_eq!(lines[0], "id  名称");
        assert_eq!(lines[1], "1   重庆");
        assert_eq!(lines[2], "22  ab");
    }
}
