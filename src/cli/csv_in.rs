//! A strict CSV reader for imports (RFC 4180: comma-separated, fields in double quotes when they
//! hold commas, quotes or line breaks, a quote inside a quoted field doubled). Unlike a lenient
//! reader it refuses what a hand-edited file gets wrong — an unterminated quote, a stray quote
//! inside a field, text after a closing quote — and remembers the line each record starts on,
//! so every problem can be reported as `file:line`.

/// One record: the line it starts on (1-based) and its fields.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Record {
    pub line: usize,
    pub fields: Vec<String>,
}

/// What is wrong with the file's structure, and where.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CsvProblem {
    /// A quoted field opened on this line never closes.
    Unterminated { line: usize },
    /// A `"` inside a field that does not start with one.
    StrayQuote { line: usize, field: usize },
    /// Something other than a comma or the end of the line after a closing quote.
    AfterQuote { line: usize, field: usize },
}

impl CsvProblem {
    pub fn line(&self) -> usize {
        match self {
            CsvProblem::Unterminated { line }
            | CsvProblem::StrayQuote { line, .. }
            | CsvProblem::AfterQuote { line, .. } => *line,
        }
    }

    /// The problem and how to fix it, in the user's language (without the `file:line: ` part).
    pub fn message(&self, zh: bool) -> String {
        match (self, zh) {
            (CsvProblem::Unterminated { .. }, true) => {
                "此行开始的带引号字段没有结束引号，文件其余部分都被读成了这一格；请补上结束的 \"".into()
            }
            (CsvProblem::Unterminated { .. }, false) => {
                "a quoted field that starts on this line never ends (the rest of the file would be read into it); add the closing \"".into()
            }
            (CsvProblem::StrayQuote { field, .. }, true) => format!(
                "第 {field} 列中间有引号 \"；含引号的内容须整格用引号括起，并把其中的 \" 写成 \"\""
            ),
            (CsvProblem::StrayQuote { field, .. }, false) => format!(
                "field {field} has a \" inside it; put the whole field in double quotes and write the quote as \"\""
            ),
            (CsvProblem::AfterQuote { field, .. }, true) => format!(
                "第 {field} 列的结束引号后还有内容；逗号前的内容应全部在引号内"
            ),
            (CsvProblem::AfterQuote { field, .. }, false) => format!(
                "field {field} has text after its closing quote; keep the whole value inside the quotes"
            ),
        }
    }
}

/// Splits `text` into records. Blank lines are skipped. Structural problems are collected
/// (reading goes on at the next line), except an unterminated quote, which ends the file.
pub fn read(text: &str) -> (Vec<Record>, Vec<CsvProblem>) {
    let mut records = Vec::new();
    let mut problems = Vec::new();
    let mut chars = text.chars().peekable();
    let mut line = 1;
    loop {
        if chars.peek().is_none() {
            break;
        }
        let start = line;
        let mut fields = Vec::new();
        let mut field = String::new();
        let mut bad = false;
        // One record.
        loop {
            // At the start of a field.
            if chars.peek() == Some(&'"') {
                chars.next();
                let opened = line;
                let mut closed = false;
                while let Some(c) = chars.next() {
                    match c {
                        '"' if chars.peek() == Some(&'"') => {
                            chars.next();
                            field.push('"');
                        }
                        '"' => {
                            closed = true;
                            break;
                        }
                        '\n' => {
                            line += 1;
                            field.push(c);
                        }
                        c => field.push(c),
                    }
                }
                if !closed {
                    problems.push(CsvProblem::Unterminated { line: opened });
                    return (records, problems);
                }
                match chars.peek() {
                    None | Some(',') | Some('\n') | Some('\r') => {}
                    Some(_) => {
                        if !bad {
                            problems.push(CsvProblem::AfterQuote {
                                line,
                                field: fields.len() + 1,
                            });
                        }
                        bad = true;
                        // Skip to the end of this field.
                        while let Some(&c) = chars.peek() {
                            if c == ',' || c == '\n' || c == '\r' {
                                break;
                            }
                            chars.next();
                        }
                    }
                }
            } else {
                while let Some(&c) = chars.peek() {
                    if c == ',' || c == '\n' || c == '\r' {
                        break;
                    }
                    chars.next();
                    if c == '"' && !bad {
                        problems.push(CsvProblem::StrayQuote {
                            line,
                            field: fields.len() + 1,
                        });
                        bad = true;
                    }
                    field.push(c);
                }
            }
            fields.push(std::mem::take(&mut field));
            match chars.next() {
                Some(',') => continue,
                Some('\r') => {
                    if chars.peek() == Some(&'\n') {
                        chars.next();
                    }
                    line += 1;
                    break;
                }
                Some('\n') => {
                    line += 1;
                    break;
                }
                _ => break,
            }
        }
        let blank = fields.len() == 1 && fields[0].is_empty();
        if !bad && !blank {
            records.push(Record {
                line: start,
                fields,
            });
        }
    }
    (records, problems)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rec(line: usize, f: &[&str]) -> Record {
        Record {
            line,
            fields: f.iter().map(|s| s.to_string()).collect(),
        }
    }

    #[test]
    fn reads_quoted_fields_and_counts_lines() {
        let (r, p) = read("a,b\r\n\"x,1\",\"say \"\"hi\"\"\"\n\n\"two\nlines\",z\nlast,");
        assert!(p.is_empty(), "{p:?}");
        assert_eq!(
            r,
            vec![
                rec(1, &["a", "b"]),
                rec(2, &["x,1", "say \"hi\""]),
                rec(4, &["two\nlines", "z"]),
                rec(6, &["last", ""]),
            ]
        );
    }

    #[test]
    fn refuses_broken_quoting_with_its_line() {
        let (r, p) = read("a,b\nok,1\n\"open,2\nmore,3\n");
        assert_eq!(r, vec![rec(1, &["a", "b"]), rec(2, &["ok", "1"])]);
        assert_eq!(p, vec![CsvProblem::Unterminated { line: 3 }]);
        let (r, p) = read("a,b\nx\"y,1\n\"q\"z,2\nfine,3\n");
        assert_eq!(r, vec![rec(1, &["a", "b"]), rec(4, &["fine", "3"])]);
        assert_eq!(
            p,
            vec![
                CsvProblem::StrayQuote { line: 2, field: 1 },
                CsvProblem::AfterQuote { line: 3, field: 1 }
            ]
        );
        assert!(p[0].message(true).contains("\"\""));
        assert!(CsvProblem::Unterminated { line: 3 }
            .message(false)
            .contains("closing"));
    }
}
