//! Unit tests for the enterprise index: readings, ranking, channels, and a
//! property test that arbitrary input never panics.

use pinyin::ToPinyinMulti;
use proptest::prelude::*;

use super::phrases::PHRASES;
use super::*;

const DAIKA: &str = "重庆戴卡捷力轮毂制造有限公司";
const CHANGAN: &str = "重庆长安汽车股份有限公司";
const CHUANWEI: &str = "重庆川维科技有限公司";
const DAJIANG: &str = "重庆大江美利信压铸有限责任公司";
const KUAIKE: &str = "成都快科电子有限公司";
const DEKE: &str = "重庆德科电子仪表有限公司";

/// The ranking fixture from the brief, in this insertion order.
fn fixture() -> EnterpriseIndex {
    let mut idx = EnterpriseIndex::new();
    for (i, name) in [DAIKA, CHANGAN, CHUANWEI, DAJIANG, KUAIKE, DEKE]
        .iter()
        .enumerate()
    {
        idx.upsert(&format!("91500000MA5U{i:06}"), name);
    }
    idx
}

fn names(idx: &EnterpriseIndex, hits: &[Hit]) -> Vec<String> {
    hits.iter().map(|h| idx.name(h.id).to_owned()).collect()
}

fn hit_for<'a>(idx: &EnterpriseIndex, hits: &'a [Hit], name: &str) -> Option<&'a Hit> {
    hits.iter().find(|h| idx.name(h.id) == name)
}

// ---- readings -------------------------------------------------------------

#[test]
fn pinyin_of_daika() {
    assert_eq!(
        full_pinyin(DAIKA),
        "chongqingdaikajielilunguzhizaoyouxiangongsi"
    );
    assert_eq!(initials(DAIKA), "cqdkjllgzzyxgs");
}

#[test]
fn pinyin_of_changan() {
    assert_eq!(
        full_pinyin(CHANGAN),
        "chongqingchanganqichegufenyouxiangongsi"
    );
    assert_eq!(initials(CHANGAN), "cqcaqcgfyxgs");
}

#[test]
fn pinyin_of_bank_branch_reads_hang_twice() {
    let name = "中国工商银行重庆市分行";
    assert_eq!(
        full_pinyin(name),
        "zhongguogongshangyinhangchongqingshifenhang"
    );
    assert_eq!(initials(name), "zggsyhcqsfh");
}

#[test]
fn pinyin_of_heavy_machinery() {
    assert_eq!(full_pinyin("长江重型机械"), "changjiangzhongxingjixie");
    assert_eq!(initials("长江重型机械"), "cjzxjx");
}

#[test]
fn pinyin_of_more_phrases() {
    assert_eq!(full_pinyin("长寿区"), "changshouqu");
    assert_eq!(full_pinyin("厦门音乐"), "xiamenyinyue");
    assert_eq!(full_pinyin("西藏成都"), "xizangchengdu");
    assert_eq!(full_pinyin("重大行业"), "zhongdahangye");
}

#[test]
fn ascii_passes_through_and_punctuation_is_skipped() {
    assert_eq!(
        full_pinyin("ABB（重庆）有限公司"),
        "abbchongqingyouxiangongsi"
    );
    assert_eq!(initials("ABB（重庆）有限公司"), "abbcqyxgs");
    // Full-width letters and digits fold to ASCII.
    assert_eq!(initials("３Ｍ中国"), "3mzg");
    assert_eq!(full_pinyin("—·、，。"), "");
}

#[test]
fn u_umlaut_is_typed_v() {
    assert_eq!(full_pinyin("绿色"), "lvse");
}

#[test]
fn phrase_table_is_consistent_with_pinyin_data() {
    for &(phrase, readings) in PHRASES {
        let readings: Vec<&str> = readings.split_whitespace().collect();
        assert_eq!(phrase.chars().count(), readings.len(), "{phrase}");
        for (ch, reading) in phrase.chars().zip(&readings) {
            let multi = ch.to_pinyin_multi().expect("has pinyin");
            assert!(
                multi.into_iter().any(|p| p.plain() == *reading),
                "{reading} is not a reading of {ch} in {phrase}"
            );
        }
    }
}

// ---- ranking --------------------------------------------------------------

#[test]
fn cqdk_ranks_daika_first_and_deke_second_by_insertion_order() {
    let idx = fixture();
    let hits = idx.search("cqdk", 10);
    assert_eq!(names(&idx, &hits), vec![DAIKA, DEKE]);
    assert_eq!(hits[0].kind, MatchKind::Initials);
    // Both are contiguous-from-start initials: the tie goes to the one
    // inserted first, not to the shorter name.
    assert_eq!(hits[0].score, hits[1].score);
}

#[test]
fn tie_break_is_insertion_order_not_length() {
    let mut idx = EnterpriseIndex::new();
    idx.upsert("A", DEKE);
    idx.upsert("B", DAIKA);
    let hits = idx.search("cqdk", 10);
    assert_eq!(names(&idx, &hits), vec![DEKE, DAIKA]);
}

#[test]
fn chongqing_and_zhongqing_both_find_chongqing_names() {
    let idx = fixture();
    let chong = idx.search("chongqing", 10);
    let zhong = idx.search("zhongqing", 10);
    for name in [DAIKA, CHANGAN, CHUANWEI, DAJIANG, DEKE] {
        let c = hit_for(&idx, &chong, name).expect("chongqing finds it");
        let z = hit_for(&idx, &zhong, name).expect("zhongqing finds it");
        assert_eq!(c.kind, MatchKind::Pinyin);
        assert!(
            c.score > z.score,
            "phrase reading ranks higher: {c:?} {z:?}"
        );
    }
    assert!(hit_for(&idx, &chong, KUAIKE).is_none());
}

#[test]
fn default_reading_name_outranks_heteronym_match() {
    let mut idx = fixture();
    let zhongqing = idx.upsert("X1", "中青旅控股股份有限公司");
    let hits = idx.search("zhongqing", 10);
    assert_eq!(hits[0].id, zhongqing);
    assert_eq!(hits.len(), 6);
}

#[test]
fn cqca_and_changan_find_changan() {
    let idx = fixture();
    let hits = idx.search("cqca", 10);
    assert_eq!(names(&idx, &hits)[0], CHANGAN);
    assert_eq!(hits[0].kind, MatchKind::Initials);
    let hits = idx.search("changan", 10);
    assert_eq!(names(&idx, &hits), vec![CHANGAN]);
    assert_eq!(hits[0].kind, MatchKind::Pinyin);
}

#[test]
fn polyphonic_initials_match_below_default_reading() {
    let mut idx = fixture();
    let zhengqi = idx.upsert("X1", "中企云链股份有限公司");
    let hits = idx.search("zq", 20);
    // 中企 is zq by its real reading; 重庆 names only through 重 = zhong.
    assert_eq!(hits[0].id, zhengqi);
    let daika = hit_for(&idx, &hits, DAIKA).expect("zq finds 重庆 names");
    assert_eq!(daika.kind, MatchKind::Initials);
    assert!(daika.score < hits[0].score);
    // 长 as zhang: zhang'an initials za still reach 长安 (1 alt unit).
    let hits = idx.search("cqza", 10);
    assert_eq!(names(&idx, &hits), vec![CHANGAN]);
}

#[test]
fn skipping_the_place_name_ranks_just_below_the_start() {
    let mut idx = fixture();
    let deke_only = idx.upsert("X1", "德科商贸有限公司");
    let hits = idx.search("dk", 10);
    assert_eq!(hits[0].id, deke_only);
    assert_eq!(names(&idx, &hits[1..3]), vec![DAIKA, DEKE]);
}

#[test]
fn mixed_initials_and_pinyin() {
    let idx = fixture();
    for q in ["cqdaika", "chongqdk", "chongqingdaika"] {
        let hits = idx.search(q, 10);
        assert_eq!(names(&idx, &hits)[0], DAIKA, "{q}");
    }
}

#[test]
fn suffix_match_ranks_below_core_match() {
    let mut idx = EnterpriseIndex::new();
    let suffix_only = idx.upsert("A", "重庆川维科技有限公司");
    let core = idx.upsert("B", "重庆有线光速网络有限公司");
    let hits = idx.search("yxgs", 10);
    assert_eq!(hits[0].id, core);
    assert_eq!(hits[1].id, suffix_only);
}

// ---- channels -------------------------------------------------------------

#[test]
fn credit_code_prefix_substring_and_case() {
    let mut idx = fixture();
    let other = idx.upsert("91110000100000000X", "北京某某有限公司");
    let hits = idx.search("91500000", 10);
    assert_eq!(hits.len(), 6);
    assert!(hits.iter().all(|h| h.kind == MatchKind::CreditCode));
    assert!(hit_for(&idx, &hits, "北京某某有限公司").is_none());

    let hits = idx.search(" 91110000100000000x ", 10);
    assert_eq!(hits[0].id, other);
    assert_eq!(hits[0].score, 1000);

    let hits = idx.search("ma5u000003", 10);
    assert_eq!(names(&idx, &hits), vec![DAJIANG]);
}

#[test]
fn chinese_substring_and_fuzzy() {
    let idx = fixture();
    let hits = idx.search("戴卡", 10);
    assert_eq!(names(&idx, &hits), vec![DAIKA]);
    assert_eq!(hits[0].kind, MatchKind::Name);

    // Exact and prefix outrank a later substring.
    let hits = idx.search(DAIKA, 10);
    assert_eq!(hits[0].score, 1000);

    // Characters in order but not adjacent: fuzzy, below any substring.
    let hits = idx.search("戴卡轮毂", 10);
    assert_eq!(names(&idx, &hits), vec![DAIKA]);
    assert!(hits[0].score < 400);
}

#[test]
fn chinese_with_trailing_pinyin() {
    let idx = fixture();
    let hits = idx.search("重庆dk", 10);
    assert_eq!(names(&idx, &hits), vec![DAIKA, DEKE]);
    let hits = idx.search("重庆dai", 10);
    assert_eq!(names(&idx, &hits), vec![DAIKA]);
}

#[test]
fn junk_ascii_returns_nothing() {
    let idx = fixture();
    // Letters that all occur, in order, in chongqingdaika… (so a fuzzy
    // subsequence matcher would return DAIKA), but form no initials, no
    // pinyin prefix or substring, no credit code.
    for q in [
        "hnqnd",
        "ogiai",
        "hgnan",
        "qqqqqq",
        "xyzzy",
        "zzzzzzzzzzzzzzzzzz",
    ] {
        assert_eq!(idx.search(q, 10), vec![], "{q}");
    }
    // Letters never match the code, even where the code has those letters.
    assert_eq!(idx.search("ma", 10), vec![]);
}

#[test]
fn case_and_whitespace_are_ignored() {
    let idx = fixture();
    assert_eq!(idx.search("  CQDK \t", 10), idx.search("cqdk", 10));
    assert_eq!(idx.search("Chong Qing", 10), idx.search("chongqing", 10));
    assert_eq!(idx.search("ｃｑｄｋ", 10), idx.search("cqdk", 10));
}

#[test]
fn empty_query_lists_first_entries_in_insertion_order() {
    let idx = fixture();
    let hits = idx.search("   ", 3);
    assert_eq!(hits.iter().map(|h| h.id).collect::<Vec<_>>(), vec![0, 1, 2]);
    assert!(hits.iter().all(|h| h.score == 0));
    assert_eq!(idx.search("", 0), vec![]);
}

#[test]
fn limit_keeps_the_best() {
    let idx = fixture();
    let all = idx.search("c", 10);
    let top = idx.search("c", 2);
    assert_eq!(top, all[..2]);
}

#[test]
fn upsert_replaces_by_code_and_keeps_id() {
    let mut idx = EnterpriseIndex::new();
    let a = idx.upsert("91500000MA5U000001", "重庆旧名有限公司");
    let b = idx.upsert("91500000MA5U000002", "重庆其他有限公司");
    assert_eq!(idx.upsert(" 91500000ma5u000001 ", DAIKA), a);
    assert_eq!(idx.len(), 2);
    assert_eq!(idx.name(a), DAIKA);
    assert_eq!(idx.credit_code(a), "91500000ma5u000001");
    assert_eq!(idx.id_of("91500000MA5U000002"), Some(b));
    assert!(idx.search("旧名", 10).is_empty());
    assert_eq!(idx.search("cqdk", 10)[0].id, a);
    // Empty codes are not keys.
    assert_ne!(idx.upsert("", "甲"), idx.upsert("  ", "乙"));
    assert_eq!(idx.len(), 4);
    assert!(!idx.is_empty());
}

#[test]
fn repeated_replacement_compacts_and_stays_correct() {
    let mut idx = fixture();
    // Enough replacements to trigger several arena rebuilds.
    for round in 0..50 {
        let name = if round % 2 == 0 { KUAIKE } else { DAIKA };
        assert_eq!(idx.upsert("91500000MA5U000004", name), 4);
    }
    assert_eq!(idx.len(), 6);
    assert_eq!(idx.name(4), DAIKA);
    let hits = idx.search("cqdk", 10);
    assert_eq!(hits.iter().map(|h| h.id).collect::<Vec<_>>(), vec![0, 4, 5]);
    assert!(idx.search("chengdu", 10).is_empty());
    assert_eq!(names(&idx, &idx.search("changan", 10)), vec![CHANGAN]);
}

#[test]
fn index_is_send_sync_and_hits_serialize() {
    fn assert_send_sync<T: Send + Sync + Clone + Default>() {}
    assert_send_sync::<EnterpriseIndex>();
    let hit = Hit {
        id: 3,
        score: 900,
        kind: MatchKind::CreditCode,
    };
    assert_eq!(
        serde_json::to_string(&hit).unwrap(),
        r#"{"id":3,"score":900,"kind":"credit_code"}"#
    );
}

// ---- properties -----------------------------------------------------------

fn query_strategy() -> impl Strategy<Value = String> {
    prop_oneof![
        any::<String>(),
        "[a-z0-9 ]{0,12}",
        "[\\u{4e00}-\\u{4e30}重庆长安戴卡a-z（）]{0,10}",
        "[nag]{0,70}",
        "[南那拿]{0,70}",
    ]
}

proptest! {
    #[test]
    fn search_never_panics_and_returns_unique_ids(
        names in proptest::collection::vec(query_strategy(), 0..8),
        query in query_strategy(),
        limit in 0usize..10,
    ) {
        let mut idx = fixture();
        for (i, name) in names.iter().enumerate() {
            idx.upsert(&format!("P{i}"), name);
        }
        idx.upsert("", &query); // a name equal to the query
        let hits = idx.search(&query, limit);
        prop_assert!(hits.len() <= limit);
        let mut ids: Vec<usize> = hits.iter().map(|h| h.id).collect();
        prop_assert!(ids.iter().all(|&id| id < idx.len()));
        prop_assert!(hits.windows(2).all(|w| w[0].score >= w[1].score));
        ids.sort_unstable();
        ids.dedup();
        prop_assert_eq!(ids.len(), hits.len());
    }
}

/// Names built from a small pool, so that queries hit many entries and the
/// top-k pruning in `search` is exercised against a full ranking.
fn pool_name() -> impl Strategy<Value = String> {
    proptest::collection::vec(
        prop::sample::select(vec![
            "重庆",
            "重庆市",
            "长安",
            "长江",
            "戴卡",
            "德科",
            "大",
            "中",
            "银行",
            "科技",
            "乐",
            "都",
            "南",
            "那",
            "ABB",
            "3M",
            "有限公司",
            "（",
            "）",
        ]),
        1..6,
    )
    .prop_map(|parts| parts.concat())
}

fn pool_query() -> impl Strategy<Value = String> {
    prop_oneof![
        "[a-z]{1,6}",
        "[cqdkzhangna]{1,8}",
        "[重庆长安科技大]{1,3}[a-z]{0,3}",
        "[0-9]{1,4}",
    ]
}

/// Part of a name's initials or pinyin (so that it matches, at varied
/// positions and scores), or a random query.
fn derived_query(names: &[String], pick: usize, start: usize, len: usize, how: u8) -> String {
    let name = &names[pick % names.len()];
    let keys: Vec<char> = match how % 3 {
        0 => initials(name).chars().collect(),
        1 => full_pinyin(name).chars().collect(),
        _ => name.chars().collect(),
    };
    if keys.is_empty() {
        return String::new();
    }
    let start = start % keys.len();
    keys[start..(start + len).min(keys.len())].iter().collect()
}

proptest! {
    #[test]
    fn top_k_equals_prefix_of_full_ranking(
        names in proptest::collection::vec(pool_name(), 1..40),
        random in pool_query(),
        (pick, start, len, how) in (0usize..40, 0usize..20, 1usize..7, 0u8..4),
        limit in 1usize..8,
    ) {
        let mut idx = EnterpriseIndex::new();
        for (i, name) in names.iter().enumerate() {
            idx.upsert(&format!("9150{i:04}"), name);
        }
        let query = if how == 3 { random } else { derived_query(&names, pick, start, len, how) };
        let full = idx.search(&query, idx.len());
        let top = idx.search(&query, limit);
        prop_assert_eq!(&top[..], &full[..limit.min(full.len())], "query {:?}", query);
    }
}
