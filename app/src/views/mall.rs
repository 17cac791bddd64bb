//! The wire types of `api::mall`: what its server functions return, as data (no I/O).

use crate::domain::{mall::MallItem, resume_card::CardTheme};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MallOverview {
    /// Growth points that may be spent.
    pub balance: i64,
    /// Growth points earned in all (what boards and levels count; spending never lowers it).
    pub earned: i64,
    pub offers: Vec<MallOffer>,
    /// The theme on the developer's card now.
    pub theme: CardTheme,
    pub tickets_this_month: i64,
    /// For the link to the card the themes dress.
    pub handle: String,
    /// Rendered into each purchase form, so a double-click or a retry buys once.
    pub purchase_key: Uuid,
    /// What the purchase that came back here bought.
    pub bought: Option<MallItem>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MallOffer {
    pub item: MallItem,
    pub price: i64,
    /// An admin may take an item off sale; a theme bought before stays the owner's.
    pub on_sale: bool,
    /// A theme bought already.
    pub owned: bool,
}
