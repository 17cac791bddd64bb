//! The side panel's call to action: publish, apply, cancel, or call the work off by consent.

use super::{
    error_of,
    quote::{QuoteFields, QuoteSummary},
    Actions,
};
use crate::{
    components::{
        errors::{field_message, restriction_text, FormAlert},
        form::ErrorLine,
        money::StatusBadge,
        status,
        style::{DANGER, INPUT, PRIMARY, SECONDARY},
        withdraw::WithdrawApplication,
    },
    domain::{
        lifecycle::{may_withdraw_application, ApplicationStatus, CancelStep, TaskOffers, TaskStatus},
        validation::Field,
    },
    error::AppError,
    i18n::*,
    views::tasks::{ApplicationView, MilestoneView, TaskDetail, Viewer},
};
use leptos::prelude::*;
use leptos_router::components::A;

/// The main call to action for the viewer, in the side panel. The state picks the words; which steps
/// are offered is `offers`, from `domain::lifecycle::task_offers`.
#[component]
pub(super) fn NextStep(task: TaskDetail, offers: TaskOffers) -> impl IntoView {
    let i18n = use_i18n();
    let actions = expect_context::<Actions>();
    let id = task.id.to_string();
    match (task.viewer, task.status) {
        (Viewer::Owner, TaskStatus::Draft) => {
            let publish_error = error_of(actions.publish);
            let shortfall = Signal::derive(move || match publish_error.get() {
                Some(AppError::InsufficientFunds { shortfall }) => Some(shortfall),
                _ => None,
            });
            let publish_id = id.clone();
            let edit_href = format!("/tasks/{id}/edit");
            view! {
                <div class="space-y-2">
                    {offers.publish.then(|| view! {
                        <ActionForm action=actions.publish>
                            <input type="hidden" name="id" value=publish_id />
                            <button type="submit" class=format!("{PRIMARY} w-full") data-testid="publish">
                                {t!(i18n, action_publish)}
                            </button>
                        </ActionForm>
                        <p class="text-xs text-slate-500">{t!(i18n, publish_hint)}</p>
                    })}
                    {offers.edit_draft.then(|| view! {
                        <A href=edit_href attr:class=format!("{SECONDARY} w-full") attr:data-testid="edit-draft">
                            {t!(i18n, action_edit_draft)}
                        </A>
                    })}
                    <FormAlert error=publish_error />
                    {move || {
                        shortfall
                            .get()
                            .map(|short| {
                                view! {
                                    <ActionForm action=actions.deposit attr:class="flex gap-2">
                                        <input
                                            type="hidden"
                                            name="amount"
                                            value=short.plain_yuan()
                                        />
                                        <button type="submit" class=format!("{SECONDARY} w-full") data-testid="top-up-shortfall">
                                            {move || t_string!(i18n, action_top_up_amount, amount = short.display_yuan())}
                                        </button>
                                    </ActionForm>
                                }
                            })
                    }}
                    {offers.cancel.then(|| view! { <CancelButton id=id.clone() /> })}
                </div>
            }
                .into_any()
        }
        (Viewer::Owner, TaskStatus::PendingReview | TaskStatus::Hidden) => {
            let hint = if task.status == TaskStatus::Hidden {
                Signal::derive(move || t_string!(i18n, owner_hidden_hint).to_string())
            } else {
                Signal::derive(move || t_string!(i18n, owner_pending_review_hint).to_string())
            };
            view! {
                <div class="space-y-2">
                    <p class="text-sm text-amber-700" data-testid="moderation-hint">{move || hint.get()}</p>
                    {offers.cancel.then(|| view! { <CancelButton id=id.clone() /> })}
                </div>
            }
            .into_any()
        }
        (Viewer::Owner, TaskStatus::Open) => view! {
            <div class="space-y-2">
                <p class="text-sm text-slate-600">{t!(i18n, owner_open_hint)}</p>
                {offers.cancel.then(|| view! { <CancelButton id=id.clone() /> })}
            </div>
        }
        .into_any(),
        _ if offers.apply => {
            let unlocked = task.viewer_level.is_none_or(|mine| mine.unlocks(task.min_level));
            // The level the task asks for, when the viewer's does not unlock it.
            let locked = task.min_level.filter(|_| !unlocked);
            match (task.my_application, task.viewer_restriction, locked) {
                (Some(application), _, _) => view! { <MyApplication application task=task.id viewer=task.viewer /> }.into_any(),
                // Restricted (suspended, too many bad reviews or lost disputes): the reason and the
                // end date, where the apply button would be.
                (None, Some(restriction), _) => {
                    view! {
                        <p class="rounded-lg bg-rose-50 px-3 py-2 text-sm text-rose-700" role="status" data-testid="apply-restricted">
                            {move || restriction_text(i18n, restriction.reason, &restriction.until)}
                        </p>
                    }
                    .into_any()
                }
                (None, None, Some(required)) => view! {
                    <p class="rounded-lg bg-rose-50 px-3 py-2 text-sm text-rose-700" data-testid="level-locked">
                        {move || t_string!(i18n, task_level_locked_hint, required = required.as_str())}
                    </p>
                    <A href="/help/growth" attr:class=format!("{SECONDARY} w-full")>{t!(i18n, growth_rules_link)}</A>
                }
                .into_any(),
                (None, None, None) => {
                    view! { <ApplyForm id=id.clone() milestones=task.milestones.clone() deadline=task.deadline.clone() /> }
                        .into_any()
                }
            }
        }
        (Viewer::OtherDeveloper, _) => match task.my_application {
            Some(application) => view! { <MyApplication application task=task.id viewer=task.viewer /> }.into_any(),
            None => view! { <p class="text-sm text-slate-500">{t!(i18n, task_not_open)}</p> }.into_any(),
        },
        _ if offers.login_to_apply => view! {
            <A href="/login" attr:class=format!("{PRIMARY} w-full") attr:data-testid="login-to-apply">
                {t!(i18n, action_login_to_apply)}
            </A>
        }
        .into_any(),
        (Viewer::Developer, TaskStatus::InProgress) => view! {
            <p class="text-sm text-slate-600">{t!(i18n, developer_working_hint)}</p>
            {offers.cancel_by_consent.map(|step| view! { <CancelByConsent id=id.clone() step /> })}
        }
        .into_any(),
        (Viewer::Owner, TaskStatus::InProgress) => view! {
            <p class="text-sm text-slate-600">{t!(i18n, owner_in_progress_hint)}</p>
            {offers.cancel_by_consent.map(|step| view! { <CancelByConsent id=id.clone() step /> })}
        }
        .into_any(),
        (_, TaskStatus::Completed) if task.rating.is_some() => {
            let stars = task.rating.unwrap_or_default() as usize;
            view! {
                <p class="text-sm text-slate-600" data-testid="rating">
                    {t!(i18n, rating_given)}
                    " "
                    <span class="text-amber-500">{"★".repeat(stars)}</span>
                    <span class="text-slate-300">{"★".repeat(5 - stars)}</span>
                </p>
            }
            .into_any()
        }
        _ => {
            let task_status = task.status;
            view! { <p class="text-sm text-slate-500">{move || status::task_status(i18n, task_status).0}</p> }
                .into_any()
        }
    }
}

#[component]
fn CancelButton(id: String) -> impl IntoView {
    let i18n = use_i18n();
    let actions = expect_context::<Actions>();
    view! {
        <ActionForm action=actions.cancel>
            <input type="hidden" name="id" value=id />
            <button type="submit" class=format!("{DANGER} w-full") data-testid="cancel-task">
                {t!(i18n, action_cancel_task)}
            </button>
        </ActionForm>
        <FormAlert error=error_of(actions.cancel) />
    }
}

/// During work, calling the task off takes both sides: one proposes, the other agrees. `step` is where
/// that stands for the viewer.
#[component]
fn CancelByConsent(id: String, step: CancelStep) -> impl IntoView {
    let i18n = use_i18n();
    let actions = expect_context::<Actions>();
    let body = match step {
        CancelStep::WaitForOther => {
            view! { <p class="text-xs text-amber-700" data-testid="cancel-pending">{t!(i18n, cancel_waiting_other)}</p> }.into_any()
        }
        // The server refuses agreeing while a milestone is under dispute, so only the proposal shows.
        CancelStep::AgreeAfterDispute => view! {
            <div class="space-y-2 rounded-lg border border-amber-200 bg-amber-50 p-3" data-testid="cancel-proposed">
                <p class="text-sm text-amber-900">{t!(i18n, cancel_proposed_to_you)}</p>
                <p class="text-xs text-amber-700" data-testid="cancel-after-dispute">{t!(i18n, cancel_agree_after_dispute)}</p>
            </div>
        }
        .into_any(),
        CancelStep::Agree => view! {
            <div class="space-y-2 rounded-lg border border-amber-200 bg-amber-50 p-3" data-testid="cancel-proposed">
                <p class="text-sm text-amber-900">{t!(i18n, cancel_proposed_to_you)}</p>
                <ActionForm action=actions.agree_cancel>
                    <input type="hidden" name="id" value=id.clone() />
                    <button type="submit" class=format!("{DANGER} w-full") data-testid="agree-cancel">
                        {t!(i18n, action_agree_cancel)}
                    </button>
                </ActionForm>
                <FormAlert error=error_of(actions.agree_cancel) />
            </div>
        }
        .into_any(),
        CancelStep::Propose => view! {
            <details class="text-sm">
                <summary class="cursor-pointer text-slate-500">{t!(i18n, action_propose_cancel)}</summary>
                <ActionForm action=actions.propose_cancel attr:class="mt-2 space-y-2">
                    <input type="hidden" name="id" value=id.clone() />
                    <textarea
                        name="reason"
                        rows="2"
                        class=INPUT
                        placeholder=move || t_string!(i18n, field_cancel_reason)
                    ></textarea>
                    <button type="submit" class=format!("{DANGER} w-full")>{t!(i18n, action_propose_cancel)}</button>
                    <p class="text-xs text-slate-500">{t!(i18n, cancel_consent_hint)}</p>
                    <FormAlert error=error_of(actions.propose_cancel) />
                </ActionForm>
            </details>
        }
        .into_any(),
    };
    view! { <div class="mt-3">{body}</div> }
}

#[component]
fn ApplyForm(id: String, milestones: Vec<MilestoneView>, deadline: String) -> impl IntoView {
    let i18n = use_i18n();
    let actions = expect_context::<Actions>();
    let error = error_of(actions.apply);
    let pitch_message = Signal::derive(move || field_message(i18n, error.get().as_ref(), Field::Pitch));
    view! {
        <ActionForm action=actions.apply attr:class="space-y-2">
            <input type="hidden" name="task" value=id />
            <label class="block text-sm font-medium text-slate-700" for="field-pitch">
                {t!(i18n, field_pitch)}
            </label>
            <textarea
                id="field-pitch"
                name="pitch"
                rows="3"
                class=INPUT
                placeholder=move || t_string!(i18n, field_pitch_placeholder)
            ></textarea>
            <ErrorLine message=pitch_message testid="pitch-error" />
            <QuoteFields milestones deadline />
            <button type="submit" class=format!("{PRIMARY} w-full") data-testid="apply">
                {t!(i18n, action_apply)}
            </button>
            <FormAlert error=error_of(actions.apply) />
        </ActionForm>
    }
}

#[component]
fn MyApplication(application: ApplicationView, task: uuid::Uuid, viewer: Viewer) -> impl IntoView {
    let i18n = use_i18n();
    let (_, tone) = status::application_status(i18n, application.status);
    let app_status = application.status;
    let respond_by = application.respond_by.clone();
    view! {
        <div class="space-y-2 text-sm" data-testid="my-application">
            <div class="flex items-center justify-between">
                <span class="text-slate-600">{t!(i18n, my_application)}</span>
                <StatusBadge
                    label=Signal::derive(move || status::application_status(i18n, app_status).0.to_string())
                    tone
                />
            </div>
            {(app_status == ApplicationStatus::Pending)
                .then(|| {
                    view! {
                        <p class="text-xs text-slate-500">
                            {move || t_string!(i18n, application_respond_by, time = respond_by.clone())}
                        </p>
                    }
                })}
            {may_withdraw_application(viewer, app_status).then(|| view! { <WithdrawApplication task /> })}
            {application.quote.clone().map(|quote| view! { <QuoteSummary quote status=app_status /> })}
            {application
                .decline_reason
                .clone()
                .map(|reason| {
                    view! { <p class="text-xs text-slate-500">{move || decline_reason_text(i18n, &reason)}</p> }
                })}
        </div>
    }
}

fn decline_reason_text(i18n: leptos_i18n::I18nContext<Locale>, reason: &str) -> String {
    match reason {
        "another_developer_chosen" => t_string!(i18n, decline_another_chosen).to_string(),
        "task_cancelled" => t_string!(i18n, decline_task_cancelled).to_string(),
        other => other.to_string(),
    }
}
