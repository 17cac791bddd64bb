//! The admin console: one page per screen, under a shared tab bar, one file per screen: dashboard,
//! moderation, growth (with its challenges section), disputes, users, money (with reconciliation),
//! the audit log and the help centre's support queue.

mod audit;
mod challenges;
mod dashboard;
mod disputes;
mod growth;
mod moderation;
mod money;
mod reconciliation;
mod support;
mod users;

pub use audit::AuditPage;
pub use dashboard::DashboardPage;
pub use disputes::{DisputeCasePage, DisputesPage};
pub use growth::GrowthConfigPage;
pub use moderation::ModerationPage;
pub use money::MoneyPage;
pub use support::SupportPage;
pub use users::UsersPage;

use crate::i18n::*;
use leptos::prelude::*;
use leptos_router::components::A;

fn loading() -> impl IntoView {
    view! { <div class="h-40 animate-pulse rounded-xl bg-slate-100"></div> }
}

/// The console's title and tab bar above a screen; `active` names the current tab.
#[component]
pub fn AdminShell(active: &'static str, children: Children) -> impl IntoView {
    let i18n = use_i18n();
    let tabs: [(&'static str, &'static str); 8] = [
        ("dashboard", "/admin"),
        ("moderation", "/admin/moderation"),
        ("growth", "/admin/growth"),
        ("disputes", "/admin/disputes"),
        ("users", "/admin/users"),
        ("money", "/admin/money"),
        ("audit", "/admin/audit"),
        ("support", "/admin/support"),
    ];
    view! {
        <h1 class="mb-4 text-2xl font-bold text-slate-900">{t!(i18n, admin_title)}</h1>
        <nav class="-mx-4 mb-6 overflow-x-auto px-4" aria-label=move || t_string!(i18n, admin_title)>
            <ul class="flex min-w-max gap-1 border-b border-slate-200 text-sm">
                {tabs
                    .into_iter()
                    .map(|(key, href)| {
                        let class = if key == active {
                            "inline-block border-b-2 border-blue-600 px-3 py-2 font-medium text-blue-700"
                        } else {
                            "inline-block border-b-2 border-transparent px-3 py-2 text-slate-600 hover:text-slate-900"
                        };
                        view! {
                            <li>
                                <A href=href attr:class=class attr:data-testid=format!("admin-tab-{key}")>
                                    {move || tab_label(i18n, key)}
                                </A>
                            </li>
                        }
                    })
                    .collect_view()}
            </ul>
        </nav>
        {children()}
    }
}

fn tab_label(i18n: leptos_i18n::I18nContext<Locale>, key: &str) -> &'static str {
    match key {
        "dashboard" => t_string!(i18n, admin_tab_dashboard),
        "moderation" => t_string!(i18n, admin_tab_moderation),
        "growth" => t_string!(i18n, admin_tab_growth),
        "disputes" => t_string!(i18n, admin_tab_disputes),
        "users" => t_string!(i18n, admin_tab_users),
        "money" => t_string!(i18n, admin_tab_money),
        "support" => t_string!(i18n, admin_tab_support),
        _ => t_string!(i18n, admin_tab_audit),
    }
}
