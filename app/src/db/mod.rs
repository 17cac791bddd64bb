//! Database access (server only): one module per aggregate, plain SQL through sqlx. Functions take
//! any executor, so a caller can run several of them inside one transaction.

/// A pattern for `ILIKE` that finds `text` anywhere, with its own `%`, `_` and `\` taken literally.
pub fn contains_pattern(text: &str) -> String {
    format!("%{}%", text.replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_"))
}

pub mod abuse;
pub mod account_security;
pub mod audit;
pub mod challenges;
pub mod commission;
pub mod community;
pub mod console;
pub mod contests;
pub mod credentials;
pub mod credit;
pub mod email;
pub mod exports;
pub mod files;
pub mod growth;
pub mod invitations;
pub mod leaderboard;
pub mod learning;
pub mod ledger;
pub mod legal;
pub mod lifecycle;
pub mod mall;
pub mod membership;
pub mod messages;
pub mod moderation;
pub mod notifications;
pub mod payments;
pub mod payouts;
pub mod periods;
pub mod phone;
pub mod portfolio;
pub mod record_invariants;
pub mod reports;
pub mod reviews;
pub mod saved_searches;
pub mod search;
pub mod second_factor;
pub mod support;
pub mod talent;
pub mod tasks;
pub mod users;

/// The instant this month began in China time, as SQL (monthly draws and limits count from it).
pub(crate) const THIS_MONTH: &str = "china_instant(date_trunc('month', china_time(app_now())))";
