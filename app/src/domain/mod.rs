//! Pure domain rules: no I/O, no Leptos, no database. Shared by the server and the WASM client, so a
//! rule is written once and both sides agree on it. Every module has its unit tests beside it.

pub mod access;
pub mod account;
pub mod account_security;
pub mod badges;
pub mod challenges;
pub mod community;
pub mod contest;
pub mod credit;
pub mod delivery;
pub mod fees;
pub mod forwarded;
pub mod growth;
pub mod hall;
pub mod learning;
pub mod ledger;
pub mod lifecycle;
pub mod mall;
pub mod matching;
pub mod membership;
pub mod messaging;
pub mod moderation;
pub mod money;
pub mod notifications;
pub mod paging;
pub mod periods;
pub mod payouts;
pub mod phone;
pub mod profile;
pub mod reports;
pub mod resume_card;
pub mod reviews;
pub mod second_factor;
pub mod statement;
pub mod task;
pub mod validation;
