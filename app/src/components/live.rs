//! Live regions: a part of a server-rendered page that stays current while the page is open (the
//! bell's count, a task conversation). The server's event stream only says "something arrived"; the
//! island then reads the page again and takes the region's new copy. So the server renders every
//! state, with the same access rules as any page load, and the browser carries no second renderer.
//! The browser's EventSource reconnects by itself, sending the last event id it saw.

use leptos::prelude::*;

/// Listens on `stream` and, on every event, replaces the children of the element with id `region`
/// by those of the same element in a fresh copy of the current page. Renders nothing itself.
#[island]
pub fn LiveRegion(stream: String, region: String) -> impl IntoView {
    #[cfg(feature = "hydrate")]
    listen(&stream, region);
    #[cfg(not(feature = "hydrate"))]
    let _ = (stream, region);
}

#[cfg(feature = "hydrate")]
fn listen(stream: &str, region: String) {
    use leptos::wasm_bindgen::{closure::Closure, JsCast};
    let Ok(source) = web_sys::EventSource::new(stream) else { return };
    let on_message = Closure::<dyn FnMut(web_sys::MessageEvent)>::new(move |_| {
        let region = region.clone();
        leptos::task::spawn_local(async move { refresh(&region).await });
    });
    source.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    // The page keeps the stream for as long as it is open.
    on_message.forget();
    std::mem::forget(source);
}

/// Replaces the children of the element with id `region` by those of its copy in the current page
/// as the server renders it now.
#[cfg(feature = "hydrate")]
pub async fn refresh(region: &str) {
    let Ok(href) = window().location().href() else { return };
    let Ok(response) = gloo_net::http::Request::get(&href).header("Accept", "text/html").send().await else { return };
    let Ok(html) = response.text().await else { return };
    let Ok(parser) = web_sys::DomParser::new() else { return };
    let Ok(fresh) = parser.parse_from_string(&html, web_sys::SupportedType::TextHtml) else { return };
    if let (Some(current), Some(fresh)) = (document().get_element_by_id(region), fresh.get_element_by_id(region)) {
        current.set_inner_html(&fresh.inner_html());
    }
}
