//! Browser entry point: hydrates the HTML the server already rendered, so pages are readable before
//! this WASM arrives and interactive after.

#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    leptos::mount::hydrate_body(app::App);
    // Marks the page interactive, so browser tests wait for exactly this moment instead of sleeping.
    if let Some(body) = leptos::prelude::document().body() {
        let _ = body.set_attribute("data-hydrated", "true");
    }
}
