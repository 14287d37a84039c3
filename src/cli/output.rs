//! Printing for people (aligned tables that respect Chinese display width) and for scripts
//! (JSON; CSV is written by `super::csv_out`). Every cell goes through `crate::sanitize`:
//! controls and invisible characters are shown.

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

/// One line of stored text made safe for the terminal (see `crate::sanitize::line`).
pub fn clean(s: &str) -> String {
    crate::sanitize::line(s)
}

/// Renders rows as an aligned table; `widths[i]` caps column i (0 = no cap).
pub fn table(header: &[&str], rows: &[Vec<String>], caps: &[usize]) -> String {
    let n = header.len();
    // Each cell made safe and measured once (a list can have thousands of rows).
    let measure = |c: &str| {
        let c = clean(c);
        let w = c.width();
        (c, w)
    };
    let head: Vec<(String, usize)> = header.iter().map(|h| measure(h)).collect();
    let body: Vec<Vec<(String, usize)>> = rows
        .iter()
        .map(|r| r.iter().take(n).map(|c| measure(c)).collect())
        .collect();
    let mut widths: Vec<usize> = head.iter().map(|c| c.1).collect();
    for r in &body {
        for (i, c) in r.iter().enumerate() {
            widths[i] = widths[i].max(c.1);
        }
    }
    for (i, cap) in caps.iter().enumerate().take(n) {
        if *cap > 0 {
            widths[i] = widths[i].min(*cap);
        }
    }
    let mut out = String::with_capacity(rows.len() * (widths.iter().sum::<usize>() + 2 * n + 1));
    let mut line = |cells: &[(String, usize)]| {
        let start = out.len();
        for (i, (c, w)) in cells.iter().enumerate() {
            if i > 0 {
                out.push_str("  ");
            }
            if *w <= widths[i] {
                out.push_str(c);
                out.extend(std::iter::repeat_n(' ', widths[i] - w));
            } else {
                out.push_str(&pad(c, widths[i]));
            }
        }
        let end = start + out[start..].trim_end().len();
        out.truncate(end);
        out.push('\n');
    };
    line(&head);
    for r in &body {
        line(r);
    }
    out
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
        assert_eq!(clean("a\u{1b}[31mb\nc"), "a␛[31mb c");
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

    #[test]
    fn hidden_characters_show_and_count_in_the_width() {
        let t = table(
            &["a", "b"],
            &[
                vec!["\u{202e}x".into(), "1".into()],
                vec!["y".into(), "2".into()],
            ],
            &[],
        );
        let lines: Vec<&str> = t.lines().collect();
        assert_eq!(lines[1], "⟨U+202E⟩x  1");
        assert_eq!(lines[2], "y          2");
    }
}
