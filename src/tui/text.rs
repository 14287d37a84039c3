//! CJK-safe text: display-width truncation and padding, sanitising stored text before it is
//! drawn, and the single-line text input used by every form (cursor by character, display by
//! width).

use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

/// Stored text for one line of the screen: line breaks become spaces; escape sequences,
/// controls, bidi controls and invisible characters are shown visibly (see `crate::sanitize`,
/// the one sanitiser for everything that reaches a terminal).
pub fn sanitize(s: &str) -> String {
    crate::sanitize::line(s)
}

/// Display width of a string.
pub fn width(s: &str) -> usize {
    s.width()
}

/// Cuts to at most `max` columns, ending with `…` when cut; never splits a character.
pub fn truncate(s: &str, max: usize) -> String {
    if s.width() <= max {
        return s.to_string();
    }
    if max == 0 {
        return String::new();
    }
    let mut out = String::new();
    let mut w = 0;
    for c in s.chars() {
        let cw = c.width().unwrap_or(0);
        if w + cw + 1 > max {
            break;
        }
        out.push(c);
        w += cw;
    }
    out.push('…');
    out
}

/// Truncates and pads with spaces to exactly `w` columns.
pub fn pad(s: &str, w: usize) -> String {
    let t = truncate(s, w);
    let tw = t.width();
    format!("{t}{}", " ".repeat(w.saturating_sub(tw)))
}

/// Wraps text into lines of at most `w` columns, breaking between characters.
pub fn wrap(s: &str, w: usize) -> Vec<String> {
    let mut lines = Vec::new();
    for para in s.split('\n') {
        let mut line = String::new();
        let mut lw = 0;
        for c in sanitize(para).chars() {
            let cw = c.width().unwrap_or(0);
            // A character wider than the whole line still gets a line of its own.
            if lw + cw > w.max(1) && !line.is_empty() {
                lines.push(std::mem::take(&mut line));
                lw = 0;
            }
            line.push(c);
            lw += cw;
        }
        lines.push(line);
    }
    lines
}

/// A one-line text input (multi-line when `multiline`, using `\n`), edited by character.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Input {
    pub value: String,
    /// Cursor position in characters.
    pub cursor: usize,
}

impl Input {
    pub fn new(v: &str) -> Input {
        Input {
            value: v.to_string(),
            cursor: v.chars().count(),
        }
    }
    fn byte_at(&self, ch: usize) -> usize {
        self.value
            .char_indices()
            .nth(ch)
            .map_or(self.value.len(), |(i, _)| i)
    }
    pub fn insert(&mut self, c: char) {
        let at = self.byte_at(self.cursor);
        self.value.insert(at, c);
        self.cursor += 1;
    }
    pub fn insert_str(&mut self, s: &str) {
        for c in s.chars() {
            self.insert(c);
        }
    }
    pub fn backspace(&mut self) {
        if self.cursor > 0 {
            self.cursor -= 1;
            let at = self.byte_at(self.cursor);
            self.value.remove(at);
        }
    }
    pub fn delete(&mut self) {
        if self.cursor < self.value.chars().count() {
            let at = self.byte_at(self.cursor);
            self.value.remove(at);
        }
    }
    pub fn left(&mut self) {
        self.cursor = self.cursor.saturating_sub(1);
    }
    pub fn right(&mut self) {
        self.cursor = (self.cursor + 1).min(self.value.chars().count());
    }
    pub fn home(&mut self) {
        self.cursor = 0;
    }
    pub fn end(&mut self) {
        self.cursor = self.value.chars().count();
    }
    pub fn clear(&mut self) {
        self.value.clear();
        self.cursor = 0;
    }
    /// The visible part for a field `w` columns wide, and the cursor's column within it.
    pub fn view(&self, w: usize) -> (String, usize) {
        // Each character as it will show (a hidden one as its visible marker), so the cursor
        // column and the scrolling count what is really drawn.
        let shown: Vec<(String, usize)> = self
            .value
            .chars()
            .map(|c| {
                let s = if c == '\n' {
                    "↵".to_string()
                } else {
                    sanitize(&c.to_string())
                };
                let w = UnicodeWidthStr::width(s.as_str());
                (s, w)
            })
            .collect();
        let before: usize = shown[..self.cursor.min(shown.len())]
            .iter()
            .map(|(_, w)| w)
            .sum();
        // Scroll so the cursor stays visible.
        let mut start = 0;
        let mut skipped = 0;
        while before - skipped >= w.max(1) && start < shown.len() {
            skipped += shown[start].1;
            start += 1;
        }
        let mut out = String::new();
        let mut used = 0;
        for (s, cw) in &shown[start..] {
            if used + cw > w {
                break;
            }
            out.push_str(s);
            used += cw;
        }
        (out, before - skipped)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sanitises_escape_sequences() {
        assert_eq!(sanitize("a\u{1b}[31mred\u{1b}[0m"), "a␛[31mred␛[0m");
        assert_eq!(sanitize("x\u{1b}]0;title\u{7}y"), "x␛]0;title␇y");
        assert_eq!(sanitize("行1\n行2\r"), "行1 行2 ");
        assert_eq!(sanitize("\u{202e}abc"), "⟨U+202E⟩abc");
    }

    #[test]
    fn truncates_by_width() {
        assert_eq!(truncate("重庆戴卡捷力", 7), "重庆戴…");
        assert_eq!(truncate("重庆", 4), "重庆");
        assert_eq!(truncate("重庆", 3), "重…");
        assert_eq!(pad("a重", 5), "a重  ");
        assert_eq!(width(&pad("重庆戴卡捷力轮毂", 9)), 9);
    }

    #[test]
    fn the_cursor_counts_hidden_characters_as_they_show() {
        let mut i = Input::new("a\u{202e}b");
        i.end();
        let (v, col) = i.view(40);
        assert_eq!(v, "a⟨U+202E⟩b");
        assert_eq!(col, width(&v), "the cursor sits after what is drawn");
        let (v, col) = i.view(5);
        assert!(width(&v) <= 5 && col <= 5, "{v} {col}");
    }

    #[test]
    fn input_edits_by_character() {
        let mut i = Input::new("重庆");
        i.insert('戴');
        assert_eq!(i.value, "重庆戴");
        i.left();
        i.backspace();
        assert_eq!(i.value, "重戴");
        assert_eq!(i.cursor, 1);
        i.delete();
        assert_eq!(i.value, "重");
        i.end();
        i.insert_str("ab");
        assert_eq!(i.value, "重ab");
        let (v, col) = i.view(20);
        assert_eq!((v.as_str(), col), ("重ab", 4));
        let long = Input::new("一二三四五六七八九十");
        assert_eq!(
            wrap("重庆", 1),
            vec!["重", "庆"],
            "no empty lines before wide characters"
        );
        assert_eq!(wrap("ab重", 3), vec!["ab", "重"]);
        let (v, col) = long.view(6);
        assert!(width(&v) <= 6 && col <= 6, "{v} {col}");
    }
}
