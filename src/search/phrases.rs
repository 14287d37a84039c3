//! Phrase readings for polyphonic characters in company names.
//!
//! The `pinyin` crate knows one default reading per character, and for a
//! handful of characters that are everywhere in Chongqing company names the
//! default is the wrong one: 重 defaults to `zhong` (重庆 is `chongqing`), 长
//! to `zhang` (长安 is `changan`), 行 to `xing` (银行 is `yinhang`), 都 to `dou`
//! (成都 is `chengdu`). This small table gives the reading of common phrases
//! so that [`full_pinyin`](crate::search::full_pinyin) and
//! [`initials`](crate::search::initials) produce what a person would type,
//! and so that this reading is ranked above the other possible readings.
//!
//! Entries whose default reading is already right (重型, 重工, 重大, 快乐) are
//! listed anyway: they pin the reading down if the pinyin data changes and
//! they stop a longer phrase from stealing the characters.

/// `(phrase, space-separated toneless readings, one per character)`.
///
/// Keep each phrase short (2–3 characters): lookup is longest-match-first,
/// left to right, and a long phrase could swallow the start of a shorter,
/// more important one.
pub(crate) const PHRASES: &[(&str, &str)] = &[
    // 重 chong / zhong
    ("重庆", "chong qing"),
    ("重型", "zhong xing"),
    ("重工", "zhong gong"),
    ("重大", "zhong da"),
    // 长 chang / zhang
    ("长江", "chang jiang"),
    ("长安", "chang an"),
    ("长城", "chang cheng"),
    ("长寿", "chang shou"),
    ("长沙", "chang sha"),
    ("长春", "chang chun"),
    ("长虹", "chang hong"),
    ("长征", "chang zheng"),
    ("长途", "chang tu"),
    // 行 hang / xing
    ("银行", "yin hang"),
    ("行业", "hang ye"),
    ("分行", "fen hang"),
    ("支行", "zhi hang"),
    ("总行", "zong hang"),
    ("商行", "shang hang"),
    ("车行", "che hang"),
    ("琴行", "qin hang"),
    // 乐 le / yue
    ("音乐", "yin yue"),
    ("乐器", "yue qi"),
    ("快乐", "kuai le"),
    // 都 du / dou
    ("成都", "cheng du"),
    ("丰都", "feng du"),
    ("首都", "shou du"),
    ("都市", "du shi"),
    ("都江堰", "du jiang yan"),
    // 厦 xia / sha, 藏 zang / cang, 调 tiao / diao, 会 kuai / hui
    ("厦门", "xia men"),
    ("西藏", "xi zang"),
    ("空调", "kong tiao"),
    ("调味", "tiao wei"),
    ("会计", "kuai ji"),
];

/// Longest phrase that starts at `chars[0]`, as `(length in chars, readings)`.
pub(crate) fn longest_at(chars: &[char]) -> Option<(usize, std::str::SplitWhitespace<'static>)> {
    let first = *chars.first()?;
    let mut best: Option<(usize, &'static str)> = None;
    for &(phrase, readings) in PHRASES {
        // Cheap reject on the first character before comparing the rest.
        if !phrase.starts_with(first) {
            continue;
        }
        let len = phrase.chars().count();
        if len > chars.len() || best.is_some_and(|(l, _)| l >= len) {
            continue;
        }
        if phrase.chars().zip(chars).all(|(a, &b)| a == b) {
            best = Some((len, readings));
        }
    }
    best.map(|(len, readings)| (len, readings.split_whitespace()))
}
