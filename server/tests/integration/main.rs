//! Every integration test in one binary. Each test binary links the whole server, and thirteen of
//! them filled a CI machine's disk; one binary links once. Every test still gets its own fresh
//! database from `#[sqlx::test]`.

mod common;

mod account_security;
mod accounts;
mod admin;
mod anti_abuse;
mod applicants;
mod authorization;
mod badges;
mod commission;
mod community;
mod contests;
mod escrow;
mod files;
mod growth;
mod hall;
mod hardening;
mod inert_text;
mod invitations;
mod leaderboard;
mod learning;
mod legal;
mod mall;
mod membership;
mod merchants;
mod notifications;
mod page_cache;
mod payouts;
mod phone;
mod portfolio;
mod quotes;
mod record_invariants;
mod records;
mod reminders;
mod reports;
mod resume;
mod search;
mod second_factor;
mod seo;
mod shared_limits;
mod talent;
mod tasks;
mod trust;
mod two_instances;
mod verifiable_records;
mod wallet;
