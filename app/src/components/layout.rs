//! The frame around every page: header (brand, navigation, language switch, login state) and footer.

use crate::{
    api::{
        auth::{current_user, Logout},
        notifications::unread_notifications,
    },
    components::{
        live::LiveRegion,
        site_menu::{account_sections, role_label, HeaderLink, SiteMenu, PUBLIC_SECTIONS},
    },
    error::AppError,
    i18n::*,
    views::auth::CurrentUser,
};
use leptos::prelude::*;
use leptos_router::components::A;

/// Who is signed in, and the header's own forms, shared by every page of one render.
#[derive(Clone, Copy)]
pub struct Session {
    pub logout: ServerAction<Logout>,
    pub user: Resource<Result<Option<CurrentUser>, AppError>>,
}

#[component]
pub fn AuthActions(children: Children) -> impl IntoView {
    let logout = ServerAction::<Logout>::new();
    let user = Resource::new(|| (), |_| current_user());
    provide_context(Session { logout, user });
    children()
}

pub fn use_session() -> Session {
    expect_context::<Session>()
}

#[component]
pub fn Layout(children: Children) -> impl IntoView {
    view! {
        <div class="flex min-h-screen flex-col">
            <Header />
            <main class="mx-auto w-full max-w-6xl flex-1 px-4 py-6 sm:py-8">{children()}</main>
            <Footer />
            <super::form::KeepTypedValues />
            // Last in the page, so it wakes after every other island.
            <HydrationMark />
        </div>
    }
}

/// The footer: who runs the site and how to reach them, the legal documents and help, and the ICP
/// 备案号 when the deployment configures one (`CODELINK_ICP`, provided as `SiteFacts` to every render).
#[component]
fn Footer() -> impl IntoView {
    use crate::{domain::legal::Document, domain::support::SUPPORT_EMAIL, words::document_title};
    let i18n = use_i18n();
    let icp = use_context::<crate::views::legal::SiteFacts>().and_then(|site| site.icp_number);
    // Each link is at least 24 px tall, so a thumb finds it (WCAG 2.5.8's target size).
    let link = "inline-block py-1 hover:text-slate-800 hover:underline";
    view! {
        <footer class="border-t border-slate-200 bg-white print:hidden" data-testid="site-footer">
            <div class="mx-auto flex max-w-6xl flex-col gap-3 px-4 py-5 text-xs text-slate-500">
                <nav class="flex flex-wrap items-center gap-x-4" aria-label=move || t_string!(i18n, legal_related)>
                    {Document::ALL
                        .into_iter()
                        .map(|doc| view! { <A href=doc.path() attr:class=link>{move || document_title(i18n.get_locale(), doc)}</A> })
                        .collect_view()}
                    <A href="/help" attr:class=link>{t!(i18n, legal_footer_help)}</A>
                    <span>
                        {t!(i18n, legal_footer_contact)} " "
                        <a href=format!("mailto:{SUPPORT_EMAIL}") class=link>{SUPPORT_EMAIL}</a>
                    </span>
                </nav>
                <div class="flex flex-col gap-1 sm:flex-row sm:justify-between">
                    <span>"© 2026 " {t!(i18n, legal_company)}</span>
                    <span>{t!(i18n, footer_trust)}</span>
                </div>
                {icp.map(|icp| view! {
                    <a href="https://beian.miit.gov.cn/" target="_blank" rel="noopener" class=link data-testid="icp-number">{icp}</a>
                })}
            </div>
        </footer>
    }
}

/// Marks the page interactive once the islands before it are awake, so browser tests wait for
/// exactly this moment instead of sleeping.
#[island]
fn HydrationMark() -> impl IntoView {
    #[cfg(feature = "hydrate")]
    if let Some(body) = document().body() {
        let _ = body.set_attribute("data-hydrated", "true");
    }
}

#[component]
fn Header() -> impl IntoView {
    view! {
        <header class="sticky top-0 z-20 border-b border-slate-200 bg-white/95 backdrop-blur print:hidden">
            <div class="mx-auto flex h-14 max-w-6xl items-center justify-between gap-3 px-4">
                <A href="/" attr:class="flex items-center gap-2 font-bold text-slate-900">
                    <span class="grid h-8 w-8 place-items-center rounded-lg bg-blue-600 text-sm text-white" aria-hidden="true">
                        "CL"
                    </span>
                    // On the narrowest phones the mark alone leaves room for the language, log in, sign up
                    // and menu; the name stays for screen readers (it is the link's name everywhere).
                    <span class="text-lg tracking-tight max-[420px]:sr-only">"CodeLink"</span>
                </A>
                <nav class="flex min-w-0 items-center gap-1 text-sm lg:gap-2">
                    {PUBLIC_SECTIONS.into_iter().map(|section| view! { <HeaderLink section /> }).collect_view()}
                    <LanguageSwitch />
                    <AccountMenu />
                </nav>
            </div>
        </header>
    }
}

/// Switches between Chinese and English: a plain link to `/language/{other}?back={this page}`, a
/// server route that stores the choice in the cookie the pages are rendered from and sends the
/// reader back. It works without JavaScript and before the page wakes (an island that wrote the
/// cookie itself lost a click now and then while the page was waking).
#[component]
fn LanguageSwitch() -> impl IntoView {
    let i18n = use_i18n();
    let other = match i18n.get_locale_untracked() {
        Locale::zh_CN => Locale::en,
        Locale::en => Locale::zh_CN,
    };
    let href = format!("/language/{other}?back={}", crate::domain::url_query::encode(&requested_path()));
    view! {
        <a
            href=href
            rel="nofollow"
            data-testid="language-switch"
            title=t_string!(i18n, switch_language_title)
            class="shrink-0 whitespace-nowrap rounded-md border border-slate-200 px-2 py-1 text-xs font-medium text-slate-600 hover:bg-slate-100"
        >
            {t!(i18n, switch_language)}
        </a>
    }
}

/// The path and query of the page being rendered (the header is rendered on the server only).
fn requested_path() -> String {
    #[cfg(feature = "ssr")]
    if let Some(parts) = use_context::<axum::http::request::Parts>() {
        return parts.uri.path_and_query().map(|p| p.as_str().to_owned()).unwrap_or_else(|| "/".into());
    }
    "/".into()
}

#[component]
fn AccountMenu() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let guest = move || {
        view! {
            {account_sections(None).into_iter().map(|section| view! { <HeaderLink section /> }).collect_view()}
            <A href="/login" attr:class="whitespace-nowrap rounded-md px-2 py-1.5 text-slate-700 hover:bg-slate-100">
                {t!(i18n, nav_login)}
            </A>
            <A
                href="/register"
                attr:class="whitespace-nowrap rounded-md bg-blue-600 px-3 py-1.5 font-medium text-white hover:bg-blue-700"
            >
                {t!(i18n, nav_register)}
            </A>
            <SiteMenu user=None logout=session.logout />
        }
    };
    view! {
        <Transition fallback=move || view! { <span class="h-8 w-16 animate-pulse rounded-md bg-slate-100"></span> }>
            {move || Suspend::new(async move {
                match session.user.await {
                    Ok(Some(user)) => view! { <UserChip user=user.clone() /> <SiteMenu user=Some(user) logout=session.logout /> }.into_any(),
                    _ => guest().into_any(),
                }
            })}
        </Transition>
    }
}

/// The signed-in viewer's links on a wide screen: their sections, the bell, their name and log out,
/// each from the width that has room for it. On a phone only the bell stays; the rest is in the menu.
#[component]
fn UserChip(user: CurrentUser) -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let role = user.role;
    let name = user.display_name.clone();
    view! {
        {account_sections(Some(role)).into_iter().map(|section| view! { <HeaderLink section /> }).collect_view()}
        <Bell />
        <A
            href="/profile"
            attr:class="hidden shrink-0 items-center gap-1.5 rounded-md px-1.5 py-1 hover:bg-slate-100 md:inline-flex"
            attr:data-testid="current-user"
            attr:title=move || t_string!(i18n, nav_profile)
        >
            <span class="max-w-[8rem] truncate font-medium text-slate-800">{name.clone()}</span>
            // The role only where the header has room for it; the menu names it at any width.
            <span class="hidden whitespace-nowrap rounded bg-slate-100 px-1.5 py-0.5 text-xs text-slate-600 2xl:inline">
                {move || role_label(i18n, role)}
            </span>
        </A>
        <ActionForm action=session.logout attr:class="hidden lg:block">
            <button
                type="submit"
                data-testid="logout"
                class="whitespace-nowrap rounded-md px-2 py-1.5 text-slate-600 hover:bg-slate-100 hover:text-slate-900"
            >
                {t!(i18n, nav_logout)}
            </button>
        </ActionForm>
    }
}

/// The bell: a link to the notifications with the unread count, counted by the server with every
/// page, again when a task's page marks its notices read, and live whenever the server announces
/// a new one (`LiveRegion`).
#[component]
fn Bell() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <A
            href="/notifications"
            attr:class="relative rounded-md p-1.5 text-slate-600 hover:bg-slate-100 hover:text-slate-900"
            attr:data-testid="nav-notifications"
            attr:title=move || t_string!(i18n, nav_notifications)
            attr:aria-label=move || t_string!(i18n, nav_notifications)
        >
            <svg class="h-5 w-5" viewBox="0 0 24 24" fill="none" stroke="currentColor" stroke-width="1.8" aria-hidden="true">
                <path stroke-linecap="round" stroke-linejoin="round" d="M15 17h5l-1.4-1.4A2 2 0 0 1 18 14.2V11a6 6 0 1 0-12 0v3.2a2 2 0 0 1-.6 1.4L4 17h5m6 0a3 3 0 1 1-6 0m6 0H9" />
            </svg>
            <UnreadCount />
        </A>
    }
}

#[component]
fn UnreadCount() -> impl IntoView {
    let unread = Resource::new(|| (), |_| unread_notifications());
    view! {
        <span id=BELL_REGION>
        <Transition fallback=|| ()>
            {move || Suspend::new(async move {
                let count = unread.await.unwrap_or(0);
                (count > 0).then(|| view! {
                    <span
                        class="absolute -right-0.5 -top-0.5 min-w-[1.1rem] rounded-full bg-red-600 px-1 text-center text-[0.65rem] font-semibold leading-[1.1rem] text-white"
                        data-testid="unread-count"
                    >
                        {if count > 99 { "99+".to_string() } else { count.to_string() }}
                    </span>
                })
            })}
        </Transition>
        </span>
        <LiveRegion stream="/notifications/live".to_string() region=BELL_REGION.to_string() />
    }
}

/// The element the notifications stream refreshes: the bell's count.
const BELL_REGION: &str = "bell-count";

/// Reads the bell's count again (after notices were marked read from the browser).
#[cfg(feature = "hydrate")]
pub async fn refresh_bell() {
    super::live::refresh(BELL_REGION).await;
}
