//! Database access (server only): one module per aggregate, plain SQL through sqlx. Functions take
//! any executor, so a caller can run several of them inside one transaction.

pub mod abuse;
pub mod challenges;
pub mod commission;
pub mod credentials;
pub mod credit;
pub mod email;
pub mod files;
pub mod growth;
pub mod leaderboard;
pub mod ledger;
pub mod lifecycle;
pub mod messages;
pub mod notifications;
pub mod payments;
pub mod reports;
pub mod resume;
pub mod reviews;
pub mod search;
pub mod tasks;
pub mod users;
