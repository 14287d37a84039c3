//! The one sanitiser for text that leaves the program: what reaches a terminal (stdout, stderr,
//! the TUI), what goes into JSON, and what goes into a spreadsheet.
//!
//! Stored text comes from enterprises, CSV files and officers, and can carry characters that
//! act on whoever reads it: escape sequences that drive the terminal (an OSC 52 sequence sets
//! the clipboard), bidi controls that reorder what is seen (`U+202E` turns `gpj.exe` around),
//! zero-width characters that hide inside a name and misalign columns, and cells that a
//! spreadsheet runs as formulas. The rules, in one place:
//!
//! * **Terminal text** ([`line`] for one-line cells, [`text`] for multi-line text): nothing is
//!   dropped, everything is shown. C0 controls and DEL become their Unicode control pictures
//!   (ESC → `␛`, BEL → `␇`, DEL → `␡`), so an escape sequence is printed as harmless text
//!   (`␛]52;c;…␇`); C1 controls, bidi controls and invisible characters become `⟨U+XXXX⟩`
//!   (e.g. `⟨U+202E⟩`). [`line`] turns line breaks and tabs into spaces; [`text`] keeps `\n`,
//!   `\r\n` and `\t` and shows a lone `\r` (which would overwrite the line) as `␍`.
//! * **JSON** ([`json`]): lossless. serde_json already escapes C0 controls; C1 controls, DEL,
//!   bidi controls, invisible characters and the line/paragraph separators are written as
//!   `\uXXXX` escapes, so the document stays valid, reads back to the same strings, and
//!   printing it cannot act on the terminal.
//! * **CSV cells** ([`csv_row`]): the cell is made terminal-safe as [`text`] does, then, after
//!   OWASP's CSV-injection guidance, a cell beginning with `=`, `+`, `-`, `@`, TAB, CR or LF
//!   is prefixed with a single quote `'` and quoted, so a spreadsheet shows it as text instead
//!   of running it. [`csv_unneutralise`] undoes exactly that prefix when a CSV is read back.
//! * **CSV text cells** ([`csv_text_cell`]) for identifiers a spreadsheet would turn into
//!   numbers (a mobile becomes 1.38E+10, a fixed line loses its leading 0, an all-digit credit
//!   code loses its last digits): written as the formula `="…"`, which Excel shows as the text
//!   inside. It is the one formula ever written, and only when the value is ASCII letters,
//!   digits and `-*#+`: a string constant that can neither call anything nor close its own
//!   quotes. Any other value is an ordinary cell, neutralised as above. [`csv_untext`] reads the
//!   form back.
//!
//! All functions are idempotent: sanitised text passes through unchanged.

use std::borrow::Cow;

/// What a character is, for display.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    /// Printable: kept.
    Plain,
    /// `\n`, `\r`, U+2028, U+2029.
    Break,
    Tab,
    /// C0 control or DEL: shown as its control picture.
    Control,
    /// C1 control, bidi control, zero-width or other invisible character: shown as its code.
    Hidden,
}

fn kind(c: char) -> Kind {
    // The usual text first: printable ASCII and the CJK ideographs hold nothing to hide.
    if matches!(c, ' '..='~' | '\u{4e00}'..='\u{9fff}') {
        return Kind::Plain;
    }
    match c {
        '\n' | '\r' | '\u{2028}' | '\u{2029}' => Kind::Break,
        '\t' => Kind::Tab,
        '\u{0}'..='\u{1f}' | '\u{7f}' => Kind::Control,
        c if is_hidden(c) => Kind::Hidden,
        _ => Kind::Plain,
    }
}

/// C1 controls, bidi controls, and characters that take no visible space (zero-width spaces
/// and joiners, word joiner and invisible operators, BOM, soft hyphen, fillers, tags…).
/// Variation selectors are not listed: they only pick a glyph's form (emoji, CJK variants).
pub fn is_hidden(c: char) -> bool {
    matches!(c,
        '\u{80}'..='\u{9f}'          // C1 controls (CSI U+009B, OSC U+009D, …)
        | '\u{ad}'                   // soft hyphen
        | '\u{34f}'                  // combining grapheme joiner
        | '\u{61c}'                  // Arabic letter mark (bidi)
        | '\u{115f}' | '\u{1160}'    // Hangul fillers
        | '\u{17b4}' | '\u{17b5}'    // Khmer inherent vowels
        | '\u{180b}'..='\u{180f}'    // Mongolian free variation selectors, vowel separator
        | '\u{200b}'..='\u{200f}'    // ZWSP, ZWNJ, ZWJ, LRM, RLM
        | '\u{202a}'..='\u{202e}'    // LRE, RLE, PDF, LRO, RLO
        | '\u{2060}'..='\u{206f}'    // word joiner, invisible operators, LRI…PDI, deprecated
        | '\u{3164}'                 // Hangul filler
        | '\u{feff}'                 // zero-width no-break space (BOM)
        | '\u{ffa0}'                 // halfwidth Hangul filler
        | '\u{fff9}'..='\u{fffb}'    // interlinear annotation
        | '\u{1bca0}'..='\u{1bca3}'  // shorthand format controls
        | '\u{1d173}'..='\u{1d17a}'  // musical symbol format controls
        | '\u{e0000}'..='\u{e007f}' // tags
    )
}

/// The bidi controls alone (a subset of [`is_hidden`]).
pub fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{61c}' | '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

fn push_visible(out: &mut String, c: char) {
    match kind(c) {
        Kind::Control => out.push(if c == '\u{7f}' {
            '\u{2421}'
        } else {
            char::from_u32(0x2400 + c as u32).unwrap_or('\u{fffd}')
        }),
        _ => out.push_str(&format!("⟨U+{:04X}⟩", c as u32)),
    }
}

/// One line of terminal text (a table cell, a field, a status line): line breaks and tabs
/// become spaces (`\r\n` one space), controls and invisible characters are shown visibly.
pub fn line(s: &str) -> String {
    if s.chars().all(|c| kind(c) == Kind::Plain) {
        return s.to_string();
    }
    let mut out = String::with_capacity(s.len() + 8);
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        match kind(c) {
            Kind::Plain => out.push(c),
            Kind::Break | Kind::Tab => {
                if c == '\r' && chars.peek() == Some(&'\n') {
                    chars.next();
                }
                out.push(' ');
            }
            Kind::Control | Kind::Hidden => push_visible(&mut out, c),
        }
    }
    out
}

/// Multi-line terminal text (messages, notes, whole documents): keeps `\n`, `\r\n` and `\t`;
/// U+2028/U+2029 become `\n`; a lone `\r` is shown as `␍`; other controls and invisible
/// characters are shown visibly.
pub fn text(s: &str) -> String {
    match text_cow(s) {
        Cow::Borrowed(b) => b.to_string(),
        Cow::Owned(o) => o,
    }
}

fn text_cow(s: &str) -> Cow<'_, str> {
    let safe = |c: char| kind(c) == Kind::Plain || c == '\n' || c == '\t';
    if !s.contains('\r') && s.chars().all(safe) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        match (kind(c), c) {
            (Kind::Plain, _) | (Kind::Tab, _) | (Kind::Break, '\n') => out.push(c),
            (Kind::Break, '\r') => {
                if chars.peek() == Some(&'\n') {
                    out.push('\r');
                } else {
                    out.push('\u{240d}');
                }
            }
            (Kind::Break, _) => out.push('\n'),
            _ => push_visible(&mut out, c),
        }
    }
    Cow::Owned(out)
}

/// Whole output for a terminal: [`text`], except that a leading byte-order mark (the one CSV
/// for Excel starts with) is kept.
pub fn output(s: &str) -> Cow<'_, str> {
    match s.strip_prefix('\u{feff}') {
        Some(rest) => match text_cow(rest) {
            Cow::Borrowed(_) => Cow::Borrowed(s),
            Cow::Owned(o) => Cow::Owned(format!("\u{feff}{o}")),
        },
        None => text_cow(s),
    }
}

/// Characters JSON text carries as `\uXXXX` escapes (serde_json escapes the C0 controls).
fn json_escaped(c: char) -> bool {
    c == '\u{7f}' || c == '\u{2028}' || c == '\u{2029}' || is_hidden(c)
}

/// Serialised JSON made safe to print: every C1 control, DEL, bidi control, invisible
/// character and line/paragraph separator is written as a `\uXXXX` escape (a surrogate pair
/// above U+FFFF). Outside strings JSON text is plain ASCII, so this only touches string
/// contents, and parsing gives back exactly the original strings.
pub fn json(serialised: String) -> String {
    if !serialised.chars().any(json_escaped) {
        return serialised;
    }
    let mut out = String::with_capacity(serialised.len() + 16);
    for c in serialised.chars() {
        if json_escaped(c) {
            let mut units = [0u16; 2];
            for u in c.encode_utf16(&mut units) {
                out.push_str(&format!("\\u{:04x}", u));
            }
        } else {
            out.push(c);
        }
    }
    out
}

/// The characters a spreadsheet takes as the start of a formula (OWASP CSV injection).
fn starts_formula(s: &str) -> bool {
    matches!(
        s.chars().next(),
        Some('=' | '+' | '-' | '@' | '\t' | '\r' | '\n')
    )
}

/// One CSV cell, ready to join with commas: terminal-safe as [`text`], a formula-like start
/// prefixed with `'` (and then always quoted), quoted when it holds a comma, a quote or a line
/// break.
pub fn csv_cell(s: &str) -> String {
    let t = text_cow(s);
    let neutral = starts_formula(&t);
    let quote = neutral || t.contains([',', '"', '\n', '\r']);
    if !quote {
        return t.into_owned();
    }
    let mut out = String::with_capacity(t.len() + 4);
    out.push('"');
    if neutral {
        out.push('\'');
    }
    out.push_str(&t.replace('"', "\"\""));
    out.push('"');
    out
}

/// One CSV record with its `\n` terminator.
pub fn csv_row<S: AsRef<str>>(cells: &[S]) -> String {
    let mut line = cells
        .iter()
        .map(|c| csv_cell(c.as_ref()))
        .collect::<Vec<_>>()
        .join(",");
    line.push('\n');
    line
}

/// Undoes [`csv_cell`]'s neutralising prefix on a cell read back from a CSV file: exactly one
/// leading `'` is removed when a formula character follows it; anything else is unchanged.
pub fn csv_unneutralise(cell: &str) -> &str {
    match cell.strip_prefix('\'') {
        Some(rest) if starts_formula(rest) => rest,
        _ => cell,
    }
}

/// What a text cell may carry: what phone numbers (`023-68881234#12`, `+86…`, masked
/// `138****5678`) and credit codes are made of, and never a quote.
fn text_cell_safe(s: &str) -> bool {
    !s.is_empty()
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '*' | '#' | '+'))
}

/// One CSV cell a spreadsheet must keep as text (a phone, a credit code): `="VALUE"`, CSV-quoted
/// so the record holds `"=""VALUE"""`, when the value is only letters, digits and `-*#+`. Any
/// other value (empty, or anything that is not such an identifier) goes through [`csv_cell`]
/// and is neutralised like every other cell.
pub fn csv_text_cell(s: &str) -> String {
    if text_cell_safe(s) {
        format!("\"=\"\"{s}\"\"\"")
    } else {
        csv_cell(s)
    }
}

/// Undoes [`csv_text_cell`] on a cell read back from a CSV file: `="VALUE"` gives `VALUE` when
/// VALUE is what a text cell may carry; anything else goes through [`csv_unneutralise`].
pub fn csv_untext(cell: &str) -> &str {
    match cell.strip_prefix("=\"").and_then(|r| r.strip_suffix('"')) {
        Some(inner) if text_cell_safe(inner) => inner,
        _ => csv_unneutralise(cell),
    }
}

/// The first character that does not belong in a one-line field (a control, a line break, a
/// tab, a bidi control or an invisible character): its position (1-based, in characters) and
/// the character.
pub fn first_hidden(s: &str) -> Option<(usize, char)> {
    s.chars()
        .enumerate()
        .find(|(_, c)| kind(*c) != Kind::Plain)
        .map(|(i, c)| (i + 1, c))
}

/// How a character is named in messages: `U+202E`.
pub fn code_point(c: char) -> String {
    format!("U+{:04X}", c as u32)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Hostile inputs and what a one-line cell and multi-line text show for them.
    const TABLE: &[(&str, &str, &str)] = &[
        ("重庆戴卡", "重庆戴卡", "重庆戴卡"),
        // OSC 52: sets the clipboard on terminals that allow it.
        (
            "x\u{1b}]52;c;aGk=\u{7}y",
            "x␛]52;c;aGk=␇y",
            "x␛]52;c;aGk=␇y",
        ),
        // OSC terminated by ST, CSI colour and screen clear.
        (
            "\u{1b}]0;t\u{1b}\\a\u{1b}[31m\u{1b}[2J",
            "␛]0;t␛\\a␛[31m␛[2J",
            "␛]0;t␛\\a␛[31m␛[2J",
        ),
        // C1 CSI and OSC, as UTF-8 encoded code points.
        (
            "a\u{9b}31mb\u{9d}0;x",
            "a⟨U+009B⟩31mb⟨U+009D⟩0;x",
            "a⟨U+009B⟩31mb⟨U+009D⟩0;x",
        ),
        // Bidi overrides and isolates.
        ("\u{202e}gpj.exe", "⟨U+202E⟩gpj.exe", "⟨U+202E⟩gpj.exe"),
        (
            "a\u{2066}b\u{2069}\u{200f}\u{61c}",
            "a⟨U+2066⟩b⟨U+2069⟩⟨U+200F⟩⟨U+061C⟩",
            "a⟨U+2066⟩b⟨U+2069⟩⟨U+200F⟩⟨U+061C⟩",
        ),
        // Zero-width and invisible characters.
        (
            "戴\u{200b}卡\u{200d}\u{2060}\u{feff}\u{ad}",
            "戴⟨U+200B⟩卡⟨U+200D⟩⟨U+2060⟩⟨U+FEFF⟩⟨U+00AD⟩",
            "戴⟨U+200B⟩卡⟨U+200D⟩⟨U+2060⟩⟨U+FEFF⟩⟨U+00AD⟩",
        ),
        ("tag\u{e0041}", "tag⟨U+E0041⟩", "tag⟨U+E0041⟩"),
        // Line breaks: spaces in a cell, kept in text; a lone CR would overwrite the line.
        ("a\nb\r\nc\rd\te", "a b c d e", "a\nb\r\nc␍d\te"),
        ("p\u{2028}q\u{2029}r", "p q r", "p\nq\nr"),
        // NUL, backspace and DEL.
        ("\u{0}\u{8}\u{7f}", "␀␈␡", "␀␈␡"),
    ];

    #[test]
    fn hostile_inputs_are_shown_not_obeyed() {
        for (input, one_line, multi) in TABLE {
            assert_eq!(line(input), *one_line, "line({input:?})");
            assert_eq!(text(input), *multi, "text({input:?})");
            for out in [line(input), text(input)] {
                assert!(
                    !out.chars()
                        .any(|c| (c.is_control() && c != '\n' && c != '\t' && c != '\r')
                            || is_hidden(c)),
                    "{out:?}"
                );
                // Sanitised text passes through unchanged.
                assert_eq!(line(&line(input)), line(input));
                assert_eq!(text(&text(input)), text(input));
            }
        }
    }

    #[test]
    fn output_keeps_a_leading_bom_only() {
        assert_eq!(output("\u{feff}a,b\n"), "\u{feff}a,b\n");
        assert_eq!(output("\u{feff}a\u{feff}"), "\u{feff}a⟨U+FEFF⟩");
        assert!(matches!(output("plain\n"), Cow::Borrowed(_)));
    }

    #[test]
    fn json_escapes_are_lossless() {
        let v = serde_json::json!({
            "name": "\u{202e}戴卡\u{200b}\u{9b}\u{7f}\u{2028}\u{e0041}\u{1b}",
        });
        let s = json(serde_json::to_string(&v).unwrap());
        assert!(!s.chars().any(|c| c.is_control() || is_hidden(c)), "{s}");
        assert!(s.contains("\\u202e") && s.contains("\\udb40\\udc41"), "{s}");
        let back: serde_json::Value = serde_json::from_str(&s).unwrap();
        assert_eq!(back, v);
        assert_eq!(json("{\"a\":1}".into()), "{\"a\":1}");
    }

    #[test]
    fn csv_cells_are_neutralised_per_owasp() {
        for (cell, want) in [
            (
                "=HYPERLINK(\"http://x\",\"y\")",
                "\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\"",
            ),
            ("+1", "\"'+1\""),
            ("-2+3", "\"'-2+3\""),
            ("@SUM(A1)", "\"'@SUM(A1)\""),
            ("\tx", "\"'\tx\""),
            ("\r\nx", "\"'\r\nx\""),
            ("\nx", "\"'\nx\""),
            ("a,b", "\"a,b\""),
            ("a\"b", "\"a\"\"b\""),
            ("023-68881234", "023-68881234"),
            ("重庆", "重庆"),
            ("", ""),
            ("\u{1b}[31m", "␛[31m"),
        ] {
            assert_eq!(csv_cell(cell), want, "{cell:?}");
        }
        assert_eq!(csv_row(&["a", "=1", ""]), "a,\"'=1\",\n");
    }

    #[test]
    fn unneutralising_strips_exactly_one_quote() {
        assert_eq!(csv_unneutralise("'=1"), "=1");
        assert_eq!(csv_unneutralise("''=1"), "''=1");
        assert_eq!(csv_unneutralise("'abc"), "'abc");
        assert_eq!(csv_unneutralise("=1"), "=1");
        assert_eq!(csv_unneutralise("'-"), "-");
        // Every neutralised cell reads back as it was.
        for c in ["=1", "+x", "-y", "@z", "\tq"] {
            let cell = csv_cell(c);
            let inner = &cell[1..cell.len() - 1];
            assert_eq!(csv_unneutralise(inner), c);
        }
    }

    #[test]
    fn identifiers_become_text_cells_and_nothing_else_does() {
        let text = |v: &str| format!("\"=\"\"{v}\"\"\"");
        for v in [
            "13800138000",
            "023-68881234#12",
            "138****5678",
            "91500107MA5U3K2X0A",
        ] {
            assert_eq!(csv_text_cell(v), text(v), "{v}");
        }
        assert_eq!(csv_text_cell(""), "");
        // What is not an identifier is an ordinary cell: neutralised, never a formula.
        assert_eq!(csv_text_cell("=1+1"), "\"'=1+1\"");
        assert_eq!(csv_text_cell("+86 138"), "\"'+86 138\"");
        assert_eq!(
            csv_text_cell("1\",HYPERLINK(\"x"),
            "\"1\"\",HYPERLINK(\"\"x\""
        );
        assert_eq!(csv_text_cell("-1)&CMD("), "\"'-1)&CMD(\"");
        assert_eq!(csv_text_cell("重庆"), "重庆");
    }

    #[test]
    fn text_cells_read_back() {
        assert_eq!(csv_untext("=\"13800138000\""), "13800138000");
        assert_eq!(csv_untext("=\"138****5678\""), "138****5678");
        assert_eq!(csv_untext("'=1"), "=1");
        assert_eq!(csv_untext("=\"a b\""), "=\"a b\"");
        assert_eq!(csv_untext("=\"\""), "=\"\"");
        assert_eq!(csv_untext("13800138000"), "13800138000");
    }

    #[test]
    fn first_hidden_names_the_character() {
        assert_eq!(first_hidden("重庆"), None);
        assert_eq!(first_hidden("重\u{202e}庆"), Some((2, '\u{202e}')));
        assert_eq!(first_hidden("ab\n"), Some((3, '\n')));
        assert_eq!(code_point('\u{202e}'), "U+202E");
    }
}
