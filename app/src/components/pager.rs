use crate::i18n::*;
use leptos::prelude::*;
use leptos_router::components::A;

/// Previous / next links that carry the page in the URL, so every page has an address. `href`
/// gives a page's address (the hall keeps its search and filters in it).
#[component]
pub fn Pager(page: i64, pages: i64, href: Callback<i64, String>) -> impl IntoView {
    let i18n = use_i18n();
    let link = "rounded-lg border border-slate-300 bg-white px-3 py-1.5 text-sm font-medium text-slate-700 shadow-sm hover:bg-slate-50";
    // No page that way: a dashed outline marks it, while its words stay readable (4.5:1).
    let disabled = "rounded-lg border border-dashed border-slate-300 px-3 py-1.5 text-sm text-slate-500";
    view! {
        <nav class="mt-6 flex items-center justify-between gap-3" aria-label="pagination">
            {if page > 1 {
                view! {
                    <A href=href.run(page - 1) attr:class=link attr:rel="prev">
                        {t!(i18n, pager_previous)}
                    </A>
                }
                    .into_any()
            } else {
                view! { <span class=disabled aria-disabled="true">{t!(i18n, pager_previous)}</span> }.into_any()
            }}
            <span class="text-sm text-slate-500" data-testid="pager-status">
                {move || t_string!(i18n, pager_status, page = page, pages = pages)}
            </span>
            {if page < pages {
                view! {
                    <A href=href.run(page + 1) attr:class=link attr:rel="next">
                        {t!(i18n, pager_next)}
                    </A>
                }
                    .into_any()
            } else {
                view! { <span class=disabled aria-disabled="true">{t!(i18n, pager_next)}</span> }.into_any()
            }}
        </nav>
    }
}
