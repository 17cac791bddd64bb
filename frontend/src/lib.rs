//! Browser entry point. The pages are rendered on the server and stay plain HTML; only the
//! interactive parts (`#[island]` components in `app`) are compiled into this WASM and woken up here,
//! which keeps the bundle to what the browser actually runs. Linking `app` brings its islands along.

#[allow(unused_imports)]
use app::*;

#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    leptos::mount::hydrate_islands();
}
