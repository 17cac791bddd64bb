//! The points mall (积分商城): what a developer's growth points (成长积分) buy. Points are never
//! money, so nothing here is: the mall sells looks for the resume card (个性化履历模板) and
//! tickets for the monthly draw. Spending points lowers the balance to spend, never the points
//! earned, so leaderboards and levels do not move.

use super::{resume_card::CardTheme, validation::Problem};
use serde::{Deserialize, Serialize};

/// Draw tickets one developer may buy in a month (China time): the draw rewards taking part,
/// and points alone must not buy it.
pub const TICKETS_PER_MONTH: i64 = 5;

/// The range an admin may price an item in.
pub const MIN_PRICE: i64 = 1;
pub const MAX_PRICE: i64 = 100_000;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum MallItem {
    /// A resume card theme, kept for good once bought.
    Theme(CardTheme),
    /// One more entry in this month's draw.
    DrawTicket,
}

impl MallItem {
    /// Everything on sale, in the order the mall shows it.
    pub const ALL: [MallItem; 4] = [
        MallItem::Theme(CardTheme::Ink),
        MallItem::Theme(CardTheme::Aurora),
        MallItem::Theme(CardTheme::Jade),
        MallItem::DrawTicket,
    ];

    /// Its price in growth points until an admin sets another. A theme costs about what the
    /// welcome challenge and a couple of finished tasks give; a ticket, a few days of check-ins.
    pub fn launch_price(self) -> i64 {
        match self {
            MallItem::Theme(CardTheme::Ink) => 120,
            MallItem::Theme(_) => 150,
            MallItem::DrawTicket => 30,
        }
    }

    /// Its stored name ("theme-ink", "draw-ticket").
    pub fn slug(self) -> String {
        match self {
            MallItem::Theme(theme) => format!("theme-{}", theme.as_str()),
            MallItem::DrawTicket => "draw-ticket".to_string(),
        }
    }

    pub fn parse(slug: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|item| item.slug() == slug)
    }
}

/// What the developer has, for deciding a purchase.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Wallet {
    /// Growth points earned and not yet spent.
    pub balance: i64,
    pub owns_item: bool,
    pub tickets_this_month: i64,
}

/// An item's terms of sale: its price and whether it is on sale.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Terms {
    pub price: i64,
    pub on_sale: bool,
}

impl MallItem {
    pub fn launch_terms(self) -> Terms {
        Terms { price: self.launch_price(), on_sale: true }
    }
}

/// Reads a price an admin typed (whole points).
pub fn parse_price(typed: &str) -> Result<i64, Problem> {
    let typed = typed.trim();
    if typed.is_empty() {
        return Err(Problem::Required);
    }
    match typed.parse::<i64>() {
        Ok(price) if (MIN_PRICE..=MAX_PRICE).contains(&price) => Ok(price),
        _ => Err(Problem::NumberOutOfRange { min: MIN_PRICE, max: MAX_PRICE }),
    }
}

/// Whether `item` may be bought now on `terms`; the problem says why not.
pub fn may_buy(item: MallItem, terms: Terms, wallet: Wallet) -> Result<(), Problem> {
    if !terms.on_sale {
        return Err(Problem::NotAllowed);
    }
    match item {
        MallItem::Theme(_) if wallet.owns_item => return Err(Problem::AlreadyOwned),
        MallItem::DrawTicket if wallet.tickets_this_month >= TICKETS_PER_MONTH => {
            return Err(Problem::TooMany { max: TICKETS_PER_MONTH as u32 })
        }
        _ => {}
    }
    if wallet.balance < terms.price {
        return Err(Problem::NotEnoughPoints { short: (terms.price - wallet.balance) as u32 });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    const RICH: Wallet = Wallet { balance: 1_000, owns_item: false, tickets_this_month: 0 };

    #[test]
    fn every_item_has_one_slug_and_a_price() {
        for item in MallItem::ALL {
            assert_eq!(MallItem::parse(&item.slug()), Some(item));
            assert!((MIN_PRICE..=MAX_PRICE).contains(&item.launch_price()));
        }
        assert_eq!(MallItem::parse("theme-light"), None, "the free themes are not for sale");
        assert_eq!(MallItem::parse("cash"), None);
    }

    #[test]
    fn a_purchase_needs_the_points_and_a_theme_is_bought_once() {
        let ink = MallItem::Theme(CardTheme::Ink);
        let terms = ink.launch_terms();
        assert_eq!(may_buy(ink, terms, RICH), Ok(()));
        assert_eq!(may_buy(ink, terms, Wallet { balance: 120, ..RICH }), Ok(()), "exactly enough");
        assert_eq!(may_buy(ink, terms, Wallet { balance: 100, ..RICH }), Err(Problem::NotEnoughPoints { short: 20 }));
        assert_eq!(may_buy(ink, terms, Wallet { owns_item: true, ..RICH }), Err(Problem::AlreadyOwned));
        assert_eq!(
            may_buy(ink, Terms { price: 80, on_sale: true }, Wallet { balance: 100, ..RICH }),
            Ok(()),
            "an admin's price"
        );
        assert_eq!(may_buy(ink, Terms { on_sale: false, ..terms }, RICH), Err(Problem::NotAllowed), "taken off sale");
    }

    #[test]
    fn admins_price_items_in_whole_points_within_range() {
        assert_eq!(parse_price(" 80 "), Ok(80));
        assert_eq!(parse_price(""), Err(Problem::Required));
        for bad in ["0", "100001", "1.5", "-3", "很多"] {
            assert_eq!(parse_price(bad), Err(Problem::NumberOutOfRange { min: 1, max: 100_000 }), "{bad}");
        }
    }

    #[test]
    fn draw_tickets_stop_at_five_a_month() {
        let at = |tickets| Wallet { tickets_this_month: tickets, ..RICH };
        let terms = MallItem::DrawTicket.launch_terms();
        assert_eq!(may_buy(MallItem::DrawTicket, terms, at(4)), Ok(()));
        assert_eq!(may_buy(MallItem::DrawTicket, terms, at(5)), Err(Problem::TooMany { max: 5 }));
    }
}
