//! `/legal/terms`, `/legal/privacy`, `/legal/rules`: the versioned documents (versions in
//! `domain::legal`), and `/legal/consent`, where a user accepts the current versions.

use crate::{
    api::legal::{consent_status, AcceptConsentFn},
    components::{
        errors::{field_message, ErrorPanel, FormAlert},
        form::FieldMessage,
        style::{CARD, PRIMARY, SECONDARY},
    },
    domain::{legal::Document, legal::EFFECTIVE_DATE, support::SUPPORT_EMAIL, validation::Field},
    i18n::*,
    pages::legal_rules::AllRules,
    words::document_title,
};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::{components::A, hooks::use_query_map};

type Words = fn(leptos_i18n::I18nContext<Locale>) -> &'static str;

const TERMS: [(Words, Words); 10] = [
    (|i| t_string!(i, legal_terms_1_title), |i| t_string!(i, legal_terms_1)),
    (|i| t_string!(i, legal_terms_2_title), |i| t_string!(i, legal_terms_2)),
    (|i| t_string!(i, legal_terms_3_title), |i| t_string!(i, legal_terms_3)),
    (|i| t_string!(i, legal_terms_4_title), |i| t_string!(i, legal_terms_4)),
    (|i| t_string!(i, legal_terms_5_title), |i| t_string!(i, legal_terms_5)),
    (|i| t_string!(i, legal_terms_6_title), |i| t_string!(i, legal_terms_6)),
    (|i| t_string!(i, legal_terms_7_title), |i| t_string!(i, legal_terms_7)),
    (|i| t_string!(i, legal_terms_8_title), |i| t_string!(i, legal_terms_8)),
    (|i| t_string!(i, legal_terms_9_title), |i| t_string!(i, legal_terms_9)),
    (|i| t_string!(i, legal_terms_10_title), |i| t_string!(i, legal_terms_10)),
];

const PRIVACY: [(Words, Words); 7] = [
    (|i| t_string!(i, legal_privacy_1_title), |i| t_string!(i, legal_privacy_1)),
    (|i| t_string!(i, legal_privacy_2_title), |i| t_string!(i, legal_privacy_2)),
    (|i| t_string!(i, legal_privacy_3_title), |i| t_string!(i, legal_privacy_3)),
    (|i| t_string!(i, legal_privacy_4_title), |i| t_string!(i, legal_privacy_4)),
    (|i| t_string!(i, legal_privacy_5_title), |i| t_string!(i, legal_privacy_5)),
    (|i| t_string!(i, legal_privacy_6_title), |i| t_string!(i, legal_privacy_6)),
    (|i| t_string!(i, legal_privacy_7_title), |i| t_string!(i, legal_privacy_7)),
];

fn sections(sections: &'static [(Words, Words)]) -> impl IntoView {
    let i18n = use_i18n();
    sections
        .iter()
        .map(|(title, body)| {
            let (title, body) = (*title, *body);
            view! {
                <h2 class="mt-6 text-base font-semibold text-slate-900">{move || title(i18n)}</h2>
                <p class="mt-2 text-sm leading-relaxed text-slate-600">{move || body(i18n)}</p>
            }
        })
        .collect_view()
}

/// A document's frame: its title, version and date, the text, and links to the other two.
#[component]
fn LegalDocument(doc: Document, children: Children) -> impl IntoView {
    let i18n = use_i18n();
    let title = document_title(i18n.get_locale(), doc);
    view! {
        <Title text=title />
        <article class=format!("{CARD} mx-auto max-w-3xl") data-testid=format!("legal-{}", doc.as_str())>
            <h1 class="text-2xl font-bold tracking-tight text-slate-900">{move || document_title(i18n.get_locale(), doc)}</h1>
            <p class="mt-1 text-xs text-slate-500" data-testid="legal-version">
                {move || t_string!(i18n, legal_version, version = doc.version(), date = EFFECTIVE_DATE)}
            </p>
            {children()}
            <nav class="mt-8 border-t border-slate-100 pt-4 text-sm">
                <span class="text-slate-500">{t!(i18n, legal_related)} ": "</span>
                {Document::ALL
                    .into_iter()
                    .filter(|other| *other != doc)
                    .map(|other| view! {
                        <A href=other.path() attr:class="mr-3 inline-block whitespace-nowrap py-1 text-blue-700 hover:underline">{move || document_title(i18n.get_locale(), other)}</A>
                    })
                    .collect_view()}
                <A href="/help" attr:class="inline-block whitespace-nowrap py-1 text-blue-700 hover:underline">{t!(i18n, helpdesk_title)}</A>
            </nav>
        </article>
    }
}

#[component]
pub fn TermsPage() -> impl IntoView {
    view! { <LegalDocument doc=Document::Terms>{sections(&TERMS)}</LegalDocument> }
}

#[component]
pub fn PrivacyPage() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <LegalDocument doc=Document::Privacy>
            {sections(&PRIVACY)}
            <h2 class="mt-6 text-base font-semibold text-slate-900">{t!(i18n, legal_privacy_8_title)}</h2>
            <p class="mt-2 text-sm leading-relaxed text-slate-600">{move || t_string!(i18n, legal_privacy_8, email = SUPPORT_EMAIL)}</p>
        </LegalDocument>
    }
}

#[component]
pub fn RulesPage() -> impl IntoView {
    view! { <LegalDocument doc=Document::Rules><AllRules /></LegalDocument> }
}

/// `/legal/consent?next=…`: the documents whose current version the user has not accepted, and
/// the box to accept them. Every other page sends a user here while a consent is due.
#[component]
pub fn ConsentPage() -> impl IntoView {
    let i18n = use_i18n();
    let next = use_query_map().with_untracked(|q| q.get("next")).unwrap_or_else(|| "/".into());
    let accept = ServerAction::<AcceptConsentFn>::new();
    let status = Resource::new(|| (), |_| consent_status());
    let error = Signal::derive(move || accept.value().get().and_then(Result::err));
    let message = Memo::new(move |_| {
        field_message(i18n, error.get().as_ref(), Field::Consent)
            .map(|_| t_string!(i18n, legal_consent_required).to_string())
    });
    let logout = crate::components::layout::use_session().logout;
    let title = td_string!(i18n.get_locale_untracked(), legal_consent_title).to_string();
    view! {
        <Title text=title />
        <section class=format!("{CARD} mx-auto max-w-xl") data-testid="consent-page">
            <h1 class="text-xl font-bold text-slate-900">{t!(i18n, legal_consent_title)}</h1>
            <Suspense fallback=|| view! { <div class="mt-4 h-32 animate-pulse rounded-lg bg-slate-50"></div> }>
                {move || {
                    let next = next.clone();
                    Suspend::new(async move {
                        match status.await {
                            Ok(status) if status.due.is_empty() => view! {
                                <p class="mt-3 text-sm text-slate-600">{t!(i18n, legal_consent_none)}</p>
                                <A href="/" attr:class=format!("{SECONDARY} mt-4")>{t!(i18n, legal_back_home)}</A>
                            }.into_any(),
                            Ok(status) => view! {
                                <p class="mt-3 text-sm text-slate-600">
                                    {if status.accepted_before { t!(i18n, legal_consent_updated).into_any() } else { t!(i18n, legal_consent_first).into_any() }}
                                </p>
                                <ul class="mt-3 list-disc space-y-1 pl-5 text-sm">
                                    {status.due.into_iter().map(|doc| view! {
                                        <li>
                                            <a href=doc.path() target="_blank" rel="noopener" class="text-blue-700 hover:underline">
                                                {move || document_title(i18n.get_locale(), doc)}
                                            </a>
                                            <span class="ml-2 text-xs text-slate-500">
                                                {move || t_string!(i18n, legal_version, version = doc.version(), date = EFFECTIVE_DATE)}
                                            </span>
                                        </li>
                                    }).collect_view()}
                                </ul>
                                <ActionForm action=accept attr:class="mt-4 space-y-3">
                                    <input type="hidden" name="next" value=next />
                                    <ConsentBox message />
                                    <FormAlert error />
                                    <button type="submit" class=PRIMARY data-testid="consent-submit">{t!(i18n, legal_consent_submit)}</button>
                                </ActionForm>
                            }.into_any(),
                            Err(error) => view! { <ErrorPanel error /> }.into_any(),
                        }
                    })
                }}
            </Suspense>
            <ActionForm action=logout attr:class="mt-4">
                <button type="submit" class="text-sm text-slate-500 hover:underline">{t!(i18n, nav_logout)}</button>
            </ActionForm>
        </section>
    }
}

/// The box "I have read and agree to the terms and the privacy policy" (sign-up and the consent
/// page post it as `name`), with its message under it when it was left empty. The documents open
/// in a new tab, so nothing typed is lost.
#[component]
pub fn ConsentBox(message: Memo<Option<String>>, #[prop(default = "agree")] name: &'static str) -> impl IntoView {
    let i18n = use_i18n();
    let link = "text-blue-700 underline-offset-2 hover:underline";
    view! {
        <div class="space-y-1">
            <label class="flex items-start gap-2 text-sm text-slate-600">
                <input type="checkbox" name=name value="on" id="field-consent" class="mt-0.5 accent-blue-600" data-testid="consent-box" />
                <span>
                    {t!(i18n, legal_agree_before)}
                    <a href="/legal/terms" target="_blank" rel="noopener" class=link>{t!(i18n, legal_terms_title)}</a>
                    {t!(i18n, legal_agree_between)}
                    <a href="/legal/privacy" target="_blank" rel="noopener" class=link>{t!(i18n, legal_privacy_title)}</a>
                </span>
            </label>
            <FieldMessage message />
        </div>
    }
}
