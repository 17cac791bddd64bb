use crate::i18n::*;
use leptos::prelude::*;
use leptos_router::components::A;

#[component]
pub fn NotFound() -> impl IntoView {
    let i18n = use_i18n();
    #[cfg(feature = "ssr")]
    if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
        response.set_status(axum::http::StatusCode::NOT_FOUND);
    }
    view! {
        <div class="py-20 text-center">
            <p class="text-5xl font-bold text-slate-200">"404"</p>
            <h1 class="mt-3 text-lg font-semibold text-slate-800">{t!(i18n, not_found_title)}</h1>
            <A href="/" attr:class="mt-4 inline-block text-sm font-medium text-blue-600 hover:underline">
                {t!(i18n, back_to_hall)}
            </A>
        </div>
    }
}
