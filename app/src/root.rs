use crate::{
    components::layout::{AuthActions, Layout},
    html_text::title_as_text,
    i18n::*,
    pages::{
        admin::{
            AuditPage, DashboardPage, DisputeCasePage, DisputesPage, GrowthConfigPage, ModerationPage, MoneyPage,
            SupportPage, UsersPage,
        },
        community::{CommunityPage, PostPage},
        contests::{ContestPage, ContestsPage},
        credit::CreditPage,
        developers::DevelopersPage,
        growth::GrowthPage,
        hall::HallPage,
        help::GrowthHelpPage,
        help_center::HelpCenterPage,
        invitations::InvitationsPage,
        leaderboard::LeaderboardPage,
        learning::{CoursePage, LearnPage},
        legal::{ConsentPage, PrivacyPage, RulesPage, TermsPage},
        login::LoginPage,
        login_second_step::SecondStepPage,
        mall::MallPage,
        membership::MembershipPage,
        merchants::MerchantPage,
        my_tasks::MyTasksPage,
        new_task::{EditTaskPage, NewTaskPage},
        not_found::NotFound,
        notifications::NotificationsPage,
        profile::ProfilePage,
        register::RegisterPage,
        reset_password::ResetPasswordPage,
        resume::ResumePage,
        sandbox_pay::SandboxPayPage,
        sandbox_sms::SandboxSmsPage,
        security::SecurityPage,
        task::TaskPage,
        verify::{CredentialCheckPage, VerifyBadgePage, VerifyTaskPage},
        wallet::WalletPage,
    },
};
use leptos::{nonce::use_nonce, prelude::*};
use leptos_meta::{provide_meta_context, Link, MetaTags, Title};
use leptos_router::{
    components::{Route, Router, Routes},
    path, SsrMode,
};

/// The HTML document the server sends; `<html lang>` is set by the i18n provider from the locale.
pub fn shell(options: LeptosOptions) -> impl IntoView {
    let files = crate::build_files::BuildFiles::current(&options.output_name, &options.hash_file);
    let stylesheet = format!("/{}/{}", options.site_pkg_dir.trim_matches('/'), files.css);
    view! {
        <!DOCTYPE html>
        <html>
            <head>
                <meta charset="utf-8" />
                <meta name="viewport" content="width=device-width, initial-scale=1" />
                <meta name="theme-color" content="#2563eb" />
                <link rel="icon" href="/favicon.svg" type="image/svg+xml" />
                <link rel="icon" href="/icon-192.png" type="image/png" sizes="192x192" />
                <link rel="apple-touch-icon" href="/apple-touch-icon.png" />
                <link rel="stylesheet" id="leptos" href=stylesheet />
                <AutoReload options=options.clone() />
                <HydrationScripts options islands=true />
                // Registers the service worker (`server::web_app`). Inline, so it carries this
                // response's nonce like the islands loader.
                <script nonce=use_nonce()>{REGISTER_SERVICE_WORKER}</script>
                <MetaTags />
            </head>
            <body class="min-h-screen bg-slate-50 text-slate-800 antialiased">
                <App />
            </body>
        </html>
    }
}

#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    view! {
        <I18nContextProvider>
            <DocumentTitle />
            <ManifestLink />
            <Router>
                // Async rendering sends each page complete, data included: readable with JavaScript
                // off and by crawlers, and nothing shifts when the WASM arrives.
                <AuthActions>
                    <Layout>
                        <Routes fallback=|| view! { <NotFound /> }>
                            <Route path=path!("") view=HallPage ssr=SsrMode::Async />
                            <Route path=path!("login") view=LoginPage ssr=SsrMode::Async />
                            <Route path=path!("login/2fa") view=SecondStepPage ssr=SsrMode::Async />
                            <Route path=path!("register") view=RegisterPage ssr=SsrMode::Async />
                            <Route path=path!("admin") view=DashboardPage ssr=SsrMode::Async />
                            <Route path=path!("admin/moderation") view=ModerationPage ssr=SsrMode::Async />
                            <Route path=path!("admin/growth") view=GrowthConfigPage ssr=SsrMode::Async />
                            <Route path=path!("admin/disputes") view=DisputesPage ssr=SsrMode::Async />
                            <Route path=path!("admin/disputes/:milestone") view=DisputeCasePage ssr=SsrMode::Async />
                            <Route path=path!("admin/users") view=UsersPage ssr=SsrMode::Async />
                            <Route path=path!("admin/money") view=MoneyPage ssr=SsrMode::Async />
                            <Route path=path!("admin/audit") view=AuditPage ssr=SsrMode::Async />
                            <Route path=path!("admin/support") view=SupportPage ssr=SsrMode::Async />
                            <Route path=path!("tasks/new") view=NewTaskPage ssr=SsrMode::Async />
                            <Route path=path!("tasks/:id") view=TaskPage ssr=SsrMode::Async />
                            <Route path=path!("tasks/:id/edit") view=EditTaskPage ssr=SsrMode::Async />
                            <Route path=path!("merchants/:id") view=MerchantPage ssr=SsrMode::Async />
                            <Route path=path!("me") view=MyTasksPage ssr=SsrMode::Async />
                            <Route path=path!("growth") view=GrowthPage ssr=SsrMode::Async />
                            <Route path=path!("mall") view=MallPage ssr=SsrMode::Async />
                            <Route path=path!("profile") view=ProfilePage ssr=SsrMode::Async />
                            <Route path=path!("security") view=SecurityPage ssr=SsrMode::Async />
                            <Route path=path!("reset-password") view=ResetPasswordPage ssr=SsrMode::Async />
                            <Route path=path!("help/growth") view=GrowthHelpPage ssr=SsrMode::Async />
                            <Route path=path!("help") view=HelpCenterPage ssr=SsrMode::Async />
                            <Route path=path!("legal/terms") view=TermsPage ssr=SsrMode::Async />
                            <Route path=path!("legal/privacy") view=PrivacyPage ssr=SsrMode::Async />
                            <Route path=path!("legal/rules") view=RulesPage ssr=SsrMode::Async />
                            <Route path=path!("legal/consent") view=ConsentPage ssr=SsrMode::Async />
                            <Route path=path!("credit") view=CreditPage ssr=SsrMode::Async />
                            <Route path=path!("leaderboard") view=LeaderboardPage ssr=SsrMode::Async />
                            <Route path=path!("wallet") view=WalletPage ssr=SsrMode::Async />
                            <Route path=path!("membership") view=MembershipPage ssr=SsrMode::Async />
                            <Route path=path!("community") view=CommunityPage ssr=SsrMode::Async />
                            <Route path=path!("community/:id") view=PostPage ssr=SsrMode::Async />
                            <Route path=path!("learn") view=LearnPage ssr=SsrMode::Async />
                            <Route path=path!("contests") view=ContestsPage ssr=SsrMode::Async />
                            <Route path=path!("contests/:id") view=ContestPage ssr=SsrMode::Async />
                            <Route path=path!("learn/:slug") view=CoursePage ssr=SsrMode::Async />
                            <Route path=path!("notifications") view=NotificationsPage ssr=SsrMode::Async />
                            <Route path=path!("invitations") view=InvitationsPage ssr=SsrMode::Async />
                            <Route path=path!("u/:handle") view=ResumePage ssr=SsrMode::Async />
                            <Route path=path!("developers") view=DevelopersPage ssr=SsrMode::Async />
                            <Route path=path!("verify") view=CredentialCheckPage ssr=SsrMode::Async />
                            <Route path=path!("verify/task/:id") view=VerifyTaskPage ssr=SsrMode::Async />
                            <Route path=path!("verify/badge/:handle/:slug") view=VerifyBadgePage ssr=SsrMode::Async />
                            <Route path=path!("sandbox/pay/:order") view=SandboxPayPage ssr=SsrMode::Async />
                            <Route path=path!("sandbox/sms") view=SandboxSmsPage ssr=SsrMode::Async />
                        </Routes>
                    </Layout>
                </AuthActions>
            </Router>
        </I18nContextProvider>
    }
}

/// Constant text: no user data ever goes into this script.
const REGISTER_SERVICE_WORKER: &str =
    "if('serviceWorker' in navigator){addEventListener('load',function(){navigator.serviceWorker.register('/sw.js').catch(function(){})})}";

/// The web app manifest in the reader's language (the app installs with the words they read).
#[component]
fn ManifestLink() -> impl IntoView {
    let href = match use_i18n().get_locale_untracked() {
        Locale::en => "/manifest.webmanifest?lang=en",
        _ => "/manifest.webmanifest",
    };
    view! { <Link rel="manifest" href=href /> }
}

/// The site's title, and the one formatter every page's `<Title>` passes through (leptos_meta keeps
/// a stack of texts but applies the last formatter, and this is the only one).
#[component]
fn DocumentTitle() -> impl IntoView {
    // A plain string, not a closure over the language signal: leptos_axum reads the title after the
    // page's reactive owner may be gone, and a closure read then panics (a 500 under load).
    let title = format!("CodeLink · {}", td_string!(use_i18n().get_locale_untracked(), tagline));
    view! { <Title formatter=title_as_text text=title /> }
}
