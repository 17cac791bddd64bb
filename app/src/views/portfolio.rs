//! The wire types of `api::portfolio`, and the portfolio as the resume card and talent search show
//! it: data only (no I/O).

use crate::views::{hall::TagLabel, profile::SkillChoice};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// Where an image of a portfolio item is served (`server::portfolio_images`).
pub fn image_url(id: Uuid) -> String {
    format!("/portfolio/images/{id}")
}

/// One portfolio item, in the developer's order.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PortfolioItemView {
    pub id: Uuid,
    pub title: String,
    pub role: String,
    /// As typed (Markdown), for the owner's form.
    pub description: String,
    /// The description rendered and cleaned by `markdown::render`: safe to insert as HTML.
    pub description_html: String,
    pub link: Option<String>,
    /// The platform task this item shows, pinned by the developer who finished it: its
    /// verification page is `/verify/task/{id}`.
    pub task_id: Option<Uuid>,
    pub tags: Vec<TagLabel>,
    /// Image ids, oldest first (`image_url`).
    pub images: Vec<Uuid>,
}

/// A finished task of the developer's that is not yet in the portfolio.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PinnableTask {
    pub id: Uuid,
    pub title: String,
    /// "YYYY-MM-DD", China time.
    pub finished_on: String,
}

/// The owner's portfolio on `/profile`, with what the forms offer.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MyPortfolio {
    pub items: Vec<PortfolioItemView>,
    pub pinnable: Vec<PinnableTask>,
    /// Every skill tag, for an item's tags.
    pub tags: Vec<SkillChoice>,
}

/// A glimpse of a developer's portfolio for a list of developers (talent search results).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PortfolioSummary {
    pub title: String,
    /// A pinned platform task (平台验证).
    pub verified: bool,
    /// The item's first image, if it has one.
    pub image_url: Option<String>,
}
