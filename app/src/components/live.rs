//! Parts of a server-rendered page that change without a page load. The server renders every state,
//! with the same access rules as any page load, and the browser carries no second renderer: an
//! island fetches the page as the server renders it now and takes one element's new copy.
//!
//! - `LiveRegion`: the bell's count and a task conversation stay current while the page is open.
//!   The server's event stream only says "something arrived"; the browser's EventSource reconnects
//!   by itself, sending the last event id it saw. Each time the stream opens the region is read
//!   again, so nothing that arrived before it opened is missed.
//! - `RefreshWhileRunning`: a background job's progress (an export) is re-read until it is done.
//! - `InPlace`: links and search forms that stay on the same page (the hall's pages and filters)
//!   load the next view into it; the address bar follows and Back works.

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
    let reread = move || {
        let region = region.clone();
        leptos::task::spawn_local(async move { refresh(&region).await });
    };
    let on_message = Closure::<dyn FnMut(web_sys::MessageEvent)>::new({
        let reread = reread.clone();
        move |_| reread()
    });
    // Whatever arrived between the page's render and the stream's opening (or while it was away,
    // before it reopened) was announced to nobody: read the region again each time it opens.
    let on_open = Closure::<dyn FnMut(web_sys::Event)>::new(move |_| reread());
    source.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    source.set_onopen(Some(on_open.as_ref().unchecked_ref()));
    // The page keeps the stream for as long as it is open.
    on_message.forget();
    on_open.forget();
    std::mem::forget(source);
}

/// Re-reads the element with id `region` from the page every 800 ms for as long as it holds an
/// element marked `data-running` (the server marks a job still in progress). Renders nothing itself.
#[island]
pub fn RefreshWhileRunning(region: String) -> impl IntoView {
    #[cfg(feature = "hydrate")]
    refresh_while_running(region);
    #[cfg(not(feature = "hydrate"))]
    let _ = region;
}

#[cfg(feature = "hydrate")]
fn refresh_while_running(region: String) {
    let running = document()
        .get_element_by_id(&region)
        .and_then(|element| element.query_selector("[data-running]").ok().flatten())
        .is_some();
    if running {
        let next = move || {
            leptos::task::spawn_local(async move {
                refresh(&region).await;
                refresh_while_running(region);
            })
        };
        set_timeout(next, std::time::Duration::from_millis(800));
    }
}

/// Replaces the children of the element with id `region` by those of its copy in the current page
/// as the server renders it now.
#[cfg(feature = "hydrate")]
pub async fn refresh(region: &str) {
    if let Ok(href) = window().location().href() {
        swap_in(&href, region).await;
    }
}

/// Fetches the page at `url` and replaces the children of the element with id `region` by those of
/// the same element there. Returns whether it did.
#[cfg(feature = "hydrate")]
async fn swap_in(url: &str, region: &str) -> bool {
    let Ok(response) = gloo_net::http::Request::get(url)
        .header("Accept", "text/html")
        .header(crate::views::live::REGION_REFRESH_HEADER, region)
        .send()
        .await
    else {
        return false;
    };
    let Ok(html) = response.text().await else { return false };
    let Ok(parser) = web_sys::DomParser::new() else { return false };
    let Ok(fresh) = parser.parse_from_string(&html, web_sys::SupportedType::TextHtml) else { return false };
    match (document().get_element_by_id(region), fresh.get_element_by_id(region)) {
        (Some(current), Some(fresh)) => {
            current.set_inner_html(&fresh.inner_html());
            true
        }
        _ => false,
    }
}

/// The id of the element `InPlace` loads views into.
const IN_PLACE: &str = "in-place";

/// Wraps a part of a page whose links and GET forms lead to the same page with other parameters
/// (paging, filters, search): those load the next view into this part instead of loading a whole
/// page. Links elsewhere and posted forms behave as usual; without JavaScript all of them do.
#[island]
pub fn InPlace(children: Children) -> impl IntoView {
    #[cfg(feature = "hydrate")]
    intercept_same_page_navigation();
    view! { <div id=IN_PLACE>{children()}</div> }
}

#[cfg(feature = "hydrate")]
fn intercept_same_page_navigation() {
    use leptos::wasm_bindgen::{closure::Closure, JsCast};
    use web_sys::{Event, HtmlAnchorElement, HtmlFormElement, MouseEvent, UrlSearchParams};

    fn same_page(url: &web_sys::Url) -> bool {
        let location = window().location();
        Some(url.origin()) == location.origin().ok() && Some(url.pathname()) == location.pathname().ok()
    }
    fn go(url: String) {
        leptos::task::spawn_local(async move {
            if swap_in(&url, IN_PLACE).await {
                if let Ok(history) = window().history() {
                    let _ = history.push_state_with_url(&leptos::wasm_bindgen::JsValue::NULL, "", Some(&url));
                }
            } else {
                let _ = window().location().set_href(&url);
            }
        });
    }

    let Some(region) = document().get_element_by_id(IN_PLACE) else { return };
    let on_click = Closure::<dyn FnMut(MouseEvent)>::new(move |ev: MouseEvent| {
        if ev.default_prevented()
            || ev.button() != 0
            || ev.meta_key()
            || ev.ctrl_key()
            || ev.shift_key()
            || ev.alt_key()
        {
            return;
        }
        let Some(link) = ev
            .target()
            .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
            .and_then(|el| el.closest("a[href]").ok().flatten())
            .and_then(|el| el.dyn_into::<HtmlAnchorElement>().ok())
        else {
            return;
        };
        let Ok(url) = web_sys::Url::new(&link.href()) else { return };
        if link.target().is_empty() && same_page(&url) {
            ev.prevent_default();
            go(url.href());
        }
    });
    let on_submit = Closure::<dyn FnMut(Event)>::new(move |ev: Event| {
        let Some(form) = ev.target().and_then(|t| t.dyn_into::<HtmlFormElement>().ok()) else { return };
        if ev.default_prevented() || !form.method().eq_ignore_ascii_case("get") {
            return;
        }
        let (Ok(url), Ok(data)) = (web_sys::Url::new(&form.action()), web_sys::FormData::new_with_form(&form)) else {
            return;
        };
        let Ok(params) = UrlSearchParams::new_with_str_sequence_sequence(&data) else { return };
        if same_page(&url) {
            ev.prevent_default();
            url.set_search(&String::from(params.to_string()));
            go(url.href());
        }
    });
    // Back and Forward between views loaded in place load them in place again.
    let on_back = Closure::<dyn FnMut(Event)>::new(move |_| {
        if let Ok(href) = window().location().href() {
            leptos::task::spawn_local(async move {
                if !swap_in(&href, IN_PLACE).await {
                    let _ = window().location().reload();
                }
            });
        }
    });
    let _ = region.add_event_listener_with_callback("click", on_click.as_ref().unchecked_ref());
    let _ = region.add_event_listener_with_callback("submit", on_submit.as_ref().unchecked_ref());
    let _ = window().add_event_listener_with_callback("popstate", on_back.as_ref().unchecked_ref());
    // They live as long as the page.
    on_click.forget();
    on_submit.forget();
    on_back.forget();
}
