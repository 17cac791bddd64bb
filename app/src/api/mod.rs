//! Server functions: thin. Each one validates, calls `db`/`domain`, and maps errors to `AppError`.
//! Who may call each is declared once, in `access::ENDPOINTS`, and enforced before it runs.

pub mod access;
pub mod admin;
pub mod audit;
pub mod auth;
pub mod community;
pub mod console;
pub mod contests;
pub mod credentials;
pub mod growth;
pub mod hall;
pub mod invitations;
pub mod leaderboard;
pub mod learning;
pub mod legal;
pub mod mall;
pub mod membership;
pub mod merchants;
pub mod messages;
pub mod moderation;
pub mod notifications;
pub mod phone;
pub mod portfolio;
pub mod profile;
pub mod reports;
pub mod resume;
pub mod reviews;
pub mod second_factor;
pub mod security;
pub mod talent;
pub mod tasks;
pub mod trust;
pub mod wallet;
