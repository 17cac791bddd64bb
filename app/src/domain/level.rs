//! A developer's level, S/A/B/C, and what each level unlocks. How a record earns a level is
//! `growth::GrowthRules`; this is only what the level itself means, so tasks and fees can ask it
//! without depending on the growth rules.

use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Level {
    C,
    B,
    A,
    S,
}

impl Level {
    pub const ALL: [Level; 4] = [Level::C, Level::B, Level::A, Level::S];

    pub fn as_str(self) -> &'static str {
        match self {
            Level::C => "C",
            Level::B => "B",
            Level::A => "A",
            Level::S => "S",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Level::ALL.into_iter().find(|level| level.as_str() == s)
    }

    pub fn next(self) -> Option<Level> {
        match self {
            Level::C => Some(Level::B),
            Level::B => Some(Level::A),
            Level::A => Some(Level::S),
            Level::S => None,
        }
    }

    /// Whether a developer at this level may apply to a task that asks for `required` (None: any).
    pub fn unlocks(self, required: Option<Level>) -> bool {
        required.is_none_or(|required| self >= required)
    }

    /// How many applications a developer at this level may have waiting for an answer at once.
    /// Small at first against mass, copy-paste applying (the seeds' 刷单); it grows as merchants'
    /// ratings show the developer's applications are worth reading.
    pub fn open_application_cap(self) -> u32 {
        match self {
            Level::C => 5,
            Level::B => 10,
            Level::A => 20,
            Level::S => 40,
        }
    }

    /// Commission taken off the task's rate when this developer is paid: the seed's promise that
    /// growing pays. Applied through `CommissionRate::for_payee`, so it never goes below 5 %.
    pub fn commission_discount_bps(self) -> u32 {
        match self {
            Level::C => 0,
            Level::B => 100,
            Level::A => 200,
            Level::S => 300,
        }
    }
}
