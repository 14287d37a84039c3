//! The enterprise's evaluation of how an issue was handled (评价反馈), on the platform's three
//! dimensions: 政府亲近度 (closeness), 政府清廉度 (integrity), 亲清满意度 (satisfaction).

use serde::{Deserialize, Serialize};

/// Scores are 1–5. Any score ≤ 2 counts as unsatisfied: a comment is required and the issue
/// goes back to its unit.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Evaluation {
    pub closeness: u8,
    pub integrity: u8,
    pub satisfaction: u8,
    #[serde(default)]
    pub comment: String,
}

/// What is wrong with an evaluation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EvaluationError {
    /// A score outside 1–5 (dimension name, value).
    OutOfRange(&'static str, u8),
    /// A low score without a comment.
    CommentRequired,
}

/// The highest score that counts as unsatisfied.
pub const LOW_SCORE: u8 = 2;

impl Evaluation {
    pub fn scores(&self) -> [(&'static str, u8); 3] {
        [
            ("closeness", self.closeness),
            ("integrity", self.integrity),
            ("satisfaction", self.satisfaction),
        ]
    }

    /// Any dimension ≤ 2.
    pub fn is_low(&self) -> bool {
        self.scores().iter().any(|(_, s)| *s <= LOW_SCORE)
    }

    pub fn validate(&self) -> Result<(), EvaluationError> {
        for (name, s) in self.scores() {
            if !(1..=5).contains(&s) {
                return Err(EvaluationError::OutOfRange(name, s));
            }
        }
        if self.is_low() && self.comment.trim().is_empty() {
            return Err(EvaluationError::CommentRequired);
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ev(a: u8, b: u8, c: u8, comment: &str) -> Evaluation {
        Evaluation {
            closeness: a,
            integrity: b,
            satisfaction: c,
            comment: comment.into(),
        }
    }

    #[test]
    fn ranges_and_comment_rule() {
        assert_eq!(ev(5, 5, 5, "").validate(), Ok(()));
        assert_eq!(ev(3, 3, 3, "").validate(), Ok(()));
        assert_eq!(
            ev(0, 3, 3, "x").validate(),
            Err(EvaluationError::OutOfRange("closeness", 0))
        );
        assert_eq!(
            ev(3, 6, 3, "x").validate(),
            Err(EvaluationError::OutOfRange("integrity", 6))
        );
        assert_eq!(
            ev(3, 3, 2, "").validate(),
            Err(EvaluationError::CommentRequired)
        );
        assert_eq!(
            ev(3, 3, 2, "  ").validate(),
            Err(EvaluationError::CommentRequired)
        );
        assert_eq!(ev(3, 3, 2, "slow").validate(), Ok(()));
        assert!(ev(3, 1, 5, "x").is_low());
        assert!(!ev(3, 3, 3, "").is_low());
    }
}
