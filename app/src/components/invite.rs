//! The invite form (邀请投递) a merchant sees on a developer's resume card, and wherever else a
//! developer is shown to merchants (talent search results): pick one of your open tasks, add a
//! note, send. Also the words of invitations: their refusals and their statuses.

use crate::{
    api::invitations::{invitable_tasks, InviteFn, INVITED_KEY},
    components::{
        errors::{field_message, FormAlert},
        form::LabelOver,
        money::Tone,
        style::{CARD, INPUT, PRIMARY, SECONDARY},
    },
    domain::{
        account::Role,
        invitations::{InvitationStatus, NOTE_MAX_CHARS},
        validation::Field,
    },
    i18n::*,
    views::invitations::InvitableTask,
};
use leptos::prelude::*;
use leptos_router::components::A;

type I18n = leptos_i18n::I18nContext<Locale>;

/// An invitation's status as its developer reads it, and its colour.
pub fn invitation_status(i18n: I18n, status: InvitationStatus) -> (&'static str, Tone) {
    match status {
        InvitationStatus::Invited => (t_string!(i18n, invitation_status_invited), Tone::Info),
        InvitationStatus::Applied => (t_string!(i18n, invitation_status_applied), Tone::Good),
        InvitationStatus::Declined => (t_string!(i18n, invitation_status_declined), Tone::Neutral),
        InvitationStatus::Closed => (t_string!(i18n, invitation_status_closed), Tone::Neutral),
    }
}

/// The invite form on a developer's public page and under each talent-search result (folded there),
/// for signed-in merchants only (nothing for anyone else: visitors, developers, admins).
#[component]
pub fn InviteForMerchants(handle: String, #[prop(default = false)] collapsed: bool) -> impl IntoView {
    let session = crate::components::layout::use_session();
    view! {
        <Transition fallback=|| ()>
            {move || {
                let handle = handle.clone();
                Suspend::new(async move {
                    let merchant = matches!(session.user.await, Ok(Some(user)) if user.role == Role::Merchant);
                    merchant.then(|| view! { <InviteForm handle collapsed /> })
                })
            }}
        </Transition>
    }
}

/// The invite form for the developer whose public handle is `handle`, for a signed-in merchant (the
/// caller shows it to merchants only; the server refuses anyone else). `collapsed` folds it under
/// its title, for lists with a form per developer. A plain form: it also works before the page's
/// scripts load, and its field errors come back under their fields either way.
#[component]
pub fn InviteForm(handle: String, #[prop(default = false)] collapsed: bool) -> impl IntoView {
    let i18n = use_i18n();
    let action = ServerAction::<InviteFn>::new();
    // The plain post comes back to this page with the invited developer's handle in its address.
    let sent_here = {
        let handle = handle.clone();
        leptos_router::hooks::use_query_map()
            .with_untracked(|query| query.get(INVITED_KEY).as_deref() == Some(handle.as_str()))
    };
    let error = Signal::derive(move || action.value().get().and_then(Result::err));
    let message = move |field| Signal::derive(move || field_message(i18n, error.get().as_ref(), field));
    let tasks = {
        let handle = handle.clone();
        Resource::new(move || action.version().get(), move |_| invitable_tasks(handle.clone()))
    };
    let form = move |tasks: Vec<InvitableTask>| {
        if tasks.is_empty() {
            return view! {
                <p class="mt-3 text-sm text-slate-500" data-testid="invite-no-tasks">
                    {t!(i18n, task_invite_no_open_tasks)} " "
                    <A href="/tasks/new" attr:class="whitespace-nowrap text-blue-700 hover:underline">{t!(i18n, nav_post_task)}</A>
                </p>
            }
            .into_any();
        }
        let first_open = tasks.iter().position(|task| !task.invited);
        view! {
            <ActionForm action attr:class="mt-3 space-y-3" attr:data-testid="invite-form">
                <input type="hidden" name="developer" value=handle.clone() />
                <LabelOver
                    label=Signal::derive(move || t_string!(i18n, task_invite_field_task).to_string())
                    id="invite-task"
                    message=message(Field::InvitationTask)
                    error_testid="invite-task-error"
                >
                    <select id="invite-task" name="task" class=INPUT data-testid="invite-task">
                        {tasks
                            .into_iter()
                            .enumerate()
                            .map(|(n, task)| {
                                let invited = task.invited;
                                view! {
                                    <option value=task.id.to_string() disabled=invited selected=Some(n) == first_open>
                                        {task.title} " · " {task.reward.display_yuan()}
                                        {move || invited.then(|| t_string!(i18n, task_invite_already))}
                                    </option>
                                }
                            })
                            .collect_view()}
                    </select>
                </LabelOver>
                <LabelOver
                    label=Signal::derive(move || t_string!(i18n, task_invite_field_note).to_string())
                    id="invite-note"
                    message=message(Field::InvitationNote)
                    error_testid="invite-note-error"
                >
                    <textarea
                        id="invite-note"
                        name="note"
                        rows="3"
                        maxlength=NOTE_MAX_CHARS.to_string()
                        class=INPUT
                        data-testid="invite-note"
                        placeholder=move || t_string!(i18n, task_invite_note_placeholder)
                    ></textarea>
                </LabelOver>
                <p class="text-xs text-red-600" data-testid="invite-developer-error">{move || message(Field::Invitee).get()}</p>
                <div class="flex flex-wrap items-center gap-3">
                    <button type="submit" class=format!("{PRIMARY} whitespace-nowrap") data-testid="send-invitation">
                        {t!(i18n, task_invite_submit)}
                    </button>
                    {move || (sent_here || matches!(action.value().get(), Some(Ok(())))).then(|| view! {
                        <span class="text-sm text-emerald-700" role="status" data-testid="invitation-sent">{t!(i18n, task_invite_sent)}</span>
                    })}
                </div>
                <FormAlert error />
            </ActionForm>
        }
        .into_any()
    };
    let body = move || {
        view! {
            <p class="mt-1 text-xs text-slate-500">{t!(i18n, task_invite_hint)}</p>
            <Transition fallback=|| view! { <div class="mt-3 h-24 animate-pulse rounded-lg bg-slate-50"></div> }>
                {move || {
                    let form = form.clone();
                    Suspend::new(async move { tasks.await.ok().map(form) })
                }}
            </Transition>
        }
    };
    if collapsed {
        view! {
            <details class="text-sm print:hidden" data-testid="invite">
                <summary class=format!("{SECONDARY} cursor-pointer whitespace-nowrap")>{t!(i18n, task_invite_title)}</summary>
                <div class="mt-2">{body()}</div>
            </details>
        }
        .into_any()
    } else {
        view! {
            <section class=format!("{CARD} print:hidden") data-testid="invite">
                <h2 class="font-semibold text-slate-900">{t!(i18n, task_invite_title)}</h2>
                {body()}
            </section>
        }
        .into_any()
    }
}
