//! The local journal against the city copy: every event the city holds must be the
//! journal's, hash for hash, and the city's own rows must chain (each hash is
//! sha256(prev ‖ '\n' ‖ body), each prev the hash before it), so neither side can be
//! rewritten without the other showing it.

use serde::Serialize;

use super::sync::{district_of, Source};
use super::{conn::Target, CityError};
use crate::store::{chain_hash, Pos, GENESIS};

/// What the comparison found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Verdict {
    pub district: String,
    pub city_events: u64,
    pub local_events: u64,
    /// The first event where they differ, and how.
    pub mismatch: Option<(u64, String)>,
    /// The city copy's last event and its hash.
    pub city_head: (u64, String),
}

impl Verdict {
    pub fn ok(&self) -> bool {
        self.mismatch.is_none()
    }
}

const PAGE: i64 = 20_000;

/// Compares the journal with the city copy.
pub async fn verify<S: Source>(src: &S, target: &Target) -> Result<Verdict, CityError> {
    let district = src.run(district_of).await??;
    let client = target.connect().await?;
    let code = district.code.clone();
    let local_events = src.run(|d| d.store().last_seq()).await?;
    let mut v = Verdict {
        district: code.clone(),
        city_events: 0,
        local_events,
        mismatch: None,
        city_head: (0, GENESIS.to_string()),
    };
    let have_schema = client
        .query_one(
            "SELECT count(*) FROM information_schema.tables WHERE table_name = 'dd_events'",
            &[],
        )
        .await
        .map_err(|e| CityError::sql("information_schema", e))?
        .get::<_, i64>(0)
        > 0;
    if !have_schema {
        return Ok(v);
    }
    let mut pos = Pos::start();
    let mut prev = GENESIS.to_string();
    let mut local: std::collections::VecDeque<(u64, String)> = Default::default();
    loop {
        let rows = client
            .query(
                "SELECT seq, hash, prev, body FROM dd_events WHERE district = $1 AND seq > $2 ORDER BY seq LIMIT $3",
                &[&code, &(v.city_events as i64), &PAGE],
            )
            .await
            .map_err(|e| CityError::sql("dd_events", e))?;
        if rows.is_empty() {
            break;
        }
        for r in &rows {
            let seq = r.get::<_, i64>(0) as u64;
            let hash: String = r.get(1);
            let row_prev: String = r.get(2);
            let body: String = r.get(3);
            let expected = v.city_events + 1;
            let problem = if seq != expected {
                Some(format!(
                    "the city copy jumps from event {} to {seq}",
                    v.city_events
                ))
            } else if row_prev != prev || chain_hash(&row_prev, &body) != hash {
                Some("the city copy's row does not chain: it was edited there".to_string())
            } else {
                None
            };
            if let Some(p) = problem {
                v.mismatch = Some((expected, p));
                return Ok(v);
            }
            if local.is_empty() {
                let from = pos.clone();
                let (entries, end) = src
                    .run(move |d| d.store().read_from(&from, PAGE as usize))
                    .await??;
                pos = end;
                local.extend(entries.into_iter().map(|e| (e.rec.seq, e.hash)));
            }
            match local.pop_front() {
                None => {
                    v.mismatch = Some((
                        seq,
                        format!("the journal ends at event {local_events}, the city copy goes on"),
                    ));
                    return Ok(v);
                }
                Some((s, h)) if s != seq || h != hash => {
                    v.mismatch = Some((
                        seq,
                        format!("the journal's event has hash {h}, the city's {hash}"),
                    ));
                    return Ok(v);
                }
                Some(_) => {}
            }
            v.city_events = seq;
            v.city_head = (seq, hash.clone());
            prev = hash;
        }
    }
    Ok(v)
}
