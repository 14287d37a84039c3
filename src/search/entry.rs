//! Per-enterprise data precomputed at insert time, so that a keystroke only
//! does byte comparisons and bit tests.

use crate::search::pinyin_keys::{self, letters_mask, normalize, Unit};

/// Common legal-form suffixes. A match that starts inside one of these is
/// ranked low: every company is a 有限公司, so typing `yxgs` says little.
const SUFFIXES: &[&str] = &[
    "股份有限公司",
    "有限责任公司",
    "集团有限公司",
    "有限公司",
    "分公司",
    "公司",
];

/// Leading place names. Duty officers skip them when typing (`dk` for
/// 重庆戴卡…), so a match right after one ranks nearly like a match at the
/// start.
const LEADS: &[&str] = &["重庆市", "重庆", "中国"];

/// Everything precomputed for one enterprise, owned. Built once per
/// upsert, then copied into the index's flat arenas (see
/// [`Store`](crate::search::store::Store)) and dropped.
#[derive(Debug, Clone)]
pub(crate) struct Entry {
    /// Credit code folded to lowercase ASCII without whitespace, for matching.
    pub code_norm: String,
    /// Name folded for substring matching (see [`normalize`]).
    pub name_norm: String,
    /// Unit characters (see [`Unit::ch`]).
    pub chars: Vec<char>,
    /// Per unit: initials of every reading.
    pub masks: Vec<u64>,
    /// Per unit: initial of the primary reading.
    pub primary_bits: Vec<u64>,
    /// Concatenated primary readings (what [`full_pinyin`] returns).
    ///
    /// [`full_pinyin`]: crate::search::full_pinyin
    pub py: String,
    /// `bounds[u]..bounds[u + 1]` is unit `u`'s reading in `py`.
    pub bounds: Vec<u32>,
    /// Alternate readings, concatenated; `alt_spans[alt_start[u]..alt_start[u + 1]]`
    /// are unit `u`'s spans into it. Flat so that an entry is a handful of
    /// slices rather than one allocation per reading.
    pub alt_buf: String,
    pub alt_spans: Vec<(u32, u32)>,
    pub alt_start: Vec<u32>,
    pub meta: Meta,
}

/// The fixed-size part of an entry: where its name starts and ends being
/// distinctive, and the prefilters every search reads for every entry.
#[derive(Debug, Clone, Copy, Default, serde::Serialize, serde::Deserialize)]
pub(crate) struct Meta {
    /// OR of `masks`: a query letter outside it cannot match initials.
    pub init_union: u64,
    /// Every letter/digit in any reading: a query letter outside it cannot
    /// match pinyin.
    pub letter_union: u64,
    /// Units of a leading place name (0 if none), and units before the
    /// legal-form suffix.
    pub lead: u32,
    pub core: u32,
    /// The same two boundaries in chars of `name_norm`.
    pub name_lead: u32,
    pub name_core: u32,
    /// Bloom filter of the chars of `name_norm` (see [`char_bloom`]): a
    /// Chinese query with a char outside it cannot match the name.
    pub name_bloom: u128,
    /// Bloom filter of adjacent byte pairs of `py` (see [`pair_bloom`]): a
    /// pinyin substring must have all its pairs in it.
    pub py_pairs: u128,
    /// Bloom filter of every adjacent letter pair a matching anchored ASCII
    /// query can contain (see [`walk_pairs`]).
    pub walk_pairs: Pairs,
    /// Initials mask of the first unit and of the unit after the lead (0 if
    /// no lead), to bound the best anchored score without the units.
    pub first_mask: u64,
    pub lead_mask: u64,
}

/// 256-bit Bloom filter of letter pairs.
pub(crate) type Pairs = [u64; 4];

/// Sets the bit of pair `(a, b)` in `pairs`.
#[inline]
pub(crate) fn add_pair(pairs: &mut Pairs, a: u8, b: u8) {
    let h = (u32::from(a) << 8 | u32::from(b)).wrapping_mul(0x9E37_79B1) >> 24;
    pairs[(h >> 6) as usize] |= 1 << (h & 63);
}

/// Whether every pair of `sub` is in `of`.
#[inline]
pub(crate) fn pairs_within(sub: &Pairs, of: &Pairs) -> bool {
    sub.iter().zip(of).all(|(s, o)| s & !o == 0)
}

/// Letter pairs that initials, pinyin prefixes and the syllable walks can
/// produce: pairs inside any reading, and any letter of a reading of one
/// unit followed by any initial of the next (a syllable typed in full or
/// cut short, then the next one). A query with a pair outside this set
/// cannot match from any anchor, which rejects junk like `xyzzy` before
/// any per-unit work.
fn walk_pairs(units: &[Unit]) -> Pairs {
    let mut pairs = [0; 4];
    for (u, unit) in units.iter().enumerate() {
        let next = units.get(u + 1).map(|n| initial_letters(n.mask()));
        for r in std::iter::once(&unit.primary).chain(&unit.alts) {
            for w in r.as_bytes().windows(2) {
                add_pair(&mut pairs, w[0], w[1]);
            }
            if let Some(next) = &next {
                for &x in r.as_bytes() {
                    for &y in next {
                        add_pair(&mut pairs, x, y);
                    }
                }
            }
        }
    }
    pairs
}

/// Letters and digits of a [`bit`](crate::search::pinyin_keys::bit) mask.
fn initial_letters(mask: u64) -> Vec<u8> {
    (0u8..36)
        .filter(|i| mask & 1 << i != 0)
        .map(|i| if i < 26 { b'a' + i } else { b'0' + i - 26 })
        .collect()
}

/// Bloom filter of the adjacent byte pairs of `s`. Rejects nearly every
/// entry for an ASCII query that is no pinyin substring (`xyzzy`) before
/// the substring search runs.
#[inline]
pub(crate) fn pair_bloom(s: &[u8]) -> u128 {
    s.windows(2).fold(0, |m, w| {
        let pair = u32::from(w[0]) << 8 | u32::from(w[1]);
        m | 1u128 << (pair.wrapping_mul(0x9E37_79B1) >> 25)
    })
}

/// One bit of 128 per char, by multiplicative hash. A 15-character name
/// sets ~11% of the bits, so a 2-character query that is not in the name
/// is rejected ~99% of the time without looking at the name.
#[inline]
pub(crate) fn char_bloom(chars: impl IntoIterator<Item = char>) -> u128 {
    chars.into_iter().fold(0, |m, c| {
        m | 1u128 << ((c as u32).wrapping_mul(0x9E37_79B1) >> 25)
    })
}

/// Borrowed view of an entry, either of an [`Entry`] or of the index's
/// arenas; the matcher only sees this.
#[derive(Debug, Clone, Copy)]
///
/// Text is bytes: the pinyin and codes are ASCII, the name is only searched
/// bytewise (a UTF-8 needle can only match at char boundaries), and
/// slicing `&str` out of the arenas would re-check char boundaries for
/// every entry on every keystroke.
pub(crate) struct EntryRef<'a> {
    pub code_norm: &'a [u8],
    pub name_norm: &'a [u8],
    pub chars: &'a [char],
    pub masks: &'a [u64],
    pub primary_bits: &'a [u64],
    pub py: &'a [u8],
    pub bounds: &'a [u32],
    pub alt_buf: &'a [u8],
    pub alt_spans: &'a [(u32, u32)],
    pub alt_start: &'a [u32],
    pub meta: &'a Meta,
}

fn to_u32(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

/// Chars of a leading place name at the start of `chars`, or 0.
fn lead_len(chars: &[char]) -> usize {
    LEADS
        .iter()
        .map(|lead| lead.chars().collect::<Vec<_>>())
        .find(|lead| chars.len() > lead.len() && chars.starts_with(lead))
        .map_or(0, |lead| lead.len())
}

/// Start of the legal-form suffix (in chars), or `len` if there is none.
fn core_len(chars: &[char]) -> usize {
    SUFFIXES
        .iter()
        .find_map(|suffix| {
            let s: Vec<char> = suffix.chars().collect();
            // Keep at least one char of core: a name that is only 公司 is all core.
            (chars.len() > s.len() && chars.ends_with(&s)).then(|| chars.len() - s.len())
        })
        .unwrap_or(chars.len())
}

impl Entry {
    pub fn new(code: &str, name: &str) -> Self {
        let code_norm = normalize(code);
        let name_norm = normalize(name);
        let name_chars: Vec<char> = name_norm.chars().collect();

        let units: Vec<Unit> = pinyin_keys::units(name);
        let chars: Vec<char> = units.iter().map(|u| u.ch).collect();
        let mut py = String::new();
        let mut bounds = Vec::with_capacity(units.len() + 1);
        let mut alt_buf = String::new();
        let mut alt_spans = Vec::new();
        let mut alt_start = Vec::with_capacity(units.len() + 1);
        for u in &units {
            bounds.push(to_u32(py.len()));
            py.push_str(&u.primary);
            alt_start.push(to_u32(alt_spans.len()));
            for a in &u.alts {
                let start = to_u32(alt_buf.len());
                alt_buf.push_str(a);
                alt_spans.push((start, to_u32(alt_buf.len())));
            }
        }
        bounds.push(to_u32(py.len()));
        alt_start.push(to_u32(alt_spans.len()));

        let masks: Vec<u64> = units.iter().map(Unit::mask).collect();
        let primary_bits = units.iter().map(Unit::primary_bit).collect();
        let mut meta = Meta {
            init_union: masks.iter().fold(0, |m, b| m | b),
            letter_union: letters_mask(&py) | letters_mask(&alt_buf),
            lead: to_u32(lead_len(&chars)),
            core: to_u32(core_len(&chars)),
            name_lead: to_u32(lead_len(&name_chars)),
            name_core: to_u32(core_len(&name_chars)),
            name_bloom: char_bloom(name_chars.iter().copied()),
            py_pairs: pair_bloom(py.as_bytes()),
            walk_pairs: walk_pairs(&units),
            first_mask: masks.first().copied().unwrap_or(0),
            lead_mask: 0,
        };
        if meta.lead > 0 {
            meta.lead_mask = masks.get(meta.lead as usize).copied().unwrap_or(0);
        }
        Entry {
            code_norm,
            name_norm,
            chars,
            masks,
            primary_bits,
            py,
            bounds,
            alt_buf,
            alt_spans,
            alt_start,
            meta,
        }
    }

    pub fn view(&self) -> EntryRef<'_> {
        EntryRef {
            code_norm: self.code_norm.as_bytes(),
            name_norm: self.name_norm.as_bytes(),
            chars: &self.chars,
            masks: &self.masks,
            primary_bits: &self.primary_bits,
            py: self.py.as_bytes(),
            bounds: &self.bounds,
            alt_buf: self.alt_buf.as_bytes(),
            alt_spans: &self.alt_spans,
            alt_start: &self.alt_start,
            meta: &self.meta,
        }
    }
}

impl<'a> EntryRef<'a> {
    /// Number of units.
    #[inline]
    pub fn units(&self) -> usize {
        self.chars.len()
    }

    /// Primary reading of unit `u`.
    #[inline]
    pub fn primary(&self, u: usize) -> &'a [u8] {
        &self.py[self.bounds[u] as usize..self.bounds[u + 1] as usize]
    }

    /// Every reading of unit `u`, primary first.
    #[inline]
    pub fn readings(&self, u: usize) -> impl Iterator<Item = &'a [u8]> + 'a {
        let alt_buf = self.alt_buf;
        let spans = &self.alt_spans[self.alt_start[u] as usize..self.alt_start[u + 1] as usize];
        std::iter::once(self.primary(u)).chain(
            spans
                .iter()
                .map(move |&(s, e)| &alt_buf[s as usize..e as usize]),
        )
    }
}
