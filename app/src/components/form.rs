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
    /// Shown under the input while there is no error. Not stripped of its `Option`, so a wrapper
    /// (`components::account_fields`) can pass on a hint it may not have.
    #[prop(optional_no_strip, into)]
    hint: Option<Signal<String>>,
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
    /// The wrapper's classes, for a block that is shown or laid out differently.
    #[prop(default = "space-y-1.5")]
    class: &'static str,
    children: Children,
) -> impl IntoView {
    view! {
        <div class=class>
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

/// The smaller labels of the admin screens' forms: over the control (`LabelOver`'s `label_class`)
/// and around it (`LabelAround`'s `class`).
pub const SMALL_LABEL: &str = "block text-xs font-medium text-slate-600";
pub const SMALL_LABEL_AROUND: &str = "block text-xs text-slate-600";

/// A label's words from the locale files, as the form components take them:
/// `label_text(|i| t_string!(i, field_title))`.
pub fn label_text(words: fn(leptos_i18n::I18nContext<Locale>) -> &'static str) -> Signal<String> {
    let i18n = use_i18n();
    Signal::derive(move || words(i18n).to_string())
}

/// A label over a control the caller writes (which carries the same `id`), with the field's error
/// line under it when the form reports one. Unlike `Labelled`, the error line is always there,
/// empty while the field is fine, so its place (and its test id) never moves.
#[component]
pub fn LabelOver(
    #[prop(into)] label: Signal<String>,
    /// The control's `id`, which the label names in `for`.
    #[prop(into)]
    id: String,
    /// The field's error, if the form reports errors for it.
    #[prop(optional, into)]
    message: Option<Signal<Option<String>>>,
    #[prop(optional, into)] error_testid: Option<String>,
    #[prop(default = "block text-sm font-medium text-slate-700")] label_class: &'static str,
    /// The wrapper's classes.
    #[prop(default = "space-y-1")]
    class: &'static str,
    children: Children,
) -> impl IntoView {
    view! {
        <div class=class>
            <label for=id class=label_class>{move || label.get()}</label>
            {children()}
            {message.map(|message| view! { <p class="text-xs text-red-600" data-testid=error_testid>{move || message.get()}</p> })}
        </div>
    }
}

/// A label around its control (no `id` needed), with the field's error, if the form reports
/// one, under the control inside the label.
#[component]
pub fn LabelAround(
    #[prop(into)] label: Signal<String>,
    #[prop(optional, into)] message: Option<Signal<Option<String>>>,
    #[prop(default = "block text-sm text-slate-700")] class: &'static str,
    children: Children,
) -> impl IntoView {
    view! {
        <label class=class>
            {move || label.get()}
            {children()}
            {message.map(|message| view! { <span class="block text-xs text-red-600">{move || message.get()}</span> })}
        </label>
    }
}

/// A field's error line, always there and empty while the field is fine (for a control whose
/// label is elsewhere or only a placeholder).
#[component]
pub fn ErrorLine(
    #[prop(into)] message: Signal<Option<String>>,
    #[prop(optional, into)] testid: Option<String>,
    #[prop(default = "text-xs text-red-600")] class: &'static str,
) -> impl IntoView {
    view! { <p class=class data-testid=testid>{move || message.get()}</p> }
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

/// One skill tag as a pill-shaped checkbox, in the reader's language. In a plain form it carries
/// `name` and is sent with it; in an island `on_toggle` follows it instead.
#[component]
pub fn TagToggle(
    slug: String,
    name_zh: String,
    name_en: String,
    #[prop(into)] checked: Signal<bool>,
    #[prop(optional)] name: Option<&'static str>,
    #[prop(optional)] on_toggle: Option<Callback<()>>,
) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <label class="cursor-pointer rounded-full border border-slate-300 px-2.5 py-1 text-xs text-slate-700 has-[:checked]:border-blue-500 has-[:checked]:bg-blue-50 has-[:checked]:text-blue-700">
            <input
                type="checkbox"
                class="sr-only"
                name=name
                value=slug
                checked=move || checked.get()
                on:change=move |_| {
                    if let Some(toggle) = on_toggle {
                        toggle.run(());
                    }
                }
            />
            {move || match i18n.get_locale() {
                Locale::en => name_en.clone(),
                Locale::zh_CN => name_zh.clone(),
            }}
        </label>
    }
}

/// The submit handler of an island's upload form (files go as multipart data): the page stays, and
/// the form's fields go to `action`, whose answer the island shows in place.
pub fn send_upload<O: Send + Sync + 'static>(
    action: Action<send_wrapper::SendWrapper<web_sys::FormData>, O>,
) -> impl Fn(web_sys::SubmitEvent) + 'static {
    use leptos::wasm_bindgen::JsCast;
    move |ev| {
        ev.prevent_default();
        let Some(form) = ev.target().and_then(|target| target.dyn_into::<web_sys::HtmlFormElement>().ok()) else {
            return;
        };
        if let Ok(fields) = web_sys::FormData::new_with_form(&form) {
            action.dispatch(send_wrapper::SendWrapper::new(fields));
        }
    }
}

/// Plain (non-island) forms post and, when refused, come back to their page with the error in the
/// address (`?__path=…&__err=…`), rendered fresh and empty. This island remembers what was typed
/// when such a form is sent and, when the page comes back with that form's error, puts it back, so
/// a refused form only needs its mistake fixed. Passwords, files and hidden fields are never kept.
#[island]
pub fn KeepTypedValues() -> impl IntoView {
    #[cfg(feature = "hydrate")]
    typed_values::keep();
}

#[cfg(feature = "hydrate")]
mod typed_values {
    use leptos::{
        prelude::*,
        wasm_bindgen::{closure::Closure, JsCast},
    };
    use web_sys::{
        Element, Event, FormData, HtmlFormElement, HtmlInputElement, HtmlSelectElement, HtmlTextAreaElement,
        UrlSearchParams,
    };

    /// Session storage key: the last plain form sent, as `__action=<path>&name=value&…`.
    const SENT: &str = "codelink.sent_form";

    pub fn keep() {
        restore_after_refusal();
        let on_submit = Closure::<dyn FnMut(Event)>::new(|ev: Event| {
            let Some(form) = ev.target().and_then(|t| t.dyn_into::<HtmlFormElement>().ok()) else { return };
            if !form.method().eq_ignore_ascii_case("post") || form.enctype().starts_with("multipart") {
                return;
            }
            let (Ok(data), Ok(action)) = (FormData::new_with_form(&form), web_sys::Url::new(&form.action())) else {
                return;
            };
            let Ok(sent) = UrlSearchParams::new_with_str_sequence_sequence(&data) else { return };
            sent.set("__action", &action.pathname());
            if let Ok(Some(storage)) = window().session_storage() {
                let _ = storage.set_item(SENT, &String::from(sent.to_string()));
            }
        });
        let _ = document().add_event_listener_with_callback("submit", on_submit.as_ref().unchecked_ref());
        on_submit.forget();
    }

    fn restore_after_refusal() {
        let Ok(Some(storage)) = window().session_storage() else { return };
        let Ok(Some(saved)) = storage.get_item(SENT) else { return };
        let _ = storage.remove_item(SENT);
        let Ok(search) = window().location().search() else { return };
        let (Ok(here), Ok(sent)) = (UrlSearchParams::new_with_str(&search), UrlSearchParams::new_with_str(&saved))
        else {
            return;
        };
        let (Some(refused), Some(action)) = (here.get("__path"), sent.get("__action")) else { return };
        if here.get("__err").is_none() || refused != action {
            return;
        }
        let Ok(forms) = document().query_selector_all("form") else { return };
        for i in 0..forms.length() {
            let Some(form) = forms.item(i).and_then(|n| n.dyn_into::<HtmlFormElement>().ok()) else { continue };
            if web_sys::Url::new(&form.action()).map(|u| u.pathname()).ok().as_deref() == Some(action.as_str()) {
                fill(&form, &sent);
            }
        }
    }

    /// Puts the sent values back into fields the reader has not touched since the page came back
    /// (on a slow connection they may start correcting before this script runs; their typing wins).
    fn fill(form: &HtmlFormElement, sent: &UrlSearchParams) {
        let Ok(fields) = form.query_selector_all("input[name], textarea[name], select[name]") else { return };
        for i in 0..fields.length() {
            let Some(field) = fields.item(i).and_then(|n| n.dyn_into::<Element>().ok()) else { continue };
            let Some(name) = field.get_attribute("name") else { continue };
            let values: Vec<String> = sent.get_all(&name).iter().filter_map(|v| v.as_string()).collect();
            if let Some(input) = field.dyn_ref::<HtmlInputElement>() {
                match input.type_().as_str() {
                    "password" | "file" | "hidden" | "submit" | "button" => {}
                    "checkbox" | "radio" if input.checked() == input.default_checked() => {
                        input.set_checked(values.contains(&input.value()))
                    }
                    "checkbox" | "radio" => {}
                    _ => {
                        if let Some(value) = values.first().filter(|_| input.value() == input.default_value()) {
                            input.set_value(value);
                        }
                    }
                }
            } else if let (Some(area), Some(value)) = (field.dyn_ref::<HtmlTextAreaElement>(), values.first()) {
                if area.default_value().is_ok_and(|default| area.value() == default) {
                    area.set_value(value);
                }
            } else if let (Some(select), Some(value)) = (field.dyn_ref::<HtmlSelectElement>(), values.first()) {
                select.set_value(value);
            }
        }
    }
}
