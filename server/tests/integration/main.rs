//! Every integration test in one binary. Each test binary links the whole server, and thirteen of
//! them filled a CI machine's disk; one binary links once. Every test still gets its own fresh
//! database from `#[sqlx::test]`.

mod common;

mod accounts;
mod admin;
mod anti_abuse;
mod authorization;
mod community;
mod contests;
mod escrow;
mod growth;
mod hall;
mod learning;
mod mall;
mod membership;
mod phone;
mod reminders;
mod reports;
mod resume;
mod search;
mod trust;
mod verifiable_records;
