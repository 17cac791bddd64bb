//! Where the header leads, per role, and the phone menu that reaches all of it.
//!
//! One list (`sections_for`) feeds both the wide header's links and the menu, so a section added for
//! a role shows up in both. The wide header shows more links the wider the screen; the menu button is
//! shown below `2xl`, the widest breakpoint a header link waits for, so every section stays one tap
//! away at any width. On a phone the menu is the only way; on a wide screen it holds the rest.

use crate::{api::auth::Logout, domain::account::Role, i18n::*, views::auth::CurrentUser};
use leptos::prelude::*;
use leptos_router::components::A;

/// A place the header links to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Section {
    Hall,
    Leaderboard,
    Community,
    Learn,
    Developers,
    PostTask,
    Growth,
    Invitations,
    MyTasks,
    Wallet,
    Membership,
    Security,
    Admin,
}

/// The sections everyone sees, before the language switch.
pub const PUBLIC_SECTIONS: [Section; 4] = [Section::Hall, Section::Leaderboard, Section::Community, Section::Learn];

/// The sections that depend on who is looking (`None`: nobody signed in), after the language switch,
/// in the header's order.
pub fn account_sections(role: Option<Role>) -> Vec<Section> {
    use Section::*;
    match role {
        None => vec![Developers],
        Some(Role::Admin) => vec![Admin, Security],
        Some(Role::Merchant) => vec![Developers, PostTask, MyTasks, Wallet, Membership, Security],
        Some(Role::Developer) => vec![Growth, Invitations, MyTasks, Wallet, Membership, Security],
    }
}

/// Every section the viewer reaches from the header, in order.
pub fn sections_for(role: Option<Role>) -> Vec<Section> {
    PUBLIC_SECTIONS.into_iter().chain(account_sections(role)).collect()
}

impl Section {
    pub fn href(self) -> &'static str {
        match self {
            Section::Hall => "/",
            Section::Leaderboard => "/leaderboard",
            Section::Community => "/community",
            Section::Learn => "/learn",
            Section::Developers => "/developers",
            Section::PostTask => "/tasks/new",
            Section::Growth => "/growth",
            Section::Invitations => "/invitations",
            Section::MyTasks => "/me",
            Section::Wallet => "/wallet",
            Section::Membership => "/membership",
            Section::Security => "/security",
            Section::Admin => "/admin",
        }
    }

    /// The name used in test ids: `nav-{slug}` in the wide header, `menu-{slug}` in the phone menu.
    pub fn slug(self) -> &'static str {
        match self {
            Section::Hall => "hall",
            Section::Leaderboard => "leaderboard",
            Section::Community => "community",
            Section::Learn => "learn",
            Section::Developers => "developers",
            Section::PostTask => "post-task",
            Section::Growth => "growth",
            Section::Invitations => "invitations",
            Section::MyTasks => "my-tasks",
            Section::Wallet => "wallet",
            Section::Membership => "membership",
            Section::Security => "security",
            Section::Admin => "admin",
        }
    }

    pub fn label(self, i18n: leptos_i18n::I18nContext<Locale>) -> &'static str {
        match self {
            Section::Hall => t_string!(i18n, nav_hall),
            Section::Leaderboard => t_string!(i18n, nav_leaderboard),
            Section::Community => t_string!(i18n, nav_community),
            Section::Learn => t_string!(i18n, nav_learn),
            Section::Developers => t_string!(i18n, nav_developers),
            Section::PostTask => t_string!(i18n, nav_post_task),
            Section::Growth => t_string!(i18n, nav_growth),
            Section::Invitations => t_string!(i18n, nav_invitations),
            Section::MyTasks => t_string!(i18n, nav_my_tasks),
            Section::Wallet => t_string!(i18n, nav_wallet),
            Section::Membership => t_string!(i18n, nav_membership),
            Section::Security => t_string!(i18n, nav_security),
            Section::Admin => t_string!(i18n, nav_admin),
        }
    }

    /// From which width the wide header shows the link; below it only the menu carries it. Measured
    /// in English, the longer language, for a merchant (the most links): each tier fills its width
    /// with room to spare for a long name, so the header never wraps or runs off the screen.
    fn wide_class(self) -> &'static str {
        match self {
            Section::Hall | Section::Growth | Section::Developers | Section::Admin => "hidden md:inline",
            Section::Leaderboard | Section::MyTasks | Section::Wallet => "hidden lg:inline",
            Section::Community | Section::PostTask | Section::Invitations => "hidden xl:inline",
            Section::Learn | Section::Membership | Section::Security => "hidden 2xl:inline",
        }
    }
}

/// One link of the wide header.
#[component]
pub fn HeaderLink(section: Section) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <A
            href=section.href()
            exact=true
            attr:class=format!(
                "{} whitespace-nowrap rounded-md px-2 py-1.5 text-slate-600 hover:bg-slate-100 hover:text-slate-900",
                section.wide_class(),
            )
            attr:data-testid=format!("nav-{}", section.slug())
        >
            {move || section.label(i18n)}
        </A>
    }
}

/// The phone menu: a `<details>` disclosure, so it opens and closes without JavaScript, by keyboard
/// (the summary is a button to assistive technology, which also announces it expanded or collapsed)
/// and before the page wakes. Following a link loads the next page, which starts with it closed.
#[component]
pub fn SiteMenu(user: Option<CurrentUser>, logout: ServerAction<Logout>) -> impl IntoView {
    let i18n = use_i18n();
    let role = user.as_ref().map(|u| u.role);
    let item = "whitespace-nowrap rounded-md px-3 py-2.5 text-slate-700 hover:bg-slate-100 focus-visible:outline-2 focus-visible:outline-blue-600 aria-[current=page]:bg-blue-50 aria-[current=page]:font-medium aria-[current=page]:text-blue-700";
    let sections = sections_for(role)
        .into_iter()
        .map(|section| {
            view! {
                <li>
                    <A href=section.href() exact=true attr:class=format!("block {item}") attr:data-testid=format!("menu-{}", section.slug())>
                        {move || section.label(i18n)}
                    </A>
                </li>
            }
        })
        .collect_view();
    let account = user.map(|user| {
        let role = user.role;
        view! {
            <div class="mt-2 grid grid-cols-2 gap-1 border-t border-slate-100 pt-2">
                <A href="/notifications" exact=true attr:class=format!("block {item}") attr:data-testid="menu-notifications">
                    {t!(i18n, nav_notifications)}
                </A>
                <A href="/profile" exact=true attr:class=format!("{item} flex items-center gap-1.5") attr:data-testid="menu-profile">
                    <span class="min-w-0 truncate">{user.display_name}</span>
                    <span class="shrink-0 rounded bg-slate-100 px-1.5 py-0.5 text-xs text-slate-600">
                        {move || role_label(i18n, role)}
                    </span>
                </A>
            </div>
            <ActionForm action=logout attr:class="mt-1 border-t border-slate-100 pt-1">
                <button type="submit" data-testid="menu-logout" class=format!("block w-full text-left {item}")>
                    {t!(i18n, nav_logout)}
                </button>
            </ActionForm>
        }
    });
    view! {
        // On a phone the panel hangs from the sticky header, the screen's full width; from `md` up it
        // drops from the button.
        <details class="group md:relative 2xl:hidden" data-testid="site-menu">
            <summary
                class="flex h-9 cursor-pointer list-none items-center gap-1.5 whitespace-nowrap rounded-md border border-slate-200 px-2 text-slate-700 hover:bg-slate-100 focus-visible:outline-2 focus-visible:outline-blue-600 group-open:bg-slate-100 [&::-webkit-details-marker]:hidden"
                data-testid="menu-toggle"
            >
                <svg class="h-5 w-5" viewBox="0 0 24 24" fill="none" stroke="currentColor" stroke-width="1.8" aria-hidden="true">
                    <path class="group-open:hidden" stroke-linecap="round" d="M4 7h16M4 12h16M4 17h16" />
                    <path class="hidden group-open:block" stroke-linecap="round" d="M6 6l12 12M18 6L6 18" />
                </svg>
                <span>{t!(i18n, menu_toggle)}</span>
            </summary>
            <div
                class="absolute inset-x-0 top-full max-h-[calc(100dvh-3.5rem)] overflow-y-auto border-b border-slate-200 bg-white px-4 pb-3 pt-2 shadow-lg md:left-auto md:mt-2 md:w-80 md:rounded-xl md:border md:px-2"
                data-testid="menu-panel"
            >
                <p class="px-3 pb-1 text-xs font-medium text-slate-500">{t!(i18n, menu_sections)}</p>
                <ul class="grid grid-cols-2 gap-1 text-sm">{sections}</ul>
                {account}
            </div>
        </details>
    }
}

/// A role's name in the reader's language (the header and the menu say who is signed in).
pub fn role_label(i18n: leptos_i18n::I18nContext<Locale>, role: Role) -> &'static str {
    match role {
        Role::Developer => t_string!(i18n, role_developer),
        Role::Merchant => t_string!(i18n, role_merchant),
        Role::Admin => t_string!(i18n, role_admin),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn everyone_reaches_the_public_sections_first() {
        for role in [None, Some(Role::Developer), Some(Role::Merchant), Some(Role::Admin)] {
            assert_eq!(sections_for(role)[..4], PUBLIC_SECTIONS, "{role:?}");
        }
    }

    #[test]
    fn visitors_and_merchants_find_developers_developers_grow() {
        assert!(sections_for(None).contains(&Section::Developers));
        assert!(!sections_for(None).contains(&Section::Wallet));
        let merchant = sections_for(Some(Role::Merchant));
        for s in [Section::Developers, Section::PostTask, Section::MyTasks, Section::Wallet, Section::Membership] {
            assert!(merchant.contains(&s), "{s:?}");
        }
        assert!(!merchant.contains(&Section::Growth));
        let developer = sections_for(Some(Role::Developer));
        for s in [Section::Growth, Section::Invitations, Section::MyTasks, Section::Wallet, Section::Membership] {
            assert!(developer.contains(&s), "{s:?}");
        }
        assert!(!developer.contains(&Section::PostTask));
    }

    #[test]
    fn the_admin_reaches_the_back_office_and_no_wallet() {
        assert_eq!(account_sections(Some(Role::Admin)), vec![Section::Admin, Section::Security]);
    }

    #[test]
    fn every_section_has_its_own_address_and_test_id() {
        let all = sections_for(Some(Role::Merchant))
            .into_iter()
            .chain(sections_for(Some(Role::Developer)))
            .chain(sections_for(Some(Role::Admin)));
        let mut seen = std::collections::HashMap::new();
        for s in all {
            if let Some(other) = seen.insert(s.href(), s) {
                assert_eq!(other, s, "{} twice", s.href());
            }
        }
        let slugs: std::collections::HashSet<_> = seen.values().map(|s| s.slug()).collect();
        assert_eq!(slugs.len(), seen.len());
    }
}
