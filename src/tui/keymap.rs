//! Keymaps: `keymaps/default.toml` (embedded) overlaid by a named or given keymap and the
//! user's `keymap.toml`, per context. Every problem is reported at once with file:line.

use std::collections::{BTreeMap, HashMap};
use std::path::Path;

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::action::Action;
use crate::i18n::Lang;

const DEFAULT: &str = include_str!("../../keymaps/default.toml");
const VIM: &str = include_str!("../../keymaps/vim.toml");

/// Where a binding applies. Lookups try the screen's context, then `Global`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Context {
    Global,
    List,
    Detail,
    Form,
    Picker,
}

impl Context {
    pub const ALL: [Context; 5] = [
        Context::Global,
        Context::List,
        Context::Detail,
        Context::Form,
        Context::Picker,
    ];
    pub fn name(self) -> &'static str {
        match self {
            Context::Global => "global",
            Context::List => "list",
            Context::Detail => "detail",
            Context::Form => "form",
            Context::Picker => "picker",
        }
    }
    pub fn title(self, en: bool) -> &'static str {
        match (self, en) {
            (Context::Global, false) => "全局",
            (Context::List, false) => "列表",
            (Context::Detail, false) => "问题详情",
            (Context::Form, false) => "表单",
            (Context::Picker, false) => "选择器",
            (Context::Global, true) => "Everywhere",
            (Context::List, true) => "Lists",
            (Context::Detail, true) => "Issue detail",
            (Context::Form, true) => "Forms",
            (Context::Picker, true) => "Pickers",
        }
    }
    fn parse(s: &str) -> Option<Context> {
        Context::ALL.into_iter().find(|c| c.name() == s)
    }
}

/// A key with modifiers, normalised (`Ctrl-C` = `ctrl-c`; shift folded into letters).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Key {
    pub code: KeyName,
    pub ctrl: bool,
    pub alt: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum KeyName {
    Char(char),
    F(u8),
    Enter,
    Esc,
    Tab,
    BackTab,
    Backspace,
    Delete,
    Up,
    Down,
    Left,
    Right,
    PageUp,
    PageDown,
    Home,
    End,
}

impl Key {
    /// Parses `ctrl-c`, `shift-g`, `?`, `enter`, `f1`, `alt-x`, `pgdn`, …
    pub fn parse(s: &str) -> Option<Key> {
        let s = s.trim();
        if s.is_empty() {
            return None;
        }
        let mut ctrl = false;
        let mut alt = false;
        let mut shift = false;
        let mut rest = s;
        loop {
            let lower = rest.to_ascii_lowercase();
            if rest.chars().count() > 1 {
                if let Some(r) = ["ctrl-", "control-", "c-"]
                    .iter()
                    .find_map(|p| lower.strip_prefix(p).map(|_| &rest[p.len()..]))
                {
                    ctrl = true;
                    rest = r;
                    continue;
                }
                if let Some(r) = ["alt-", "meta-", "a-", "m-"]
                    .iter()
                    .find_map(|p| lower.strip_prefix(p).map(|_| &rest[p.len()..]))
                {
                    alt = true;
                    rest = r;
                    continue;
                }
                if let Some(r) = ["shift-", "s-"]
                    .iter()
                    .find_map(|p| lower.strip_prefix(p).map(|_| &rest[p.len()..]))
                {
                    shift = true;
                    rest = r;
                    continue;
                }
            }
            break;
        }
        let lower = rest.to_ascii_lowercase();
        let code = match lower.as_str() {
            "enter" | "return" | "ret" => KeyName::Enter,
            "esc" | "escape" => KeyName::Esc,
            "tab" if shift => KeyName::BackTab,
            "tab" => KeyName::Tab,
            "backtab" => KeyName::BackTab,
            "backspace" | "bs" => KeyName::Backspace,
            "delete" | "del" => KeyName::Delete,
            "up" => KeyName::Up,
            "down" => KeyName::Down,
            "left" => KeyName::Left,
            "right" => KeyName::Right,
            "pgup" | "pageup" => KeyName::PageUp,
            "pgdn" | "pagedown" => KeyName::PageDown,
            "home" => KeyName::Home,
            "end" => KeyName::End,
            "space" => KeyName::Char(' '),
            f if f.len() >= 2
                && f.starts_with('f')
                && f[1..].chars().all(|c| c.is_ascii_digit()) =>
            {
                let n: u8 = f[1..].parse().ok()?;
                if !(1..=12).contains(&n) {
                    return None;
                }
                KeyName::F(n)
            }
            _ => {
                let mut cs = rest.chars();
                let c = cs.next()?;
                if cs.next().is_some() {
                    return None;
                }
                // Letters are case-insensitive under ctrl; shift-g means G.
                let c = if ctrl {
                    c.to_ascii_lowercase()
                } else if shift {
                    c.to_ascii_uppercase()
                } else {
                    c
                };
                KeyName::Char(c)
            }
        };
        Some(Key { code, ctrl, alt })
    }

    /// The key of a terminal event.
    pub fn from_event(e: &KeyEvent) -> Option<Key> {
        let ctrl = e.modifiers.contains(KeyModifiers::CONTROL);
        let alt = e.modifiers.contains(KeyModifiers::ALT);
        let code = match e.code {
            KeyCode::Char(c) => KeyName::Char(if ctrl { c.to_ascii_lowercase() } else { c }),
            KeyCode::F(n) => KeyName::F(n),
            KeyCode::Enter => KeyName::Enter,
            KeyCode::Esc => KeyName::Esc,
            KeyCode::Tab if e.modifiers.contains(KeyModifiers::SHIFT) => KeyName::BackTab,
            KeyCode::Tab => KeyName::Tab,
            KeyCode::BackTab => KeyName::BackTab,
            KeyCode::Backspace => KeyName::Backspace,
            KeyCode::Delete => KeyName::Delete,
            KeyCode::Up => KeyName::Up,
            KeyCode::Down => KeyName::Down,
            KeyCode::Left => KeyName::Left,
            KeyCode::Right => KeyName::Right,
            KeyCode::PageUp => KeyName::PageUp,
            KeyCode::PageDown => KeyName::PageDown,
            KeyCode::Home => KeyName::Home,
            KeyCode::End => KeyName::End,
            _ => return None,
        };
        Some(Key { code, ctrl, alt })
    }

    /// Printable and unmodified: types text in a text field.
    pub fn is_text(&self) -> bool {
        matches!(self.code, KeyName::Char(_)) && !self.ctrl && !self.alt
    }

    /// How the help overlay shows the key.
    pub fn label(&self) -> String {
        let base = match self.code {
            KeyName::Char(' ') => "space".to_string(),
            KeyName::Char(c) if self.ctrl || self.alt => c.to_ascii_uppercase().to_string(),
            KeyName::Char(c) => c.to_string(),
            KeyName::F(n) => format!("F{n}"),
            KeyName::Enter => "Enter".into(),
            KeyName::Esc => "Esc".into(),
            KeyName::Tab => "Tab".into(),
            KeyName::BackTab => "Shift-Tab".into(),
            KeyName::Backspace => "Backspace".into(),
            KeyName::Delete => "Del".into(),
            KeyName::Up => "↑".into(),
            KeyName::Down => "↓".into(),
            KeyName::Left => "←".into(),
            KeyName::Right => "→".into(),
            KeyName::PageUp => "PgUp".into(),
            KeyName::PageDown => "PgDn".into(),
            KeyName::Home => "Home".into(),
            KeyName::End => "End".into(),
        };
        let mut s = String::new();
        if self.ctrl {
            s.push_str("Ctrl-");
        }
        if self.alt {
            s.push_str("Alt-");
        }
        s.push_str(&base);
        s
    }
}

/// The merged keymap.
#[derive(Debug, Clone, Default)]
pub struct Keymap {
    bindings: HashMap<(Context, Key), Action>,
}

/// A keymap problem, located: the file, the line (0 when it is about the file as a whole) and
/// what is wrong.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeymapError {
    pub file: String,
    pub line: usize,
    pub problem: Problem,
}

/// What is wrong with a keymap, in terms the message can be written from in either language.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Problem {
    /// The file is not TOML (the parser's own words).
    Syntax(String),
    /// The file cannot be read (the system's words).
    Unreadable(String),
    UnknownContext(String),
    BadKey(String),
    UnknownAction {
        name: String,
        nearest: String,
    },
    /// The same key twice in one context, after normalising (`ctrl-c` = `Ctrl-C`).
    SameKey {
        key: String,
        other: String,
        other_line: usize,
        context: &'static str,
    },
    /// `quit` or `help` left without a key in `[global]`.
    MustStayBound(String),
}

impl KeymapError {
    /// `file:line: problem` in the officer's language.
    pub fn message(&self, lang: Lang) -> String {
        let what = self.problem.message(lang);
        if self.line > 0 {
            format!("{}:{}: {what}", self.file, self.line)
        } else {
            format!("{}: {what}", self.file)
        }
    }
}

impl Problem {
    pub fn message(&self, lang: Lang) -> String {
        let contexts = Context::ALL.map(|c| c.name()).join(", ");
        match (self, lang.is_en()) {
            (Problem::Syntax(m), true) => format!("not a valid keymap: {m}"),
            (Problem::Syntax(m), false) => format!("不是有效的按键配置：{m}"),
            (Problem::Unreadable(m), true) => {
                format!("{m}; --keymap takes \"default\", \"vim\" or a path to a TOML file")
            }
            (Problem::Unreadable(m), false) => format!(
                "无法读取（{m}）；--keymap 可取 \"default\"、\"vim\" 或一个 TOML 文件的路径"
            ),
            (Problem::UnknownContext(c), true) => {
                format!("unknown context [{c}]; use one of: {contexts}")
            }
            (Problem::UnknownContext(c), false) => {
                format!("未知的分组 [{c}]；可用的分组：{contexts}")
            }
            (Problem::BadKey(k), true) => {
                format!("cannot read key \"{k}\" (e.g. \"ctrl-c\", \"enter\", \"f1\", \"?\")")
            }
            (Problem::BadKey(k), false) => {
                format!("无法识别按键 \"{k}\"（例如 \"ctrl-c\"、\"enter\"、\"f1\"、\"?\"）")
            }
            (Problem::UnknownAction { name, nearest }, true) => {
                format!("unknown action \"{name}\"; did you mean \"{nearest}\"?")
            }
            (Problem::UnknownAction { name, nearest }, false) => {
                format!("未知的操作 \"{name}\"；是否应为 \"{nearest}\"？")
            }
            (
                Problem::SameKey {
                    key,
                    other,
                    other_line,
                    context,
                },
                true,
            ) => format!(
                "\"{key}\" is the same key as \"{other}\" (line {other_line}) in [{context}]"
            ),
            (
                Problem::SameKey {
                    key,
                    other,
                    other_line,
                    context,
                },
                false,
            ) => format!(
                "\"{key}\" 与第 {other_line} 行的 \"{other}\" 是同一个按键（分组 [{context}]）"
            ),
            (Problem::MustStayBound(a), true) => {
                format!("\"{a}\" must stay bound in [global], or there is no way out")
            }
            (Problem::MustStayBound(a), false) => {
                format!("[global] 中必须保留 \"{a}\" 的按键，否则无法退出或查看帮助")
            }
        }
    }
}

impl std::fmt::Display for KeymapError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message(Lang::En))
    }
}

fn line_of(text: &str, offset: usize) -> usize {
    text[..offset.min(text.len())].matches('\n').count() + 1
}

fn nearest_action(name: &str) -> String {
    fn dist(a: &str, b: &str) -> usize {
        let a: Vec<char> = a.chars().collect();
        let b: Vec<char> = b.chars().collect();
        let mut prev: Vec<usize> = (0..=b.len()).collect();
        for i in 1..=a.len() {
            let mut cur = vec![i; b.len() + 1];
            for j in 1..=b.len() {
                cur[j] = (prev[j] + 1)
                    .min(cur[j - 1] + 1)
                    .min(prev[j - 1] + usize::from(a[i - 1] != b[j - 1]));
            }
            prev = cur;
        }
        prev[b.len()]
    }
    Action::ALL
        .iter()
        .map(|a| a.name())
        .min_by_key(|n| dist(name, n))
        .unwrap_or_default()
}

type RawKeymap =
    BTreeMap<toml::Spanned<String>, BTreeMap<toml::Spanned<String>, toml::Spanned<String>>>;

impl Keymap {
    /// Adds one file's bindings on top of what is there, collecting all problems.
    pub fn overlay(&mut self, text: &str, file: &str) -> Result<(), Vec<KeymapError>> {
        let err = |offset: usize, problem: Problem| KeymapError {
            file: file.to_string(),
            line: line_of(text, offset),
            problem,
        };
        let raw: RawKeymap = toml::from_str(text).map_err(|e| {
            vec![KeymapError {
                file: file.to_string(),
                line: e.span().map_or(1, |s| line_of(text, s.start)),
                problem: Problem::Syntax(e.message().trim().to_string()),
            }]
        })?;
        let mut errors = Vec::new();
        let mut added: HashMap<(Context, Key), (String, usize)> = HashMap::new();
        // In the file's order, so a repeated key is reported where it is repeated.
        let mut contexts: Vec<_> = raw.iter().collect();
        contexts.sort_by_key(|(c, _)| c.span().start);
        for (ctx_name, table) in contexts {
            let Some(ctx) = Context::parse(ctx_name.get_ref()) else {
                errors.push(err(
                    ctx_name.span().start,
                    Problem::UnknownContext(ctx_name.get_ref().clone()),
                ));
                continue;
            };
            let mut entries: Vec<_> = table.iter().collect();
            entries.sort_by_key(|(k, _)| k.span().start);
            for (key_s, action_s) in entries {
                let line = line_of(text, key_s.span().start);
                let key = Key::parse(key_s.get_ref());
                let action = Action::from_name(action_s.get_ref());
                if key.is_none() {
                    errors.push(err(
                        key_s.span().start,
                        Problem::BadKey(key_s.get_ref().clone()),
                    ));
                }
                if action.is_none() {
                    errors.push(err(
                        action_s.span().start,
                        Problem::UnknownAction {
                            name: action_s.get_ref().clone(),
                            nearest: nearest_action(action_s.get_ref()),
                        },
                    ));
                }
                if let (Some(k), Some(a)) = (key, action) {
                    if let Some((other, other_line)) = added.get(&(ctx, k)) {
                        errors.push(KeymapError {
                            file: file.into(),
                            line,
                            problem: Problem::SameKey {
                                key: key_s.get_ref().clone(),
                                other: other.clone(),
                                other_line: *other_line,
                                context: ctx.name(),
                            },
                        });
                        continue;
                    }
                    added.insert((ctx, k), (key_s.get_ref().clone(), line));
                    self.bindings.insert((ctx, k), a);
                }
            }
        }
        if errors.is_empty() {
            Ok(())
        } else {
            errors.sort_by_key(|e| e.line);
            Err(errors)
        }
    }

    /// The default keymap only.
    pub fn default_map() -> Keymap {
        let mut k = Keymap::default();
        k.overlay(DEFAULT, "keymaps/default.toml")
            .expect("shipped keymap is valid");
        k
    }

    /// Default + `--keymap NAME|PATH` + the user's `keymap.toml` in `config_dir`.
    pub fn load(
        choice: Option<&str>,
        config_dir: Option<&Path>,
    ) -> Result<Keymap, Vec<KeymapError>> {
        let mut k = Keymap::default_map();
        let mut errors = Vec::new();
        match choice.map(str::trim) {
            None | Some("") | Some("default") => {}
            Some("vim") => k
                .overlay(VIM, "keymaps/vim.toml")
                .unwrap_or_else(|e| errors.extend(e)),
            Some(path) => match std::fs::read_to_string(path) {
                Ok(text) => k.overlay(&text, path).unwrap_or_else(|e| errors.extend(e)),
                Err(e) => errors.push(KeymapError {
                    file: path.into(),
                    line: 0,
                    problem: Problem::Unreadable(e.to_string()),
                }),
            },
        }
        if let Some(dir) = config_dir {
            let p = dir.join("keymap.toml");
            if let Ok(text) = std::fs::read_to_string(&p) {
                k.overlay(&text, &p.display().to_string())
                    .unwrap_or_else(|e| errors.extend(e));
            }
        }
        // Some global key must always quit (either kind) and one must show the help.
        for (a, also) in [
            (Action::Quit, Action::ForceQuit),
            (Action::Help, Action::Help),
        ] {
            if !k
                .bindings
                .iter()
                .any(|((c, _), b)| (*b == a || *b == also) && *c == Context::Global)
            {
                errors.push(KeymapError {
                    file: choice.unwrap_or("keymap").into(),
                    line: 0,
                    problem: Problem::MustStayBound(a.name()),
                });
            }
        }
        if errors.is_empty() {
            Ok(k)
        } else {
            Err(errors)
        }
    }

    /// The action for a key in a context (falling back to global).
    pub fn lookup(&self, ctx: Context, key: Key) -> Option<Action> {
        self.bindings
            .get(&(ctx, key))
            .or_else(|| self.bindings.get(&(Context::Global, key)))
            .copied()
    }

    /// The first key bound to `action` in `ctx` (or global), for hints.
    pub fn key_for(&self, ctx: Context, action: Action) -> Option<String> {
        let mut keys: Vec<&Key> = self
            .bindings
            .iter()
            .filter(|((c, _), a)| **a == action && (*c == ctx || *c == Context::Global))
            .map(|((_, k), _)| k)
            .collect();
        keys.sort();
        keys.first().map(|k| k.label())
    }

    /// Bindings grouped by context, for the help overlay.
    pub fn grouped(&self) -> Vec<(Context, Vec<(String, Action)>)> {
        Context::ALL
            .into_iter()
            .map(|c| {
                let mut v: Vec<(Key, Action)> = self
                    .bindings
                    .iter()
                    .filter(|((cx, _), _)| *cx == c)
                    .map(|((_, k), a)| (*k, *a))
                    .collect();
                v.sort_by_key(|(k, a)| (Action::ALL.iter().position(|x| x == a), *k));
                (
                    c,
                    v.into_iter()
                        .map(|(k, a)| (k.label(), a))
                        .collect::<Vec<_>>(),
                )
            })
            .filter(|(_, v)| !v.is_empty())
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shipped_keymaps_are_valid() {
        let k = Keymap::load(None, None).unwrap();
        assert_eq!(
            k.lookup(Context::List, Key::parse("n").unwrap()),
            Some(Action::NewIssue)
        );
        assert_eq!(
            k.lookup(Context::Form, Key::parse("ctrl-c").unwrap()),
            Some(Action::ForceQuit)
        );
        assert!(Keymap::load(Some("vim"), None).is_ok());
    }

    #[test]
    fn keys_normalise() {
        assert_eq!(Key::parse("Ctrl-C"), Key::parse("ctrl-c"));
        assert_eq!(Key::parse("shift-g"), Key::parse("G"));
        assert_eq!(Key::parse("shift-tab"), Key::parse("backtab"));
        assert_eq!(Key::parse("F1").unwrap().code, KeyName::F(1));
        assert!(Key::parse("ctrl-").is_none());
        assert!(Key::parse("f13").is_none());
        assert!(Key::parse("xy").is_none());
    }

    #[test]
    fn all_problems_reported_with_lines() {
        let mut k = Keymap::default();
        let text = "[list]\n\"j\" = \"dwon\"\n\"ctrl-c\" = \"quit\"\n\"Ctrl-C\" = \"help\"\n\"nonsense-key\" = \"up\"\n[bogus]\n\"a\" = \"up\"\n";
        let errs = k.overlay(text, "my.toml").unwrap_err();
        let lines: Vec<usize> = errs.iter().map(|e| e.line).collect();
        assert!(
            errs.iter()
                .any(|e| e.line == 2 && e.to_string().contains("\"down\"")),
            "{errs:?}"
        );
        assert!(
            errs.iter().any(|e| e.line == 4
                && e.to_string()
                    .contains("\"Ctrl-C\" is the same key as \"ctrl-c\" (line 3)")),
            "the repeat is reported where it repeats: {errs:?}"
        );
        assert!(
            errs.iter()
                .any(|e| e.line == 5 && e.to_string().contains("cannot read key")),
            "{errs:?}"
        );
        assert!(
            errs.iter()
                .any(|e| e.line == 6 && e.to_string().contains("unknown context")),
            "{errs:?}"
        );
        assert_eq!(
            lines,
            vec![2, 4, 5, 6],
            "every problem, in the file's order"
        );
        assert!(errs[0].to_string().starts_with("my.toml:2: "));
        // In Chinese for a Chinese desk, with the same file:line.
        let zh: Vec<String> = errs.iter().map(|e| e.message(Lang::Zh)).collect();
        assert_eq!(zh[0], "my.toml:2: 未知的操作 \"dwon\"；是否应为 \"down\"？");
        assert!(
            zh[1].starts_with("my.toml:4: ") && zh[1].contains("同一个按键"),
            "{zh:?}"
        );
        assert!(
            zh[2].contains("无法识别按键") && zh[3].contains("未知的分组 [bogus]"),
            "{zh:?}"
        );
    }

    #[test]
    fn quit_must_stay_bound() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("k.toml");
        std::fs::write(&p, "[global]\n\"ctrl-c\" = \"back\"\n").unwrap();
        let errs = Keymap::load(Some(p.to_str().unwrap()), None).unwrap_err();
        assert!(
            errs.iter().any(|e| e.to_string().contains("\"quit\"")),
            "{errs:?}"
        );
    }

    #[test]
    fn user_file_overrides_per_key() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join("keymap.toml"),
            "[list]\n\"n\" = \"search\"\n",
        )
        .unwrap();
        let k = Keymap::load(None, Some(dir.path())).unwrap();
        assert_eq!(
            k.lookup(Context::List, Key::parse("n").unwrap()),
            Some(Action::Search)
        );
        assert_eq!(
            k.lookup(Context::List, Key::parse("q").unwrap()),
            Some(Action::Quit)
        );
    }
}
