//! `/help`: the rules people ask about, answered with the platform rules' own paragraphs
//! (`pages::legal_rules`, figures from the domain), and the contact form (联系客服) with the
//! signed-in user's earlier messages and their answers.

use crate::{
    api::legal::{my_support_requests, ContactSupportFn},
    components::{
        errors::{field_message, ErrorPanel, FormAlert},
        form::{FieldMessage, SMALL_LABEL},
        style::{CARD, INPUT, PRIMARY},
    },
    domain::support::{Topic, SUPPORT_EMAIL},
    domain::validation::Field,
    i18n::*,
    pages::legal_rules::{AnswerRule, DisputesRule, EscrowRule, FeesRule, WithdrawalsRule},
    views::legal::{HelpDesk, SupportRequest},
};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;

pub fn topic_label(i18n: leptos_i18n::I18nContext<Locale>, topic: Topic) -> &'static str {
    match topic {
        Topic::Account => t_string!(i18n, helpdesk_topic_account),
        Topic::Escrow => t_string!(i18n, helpdesk_topic_escrow),
        Topic::Fees => t_string!(i18n, helpdesk_topic_fees),
        Topic::Dispute => t_string!(i18n, helpdesk_topic_dispute),
        Topic::Withdrawal => t_string!(i18n, helpdesk_topic_withdrawal),
        Topic::Other => t_string!(i18n, helpdesk_topic_other),
    }
}

#[component]
pub fn HelpCenterPage() -> impl IntoView {
    let i18n = use_i18n();
    let title = td_string!(i18n.get_locale_untracked(), helpdesk_title).to_string();
    let question = "text-sm font-semibold text-slate-900";
    view! {
        <Title text=title />
        <div class="mx-auto max-w-3xl space-y-4">
            <h1 class="text-2xl font-bold tracking-tight text-slate-900">{t!(i18n, helpdesk_title)}</h1>
            <p class="text-sm text-slate-500">
                {t!(i18n, helpdesk_intro)} " "
                <A href="/legal/rules" attr:class="text-blue-700 hover:underline">{t!(i18n, legal_rules_title)}</A>
            </p>
            <section class=CARD data-testid="help-faq">
                <details class="border-b border-slate-100 py-2" open=true>
                    <summary class=question>{t!(i18n, helpdesk_q_escrow)}</summary>
                    <EscrowRule />
                </details>
                <details class="border-b border-slate-100 py-2">
                    <summary class=question>{t!(i18n, helpdesk_q_fees)}</summary>
                    <FeesRule />
                </details>
                <details class="border-b border-slate-100 py-2">
                    <summary class=question>{t!(i18n, helpdesk_q_answer)}</summary>
                    <AnswerRule />
                </details>
                <details class="border-b border-slate-100 py-2">
                    <summary class=question>{t!(i18n, helpdesk_q_disputes)}</summary>
                    <DisputesRule />
                </details>
                <details class="border-b border-slate-100 py-2">
                    <summary class=question>{t!(i18n, helpdesk_q_withdrawals)}</summary>
                    <WithdrawalsRule />
                </details>
                <details class="py-2">
                    <summary class=question>{t!(i18n, helpdesk_q_levels)}</summary>
                    <p class="mt-2 text-sm text-slate-600">
                        {t!(i18n, help_levels_unlock)} " "
                        <A href="/help/growth" attr:class="text-blue-700 hover:underline">{t!(i18n, helpdesk_levels_link)}</A>
                    </p>
                </details>
            </section>
            <ContactSection />
        </div>
    }
}

#[component]
fn ContactSection() -> impl IntoView {
    let i18n = use_i18n();
    let send = ServerAction::<ContactSupportFn>::new();
    let desk = Resource::new(|| (), |_| my_support_requests());
    view! {
        <section class=CARD id="contact" data-testid="help-contact">
            <h2 class="text-base font-semibold text-slate-900">{t!(i18n, helpdesk_contact_title)}</h2>
            <p class="mt-1 text-xs text-slate-500">
                {t!(i18n, helpdesk_contact_hint)} " " {t!(i18n, helpdesk_or_email)} " "
                <a href=format!("mailto:{SUPPORT_EMAIL}") class="text-blue-700 hover:underline">{SUPPORT_EMAIL}</a>
            </p>
            <Suspense fallback=|| view! { <div class="mt-3 h-48 animate-pulse rounded-lg bg-slate-50"></div> }>
                {move || Suspend::new(async move {
                    match desk.await {
                        Ok(desk) => view! { <ContactForm desk send /> }.into_any(),
                        Err(error) => view! { <ErrorPanel error /> }.into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
}

#[component]
fn ContactForm(desk: HelpDesk, send: ServerAction<ContactSupportFn>) -> impl IntoView {
    let i18n = use_i18n();
    let error = Signal::derive(move || send.value().get().and_then(Result::err));
    let message = move |field| Memo::new(move |_| field_message(i18n, error.get().as_ref(), field));
    let HelpDesk { signed_in, mine, just_sent } = desk;
    view! {
        {just_sent.then(|| view! {
            <p class="mt-3 rounded-lg bg-emerald-50 px-3 py-2 text-sm text-emerald-800" role="status" data-testid="help-sent">
                {t!(i18n, helpdesk_sent)}
            </p>
        })}
        <ActionForm action=send attr:class="mt-3 space-y-3" attr:novalidate=true>
            <div class="space-y-1">
                <label for="field-topic" class=SMALL_LABEL>{t!(i18n, helpdesk_topic)}</label>
                <select id="field-topic" name="topic" class=INPUT>
                    {Topic::ALL.into_iter().map(|topic| view! {
                        <option value=topic.as_str()>{move || topic_label(i18n, topic)}</option>
                    }).collect_view()}
                </select>
                <FieldMessage message=message(Field::Topic) />
            </div>
            <div class="space-y-1">
                <label for="field-message" class=SMALL_LABEL>{t!(i18n, helpdesk_message)}</label>
                <textarea id="field-message" name="message" rows="5" class=INPUT></textarea>
                <FieldMessage message=message(Field::Message) />
            </div>
            {(!signed_in).then(|| view! {
                <div class="space-y-1">
                    <label for="field-email" class=SMALL_LABEL>{t!(i18n, helpdesk_email)}</label>
                    <input id="field-email" name="email" type="email" autocomplete="email" class=INPUT />
                    <FieldMessage message=message(Field::Email) />
                </div>
            })}
            <FormAlert error />
            <button type="submit" class=PRIMARY data-testid="help-send">{t!(i18n, helpdesk_send)}</button>
        </ActionForm>
        {(!mine.is_empty()).then(|| view! {
            <h3 class="mt-6 text-sm font-semibold text-slate-900">{t!(i18n, helpdesk_mine_title)}</h3>
            <ul class="mt-2 space-y-2" data-testid="help-mine">
                {mine.into_iter().map(|request| view! { <MyRequest request /> }).collect_view()}
            </ul>
        })}
    }
}

#[component]
fn MyRequest(request: SupportRequest) -> impl IntoView {
    let i18n = use_i18n();
    let SupportRequest { topic, message, created_at, reply, replied_at, .. } = request;
    view! {
        <li class="rounded-lg border border-slate-100 p-3 text-sm">
            <p class="text-xs text-slate-500">{move || topic_label(i18n, topic)} " · " {created_at}</p>
            <p class="mt-1 whitespace-pre-line text-slate-700">{message}</p>
            {match reply {
                Some(reply) => view! {
                    <div class="mt-2 rounded bg-blue-50 p-2" data-testid="help-reply">
                        <p class="text-xs font-medium text-blue-800">{t!(i18n, helpdesk_reply)} " · " {replied_at}</p>
                        <p class="mt-1 whitespace-pre-line text-slate-700">{reply}</p>
                    </div>
                }.into_any(),
                None => view! { <p class="mt-2 text-xs text-amber-700">{t!(i18n, helpdesk_waiting)}</p> }.into_any(),
            }}
        </li>
    }
}
