//! The task page's conversation between the merchant and each applicant (live, through the
//! server's event stream).

use crate::{
    api::messages::{send_message, SendMessageFn},
    components::{
        errors::FormAlert,
        form::send_upload,
        live::LiveRegion,
        style::{CARD, INPUT, PRIMARY},
    },
    domain::delivery,
    error::AppError,
    i18n::*,
    views::messages::{Conversation, MessageView},
};
use leptos::{
    prelude::*,
    server_fn::{codec::MultipartData, ServerFn},
};
use send_wrapper::SendWrapper;
use uuid::Uuid;
use web_sys::FormData;

/// The task page's conversation, rendered on the server with the page. `?developer=` picks which
/// applicant's conversation a merchant reads; the page's other actions (applying opens one) render
/// it anew. While the page is open, the conversation's event stream refreshes its messages.
#[derive(Clone, Copy)]
pub struct TaskChat {
    pub conversation: Resource<Result<Option<Conversation>, AppError>>,
}

impl TaskChat {
    pub fn new(task: Memo<Option<Uuid>>) -> Self {
        let query = leptos_router::hooks::use_query_map();
        let selected = Memo::new(move |_| query.read().get("developer").and_then(|s| Uuid::parse_str(&s).ok()));
        let conversation = Resource::new(
            move || (task.get(), selected.get()),
            |(task, developer)| async move {
                match task {
                    Some(task) => crate::api::messages::task_messages(task, developer).await,
                    None => Ok(None),
                }
            },
        );
        TaskChat { conversation }
    }
}

#[component]
pub fn ConversationPanel(task: Uuid) -> impl IntoView {
    let chat = expect_context::<TaskChat>();
    view! {
        <Transition fallback=|| ()>
            {move || Suspend::new(async move {
                match chat.conversation.await {
                    Ok(Some(conversation)) => view! { <ConversationView task conversation /> }.into_any(),
                    _ => ().into_any(),
                }
            })}
        </Transition>
    }
}

/// The id of the element the conversation's live stream refreshes.
const MESSAGES_REGION: &str = "conversation-messages";

#[component]
fn ConversationView(task: Uuid, conversation: Conversation) -> impl IntoView {
    let i18n = use_i18n();
    let developer = conversation.developer;
    view! {
        <section class=CARD data-testid="conversation">
            <div class="flex flex-wrap items-center justify-between gap-2">
                <h2 class="text-base font-semibold text-slate-900">{t!(i18n, messages_title)}</h2>
                {(conversation.partners.len() > 1)
                    .then(|| {
                        view! {
                            <nav class="flex flex-wrap gap-1">
                                {conversation
                                    .partners
                                    .iter()
                                    .map(|(id, name)| {
                                        let current = *id == developer;
                                        view! {
                                            <a
                                                href=format!("?developer={id}")
                                                aria-current=current.then_some("true")
                                                class=if current {
                                                    "rounded-full bg-blue-600 px-3 py-1 text-xs font-medium text-white"
                                                } else {
                                                    "rounded-full bg-slate-100 px-3 py-1 text-xs text-slate-700 hover:bg-slate-200"
                                                }
                                            >
                                                {name.clone()}
                                            </a>
                                        }
                                    })
                                    .collect_view()}
                            </nav>
                        }
                    })}
            </div>
            {conversation.masking.then(|| view! {
                <p class="mt-2 rounded-lg bg-amber-50 px-3 py-2 text-xs text-amber-800" data-testid="masking-note">
                    {t!(i18n, messages_masking_note)}
                </p>
            })}
            <ol id=MESSAGES_REGION class="mt-3 max-h-96 space-y-2 overflow-y-auto" data-testid="messages" aria-live="polite">
                {if conversation.messages.is_empty() {
                    view! { <li class="py-6 text-center text-sm text-slate-500">{t!(i18n, messages_empty)}</li> }.into_any()
                } else {
                    conversation.messages.into_iter().map(|message| view! { <MessageBubble message /> }).collect_view().into_any()
                }}
            </ol>
            <LiveRegion
                stream=format!("/tasks/{task}/messages/live?developer={developer}")
                region=MESSAGES_REGION.to_string()
            />
            {conversation.can_write.then(|| view! { <MessageForm task developer /> })}
        </section>
    }
}

/// Sends a message (and a file) without leaving the page; the live stream then shows it.
#[island]
fn MessageForm(task: Uuid, developer: Uuid) -> impl IntoView {
    let i18n = crate::island_i18n();
    let send = Action::new(|form: &SendWrapper<FormData>| send_message(MultipartData::from((**form).clone())));
    let error = Signal::derive(move || send.value().get().and_then(Result::err));
    let form_ref = NodeRef::<leptos::html::Form>::new();
    // A sent message clears the form.
    Effect::new(move |_| {
        if matches!(send.value().get(), Some(Ok(()))) {
            if let Some(form) = form_ref.get() {
                form.reset();
            }
        }
    });
    view! {
        <form
            node_ref=form_ref
            method="post"
            action=SendMessageFn::url()
            enctype="multipart/form-data"
            class="mt-3 space-y-2 border-t border-slate-100 pt-3"
            data-testid="message-form"
            on:submit=send_upload(send)
        >
            <input type="hidden" name="task" value=task.to_string() />
            <input type="hidden" name="developer" value=developer.to_string() />
            <label class="sr-only" for="message-body">{t!(i18n, messages_placeholder)}</label>
            <textarea
                id="message-body"
                name="body"
                rows="2"
                class=INPUT
                placeholder=move || t_string!(i18n, messages_placeholder)
                data-testid="message-body"
            ></textarea>
            <div class="flex flex-wrap items-center justify-between gap-2">
                <input type="file" name="file" class="max-w-full text-xs text-slate-600 file:mr-2 file:rounded-md file:border-0 file:bg-slate-100 file:px-2 file:py-1 file:text-xs" />
                <button type="submit" class=PRIMARY disabled=move || send.pending().get() data-testid="message-send">
                    {t!(i18n, messages_send)}
                </button>
            </div>
            <FormAlert error />
        </form>
    }
}

#[component]
fn MessageBubble(message: MessageView) -> impl IntoView {
    let i18n = use_i18n();
    let (row, bubble) = if message.mine {
        ("flex justify-end", "max-w-[85%] rounded-2xl rounded-br-sm bg-blue-600 px-3 py-2 text-sm text-white")
    } else {
        ("flex justify-start", "max-w-[85%] rounded-2xl rounded-bl-sm bg-slate-100 px-3 py-2 text-sm text-slate-800")
    };
    view! {
        <li class=row data-testid="message">
            <div class=bubble>
                <div class="mb-0.5 text-[11px] opacity-70">{message.author_name} " · " {message.sent_at}</div>
                {(!message.body.is_empty()).then(|| view! { <p class="whitespace-pre-wrap break-words">{message.body}</p> })}
                {message.file.map(|file| view! {
                    <a
                        href=format!("/messages/files/{}", file.id)
                        rel="external"
                        download=file.name.clone()
                        class="mt-1 inline-flex items-center gap-1 underline underline-offset-2"
                    >
                        <span aria-hidden="true">"📎"</span>
                        {file.name.clone()}
                        <span class="opacity-70">{delivery::display_size(file.size_bytes)}</span>
                    </a>
                })}
                {message.masked.then(|| view! { <div class="mt-1 text-[11px] opacity-70">{t!(i18n, messages_masked)}</div> })}
            </div>
        </li>
    }
}
