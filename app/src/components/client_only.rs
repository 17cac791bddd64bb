//! Parts of a page drawn only once it is live in the browser. The server leaves an empty spot and
//! the hydrating page agrees, then the part appears. For secondary panels whose data loads on its
//! own (a conversation, e-mail settings): loading such data inside the page's server render let
//! resource order differ between server and browser and broke hydration.

use leptos::prelude::*;

#[component]
pub fn ClientOnly(children: ChildrenFn) -> impl IntoView {
    let live = RwSignal::new(false);
    // Effects run in the browser only, after hydration.
    Effect::new(move |_| live.set(true));
    move || live.get().then(|| children())
}
