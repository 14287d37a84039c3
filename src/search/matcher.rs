//! Parsing a query once and scoring it against one precomputed entry.
//!
//! Scores are coarse tiers on purpose (see the constants): within a tier
//! the tie is broken by insertion order in
//! [`EnterpriseIndex::search`](crate::search::EnterpriseIndex::search), which
//! keeps the picker stable while the user types.
//!
//! Cost matters more than elegance here: `score` runs for every entry on
//! every keystroke. Every anchored ASCII match (initials, pinyin prefix,
//! syllable walks) starts at a unit whose initials mask holds the query's
//! first letter, so one pass over those few anchors does all of them, and
//! bitmask and Bloom-filter tests reject most entries before any text is
//! compared.

use fuzzy_matcher::skim::SkimMatcherV2;
use fuzzy_matcher::FuzzyMatcher;

use crate::search::entry::{add_pair, char_bloom, pair_bloom, pairs_within, EntryRef, Meta, Pairs};
use crate::search::pinyin_keys::{bit, is_unit_char, normalize};
use crate::search::store::Store;
use crate::search::MatchKind;

/// Whole credit code or whole name typed.
const EXACT: i64 = 1000;
/// Credit code or Chinese name typed from its first character.
const PREFIX: i64 = 950;
/// Initials or pinyin matching from the first unit.
const START: i64 = 900;
/// … from right after a leading place name (重庆戴卡 for `dk`).
const AFTER_LEAD: i64 = 880;
/// … from elsewhere in the distinctive part of the name (minus 5 a unit).
const CORE: i64 = 800;
/// … from inside the legal-form suffix (有限公司); says little.
const SUFFIX: i64 = 400;
/// Per unit whose initial matched only through a non-default reading
/// (`zq` for 重庆): still found, below a name where `zq` is the real reading.
const ALT_INITIAL_PENALTY: i64 = 40;
/// Pinyin match that ends inside a syllable (`chan` for 长 vs 产). A
/// penalty rather than a bonus for full syllables so that no match beats
/// [`START`], which lets [`Query::score`] bound entries by their first unit.
const PARTIAL_SYLLABLE_PENALTY: i64 = 5;
/// Pinyin spelled with a non-phrase reading (`zhongqing` for 重庆).
const HETERONYM_PENALTY: i64 = 60;
/// Pinyin with some syllables abbreviated (`cqdaika`, `chongqdk`).
const ABBREVIATED_PENALTY: i64 = 100;
/// Chinese characters followed by pinyin or initials (`重庆dk`).
const MIXED_PENALTY: i64 = 20;
/// Credit code containing the query (4+ chars with a digit).
const CODE_SUBSTRING: i64 = 600;
/// Initials as a scattered subsequence of units.
const SUBSEQUENCE: i64 = 500;
/// Pinyin substring not on a syllable boundary (3+ letters).
const MID_SYLLABLE: i64 = 300;
/// Chinese characters as a scattered subsequence of the name (skim score added).
const FUZZY_NAME: i64 = 100;

/// Longest ASCII query walked syllable by syllable: the walk keeps its
/// states in a `u64` bitset. Longer ASCII queries still match by prefix,
/// substring, initials and credit code.
const MAX_WALK: usize = 63;

/// Score of a match that starts at unit (or char) `p`.
#[inline]
fn pos_score(p: usize, lead: u32, core: u32) -> i64 {
    let p32 = u32::try_from(p).unwrap_or(u32::MAX);
    if p == 0 {
        START
    } else if p32 == lead {
        AFTER_LEAD
    } else if p32 < core {
        CORE - 5 * p.min(40) as i64
    } else {
        SUFFIX - p.min(40) as i64
    }
}

/// Highest score an anchored ASCII match starting with letter bit `b0` can
/// reach in an entry, from its first unit and the unit after its lead.
#[inline]
fn anchor_bound(meta: &Meta, b0: u64) -> i64 {
    if meta.first_mask & b0 != 0 {
        START
    } else if meta.lead_mask & b0 != 0 {
        AFTER_LEAD
    } else {
        CORE - 5
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Atom {
    /// A Chinese character typed as is.
    Char(char),
    /// An ASCII letter/digit typed as an initial.
    Bit(u64),
}

/// Which ASCII channels are worth running for one entry.
struct Plan {
    initials: bool,
    pinyin: bool,
    subsequence: bool,
    mid_syllable: bool,
    /// Lowest score that still counts.
    need: i64,
}

/// A query, analysed once per search.
pub(crate) struct Query {
    /// Folded, lowercase, whitespace removed (see [`normalize`]).
    norm: String,
    /// Number of chars in `norm`.
    norm_len: usize,
    /// Bloom filter of `norm`'s chars; must be inside the name's.
    norm_bloom: u128,
    /// Whether `norm` is pure ASCII: then the pinyin, initials and credit
    /// code channels apply; otherwise the Chinese-name channel does.
    ascii_only: bool,
    /// ASCII letters and digits of `norm` (apostrophes of `xi'an` dropped).
    ascii: Vec<u8>,
    /// `bit()` of each byte of `ascii`.
    bits: Vec<u64>,
    /// Bloom filters of adjacent pairs of `ascii` (see [`pair_bloom`] and
    /// [`add_pair`]).
    pairs: u128,
    walk_pairs: Pairs,
    /// OR of `bits`.
    mask: u64,
    has_digit: bool,
    /// Units typed, for a query mixing Chinese and ASCII (`重庆dk`); empty
    /// unless it has both.
    atoms: Vec<Atom>,
    /// Bloom filter of the Chinese atoms.
    atoms_bloom: u128,
    /// Leading Chinese characters of a mixed query, when all ASCII comes
    /// after them: the tail may then also be pinyin (`重庆daika`).
    head: Vec<char>,
}

impl Query {
    pub fn parse(query: &str) -> Self {
        let norm = normalize(query);
        let ascii: Vec<u8> = norm.bytes().filter(u8::is_ascii_alphanumeric).collect();
        let bits: Vec<u64> = ascii.iter().map(|&b| bit(b)).collect();
        let mut atoms: Vec<Atom> = norm
            .chars()
            .filter_map(|c| {
                if c.is_ascii_alphanumeric() {
                    Some(Atom::Bit(bit(c as u8)))
                } else if !c.is_ascii() && is_unit_char(c) {
                    Some(Atom::Char(c))
                } else {
                    None
                }
            })
            .collect();
        let han = || {
            atoms.iter().filter_map(|a| match a {
                Atom::Char(c) => Some(*c),
                Atom::Bit(_) => None,
            })
        };
        let han_count = han().count();
        let mixed = han_count > 0 && han_count < atoms.len();
        let atoms_bloom = char_bloom(han());
        let mut head: Vec<char> = atoms
            .iter()
            .map_while(|a| match a {
                Atom::Char(c) => Some(*c),
                Atom::Bit(_) => None,
            })
            .collect();
        if !mixed || head.len() != han_count {
            head.clear();
        }
        if !mixed {
            atoms.clear();
        }
        Query {
            norm_len: norm.chars().count(),
            norm_bloom: char_bloom(norm.chars()),
            ascii_only: norm.is_ascii(),
            has_digit: ascii.iter().any(u8::is_ascii_digit),
            pairs: pair_bloom(&ascii),
            walk_pairs: ascii.windows(2).fold([0; 4], |mut p, w| {
                add_pair(&mut p, w[0], w[1]);
                p
            }),
            mask: bits.iter().fold(0, |m, b| m | b),
            norm,
            ascii,
            bits,
            atoms,
            atoms_bloom,
            head,
        }
    }

    /// Nothing but whitespace was typed.
    pub fn is_empty(&self) -> bool {
        self.norm.is_empty()
    }

    /// Whether the fuzzy Chinese-name channel can run (so the caller only
    /// builds a matcher when it is needed).
    pub fn wants_fuzzy(&self) -> bool {
        !self.ascii_only && self.norm_len >= 2
    }

    /// Best `(score, kind)` of entry `id` if it is at least `floor`, else
    /// `None` (also when nothing matches). On equal scores the kind is the
    /// first of CreditCode, Name, Initials, Pinyin.
    ///
    /// `floor` is what it takes to enter the current top results: a channel
    /// whose best possible score is below it is not even looked at, which
    /// is what makes one-letter queries cheap once the top is full of
    /// start-of-name matches.
    #[inline]
    pub fn score(
        &self,
        store: &Store,
        id: usize,
        floor: i64,
        skim: Option<&SkimMatcherV2>,
    ) -> Option<(i64, MatchKind)> {
        let meta = store.meta(id);
        let mut best: Option<(i64, MatchKind)> = None;
        // A later channel only wins with a strictly higher score.
        let need = |best: &Option<(i64, MatchKind)>| best.map_or(floor, |(s, _)| floor.max(s + 1));
        if self.ascii_only && !self.ascii.is_empty() {
            if self.has_digit && EXACT >= floor {
                keep(
                    &mut best,
                    self.credit_code(store.code(id)),
                    MatchKind::CreditCode,
                );
            }
            let need = need(&best);
            let initials_ok = self.mask & !meta.init_union == 0;
            let pinyin_ok = self.mask & !meta.letter_union == 0;
            let anchored = (initials_ok || pinyin_ok)
                && anchor_bound(meta, self.bits[0]) >= need
                && pairs_within(&self.walk_pairs, &meta.walk_pairs);
            let plan = Plan {
                initials: initials_ok && anchored,
                pinyin: pinyin_ok && anchored,
                subsequence: initials_ok && self.bits.len() >= 2 && SUBSEQUENCE >= need,
                mid_syllable: pinyin_ok
                    && self.ascii.len() >= 3
                    && MID_SYLLABLE >= need
                    && self.pairs & !meta.py_pairs == 0,
                need,
            };
            if plan.initials || plan.pinyin || plan.subsequence || plan.mid_syllable {
                let (initials, pinyin) = self.ascii_channels(&store.get(id), &plan);
                keep(&mut best, initials, MatchKind::Initials);
                keep(&mut best, pinyin, MatchKind::Pinyin);
            }
        } else {
            let name_ok = self.norm_bloom & !meta.name_bloom == 0 && EXACT >= floor;
            // The ASCII of a mixed query is initials or pinyin: same
            // letter filters as an ASCII query, pairs only when contiguous.
            let mixed_ok = !self.atoms.is_empty()
                && self.atoms_bloom & !meta.name_bloom == 0
                && START - MIXED_PENALTY >= floor
                && self.mask & !meta.letter_union == 0
                && (self.head.is_empty() || pairs_within(&self.walk_pairs, &meta.walk_pairs));
            if name_ok || mixed_ok {
                let e = store.get(id);
                if name_ok {
                    keep(&mut best, self.name(&e, skim, floor), MatchKind::Name);
                }
                if mixed_ok {
                    keep(&mut best, self.mixed(&e), MatchKind::Name);
                }
            }
        }
        best.map(|(s, k)| (s.max(1), k))
            .filter(|&(s, _)| s >= floor)
    }

    fn credit_code(&self, code: &[u8]) -> Option<i64> {
        let q = self.ascii.as_slice();
        if code == q {
            Some(EXACT)
        } else if code.starts_with(q) {
            Some(PREFIX)
        } else if q.len() >= 4 {
            find_bytes(code, q).map(|pos| CODE_SUBSTRING - pos as i64)
        } else {
            None
        }
    }

    /// Best `(initials, pinyin)` scores of an ASCII query, running only
    /// what `plan` allows.
    fn ascii_channels(&self, e: &EntryRef<'_>, plan: &Plan) -> (Option<i64>, Option<i64>) {
        let m = e.meta;
        let q = self.ascii.as_slice();
        let b0 = self.bits[0];
        let walkable = q.len() <= MAX_WALK;
        let (mut initials, mut pinyin): (Option<i64>, Option<i64>) = (None, None);
        // Scores below `need` are useless; treat them as already beaten.
        let floor = plan.need - 1;
        if plan.initials || plan.pinyin {
            for p in 0..e.units() {
                if e.masks[p] & b0 == 0 {
                    continue;
                }
                let pos = pos_score(p, m.lead, m.core);
                let best = initials.max(pinyin).unwrap_or(floor).max(floor);
                if pos <= best {
                    // Nothing starting here can beat what we have, and from
                    // the lead on `pos_score` only falls: stop.
                    if p as u32 >= m.lead {
                        break;
                    }
                    continue;
                }
                if plan.initials {
                    if let Some(alts) = self.initials_at(e, p) {
                        initials = initials.max(Some(pos - ALT_INITIAL_PENALTY * alts));
                    }
                }
                if !plan.pinyin {
                    continue;
                }
                let b = e.bounds[p] as usize;
                let primary = e.bounds[p + 1] as usize > b && e.py[b..].starts_with(q);
                let s = if primary {
                    // Does the match end on a boundary? It spans few
                    // syllables, so walk forward instead of bisecting.
                    let end = b + q.len();
                    let full = e.bounds[p + 1..]
                        .iter()
                        .map(|&x| x as usize)
                        .find(|&x| x >= end)
                        == Some(end);
                    Some(pos - if full { 0 } else { PARTIAL_SYLLABLE_PENALTY })
                } else if walkable && pos - HETERONYM_PENALTY > best {
                    if walk_from(e, q, p, false) {
                        Some(pos - HETERONYM_PENALTY)
                    } else if pos - ABBREVIATED_PENALTY > best && walk_from(e, q, p, true) {
                        Some(pos - ABBREVIATED_PENALTY)
                    } else {
                        None
                    }
                } else {
                    None
                };
                pinyin = pinyin.max(s);
            }
        }
        // Unanchored fallbacks, only when they could still win.
        let best = initials.max(pinyin).unwrap_or(floor).max(floor);
        if plan.subsequence && best < SUBSEQUENCE {
            initials = initials.max(self.initials_subsequence(e));
        }
        if plan.mid_syllable && best < MID_SYLLABLE {
            pinyin = pinyin.max(self.mid_syllable(e));
        }
        (initials, pinyin)
    }

    /// If the query's initials match units `p..`, how many of them only
    /// through a non-default reading.
    #[inline]
    fn initials_at(&self, e: &EntryRef<'_>, p: usize) -> Option<i64> {
        let window = e.masks.get(p..p + self.bits.len())?;
        if !window.iter().zip(&self.bits).all(|(mask, b)| mask & b != 0) {
            return None;
        }
        let alts = e.primary_bits[p..p + self.bits.len()]
            .iter()
            .zip(&self.bits)
            .filter(|(pb, b)| *pb & *b == 0)
            .count();
        Some(alts as i64)
    }

    /// Greedy leftmost subsequence of units; compact and early is better.
    fn initials_subsequence(&self, e: &EntryRef<'_>) -> Option<i64> {
        let m = self.bits.len();
        if m < 2 {
            return None;
        }
        let (mut k, mut start, mut last, mut alts) = (0, None, 0, 0i64);
        for (p, (&mask, &pb)) in e.masks.iter().zip(e.primary_bits).enumerate() {
            let b = self.bits[k];
            if mask & b != 0 {
                start.get_or_insert(p);
                if pb & b == 0 {
                    alts += 1;
                }
                last = p;
                k += 1;
                if k == m {
                    break;
                }
            }
        }
        let start = start.filter(|_| k == m)?;
        let gaps = (last + 1 - start - m) as i64;
        let in_suffix = u32::try_from(start).map_or(true, |s| s >= e.meta.core);
        Some(
            SUBSEQUENCE
                - 5 * start.min(20) as i64
                - 5 * gaps.min(40)
                - ALT_INITIAL_PENALTY * alts
                - if in_suffix { 150 } else { 0 },
        )
    }

    /// Phrase-aware pinyin containing the query (3+ letters) not at a
    /// syllable boundary.
    fn mid_syllable(&self, e: &EntryRef<'_>) -> Option<i64> {
        if self.ascii.len() < 3 || self.pairs & !e.meta.py_pairs != 0 {
            return None;
        }
        let o = find_bytes(e.py, &self.ascii)?;
        let o = u32::try_from(o).unwrap_or(u32::MAX);
        let p = e.bounds.partition_point(|&b| b <= o).saturating_sub(1);
        let in_suffix = u32::try_from(p).map_or(true, |p| p >= e.meta.core);
        let base = if in_suffix {
            MID_SYLLABLE / 2
        } else {
            MID_SYLLABLE
        };
        Some(base - p.min(40) as i64)
    }

    fn name(&self, e: &EntryRef<'_>, skim: Option<&SkimMatcherV2>, floor: i64) -> Option<i64> {
        let (name, q) = (e.name_norm, self.norm.as_bytes());
        if let Some(pos) = find_bytes(name, q) {
            if name.len() == q.len() {
                return Some(EXACT);
            }
            // Chars before the match: count non-continuation bytes.
            let p = name[..pos].iter().filter(|&&b| (b as i8) >= -0x40).count();
            return Some(if p == 0 {
                PREFIX
            } else {
                pos_score(p, e.meta.name_lead, e.meta.name_core)
            });
        }
        let skim = skim.filter(|_| self.wants_fuzzy() && FUZZY_NAME + 199 >= floor)?;
        let name = std::str::from_utf8(name).ok()?;
        // Cheap in-order check first: the skim matcher costs far more.
        let mut chars = name.chars();
        if !self.norm.chars().all(|c| chars.any(|n| n == c)) {
            return None;
        }
        let s = skim.fuzzy_match(name, &self.norm)?;
        Some(FUZZY_NAME + s.clamp(0, 199))
    }

    /// `重庆dk`: Chinese characters matched as themselves and ASCII as
    /// initials, contiguous; or Chinese head followed by a pinyin prefix.
    fn mixed(&self, e: &EntryRef<'_>) -> Option<i64> {
        let (n, m) = (e.units(), self.atoms.len());
        let (lead, core) = (e.meta.lead, e.meta.core);
        let atom_at = |a: &Atom, u: usize| match *a {
            Atom::Char(c) => e.chars[u] == c,
            Atom::Bit(b) => e.masks[u] & b != 0,
        };
        let mut best = None;
        if m <= n {
            // First atom alone before the rest: a slice compare per offset
            // would be a memcmp call each.
            let hit = (0..=n - m).find(|&p| {
                atom_at(&self.atoms[0], p)
                    && self.atoms[1..]
                        .iter()
                        .enumerate()
                        .all(|(k, a)| atom_at(a, p + 1 + k))
            });
            best = hit.map(|p| pos_score(p, lead, core) - MIXED_PENALTY);
        }
        let h = self.head.len();
        if h > 0 && self.ascii.len() >= 2 && h < n {
            let hit = (0..n - h).find(|&p| {
                e.chars[p] == self.head[0]
                    && e.chars[p + 1..p + h] == self.head[1..]
                    && e.py[e.bounds[p + h] as usize..].starts_with(&self.ascii)
            });
            best = best.max(hit.map(|p| pos_score(p, lead, core) - MIXED_PENALTY));
        }
        best
    }
}

/// First occurrence of `needle` in `hay`. Hand-rolled because the haystacks
/// are tiny (a name, its pinyin, a code) and searched once per entry per
/// keystroke: `str::find` builds a two-way searcher per call and
/// `windows().position()` calls memcmp at every offset, both of which cost
/// more than the search. Testing the first and last byte rejects nearly
/// every offset, also for UTF-8 Chinese where first bytes repeat.
fn find_bytes(hay: &[u8], needle: &[u8]) -> Option<usize> {
    let m = needle.len();
    let (&first, &last) = (needle.first()?, needle.last()?);
    if hay.len() < m {
        return None;
    }
    (0..=hay.len() - m).find(|&i| {
        hay[i] == first
            && hay[i + m - 1] == last
            && (m <= 2 || hay[i + 1..i + m - 1] == needle[1..m - 1])
    })
}

/// Replaces `best` only with a strictly higher score, so that on a tie the
/// channel tried first keeps the kind.
fn keep(best: &mut Option<(i64, MatchKind)>, score: Option<i64>, kind: MatchKind) {
    if let Some(s) = score {
        if best.is_none_or(|(b, _)| s > b) {
            *best = Some((s, kind));
        }
    }
}

/// Can `q` be spelled from unit `p` on, one reading per unit? Strict:
/// every syllable but the last is complete (`zhongqing`). Loose: each may be
/// cut short (`cqdaika`). States are "bytes of `q` consumed" in a bitset,
/// so readings that share a prefix (南 nan/na) cannot blow up into
/// backtracking. `q.len()` must be at most [`MAX_WALK`].
fn walk_from(e: &EntryRef<'_>, q: &[u8], p: usize, loose: bool) -> bool {
    let mut states: u64 = 1; // bit j: q[..j] consumed
    for u in p..e.units() {
        let mut next = 0u64;
        let mut cur = states;
        while cur != 0 {
            let j = cur.trailing_zeros() as usize;
            cur &= cur - 1;
            let rest = &q[j..];
            for r in e.readings(u) {
                let l = rest.iter().zip(r).take_while(|(a, b)| a == b).count();
                if l == 0 {
                    continue;
                }
                if l == rest.len() {
                    // The query ends inside (or at the end of) this syllable.
                    return true;
                }
                if loose {
                    // Any non-empty prefix of the syllable may be typed.
                    next |= ((1u64 << l) - 1) << (j + 1);
                } else if l == r.len() {
                    next |= 1 << (j + l);
                }
            }
        }
        if next == 0 {
            return false;
        }
        states = next;
    }
    false
}
