//! Server-sent event streams in the browser: the page learns that something new exists and
//! reloads that one piece of data through its server function, which keeps the access rules in one
//! place. The browser's EventSource reconnects by itself, sending the last event id it saw.

use leptos::{prelude::*, wasm_bindgen::JsCast};
use send_wrapper::SendWrapper;

/// Opens the stream at `url` and bumps `arrived` on every event; closed when the effect (or
/// component) that opened it re-runs or ends. Only ever called from effects, which run in the
/// browser alone.
pub fn listen(url: &str, arrived: RwSignal<u32>) {
    use leptos::wasm_bindgen::closure::Closure;
    let Ok(source) = web_sys::EventSource::new(url) else { return };
    let on_message = Closure::<dyn FnMut(web_sys::MessageEvent)>::new(move |_| arrived.update(|n| *n += 1));
    source.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    let open = SendWrapper::new((source, on_message));
    on_cleanup(move || open.0.close());
}
