//! Flat storage of every entry's precomputed data.
//!
//! A search may touch every entry, so the data is laid out as a few long
//! arrays read front to back instead of a dozen small heap blocks per
//! entry scattered over the heap (which, measured, cost most of a
//! millisecond per query over 10,000 entries in cache misses). The
//! prefilters ([`Meta`]) sit in their own dense array: they are the only
//! part read for every entry on every keystroke.

use std::ops::Range;

use crate::search::entry::{EntryRef, Meta};

/// Where one entry's data sits in the arenas.
#[derive(Debug, Clone, Default, serde::Serialize, serde::Deserialize)]
struct Slot {
    code_norm: Range<u32>,
    name_norm: Range<u32>,
    /// Into `chars`, `masks`, `primary_bits`.
    units: Range<u32>,
    /// Into `bounds` and `alt_start` (one longer than `units`).
    bounds: Range<u32>,
    py: Range<u32>,
    alt_buf: Range<u32>,
    alt_spans: Range<u32>,
}

#[derive(Debug, Clone, Default, serde::Serialize, serde::Deserialize)]
pub(crate) struct Store {
    slots: Vec<Slot>,
    /// Per entry, apart from the slots: the prefilters read for every entry
    /// on every keystroke, kept dense.
    metas: Vec<Meta>,
    codes: Vec<u8>,
    names: Vec<u8>,
    chars: Vec<char>,
    masks: Vec<u64>,
    primary_bits: Vec<u64>,
    bounds: Vec<u32>,
    alt_start: Vec<u32>,
    py: Vec<u8>,
    alt_buf: Vec<u8>,
    alt_spans: Vec<(u32, u32)>,
    /// Entries' worth of data left behind by replacements; see [`Store::set`].
    garbage: usize,
}

/// Appends `items` to `arena` and returns where they went. Offsets are u32
/// to keep slots small; an index of 4 GiB of names is not a picker.
fn append<T: Copy>(arena: &mut Vec<T>, items: &[T]) -> Range<u32> {
    let start = arena.len();
    arena.extend_from_slice(items);
    to_u32(start)..to_u32(arena.len())
}

fn to_u32(n: usize) -> u32 {
    u32::try_from(n).expect("search index arenas are limited to 4 GiB")
}

fn range(r: &Range<u32>) -> Range<usize> {
    r.start as usize..r.end as usize
}

impl Store {
    pub fn len(&self) -> usize {
        self.slots.len()
    }

    fn pack(&mut self, e: &EntryRef<'_>) -> Slot {
        Slot {
            code_norm: append(&mut self.codes, e.code_norm),
            name_norm: append(&mut self.names, e.name_norm),
            units: {
                append(&mut self.masks, e.masks);
                append(&mut self.primary_bits, e.primary_bits);
                append(&mut self.chars, e.chars)
            },
            bounds: {
                append(&mut self.alt_start, e.alt_start);
                append(&mut self.bounds, e.bounds)
            },
            py: append(&mut self.py, e.py),
            alt_buf: append(&mut self.alt_buf, e.alt_buf),
            alt_spans: append(&mut self.alt_spans, e.alt_spans),
        }
    }

    /// Appends an entry; its id is the previous `len()`.
    pub fn push(&mut self, e: &EntryRef<'_>) {
        let slot = self.pack(e);
        self.slots.push(slot);
        self.metas.push(*e.meta);
    }

    /// Replaces entry `id`. The new data is appended and the old left in
    /// place as garbage; once garbage outweighs live data the arenas are
    /// rebuilt, so repeated upserts cost amortised O(entry size).
    pub fn set(&mut self, id: usize, e: &EntryRef<'_>) {
        self.slots[id] = self.pack(e);
        self.metas[id] = *e.meta;
        self.garbage += 1;
        if self.garbage > self.slots.len() {
            self.compact();
        }
    }

    fn compact(&mut self) {
        let mut fresh = Store::default();
        for id in 0..self.len() {
            fresh.push(&self.get(id));
        }
        *self = fresh;
    }

    /// Prefilter data of entry `id`.
    #[inline]
    pub fn meta(&self, id: usize) -> &Meta {
        &self.metas[id]
    }

    /// Normalised credit code of entry `id`.
    #[inline]
    pub fn code(&self, id: usize) -> &[u8] {
        &self.codes[range(&self.slots[id].code_norm)]
    }

    /// View of entry `id`.
    #[inline]
    pub fn get(&self, id: usize) -> EntryRef<'_> {
        let s = &self.slots[id];
        let units = range(&s.units);
        let bounds = range(&s.bounds);
        EntryRef {
            code_norm: &self.codes[range(&s.code_norm)],
            name_norm: &self.names[range(&s.name_norm)],
            chars: &self.chars[units.clone()],
            masks: &self.masks[units.clone()],
            primary_bits: &self.primary_bits[units],
            py: &self.py[range(&s.py)],
            bounds: &self.bounds[bounds.clone()],
            alt_buf: &self.alt_buf[range(&s.alt_buf)],
            alt_spans: &self.alt_spans[range(&s.alt_spans)],
            alt_start: &self.alt_start[bounds],
            meta: &self.metas[id],
        }
    }
}
