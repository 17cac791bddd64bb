//! Who may call what. Every server function is listed once in `api::access::ENDPOINTS` with one of
//! these rules, and one check (`Access::check`) decides, before the function's arguments are decoded.

use super::account::Role;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Access {
    /// Anyone, logged in or not (the hall, login, register).
    Public,
    /// Any logged-in account.
    LoggedIn,
    /// Logged in with exactly this role.
    Role(Role),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Denied {
    /// Nobody is logged in: 401, the client offers the login page.
    NotLoggedIn,
    /// Logged in, but with the wrong role: 403.
    WrongRole,
}

impl Access {
    pub fn check(self, caller: Option<Role>) -> Result<(), Denied> {
        match (self, caller) {
            (Access::Public, _) => Ok(()),
            (_, None) => Err(Denied::NotLoggedIn),
            (Access::LoggedIn, Some(_)) => Ok(()),
            (Access::Role(required), Some(role)) if required == role => Ok(()),
            (Access::Role(_), Some(_)) => Err(Denied::WrongRole),
        }
    }

    /// Admin functions also need a session that has proven a second factor (ASVS V2: the accounts
    /// that can move money and lift restrictions must not fall to a password alone).
    pub fn requires_second_factor(self) -> bool {
        self == Access::Role(Role::Admin)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn public_admits_everyone() {
        assert_eq!(Access::Public.check(None), Ok(()));
        assert_eq!(Access::Public.check(Some(Role::Merchant)), Ok(()));
    }

    #[test]
    fn logged_in_admits_any_role_but_not_anonymous() {
        assert_eq!(Access::LoggedIn.check(None), Err(Denied::NotLoggedIn));
        for role in [Role::Developer, Role::Merchant, Role::Admin] {
            assert_eq!(Access::LoggedIn.check(Some(role)), Ok(()));
        }
    }

    #[test]
    fn role_rules_admit_only_that_role() {
        let admin_only = Access::Role(Role::Admin);
        assert_eq!(admin_only.check(None), Err(Denied::NotLoggedIn));
        assert_eq!(admin_only.check(Some(Role::Developer)), Err(Denied::WrongRole));
        assert_eq!(admin_only.check(Some(Role::Merchant)), Err(Denied::WrongRole));
        assert_eq!(admin_only.check(Some(Role::Admin)), Ok(()));
    }

    #[test]
    fn only_admin_rules_require_a_second_factor() {
        assert!(Access::Role(Role::Admin).requires_second_factor());
        for access in [Access::Public, Access::LoggedIn, Access::Role(Role::Developer), Access::Role(Role::Merchant)] {
            assert!(!access.requires_second_factor(), "{access:?}");
        }
    }
}
