//! Form building blocks: a labelled input with its error underneath, and a submit button that shows
//! progress. Errors come from the last server answer, so JavaScript-off submissions show them too.

use crate::{components::errors::field_message, domain::validation::Field, error::AppError, i18n::*};
use leptos::prelude::*;

#[component]
pub fn TextField(
    /// The form field's name, which is also the server function's argument name.
    name: &'static str,
    field: Field,
    #[prop(into)] label: Signal<String>,
    /// The last error the server answered with, if any.
    #[prop(into)]
    error: Signal<Option<AppError>>,
    #[prop(default = "text")] input_type: &'static str,
    #[prop(default = "off")] autocomplete: &'static str,
    #[prop(default = 200)] max_chars: u32,
    #[prop(optional, into)] hint: Option<Signal<String>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let message = Memo::new(move |_| field_message(i18n, error.get().as_ref(), field));
    let input_id = format!("field-{name}");
    let error_id = format!("field-{name}-error");
    view! {
        <div class="space-y-1.5">
            <label for=input_id.clone() class="block text-sm font-medium text-slate-700">
                {move || label.get()}
            </label>
            <input
                id=input_id
                name=name
                type=input_type
                autocomplete=autocomplete
                maxlength=max_chars
                aria-invalid=move || if message.get().is_some() { "true" } else { "false" }
                aria-describedby=error_id.clone()
                class=move || {
                    if message.get().is_some() {
                        "block w-full rounded-lg border border-red-400 bg-white px-3 py-2 text-sm shadow-sm outline-none focus:border-red-500 focus:ring-2 focus:ring-red-100"
                    } else {
                        "block w-full rounded-lg border border-slate-300 bg-white px-3 py-2 text-sm shadow-sm outline-none focus:border-blue-500 focus:ring-2 focus:ring-blue-100"
                    }
                }
            />
            {move || match message.get() {
                Some(text) => {
                    view! {
                        <p id=error_id.clone() class="field-error text-xs text-red-600">
                            {text}
                        </p>
                    }
                        .into_any()
                }
                None => {
                    hint.map(|hint| {
                            view! { <p class="text-xs text-slate-500">{move || hint.get()}</p> }
                        })
                        .into_any()
                }
            }}
        </div>
    }
}

#[component]
pub fn SubmitButton(#[prop(into)] label: Signal<String>, #[prop(into)] pending: Signal<bool>) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <button
            type="submit"
            disabled=move || pending.get()
            class="inline-flex w-full items-center justify-center rounded-lg bg-blue-600 px-4 py-2.5 text-sm font-semibold text-white shadow-sm transition hover:bg-blue-700 disabled:cursor-wait disabled:opacity-70"
        >
            {move || if pending.get() { t_string!(i18n, submitting).to_string() } else { label.get() }}
        </button>
    }
}

/// A label over any input, with the field's error message under it.
#[component]
pub fn Labelled(
    #[prop(into)] label: Signal<String>,
    id: &'static str,
    message: Memo<Option<String>>,
    children: Children,
) -> impl IntoView {
    view! {
        <div class="space-y-1.5">
            <label for=id class="block text-sm font-medium text-slate-700">{move || label.get()}</label>
            {children()}
            <FieldMessage message />
        </div>
    }
}

#[component]
pub fn FieldMessage(message: Memo<Option<String>>) -> impl IntoView {
    move || message.get().map(|text| view! { <p class="field-error text-xs text-red-600">{text}</p> })
}

/// Adds `slug` to a chosen set, or takes it out if it is there (skill tags on forms).
pub fn toggle_in(chosen: &mut Vec<String>, slug: &str) {
    match chosen.iter().position(|s| s == slug) {
        Some(i) => {
            chosen.remove(i);
        }
        None => chosen.push(slug.to_string()),
    }
}

/// One skill tag as a pill-shaped checkbox, in the reader's language.
#[component]
pub fn TagToggle(
    slug: String,
    name_zh: String,
    name_en: String,
    #[prop(into)] checked: Signal<bool>,
    on_toggle: Callback<()>,
) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <label class="cursor-pointer rounded-full border border-slate-300 px-2.5 py-1 text-xs text-slate-700 has-[:checked]:border-blue-500 has-[:checked]:bg-blue-50 has-[:checked]:text-blue-700">
            <input type="checkbox" class="sr-only" value=slug prop:checked=move || checked.get() on:change=move |_| on_toggle.run(()) />
            {move || match i18n.get_locale() {
                Locale::en => name_en.clone(),
                Locale::zh_CN => name_zh.clone(),
            }}
        </label>
    }
}
