//! Read models (server only): what one page shows, assembled from several queries, one module per
//! page. They only read; every change goes through the transactional modules of `db/`, whose
//! small lookups (a level, a restriction, a rate) they may use.

pub mod dashboard;
pub mod for_you;
pub mod growth_panel;
pub mod hall;
pub mod merchant_profile;
pub mod resume_card;
pub mod sitemap;
pub mod talent;
pub mod task_page;
