//! Where a user's public page is, the one place that decides it: a developer's resume card
//! (`/u/{handle}`) while they keep it public, a merchant's record (`/merchants/{id}`) always.
//! Names shown anywhere (leaderboards, applicants, review authors, task cards) link through here,
//! so a hidden card is never linked to.

use super::account::Role;
use uuid::Uuid;

/// The address of `id`'s public page, or None when they have none others may open (a hidden
/// resume card, an admin).
pub fn public_page(role: Role, id: Uuid, handle: &str, card_public: bool) -> Option<String> {
    match role {
        Role::Developer => card_public.then(|| format!("/u/{handle}")),
        Role::Merchant => Some(merchant_page(id)),
        Role::Admin => None,
    }
}

/// A merchant's public record; every merchant has one.
pub fn merchant_page(id: Uuid) -> String {
    format!("/merchants/{id}")
}

/// `public_page` from the stored role's name (`users.role`); an unknown role has no page.
pub fn public_page_of(role: &str, id: Uuid, handle: &str, card_public: bool) -> Option<String> {
    Role::parse(role).and_then(|role| public_page(role, id, handle, card_public))
}

/// How long a page kept for visitors who are not signed in (`is_shared_page`) is served before it
/// is rendered again; the changes visitors must see at once (a task published, promoted, taken or
/// closed, a card edited) forget it sooner. Under load, each page is rendered about once per
/// lifetime instead of once per visit.
pub const SHARED_PAGE_LIFETIME_SECS: u64 = 2;

/// Whether `path` renders the same for every visitor who is not signed in (for a given query and
/// language), so one rendering may serve them all for a moment: the hall, task pages, resume cards,
/// merchants' records, the community, courses, contests, leaderboards, help and the legal texts.
/// Forms, dashboards and anything that answers per person are not.
pub fn is_shared_page(path: &str) -> bool {
    let segments: Vec<&str> = path.trim_start_matches('/').split('/').collect();
    match segments.as_slice() {
        [""] | ["community" | "learn" | "contests" | "leaderboard" | "developers" | "help"] => true,
        ["tasks", id] => *id != "new" && !id.is_empty(),
        ["u" | "merchants" | "community" | "learn" | "contests", id] => !id.is_empty(),
        ["help", "growth"] => true,
        ["legal", document] => matches!(*document, "terms" | "privacy" | "rules"),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_developer_links_to_their_card_only_while_it_is_public() {
        let id = Uuid::nil();
        assert_eq!(public_page(Role::Developer, id, "lilei", true).as_deref(), Some("/u/lilei"));
        assert_eq!(public_page(Role::Developer, id, "lilei", false), None);
    }

    #[test]
    fn a_merchant_always_has_a_page_and_an_admin_never() {
        let id = Uuid::from_u128(7);
        assert_eq!(public_page(Role::Merchant, id, "shop", false), Some(format!("/merchants/{id}")));
        assert_eq!(public_page(Role::Admin, id, "root", true), None);
        assert_eq!(public_page_of("merchant", id, "x", true), Some(merchant_page(id)));
        assert_eq!(public_page_of("robot", id, "x", true), None);
    }

    #[test]
    fn only_pages_that_are_the_same_for_every_visitor_are_shared() {
        for shared in [
            "/",
            "/tasks/0190c3d2-0000-7000-8000-000000000001",
            "/u/lilei",
            "/merchants/x",
            "/community",
            "/community/12",
            "/learn/rust-basics",
            "/leaderboard",
            "/contests/3",
            "/help/growth",
            "/legal/terms",
        ] {
            assert!(is_shared_page(shared), "{shared}");
        }
        for own in [
            "/tasks/new",
            "/tasks/x/edit",
            "/tasks/",
            "/u/lilei/card.svg",
            "/profile",
            "/wallet",
            "/me",
            "/login",
            "/admin",
            "/legal/consent",
            "/api/hall",
            "/notifications",
            "//evil",
        ] {
            assert!(!is_shared_page(own), "{own}");
        }
    }
}
