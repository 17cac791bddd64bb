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
}
