//! The access rule of every server function, by URL, and the one check that enforces it.
//!
//! The rule is checked twice on one path: by the server's request guard before an HTTP call's
//! arguments are decoded, and by `authorize` as the first line of every server function, which also
//! covers calls made in-process while a page renders on the server. A path missing from this table
//! is refused for everyone (deny by default), and a test walks every registered server function.

use crate::{
    domain::{
        access::{Access, Denied},
        account::Role,
    },
    error::AppError,
};

/// Set for `READ_YOUR_WRITES_SECS` on every signed-in server-function call that succeeded
/// (`server::guard`): while a browser carries it, its reads that could lag go to the primary.
pub const WROTE_COOKIE: &str = "codelink_wrote";
/// Far longer than a streaming replica on a healthy network lags (milliseconds).
pub const READ_YOUR_WRITES_SECS: u32 = 10;

pub const ENDPOINTS: &[(&str, Access)] = &[
    ("/api/login", Access::Public),
    ("/api/register", Access::Public),
    ("/api/register/challenge", Access::Public),
    ("/api/logout", Access::LoggedIn),
    // Account security (`api::security`): a reset is asked for and used without a login.
    ("/api/security", Access::LoggedIn),
    ("/api/security/password", Access::LoggedIn),
    ("/api/security/devices/log_out", Access::LoggedIn),
    ("/api/security/devices/log_out_others", Access::LoggedIn),
    ("/api/password_reset/email", Access::Public),
    ("/api/password_reset/link", Access::Public),
    ("/api/password_reset/code", Access::Public),
    // Anyone may ask for a login code; a binding code also needs a login, checked inside.
    ("/api/phone/send", Access::Public),
    ("/api/phone/sent", Access::Public),
    ("/api/login/phone", Access::Public),
    // The second step of a login whose first factor was right: the waiting login is checked inside.
    ("/api/login/second_factor", Access::Public),
    // Any account may switch on its own second factor (admins must, before any admin function).
    ("/api/security/totp", Access::LoggedIn),
    ("/api/security/totp/start", Access::LoggedIn),
    ("/api/security/totp/confirm", Access::LoggedIn),
    ("/api/security/totp/disable", Access::LoggedIn),
    ("/api/profile/phone", Access::LoggedIn),
    ("/api/profile/phone/unbind", Access::LoggedIn),
    // Empty unless the demo's local SMS gateway is in use.
    ("/api/sandbox/sms", Access::Public),
    ("/api/current_user", Access::Public),
    ("/api/hall", Access::Public),
    ("/api/hall/for_you", Access::Public),
    ("/api/hall/saved", Access::Public),
    ("/api/hall/saved/add", Access::Role(Role::Developer)),
    ("/api/hall/saved/delete", Access::Role(Role::Developer)),
    ("/api/merchant", Access::Public),
    ("/api/leaderboard", Access::Public),
    ("/api/resume", Access::Public),
    ("/api/admin/settle_dispute", Access::Role(Role::Admin)),
    ("/api/admin/commission", Access::Role(Role::Admin)),
    ("/api/admin/commission/set", Access::Role(Role::Admin)),
    ("/api/admin/badges", Access::Role(Role::Admin)),
    ("/api/admin/badges/create", Access::Role(Role::Admin)),
    ("/api/admin/growth_rules", Access::Role(Role::Admin)),
    ("/api/admin/growth_rules/save", Access::Role(Role::Admin)),
    ("/api/admin/dashboard", Access::Role(Role::Admin)),
    ("/api/admin/challenges", Access::Role(Role::Admin)),
    ("/api/admin/challenges/create", Access::Role(Role::Admin)),
    ("/api/admin/challenges/active", Access::Role(Role::Admin)),
    ("/api/admin/users", Access::Role(Role::Admin)),
    ("/api/admin/users/adjust_points", Access::Role(Role::Admin)),
    ("/api/admin/disputes", Access::Role(Role::Admin)),
    ("/api/admin/dispute", Access::Role(Role::Admin)),
    ("/api/admin/exports/start", Access::Role(Role::Admin)),
    ("/api/admin/audit", Access::Role(Role::Admin)),
    ("/api/admin/moderation", Access::Role(Role::Admin)),
    ("/api/admin/moderation/task", Access::Role(Role::Admin)),
    ("/api/admin/moderation/report/resolve", Access::Role(Role::Admin)),
    ("/api/admin/moderation/suspend", Access::Role(Role::Admin)),
    ("/api/admin/moderation/blocklist", Access::Role(Role::Admin)),
    ("/api/task", Access::Public),
    ("/api/task/form_options", Access::Role(Role::Merchant)),
    ("/api/task/create", Access::Role(Role::Merchant)),
    ("/api/task/update", Access::Role(Role::Merchant)),
    ("/api/task/publish", Access::Role(Role::Merchant)),
    ("/api/task/cancel", Access::Role(Role::Merchant)),
    ("/api/task/apply", Access::Role(Role::Developer)),
    ("/api/task/accept_application", Access::Role(Role::Merchant)),
    ("/api/task/decline_application", Access::Role(Role::Merchant)),
    ("/api/task/deliver", Access::Role(Role::Developer)),
    ("/api/task/accept_delivery", Access::Role(Role::Merchant)),
    ("/api/task/request_changes", Access::Role(Role::Merchant)),
    ("/api/task/raise_reward", Access::Role(Role::Merchant)),
    // Either party of a completed task; which side the caller is, is checked with the task.
    ("/api/task/review", Access::LoggedIn),
    ("/api/task/review/reply", Access::LoggedIn),
    ("/api/task/messages", Access::LoggedIn),
    ("/api/task/messages/send", Access::LoggedIn),
    ("/api/credit/me", Access::LoggedIn),
    ("/api/notifications/email", Access::LoggedIn),
    ("/api/notifications/email/set", Access::LoggedIn),
    ("/api/admin/trust", Access::Role(Role::Admin)),
    ("/api/admin/restrictions/lift", Access::Role(Role::Admin)),
    ("/api/admin/flags/resolve", Access::Role(Role::Admin)),
    ("/api/growth/me", Access::Role(Role::Developer)),
    ("/api/growth/check_in", Access::Role(Role::Developer)),
    ("/api/growth/rules", Access::Public),
    ("/api/mall", Access::Role(Role::Developer)),
    ("/api/mall/buy", Access::Role(Role::Developer)),
    ("/api/mall/theme", Access::Role(Role::Developer)),
    ("/api/admin/mall", Access::Role(Role::Admin)),
    ("/api/admin/mall/set", Access::Role(Role::Admin)),
    ("/api/profile", Access::LoggedIn),
    ("/api/profile/save", Access::LoggedIn),
    ("/api/profile/card", Access::Role(Role::Developer)),
    // A developer's own portfolio; each item is matched to its owner in db::portfolio.
    ("/api/portfolio", Access::Role(Role::Developer)),
    ("/api/portfolio/save", Access::Role(Role::Developer)),
    ("/api/portfolio/pin", Access::Role(Role::Developer)),
    ("/api/portfolio/delete", Access::Role(Role::Developer)),
    ("/api/portfolio/move", Access::Role(Role::Developer)),
    // Talent search (`api::talent`): public like the hall; work terms are a developer's own
    // (the form's read answers None to other accounts).
    ("/api/developers", Access::Public),
    ("/api/profile/availability", Access::LoggedIn),
    ("/api/profile/availability/save", Access::Role(Role::Developer)),
    ("/api/verify/task", Access::Public),
    ("/api/verify/badge", Access::Public),
    ("/api/credentials/check", Access::Public),
    ("/api/admin/credentials/revoke", Access::Role(Role::Admin)),
    ("/api/admin/reports/export", Access::Role(Role::Admin)),
    ("/api/admin/reports/export_status", Access::Role(Role::Admin)),
    // Either party; which of the two the caller is for this task is checked by the lifecycle.
    ("/api/task/dispute", Access::LoggedIn),
    ("/api/task/dispute/respond", Access::LoggedIn),
    // Any signed-in user may report a task or a user to the admins.
    ("/api/report", Access::LoggedIn),
    ("/api/task/propose_cancel", Access::LoggedIn),
    ("/api/task/agree_cancel", Access::LoggedIn),
    ("/api/my/tasks", Access::LoggedIn),
    // The bell asks on every page, for guests too (who have none).
    ("/api/notifications/unread", Access::Public),
    ("/api/notifications", Access::LoggedIn),
    ("/api/notifications/read_all", Access::LoggedIn),
    ("/api/notifications/read_task", Access::LoggedIn),
    ("/api/wallet", Access::LoggedIn),
    ("/api/wallet/deposit", Access::LoggedIn),
    ("/api/wallet/withdraw", Access::LoggedIn),
    ("/api/admin/reconciliation", Access::Role(Role::Admin)),
    ("/api/sandbox/order", Access::LoggedIn),
    ("/api/sandbox/pay", Access::LoggedIn),
    // Developers and merchants; which plans the caller may buy is checked against the plan.
    ("/api/membership", Access::LoggedIn),
    ("/api/membership/buy", Access::LoggedIn),
    ("/api/membership/cancel", Access::LoggedIn),
    ("/api/membership/auto_renew", Access::LoggedIn),
    ("/api/task/promote", Access::Role(Role::Merchant)),
    ("/api/admin/plans", Access::Role(Role::Admin)),
    ("/api/admin/plans/save", Access::Role(Role::Admin)),
    ("/api/community", Access::Public),
    ("/api/community/post", Access::Public),
    ("/api/community/create", Access::LoggedIn),
    ("/api/community/reply", Access::LoggedIn),
    ("/api/community/like", Access::LoggedIn),
    ("/api/admin/community/moderate", Access::Role(Role::Admin)),
    ("/api/learn", Access::Public),
    ("/api/learn/course", Access::Public),
    ("/api/learn/finish", Access::LoggedIn),
    ("/api/admin/learn/save", Access::Role(Role::Admin)),
    ("/api/contests", Access::Public),
    ("/api/contests/detail", Access::Public),
    // Level S developers and invited experts; the server checks which the caller is.
    ("/api/contests/create", Access::LoggedIn),
    ("/api/contests/verify_identity", Access::Role(Role::Developer)),
    ("/api/contests/join", Access::Role(Role::Developer)),
    ("/api/contests/submit", Access::Role(Role::Developer)),
    // The challenge's own mentor only, checked with the challenge.
    ("/api/contests/award", Access::LoggedIn),
    ("/api/contests/cancel", Access::LoggedIn),
    ("/api/admin/mentors/invite", Access::Role(Role::Admin)),
    // Invitations to apply: merchants send them to developers, who answer them.
    ("/api/invitations/tasks", Access::Role(Role::Merchant)),
    ("/api/invitations/send", Access::Role(Role::Merchant)),
    ("/api/invitations", Access::Role(Role::Developer)),
    ("/api/invitations/decline", Access::Role(Role::Developer)),
    ("/api/task/withdraw_application", Access::Role(Role::Developer)),
    // Trust pages (`api::legal`): consent to the terms, and the help centre's contact form (visitors
    // too) with the admins' queue.
    ("/api/legal/consent/status", Access::LoggedIn),
    ("/api/legal/consent", Access::LoggedIn),
    ("/api/help/contact", Access::Public),
    ("/api/help/mine", Access::Public),
    ("/api/admin/support", Access::Role(Role::Admin)),
    ("/api/admin/support/reply", Access::Role(Role::Admin)),
];

pub fn access_for(path: &str) -> Option<Access> {
    ENDPOINTS.iter().find(|(p, _)| *p == path).map(|(_, access)| *access)
}

/// Who is calling, as the access rule sees them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Caller {
    pub role: Role,
    /// This session has proven a second factor: at login, or by enrolling one in it.
    pub second_factor_passed: bool,
}

impl Caller {
    /// A caller whose session has proven a second factor.
    pub fn verified(role: Role) -> Self {
        Caller { role, second_factor_passed: true }
    }
}

/// Applies `path`'s rule to `caller` (None: not logged in). The one place the rule is decided, for
/// the server's guard and for `authorize` alike; admin functions also need a second factor.
pub fn check_access(path: &str, caller: Option<Caller>) -> Result<(), AppError> {
    let access = access_for(path).ok_or(AppError::Forbidden)?;
    access.check(caller.map(|c| c.role)).map_err(|denied| match denied {
        Denied::NotLoggedIn => AppError::Unauthorized,
        Denied::WrongRole => AppError::Forbidden,
    })?;
    match caller {
        Some(caller)
            if !caller.second_factor_passed
                && (access.requires_second_factor()
                    || (caller.role == Role::Admin && !open_to_unverified_admins(path))) =>
        {
            Err(AppError::SecondFactorRequired)
        }
        _ => Ok(()),
    }
}

/// What an admin session that has not proven a second factor may still call: its own account
/// security (to enrol one), its consent to the terms (asked before any page, `/security` included),
/// who it is, and logging out. An admin's role also widens shared functions
/// (a hidden task, any conversation, every delivered file), so until then it may do nothing else.
fn open_to_unverified_admins(path: &str) -> bool {
    matches!(path, "/api/current_user" | "/api/logout")
        || path.starts_with("/api/security")
        || path.starts_with("/api/legal/")
}

#[cfg(feature = "ssr")]
pub use server::*;

#[cfg(feature = "ssr")]
mod server {
    pub use crate::auth::client_ip;
    use crate::{
        auth::{AuthSession, SessionUser},
        error::{internal, AppError},
    };
    use leptos::server_fn::ServerFn;

    /// The first line of every server function: the caller's session user, if `F`'s rule admits them.
    pub async fn authorize<F: ServerFn>() -> Result<Option<SessionUser>, AppError> {
        let auth = auth_session().await?;
        super::check_access(F::PATH, caller(&auth).await?)?;
        Ok(auth.user)
    }

    /// The session's user as the access rule sees them (None: nobody is logged in).
    pub async fn caller(auth: &AuthSession) -> Result<Option<super::Caller>, AppError> {
        let Some(user) = &auth.user else { return Ok(None) };
        let passed = crate::second_factor::passed(&auth.session, user.id).await.map_err(internal)?;
        Ok(Some(super::Caller { role: user.role, second_factor_passed: passed }))
    }

    /// For the routes outside the server functions (file downloads) that open more to an admin than
    /// to anyone else: whether the session is an admin's that passed a second factor, as
    /// `check_access` requires of every admin function.
    pub async fn is_verified_admin(auth: &AuthSession) -> Result<bool, AppError> {
        let caller = caller(auth).await?;
        Ok(caller.is_some_and(|c| c.role == crate::domain::account::Role::Admin && c.second_factor_passed))
    }

    /// Like `authorize`, for functions whose rule requires a login.
    pub async fn authorize_user<F: ServerFn>() -> Result<SessionUser, AppError> {
        authorize::<F>().await?.ok_or(AppError::Unauthorized)
    }

    pub async fn auth_session() -> Result<AuthSession, AppError> {
        leptos_axum::extract::<AuthSession>().await.map_err(internal)
    }

    /// Where this request's reads that may lag a moment go (`AppState::lagging_reads`), and
    /// whether that is the replica. With a replica, not when the browser carries `WROTE_COOKIE`,
    /// which the server's guard sets for a few seconds on every signed-in call that succeeded, so
    /// whoever just changed something reads it back from the primary. Without one, the request's
    /// headers are not even read.
    pub async fn lagging_reads(state: &crate::state::AppState) -> (bool, sqlx::PgPool) {
        if state.replica.is_none() {
            return (false, state.pool.clone());
        }
        let wrote = match leptos_axum::extract::<axum::http::HeaderMap>().await {
            Ok(headers) => request_cookie(&headers, super::WROTE_COOKIE).is_some(),
            Err(_) => true,
        };
        let (from_replica, pool) = state.lagging_reads(!wrote);
        (from_replica, pool.clone())
    }

    /// The value of the cookie `name` the request carries (empty for a bare name), if any.
    pub fn request_cookie<'h>(headers: &'h axum::http::HeaderMap, name: &str) -> Option<&'h str> {
        headers
            .get_all(axum::http::header::COOKIE)
            .iter()
            .filter_map(|value| value.to_str().ok())
            .flat_map(|value| value.split(';'))
            .map(|pair| pair.trim().split_once('=').unwrap_or((pair.trim(), "")))
            .find_map(|(key, value)| (key == name).then_some(value))
    }

    /// Keeps a form's outcome for the page the form returns to. A plain form posts, and the server
    /// answers with a redirect back to its page, so an outcome worth showing (a refund, a preview)
    /// waits in the session under `key` until that page's next render takes it.
    pub async fn show_once<T: serde::Serialize>(key: &str, outcome: &T) -> Result<(), AppError> {
        auth_session().await?.session.insert(key, outcome).await.map_err(internal)
    }

    /// The outcome waiting under `key`, if any; it is shown once, so taking it removes it. A page
    /// read again by a live region (see `components::live`) only peeks: that copy is not shown, and
    /// an old page's refresh could otherwise take the outcome of the post that is leaving it.
    pub async fn take_shown_once<T: serde::de::DeserializeOwned>(key: &str) -> Result<Option<T>, AppError> {
        let session = auth_session().await?.session;
        let headers = leptos_axum::extract::<axum::http::HeaderMap>().await.map_err(internal)?;
        if headers.contains_key(crate::views::live::REGION_REFRESH_HEADER) {
            session.get(key).await.map_err(internal)
        } else {
            session.remove(key).await.map_err(internal)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_paths_are_refused() {
        assert_eq!(check_access("/api/nope", Some(Caller::verified(Role::Admin))), Err(AppError::Forbidden));
    }

    #[test]
    fn admin_dashboard_is_admin_only() {
        assert_eq!(check_access("/api/admin/dashboard", None), Err(AppError::Unauthorized));
        assert_eq!(
            check_access("/api/admin/dashboard", Some(Caller::verified(Role::Merchant))),
            Err(AppError::Forbidden)
        );
        assert_eq!(check_access("/api/admin/dashboard", Some(Caller::verified(Role::Admin))), Ok(()));
    }

    #[test]
    fn admin_functions_need_a_second_factor_and_enrolling_one_does_not() {
        let unverified = Caller { role: Role::Admin, second_factor_passed: false };
        assert_eq!(check_access("/api/admin/dashboard", Some(unverified)), Err(AppError::SecondFactorRequired));
        assert_eq!(check_access("/api/security/totp/start", Some(unverified)), Ok(()));
        for shared in ["/api/task", "/api/task/messages", "/api/hall", "/api/community/post"] {
            assert_eq!(check_access(shared, Some(unverified)), Err(AppError::SecondFactorRequired), "{shared}");
        }
        assert_eq!(check_access("/api/logout", Some(unverified)), Ok(()));
        // A new admin is asked to consent before any page: that must not wait for the second factor.
        assert_eq!(check_access("/api/legal/consent", Some(unverified)), Ok(()));
        assert_eq!(check_access("/api/legal/consent/status", Some(unverified)), Ok(()));
        let developer = Caller { role: Role::Developer, second_factor_passed: false };
        assert_eq!(check_access("/api/growth/me", Some(developer)), Ok(()), "optional for everyone else");
    }
}

#[cfg(all(test, feature = "ssr"))]
mod cookie_tests {
    use super::request_cookie;
    use axum::http::{header, HeaderMap, HeaderValue};

    #[test]
    fn a_cookie_is_found_by_its_exact_name_in_any_header() {
        let mut headers = HeaderMap::new();
        headers.append(header::COOKIE, HeaderValue::from_static("a=1; i18n_pref_locale=en"));
        headers.append(header::COOKIE, HeaderValue::from_static("codelink_wrote"));
        assert_eq!(request_cookie(&headers, "i18n_pref_locale"), Some("en"));
        assert_eq!(request_cookie(&headers, "codelink_wrote"), Some(""), "a bare name is present");
        assert_eq!(request_cookie(&headers, "i18n_pref"), None, "a prefix is not the name");
        assert_eq!(request_cookie(&headers, "b"), None);
    }
}
