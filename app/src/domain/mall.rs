//! The points mall (积分商城): what a developer's growth points (成长积分) buy. Points are never
//! money, so nothing here is: the mall sells looks for the resume card (个性化履历模板) and
//! tickets for the monthly draw. Spending points lowers the balance to spend, never the points
//! earned, so leaderboards and levels do not move.

use super::{resume_card::CardTheme, validation::Problem};
use serde::{Deserialize, Serialize};

/// Draw tickets one developer may buy in a month (China time): the draw rewards taking part,
/// and points alone must not buy it.
pub const TICKETS_PER_MONTH: i64 = 5;

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

    /// Its price in growth points. A theme costs about what the welcome challenge and a couple of
    /// finished tasks give; a ticket, a few days of check-ins.
    pub fn price(self) -> i64 {
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

/// Whether `item` may be bought now; the problem says why not.
pub fn may_buy(item: MallItem, wallet: Wallet) -> Result<(), Problem> {
    match item {
        MallItem::Theme(_) if wallet.owns_item => return Err(Problem::AlreadyOwned),
        MallItem::DrawTicket if wallet.tickets_this_month >= TICKETS_PER_MONTH => {
            return Err(Problem::TooMany { max: TICKETS_PER_MONTH as u32 })
        }
        _ => {}
    }
    if wallet.balance < item.price() {
        return Err(Problem::NotEnoughPoints { short: (item.price() - wallet.balance) as u32 });
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
            assert!(item.price() > 0);
        }
        assert_eq!(MallItem::parse("theme-light"), None, "the free themes are not for sale");
        assert_eq!(MallItem::parse("cash"), None);
    }

    #[test]
    fn a_purchase_needs_the_points_and_a_theme_is_bought_once() {
        let ink = MallItem::Theme(CardTheme::Ink);
        assert_eq!(may_buy(ink, RICH), Ok(()));
        assert_eq!(may_buy(ink, Wallet { balance: 120, ..RICH }), Ok(()), "exactly enough");
        assert_eq!(may_buy(ink, Wallet { balance: 100, ..RICH }), Err(Problem::NotEnoughPoints { short: 20 }));
        assert_eq!(may_buy(ink, Wallet { owns_item: true, ..RICH }), Err(Problem::AlreadyOwned));
    }

    #[test]
    fn draw_tickets_stop_at_five_a_month() {
        let at = |tickets| Wallet { tickets_this_month: tickets, ..RICH };
        assert_eq!(may_buy(MallItem::DrawTicket, at(4)), Ok(()));
        assert_eq!(may_buy(MallItem::DrawTicket, at(5)), Err(Problem::TooMany { max: 5 }));
    }
}
