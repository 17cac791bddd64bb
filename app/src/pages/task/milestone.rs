//! One milestone: its amount and status, its deliveries, and the steps the viewer may take on it.

use super::{error_of, Actions};
use crate::{
    api::tasks::{deliver, DeliverFn},
    components::{
        errors::FormAlert,
        form::send_upload,
        money::StatusBadge,
        status,
        style::{CARD, DANGER, INPUT, PRIMARY, SECONDARY},
    },
    domain::{
        delivery,
        lifecycle::{milestone_offers, MilestoneState, MilestoneStatus, TaskStatus},
    },
    i18n::*,
    views::tasks::{FileView, MilestoneView, Viewer},
};
use leptos::{
    prelude::*,
    server_fn::{codec::MultipartData, ServerFn},
};
use send_wrapper::SendWrapper;
use web_sys::FormData;

/// `task` is the task's status and `change_rounds` how many rounds of changes it allows: with the
/// milestone's own state they decide, in `domain::lifecycle`, which steps the viewer is offered.
#[component]
pub(super) fn MilestoneCard(
    milestone: MilestoneView,
    viewer: Viewer,
    single: bool,
    task: TaskStatus,
    change_rounds: i16,
) -> impl IntoView {
    let i18n = use_i18n();
    let actions = expect_context::<Actions>();
    let MilestoneView { id, position, title, status: ms, split, rounds_used, deliveries, open_dispute } = milestone;
    let (_, tone) = status::milestone_status(i18n, ms);
    let deliver_id = id.to_string();
    let (accept_id, changes_id, dispute_id, respond_id) =
        (id.to_string(), id.to_string(), id.to_string(), id.to_string());
    let title = if single && title.is_empty() {
        Signal::derive(move || t_string!(i18n, milestone_whole).to_string())
    } else {
        let title = if title.is_empty() { format!("#{position}") } else { title };
        Signal::derive(move || title.clone())
    };
    let state = MilestoneState { status: ms, rounds_used, rounds_allowed: change_rounds };
    let offers = milestone_offers(viewer, task, state, open_dispute.map(|d| (d.opened_by, d.answered)));
    let raise_id = id.to_string();
    view! {
        <article class=CARD data-testid="milestone">
            <div class="flex flex-wrap items-start justify-between gap-2">
                <div>
                    <h3 class="font-medium text-slate-900">{move || title.get()}</h3>
                    <div class="mt-1 text-xs text-slate-500">
                        {move || t_string!(i18n, milestone_rounds_used, used = rounds_used)}
                    </div>
                </div>
                <div class="flex items-center gap-2">
                    <span class="font-semibold tabular-nums text-slate-900">{split.reward.display_yuan()}</span>
                    <span data-testid="milestone-status">
                        <StatusBadge label=Signal::derive(move || status::milestone_status(i18n, ms).0.to_string()) tone />
                    </span>
                </div>
            </div>
            {(ms == MilestoneStatus::Released)
                .then(|| {
                    view! {
                        <p class="mt-2 text-sm text-emerald-700" data-testid="payout">
                            {move || t_string!(
                                i18n,
                                milestone_paid_out,
                                amount = split.developer_receives.display_yuan(),
                                commission = split.commission.display_yuan()
                            )}
                        </p>
                    }
                })}
            {(!deliveries.is_empty())
                .then(|| {
                    view! {
                        <ol class="mt-3 space-y-2 border-t border-slate-100 pt-3">
                            {deliveries
                                .into_iter()
                                .enumerate()
                                .map(|(n, d)| {
                                    view! {
                                        <li class="rounded-lg bg-slate-50 p-3 text-sm" data-testid="delivery">
                                            <div class="text-xs text-slate-500">
                                                {move || t_string!(i18n, delivery_number, n = n + 1)}
                                                " · "
                                                {d.created_at.clone()}
                                            </div>
                                            <p class="mt-1 whitespace-pre-wrap text-slate-800">{d.message.clone()}</p>
                                            <DeliveredFiles files=d.files.clone() />
                                            <ul class="mt-1 space-y-0.5">
                                                {d
                                                    .links
                                                    .into_iter()
                                                    .map(|link| {
                                                        view! {
                                                            <li>
                                                                <a
                                                                    href=link.clone()
                                                                    rel="noopener noreferrer nofollow"
                                                                    target="_blank"
                                                                    class="break-all text-blue-700 underline"
                                                                >
                                                                    {link.clone()}
                                                                </a>
                                                            </li>
                                                        }
                                                    })
                                                    .collect_view()}
                                            </ul>
                                        </li>
                                    }
                                })
                                .collect_view()}
                        </ol>
                    }
                })}
            {offers.deliver
                .then(|| {
                    view! {
                        <DeliverForm milestone=deliver_id.clone() />
                    }
                })}
            {(offers.accept || offers.request_changes)
                .then(|| {
                    view! {
                        <div class="mt-3 space-y-3 border-t border-slate-100 pt-3">
                            {offers.accept.then(|| view! {
                                <ActionForm action=actions.accept_delivery>
                                    <input type="hidden" name="milestone" value=accept_id />
                                    <button type="submit" class=PRIMARY data-testid="accept-delivery">
                                        {move || t_string!(
                                            i18n,
                                            action_accept_delivery,
                                            amount = split.developer_receives.display_yuan()
                                        )}
                                    </button>
                                </ActionForm>
                                <FormAlert error=error_of(actions.accept_delivery) />
                            })}
                            {offers.request_changes.then(|| view! {
                                <ActionForm action=actions.request_changes attr:class="space-y-2">
                                    <input type="hidden" name="milestone" value=changes_id />
                                    <textarea
                                        name="note"
                                        rows="2"
                                        class=INPUT
                                        aria-label=move || t_string!(i18n, field_change_note)
                                        placeholder=move || t_string!(i18n, field_change_note)
                                    ></textarea>
                                    <button type="submit" class=SECONDARY data-testid="request-changes">
                                        {t!(i18n, action_request_changes)}
                                    </button>
                                    <FormAlert error=error_of(actions.request_changes) />
                                </ActionForm>
                            })}
                        </div>
                    }
                })}
            {offers.raise
                .then(|| {
                    view! {
                        <details class="mt-3 border-t border-slate-100 pt-3 text-sm" data-testid="raise-reward">
                            <summary class="cursor-pointer text-slate-600">{t!(i18n, action_raise_reward)}</summary>
                            <ActionForm action=actions.raise_reward attr:class="mt-2 space-y-2">
                                <input type="hidden" name="milestone" value=raise_id />
                                <label class="block text-sm font-medium text-slate-700" for=format!("raise-{id}")>
                                    {t!(i18n, field_new_amount)}
                                </label>
                                <input
                                    id=format!("raise-{id}")
                                    name="amount"
                                    inputmode="decimal"
                                    class=INPUT
                                    placeholder=split.reward.plain_yuan()
                                />
                                <p class="text-xs text-slate-500">{t!(i18n, raise_reward_hint)}</p>
                                <button type="submit" class=SECONDARY>{t!(i18n, action_raise_reward)}</button>
                                <FormAlert error=error_of(actions.raise_reward) />
                            </ActionForm>
                        </details>
                    }
                })}
            {offers.dispute
                .then(|| {
                    view! {
                        <details class="mt-3 border-t border-slate-100 pt-3 text-sm">
                            <summary class="cursor-pointer text-slate-500">{t!(i18n, action_open_dispute)}</summary>
                            <ActionForm action=actions.dispute attr:class="mt-2 space-y-2">
                                <input type="hidden" name="milestone" value=dispute_id />
                                <textarea
                                    name="reason"
                                    rows="2"
                                    class=INPUT
                                    placeholder=move || t_string!(i18n, field_dispute_reason)
                                ></textarea>
                                <button type="submit" class=DANGER>{t!(i18n, action_open_dispute)}</button>
                                <p class="text-xs text-slate-500">{t!(i18n, dispute_hint)}</p>
                                <FormAlert error=error_of(actions.dispute) />
                            </ActionForm>
                        </details>
                    }
                })}
            {offers.answer_dispute
                .then(|| {
                    view! {
                        <details class="mt-3 border-t border-slate-100 pt-3 text-sm">
                            <summary class="cursor-pointer text-slate-500">{t!(i18n, action_respond_to_dispute)}</summary>
                            <ActionForm action=actions.respond_to_dispute attr:class="mt-2 space-y-2">
                                <input type="hidden" name="milestone" value=respond_id />
                                <textarea
                                    name="response"
                                    rows="2"
                                    class=INPUT
                                    data-testid="dispute-response"
                                    placeholder=move || t_string!(i18n, field_dispute_response)
                                ></textarea>
                                <button type="submit" class=SECONDARY data-testid="respond-to-dispute">{t!(i18n, action_respond_to_dispute)}</button>
                                <p class="text-xs text-slate-500">{t!(i18n, dispute_response_hint)}</p>
                                <FormAlert error=error_of(actions.respond_to_dispute) />
                                {move || matches!(actions.respond_to_dispute.value().get(), Some(Ok(()))).then(|| view! {
                                    <p class="text-xs text-emerald-700" role="status">{t!(i18n, dispute_response_sent)}</p>
                                })}
                            </ActionForm>
                        </details>
                    }
                })}
        </article>
    }
}

#[component]
fn DeliveredFiles(files: Vec<FileView>) -> impl IntoView {
    (!files.is_empty()).then(|| {
        view! {
            <ul class="mt-2 flex flex-wrap gap-2">
                {files
                    .into_iter()
                    .map(|file| {
                        view! {
                            <li>
                                <a
                                    href=format!("/files/{}", file.id)
                                    download=file.name.clone()
                                    rel="external"
                                    data-testid="delivery-file"
                                    class="inline-flex items-center gap-1.5 rounded-lg border border-slate-200 bg-white px-2.5 py-1 text-xs text-slate-700 hover:border-blue-300 hover:text-blue-700"
                                >
                                    <span aria-hidden="true">"📎"</span>
                                    <span class="max-w-[14rem] truncate">{file.name.clone()}</span>
                                    <span class="text-slate-500">{delivery::display_size(file.size_bytes)}</span>
                                </a>
                            </li>
                        }
                    })
                    .collect_view()}
            </ul>
        }
    })
}

/// The delivery form sends files, so it posts multipart data itself (the page's other forms are
/// plain posts); once the delivery is stored the page is loaded again in its new state.
#[island]
fn DeliverForm(milestone: String) -> impl IntoView {
    let i18n = crate::island_i18n();
    let deliver = Action::new(|form: &SendWrapper<FormData>| deliver(MultipartData::from((**form).clone())));
    Effect::new(move |_| {
        if matches!(deliver.value().get(), Some(Ok(()))) {
            let _ = window().location().reload();
        }
    });
    view! {
        <form
            method="post"
            action=DeliverFn::url()
            enctype="multipart/form-data"
            class="mt-3 space-y-2 border-t border-slate-100 pt-3"
            on:submit=send_upload(deliver)
        >
            <input type="hidden" name="milestone" value=milestone.clone() />
            <label class="block text-sm font-medium text-slate-700" for=format!("deliver-{milestone}")>
                {t!(i18n, field_delivery_message)}
            </label>
            <textarea id=format!("deliver-{milestone}") name="message" rows="3" class=INPUT></textarea>
            <label class="block text-sm font-medium text-slate-700" for=format!("links-{milestone}")>
                {t!(i18n, field_delivery_links)}
            </label>
            <textarea
                id=format!("links-{milestone}")
                name="links"
                rows="2"
                class=INPUT
                placeholder="https://"
            ></textarea>
            <label class="block text-sm font-medium text-slate-700" for=format!("files-{milestone}")>
                {t!(i18n, field_delivery_files)}
            </label>
            <input
                id=format!("files-{milestone}")
                type="file"
                name="files"
                multiple
                data-testid="delivery-files"
                class="block w-full text-sm text-slate-600 file:mr-3 file:rounded-lg file:border-0 file:bg-slate-100 file:px-3 file:py-2 file:text-sm file:font-medium file:text-slate-700 hover:file:bg-slate-200"
            />
            <p class="text-xs text-slate-500">
                {move || t_string!(
                    i18n,
                    delivery_files_hint,
                    max = delivery::MAX_FILES,
                    size = delivery::MAX_FILE_BYTES / (1024 * 1024),
                    total = delivery::MAX_TOTAL_BYTES / (1024 * 1024)
                )}
            </p>
            <button
                type="submit"
                class=PRIMARY
                data-testid="deliver"
                disabled=move || deliver.pending().get()
            >
                {t!(i18n, action_deliver)}
            </button>
            <FormAlert error=Signal::derive(move || deliver.value().get().and_then(Result::err)) />
        </form>
    }
}
