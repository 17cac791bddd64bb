//! The vocabulary of input problems. A problem is a code, not a sentence: the client turns it into a
//! message in the reader's language, so the server never has to know who is reading.

use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Field {
    Email,
    Password,
    DisplayName,
    Role,
    MerchantKind,
    Title,
    Description,
    Tags,
    Difficulty,
    Reward,
    Deadline,
    ChangeRounds,
    Milestones,
    Amount,
    Pitch,
    Message,
    Reason,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum Problem {
    Required,
    TooShort { min: u32 },
    TooLong { max: u32 },
    InvalidEmail,
    EmailTaken,
    NotAllowed,
    InvalidAmount,
    AmountOutOfRange { min_fen: i64, max_fen: i64 },
    InvalidDate,
    DateInPast,
    TooMany { max: u32 },
    /// Milestone amounts must add up to the reward.
    MilestonesDontAddUp,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldError {
    pub field: Field,
    pub problem: Problem,
}

impl FieldError {
    pub fn new(field: Field, problem: Problem) -> Self {
        FieldError { field, problem }
    }
}

/// Checks a free-text value's length in characters (not bytes: "张三" is two characters).
pub fn check_length(field: Field, value: &str, min: u32, max: u32) -> Result<(), FieldError> {
    let count = value.chars().count();
    if count == 0 && min > 0 {
        Err(FieldError::new(field, Problem::Required))
    } else if count < min as usize {
        Err(FieldError::new(field, Problem::TooShort { min }))
    } else if count > max as usize {
        Err(FieldError::new(field, Problem::TooLong { max }))
    } else {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn length_counts_characters_not_bytes() {
        assert_eq!(check_length(Field::DisplayName, "张三", 2, 4), Ok(()));
        assert_eq!(
            check_length(Field::DisplayName, "", 2, 4),
            Err(FieldError::new(Field::DisplayName, Problem::Required))
        );
        assert_eq!(
            check_length(Field::DisplayName, "张", 2, 4),
            Err(FieldError::new(Field::DisplayName, Problem::TooShort { min: 2 }))
        );
        assert_eq!(
            check_length(Field::DisplayName, "张三李四王", 2, 4),
            Err(FieldError::new(Field::DisplayName, Problem::TooLong { max: 4 }))
        );
    }
}
