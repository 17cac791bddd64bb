//! The support screen: the help centre's contact messages, the unanswered first, each answered
//! once; a signed-in sender gets the answer as a notice.

use super::{loading, AdminShell};
use crate::{
    api::legal::{support_queue, ReplySupportFn},
    components::{
        errors::{field_message, ErrorPanel, FormAlert},
        form::FieldMessage,
        style::{CARD, INPUT, PRIMARY},
    },
    domain::validation::Field,
    i18n::*,
    pages::help_center::topic_label,
    views::legal::SupportRequest,
};
use leptos::prelude::*;

#[component]
pub fn SupportPage() -> impl IntoView {
    let i18n = use_i18n();
    let reply = ServerAction::<ReplySupportFn>::new();
    let queue = Resource::new(|| (), |_| support_queue());
    let error = Signal::derive(move || reply.value().get().and_then(Result::err));
    let reply_message = Memo::new(move |_| field_message(i18n, error.get().as_ref(), Field::Reply));
    view! {
        <AdminShell active="support">
            <FormAlert error />
            <FieldMessage message=reply_message />
            <Transition fallback=loading>
                {move || Suspend::new(async move {
                    match queue.await {
                        Ok(queue) => view! {
                            <h2 class="mb-2 text-base font-semibold text-slate-900">{t!(i18n, admin_support_waiting)}</h2>
                            {if queue.waiting.is_empty() {
                                view! { <p class=format!("{CARD} text-sm text-slate-500")>{t!(i18n, admin_support_empty)}</p> }.into_any()
                            } else {
                                view! {
                                    <ul class="space-y-3" data-testid="support-waiting">
                                        {queue.waiting.into_iter().map(|request| view! { <Request request reply=Some(reply) /> }).collect_view()}
                                    </ul>
                                }.into_any()
                            }}
                            <h2 class="mb-2 mt-6 text-base font-semibold text-slate-900">{t!(i18n, admin_support_answered)}</h2>
                            <ul class="space-y-3" data-testid="support-answered">
                                {queue.answered.into_iter().map(|request| view! { <Request request reply=None /> }).collect_view()}
                            </ul>
                        }.into_any(),
                        Err(error) => view! { <ErrorPanel error /> }.into_any(),
                    }
                })}
            </Transition>
        </AdminShell>
    }
}

/// One message; `reply` is the answer form's action while it waits for one.
#[component]
fn Request(request: SupportRequest, reply: Option<ServerAction<ReplySupportFn>>) -> impl IntoView {
    let i18n = use_i18n();
    let SupportRequest { id, topic, message, created_at, from, signed_in, reply: answer, replied_at } = request;
    let sender = from.clone();
    view! {
        <li class=CARD data-testid="support-request">
            <p class="text-xs text-slate-500">
                {move || topic_label(i18n, topic)} " · " {created_at} " · "
                {move || sender.clone().unwrap_or_else(|| t_string!(i18n, admin_support_visitor).to_string())}
            </p>
            <p class="mt-2 whitespace-pre-line text-sm text-slate-800">{message}</p>
            {answer.map(|answer| view! {
                <div class="mt-2 rounded bg-blue-50 p-2 text-sm">
                    <p class="text-xs text-blue-800">{replied_at}</p>
                    <p class="whitespace-pre-line text-slate-700">{answer}</p>
                </div>
            })}
            {reply.map(|action| view! {
                <ActionForm action attr:class="mt-3 space-y-2">
                    <input type="hidden" name="id" value=id.to_string() />
                    <textarea name="reply" rows="3" class=INPUT aria-label=move || t_string!(i18n, admin_support_reply)></textarea>
                    <div class="flex flex-wrap items-center gap-3">
                        <button type="submit" class=PRIMARY data-testid="support-reply-send">{t!(i18n, admin_support_send)}</button>
                        <span class="text-xs text-slate-500">
                            {move || if signed_in { t_string!(i18n, admin_support_by_notice) } else { t_string!(i18n, admin_support_by_email) }}
                        </span>
                    </div>
                </ActionForm>
            })}
        </li>
    }
}
