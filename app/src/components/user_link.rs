//! A person's name, linked to their public page when they have one (`domain::public_page`
//! decides; a hidden resume card gives plain text).

use leptos::prelude::*;

#[component]
pub fn UserLink(
    name: String,
    page: Option<String>,
    /// Classes of the link or the plain name (the colours of the text around it by default).
    #[prop(default = "")]
    class: &'static str,
) -> impl IntoView {
    match page {
        Some(href) => view! {
            <a href=href class=format!("{class} hover:text-blue-700 hover:underline") data-testid="user-link">{name}</a>
        }
        .into_any(),
        None => view! { <span class=class>{name}</span> }.into_any(),
    }
}
