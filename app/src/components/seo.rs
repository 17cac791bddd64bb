//! How a public page presents itself to search engines and link previews, in one component: its
//! description, its canonical (absolute) address and, for some, structured data. Every value goes
//! into an attribute, which Leptos escapes, or into the JSON-LD script, whose strings
//! `domain::seo` writes through `html_text::json_string_in_script`; the page title stays with
//! `<Title>` and the root's formatter (`html_text::title_as_text`).

use crate::domain::seo::Json;
use leptos::{nonce::use_nonce, prelude::*};
use leptos_meta::{Link, Meta};

/// The absolute address of `path` on the public URL the server was configured with
/// (`CODELINK_PUBLIC_URL`, or the demo's own address). These pages render on the server; in the
/// browser the path stays as it is.
pub fn absolute_url(path: &str) -> String {
    #[cfg(feature = "ssr")]
    return format!("{}{path}", crate::state::public_url());
    #[cfg(not(feature = "ssr"))]
    path.to_string()
}

/// `<meta name="description">`, `<link rel="canonical">`, the Open Graph address and description,
/// and an optional schema.org JSON-LD block. `path` is the page's own path, e.g. `/tasks/{id}`.
#[component]
pub fn PageMeta(
    /// Plain text (see `domain::seo::plain_summary`).
    description: String,
    path: String,
    #[prop(default = None)] structured: Option<Json>,
) -> impl IntoView {
    let url = absolute_url(&path);
    // Not executed (a data block), so the CSP does not apply; it carries the response's nonce
    // anyway, so no inline script of ours is ever without one.
    let nonce = use_nonce();
    view! {
        <Meta name="description" content=description.clone() />
        <Link rel="canonical" href=url.clone() />
        <Meta property="og:site_name" content="CodeLink" />
        <Meta property="og:url" content=url />
        <Meta property="og:description" content=description />
        {structured.map(|data| {
            view! { <script type="application/ld+json" nonce=nonce inner_html=data.to_script_text()></script> }
        })}
    }
}

/// A button that copies `text` (an embed snippet) to the clipboard and says so for two seconds.
/// Without JavaScript the snippet beside it is still there to select.
#[island]
pub fn CopyButton(text: String, label: String, done: String) -> impl IntoView {
    let copied = RwSignal::new(false);
    let copy = move |_| {
        #[cfg(feature = "hydrate")]
        {
            let _ = window().navigator().clipboard().write_text(&text);
            copied.set(true);
            set_timeout(move || copied.set(false), std::time::Duration::from_secs(2));
        }
        #[cfg(not(feature = "hydrate"))]
        let _ = &text;
    };
    view! {
        <button
            type="button"
            class="rounded-md border border-slate-300 bg-white px-2 py-0.5 text-xs font-medium text-slate-700 hover:bg-slate-50"
            on:click=copy
        >
            {move || if copied.get() { done.clone() } else { label.clone() }}
        </button>
    }
}
