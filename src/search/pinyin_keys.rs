//! Turning a name into searchable units: one per Chinese character or ASCII
//! letter/digit, each with its phrase-aware reading, its other possible
//! readings and a bitmask of every initial it could be typed with.

use pinyin::{ToPinyin, ToPinyinMulti};

use crate::search::phrases;

/// One searchable position of a name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Unit {
    /// The (normalised) character: lowercase ASCII or a Chinese character.
    pub ch: char,
    /// Phrase-aware reading, toneless lowercase ASCII. For an ASCII unit it
    /// is the character itself; for a Chinese character without pinyin data
    /// it is empty (nothing can be typed for it).
    pub primary: String,
    /// Every other reading the character may have (deduplicated after tones
    /// are dropped), so that `zhongqing` and initials `zq` still find 重庆.
    pub alts: Vec<String>,
}

impl Unit {
    /// Bitmask of the initials of all readings (see [`bit`]).
    pub fn mask(&self) -> u64 {
        self.alts
            .iter()
            .fold(self.primary_bit(), |m, r| m | first_bit(r))
    }

    /// Bit of the initial of the primary reading.
    pub fn primary_bit(&self) -> u64 {
        first_bit(&self.primary)
    }
}

/// Bit for an ASCII letter or digit: `a..=z` are bits 0–25, `0..=9` bits
/// 26–35. Everything else is 0, which never matches.
#[inline]
pub(crate) fn bit(b: u8) -> u64 {
    match b {
        b'a'..=b'z' => 1 << (b - b'a'),
        b'0'..=b'9' => 1 << (26 + b - b'0'),
        _ => 0,
    }
}

fn first_bit(reading: &str) -> u64 {
    reading.bytes().next().map_or(0, bit)
}

/// Bitmask of every letter and digit in `s`.
pub(crate) fn letters_mask(s: &str) -> u64 {
    s.bytes().fold(0, |m, b| m | bit(b))
}

/// Maps full-width ASCII variants (`ＡＢＣ１２３（）`, ideographic space) to
/// their ASCII forms and lowercases ASCII, so that names and queries typed
/// with a Chinese IME in full-width mode compare equal.
#[inline]
pub(crate) fn fold_char(c: char) -> char {
    let c = match c {
        '\u{3000}' => ' ',
        '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
        _ => c,
    };
    c.to_ascii_lowercase()
}

/// Normalised form of a name or query for substring matching: folded
/// (see [`fold_char`]) with all whitespace removed, since people type
/// `重庆 戴卡` and data has stray spaces.
pub(crate) fn normalize(s: &str) -> String {
    s.chars()
        .flat_map(|c| fold_char(c).to_lowercase())
        .filter(|c| !c.is_whitespace())
        .collect()
}

/// Chinese characters that get a unit even when the pinyin data has no
/// reading for them (CJK Unified Ideographs and extensions, compatibility
/// ideographs).
fn is_han(c: char) -> bool {
    matches!(c as u32,
        0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF | 0x20000..=0x3134F)
}

/// Whether `c` (already folded) becomes a unit of a name.
pub(crate) fn is_unit_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || is_han(c) || c.to_pinyin().is_some()
}

/// Toneless ASCII form of a plain reading: `ü` is typed `v` on every pinyin
/// IME, `ê` as `e`; anything else non-ASCII is dropped.
fn ascii_reading(plain: &str) -> String {
    plain
        .chars()
        .filter_map(|c| match c {
            'ü' => Some('v'),
            'ê' => Some('e'),
            c if c.is_ascii_alphabetic() => Some(c.to_ascii_lowercase()),
            _ => None,
        })
        .collect()
}

/// Splits a name into units with phrase-aware primary readings.
pub(crate) fn units(name: &str) -> Vec<Unit> {
    let chars: Vec<char> = name
        .chars()
        .map(fold_char)
        .filter(|&c| is_unit_char(c))
        .collect();
    let mut units: Vec<Unit> = chars
        .iter()
        .map(|&ch| {
            if ch.is_ascii() {
                return Unit {
                    ch,
                    primary: ch.to_string(),
                    alts: Vec::new(),
                };
            }
            let primary = ch
                .to_pinyin()
                .map(|p| ascii_reading(p.plain()))
                .unwrap_or_default();
            let mut alts: Vec<String> = Vec::new();
            if let Some(multi) = ch.to_pinyin_multi() {
                for p in multi {
                    let r = ascii_reading(p.plain());
                    if !r.is_empty() && r != primary && !alts.contains(&r) {
                        alts.push(r);
                    }
                }
            }
            Unit { ch, primary, alts }
        })
        .collect();

    // Phrase overrides, longest match first, left to right. The phrase
    // reading becomes primary and the old default moves to the alternates,
    // so it still matches, just ranked lower.
    let mut i = 0;
    while i < chars.len() {
        match phrases::longest_at(&chars[i..]) {
            Some((len, readings)) => {
                for (unit, reading) in units[i..i + len].iter_mut().zip(readings) {
                    if unit.primary != reading {
                        let old = std::mem::replace(&mut unit.primary, reading.to_owned());
                        unit.alts.retain(|a| a != reading);
                        if !old.is_empty() {
                            unit.alts.insert(0, old);
                        }
                    }
                }
                i += len;
            }
            None => i += 1,
        }
    }
    units
}

/// Full pinyin of `name`: phrase-aware default readings, no tones, lowercase,
/// no separators; ASCII letters and digits pass through lowercased;
/// punctuation (including full-width brackets) is skipped.
///
/// ```
/// use dutydesk::search::full_pinyin;
/// assert_eq!(full_pinyin("重庆长安汽车"), "chongqingchanganqiche");
/// assert_eq!(full_pinyin("ABB（重庆）"), "abbchongqing");
/// ```
#[must_use]
pub fn full_pinyin(name: &str) -> String {
    units(name).into_iter().map(|u| u.primary).collect()
}

/// Initials of `name`: first letter of each phrase-aware reading, plus ASCII
/// letters and digits lowercased (each is its own initial).
///
/// ```
/// use dutydesk::search::initials;
/// assert_eq!(initials("重庆戴卡捷力轮毂制造有限公司"), "cqdkjllgzzyxgs");
/// assert_eq!(initials("ABB（重庆）"), "abbcq");
/// ```
#[must_use]
pub fn initials(name: &str) -> String {
    units(name)
        .iter()
        .filter_map(|u| u.primary.chars().next())
        .collect()
}

/// Key that orders names as a Chinese reader expects, by pinyin (嘉 jia, 华 hua, 南 nan, 中
/// zhong: 华, 嘉, 南, 中), not by code point. Each unit's phrase-aware reading, a space between
/// syllables so a shorter reading sorts first (`xi an` before `xian`), then the name itself so
/// different characters with one reading still order the same way every time. Letters and
/// digits in names sort among the readings, lowercased.
///
/// ```
/// use dutydesk::search::sort_key;
/// let mut v = vec!["中信", "华为", "南方", "嘉陵"];
/// v.sort_by_key(|n| sort_key(n));
/// assert_eq!(v, ["华为", "嘉陵", "南方", "中信"]);
/// ```
#[must_use]
pub fn sort_key(name: &str) -> String {
    let mut key = String::with_capacity(name.len() * 3);
    for u in units(name) {
        if u.primary.is_empty() {
            // No reading known: the character itself, after every reading.
            key.push(u.ch);
        } else {
            key.push_str(&u.primary);
        }
        key.push(' ');
    }
    key.push('\u{1}');
    key.push_str(name);
    key
}
