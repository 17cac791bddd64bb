//! Task attributes the hall shows. The lifecycle state machine arrives with the escrow work.

use serde::{Deserialize, Serialize};

/// Difficulty 1–5, shown as 入门/初级/中级/高级/专家 (Beginner … Expert).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "i16", into = "i16")]
pub struct Difficulty(i16);

impl Difficulty {
    pub const MIN: i16 = 1;
    pub const MAX: i16 = 5;

    pub fn new(level: i16) -> Option<Self> {
        (Self::MIN..=Self::MAX).contains(&level).then_some(Difficulty(level))
    }

    pub fn level(self) -> i16 {
        self.0
    }
}

impl TryFrom<i16> for Difficulty {
    type Error = String;
    fn try_from(level: i16) -> Result<Self, Self::Error> {
        Difficulty::new(level).ok_or_else(|| format!("difficulty {level} is outside 1–5"))
    }
}

impl From<Difficulty> for i16 {
    fn from(d: Difficulty) -> i16 {
        d.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn difficulty_is_one_to_five() {
        assert!(Difficulty::new(0).is_none());
        assert_eq!(Difficulty::new(1).map(Difficulty::level), Some(1));
        assert_eq!(Difficulty::new(5).map(Difficulty::level), Some(5));
        assert!(Difficulty::new(6).is_none());
        assert!(serde_json::from_str::<Difficulty>("9").is_err());
    }
}
