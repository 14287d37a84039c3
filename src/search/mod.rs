//! TEMPORARY substring index, replaced by the pinyin-aware index before commit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub enum MatchKind {
    CreditCode,
    Name,
    Initials,
    Pinyin,
}
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Hit {
    pub id: usize,
    pub score: i64,
    pub kind: MatchKind,
}
#[derive(Default, Clone)]
pub struct EnterpriseIndex {
    codes: Vec<String>,
    names: Vec<String>,
}
impl EnterpriseIndex {
    pub fn new() -> Self {
        Self::default()
    }
    pub fn upsert(&mut self, code: &str, name: &str) -> usize {
        if let Some(i) = self.codes.iter().position(|c| c == code) {
            self.names[i] = name.into();
            return i;
        }
        self.codes.push(code.into());
        self.names.push(name.into());
        self.codes.len() - 1
    }
    pub fn len(&self) -> usize {
        self.codes.len()
    }
    pub fn is_empty(&self) -> bool {
        self.codes.is_empty()
    }
    pub fn credit_code(&self, id: usize) -> &str {
        &self.codes[id]
    }
    pub fn name(&self, id: usize) -> &str {
        &self.names[id]
    }
    pub fn search(&self, q: &str, limit: usize) -> Vec<Hit> {
        (0..self.len())
            .filter(|i| self.names[*i].contains(q) || self.codes[*i].contains(q))
            .take(limit)
            .map(|id| Hit {
                id,
                score: 0,
                kind: MatchKind::Name,
            })
            .collect()
    }
}
