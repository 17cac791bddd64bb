//! The monthly draw's procedure: who wins, from the revealed seed and the frozen entry list alone,
//! so anyone holding both can draw again and get the same winners (server only: it needs HMAC).
//!
//! The procedure, version `codelink-draw/v1`:
//! 1. The entries are sorted by their public id (byte order); each holds one or more tickets.
//! 2. For prize `i` (0, 1, …) and attempt `j` (0, 1, …), compute
//!    `HMAC-SHA256(key = seed bytes, message = "codelink-draw/v1:{month}:{i}:{j}")` and read its
//!    first 8 bytes as a big-endian number `x`.
//! 3. With `n` tickets still in the draw, `x` is used only when `x < 2^64 - (2^64 mod n)` (rejection
//!    sampling: every ticket equally likely, no modulo bias); otherwise try attempt `j + 1`. The
//!    winning ticket is `x mod n`.
//! 4. Counting tickets along the sorted entries, the entry holding the winning ticket wins prize
//!    `i`; with one prize per person, its tickets then leave the draw.
//! 5. The draw ends when every prize has a winner or no ticket is left.

use hmac::{Hmac, Mac};
use sha2::Sha256;

/// Names the procedure in its messages: a later version would be a new name.
pub const PROCEDURE: &str = "codelink-draw/v1";

/// One line of the frozen entry list: one per person, so ids are unique, and ticket counts are
/// what people bought or earned in a month (their sum is nowhere near 2^64).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Entry {
    /// The public pseudonymous id the draw page shows (never the account's id or name).
    pub id: String,
    pub tickets: u64,
}

/// Draws `prizes` winners for `month` (`YYYY-MM`) from `seed` over `entries`: the winning entries,
/// prize by prize. `one_per_person`: a winner's tickets leave the draw.
pub fn draw(seed: &[u8], month: &str, entries: &[Entry], prizes: usize, one_per_person: bool) -> Vec<Entry> {
    let mut pool: Vec<Entry> = entries.iter().filter(|entry| entry.tickets > 0).cloned().collect();
    pool.sort_by(|a, b| a.id.as_bytes().cmp(b.id.as_bytes()));
    let mut winners = Vec::with_capacity(prizes);
    for prize in 0..prizes {
        let total: u64 = pool.iter().map(|entry| entry.tickets).sum();
        if total == 0 {
            break;
        }
        let ticket = uniform_below(seed, month, prize, total);
        let winner = holder_of(&pool, ticket);
        winners.push(pool[winner].clone());
        if one_per_person {
            pool.remove(winner);
        }
    }
    winners
}

/// A number in `0..n`, each equally likely, from the seed's HMAC stream for one prize.
fn uniform_below(seed: &[u8], month: &str, prize: usize, n: u64) -> u64 {
    // Numbers from 0 to `last_fair` cover every ticket equally often (a multiple of n of them);
    // the few above it would favour the low tickets, and are skipped.
    let last_fair = last_fair_value(n);
    for attempt in 0u64.. {
        let x = stream_value(seed, month, prize, attempt);
        if x <= last_fair {
            return x % n;
        }
    }
    unreachable!("the attempts never run out")
}

/// `2^64 - (2^64 mod n) - 1`, computed without leaving 64 bits.
fn last_fair_value(n: u64) -> u64 {
    u64::MAX - (u64::MAX % n + 1) % n
}

fn stream_value(seed: &[u8], month: &str, prize: usize, attempt: u64) -> u64 {
    let mut mac = Hmac::<Sha256>::new_from_slice(seed).expect("HMAC takes a key of any length");
    mac.update(format!("{PROCEDURE}:{month}:{prize}:{attempt}").as_bytes());
    let digest = mac.finalize().into_bytes();
    u64::from_be_bytes(digest[..8].try_into().expect("a SHA-256 digest has 32 bytes"))
}

/// The entry holding ticket number `ticket`, counting tickets along the list.
fn holder_of(pool: &[Entry], ticket: u64) -> usize {
    let mut passed = 0;
    for (index, entry) in pool.iter().enumerate() {
        passed += entry.tickets;
        if ticket < passed {
            return index;
        }
    }
    unreachable!("the ticket is below the total")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entries(tickets: &[u64]) -> Vec<Entry> {
        tickets.iter().enumerate().map(|(n, &tickets)| Entry { id: format!("entry-{n:02}"), tickets }).collect()
    }

    fn seed(n: u64) -> [u8; 32] {
        use sha2::Digest;
        Sha256::digest(format!("test seed {n}")).into()
    }

    #[test]
    fn the_same_inputs_give_the_same_winners_and_any_change_changes_them() {
        let list = entries(&[3, 1, 4, 1, 5, 9, 2, 6]);
        let winners = draw(&seed(1), "2026-12", &list, 3, true);
        assert_eq!(winners.len(), 3);
        assert_eq!(draw(&seed(1), "2026-12", &list, 3, true), winners, "deterministic");
        let mut shuffled = list.clone();
        shuffled.reverse();
        assert_eq!(draw(&seed(1), "2026-12", &shuffled, 3, true), winners, "the list's order does not matter");
        let differs = |other: Vec<Entry>| other != winners;
        // Over a few seeds and edits, the winners move (one fixed seed could coincide by chance).
        assert!((2..6).any(|n| differs(draw(&seed(n), "2026-12", &list, 3, true))), "another seed");
        assert!((1..5).any(|n| differs(draw(&seed(n), "2027-01", &list, 3, true))), "another month");
        let mut edited = list.clone();
        edited[5].tickets = 1;
        assert!(
            (1..5).any(|n| draw(&seed(n), "2026-12", &edited, 3, true) != draw(&seed(n), "2026-12", &list, 3, true))
        );
    }

    #[test]
    fn one_prize_per_person_and_no_more_winners_than_entries() {
        let list = entries(&[100, 1, 1]);
        let winners = draw(&seed(7), "2026-12", &list, 5, true);
        assert_eq!(winners.len(), 3, "three people, three prizes at most");
        let mut ids: Vec<_> = winners.iter().map(|w| w.id.clone()).collect();
        ids.sort();
        ids.dedup();
        assert_eq!(ids.len(), 3, "nobody wins twice");
        assert_eq!(draw(&seed(7), "2026-12", &entries(&[0, 0]), 2, true), vec![], "no tickets, no winners");
        assert_eq!(draw(&seed(7), "2026-12", &entries(&[2]), 3, false).len(), 3, "repeat winners when allowed");
    }

    /// 100,000 one-prize draws over tickets 1, 2, 3, 4 and 10: each entry wins in proportion to its
    /// tickets. Chi-squared with 4 degrees of freedom stays under 18.47 (p = 0.001) for a fair draw.
    #[test]
    fn wins_follow_ticket_weights() {
        let tickets = [1u64, 2, 3, 4, 10];
        let list = entries(&tickets);
        let draws = 100_000u64;
        let mut wins = [0u64; 5];
        for n in 0..draws {
            let winner = &draw(&seed(n), "2026-12", &list, 1, true)[0];
            wins[list.iter().position(|e| e.id == winner.id).unwrap()] += 1;
        }
        let chi_squared = |weights: &[u64]| -> f64 {
            let total: u64 = weights.iter().sum();
            weights
                .iter()
                .zip(wins)
                .map(|(&weight, observed)| {
                    let expected = draws as f64 * weight as f64 / total as f64;
                    (observed as f64 - expected).powi(2) / expected
                })
                .sum()
        };
        let fair = chi_squared(&tickets);
        assert!(fair < 18.47, "chi-squared {fair:.2} for wins {wins:?}");
        // The same wins held against equal chances fail the test: it can tell a wrong draw.
        assert!(chi_squared(&[1, 1, 1, 1, 1]) > 18.47);
    }

    #[test]
    fn rejection_keeps_every_ticket_equally_likely() {
        // For n = 3, 2^64 mod 3 = 1: exactly one value (the largest) is skipped.
        assert_eq!(last_fair_value(3), u64::MAX - 1);
        // A power of two divides 2^64: nothing is skipped.
        assert_eq!(last_fair_value(4), u64::MAX);
        assert_eq!(last_fair_value(1), u64::MAX);
        // For n = 10: 2^64 mod 10 = 6, so the six largest values are skipped.
        assert_eq!(last_fair_value(10), u64::MAX - 6);
        assert_eq!(uniform_below(&seed(3), "2026-12", 0, 1), 0);
    }
}
