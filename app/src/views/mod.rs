//! The types that cross the wire: what the server functions in `api/` return and the pages show,
//! compiled for the server and the browser alike. Data only (structs and enums with their small pure
//! impls): no I/O, no server functions, so `db/` can build them without depending on `api/`.
//! One module per area, named like its `api` module.

pub mod admin;
pub mod applicants;
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
pub mod live;
pub mod mall;
pub mod membership;
pub mod merchants;
pub mod messages;
pub mod moderation;
pub mod notifications;
pub mod phone;
pub mod portfolio;
pub mod profile;
pub mod quotes;
pub mod reports;
pub mod resume;
pub mod reviews;
pub mod second_factor;
pub mod security;
pub mod talent;
pub mod tasks;
pub mod trust;
pub mod wallet;
