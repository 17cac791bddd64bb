//! One task's page: what it is and pays (itemised), its milestones, and the next step for whoever is
//! looking: apply, choose a developer, deliver, accept or ask for changes, dispute, publish, cancel.
//! Every action is a plain form posting to a server function, so it also works before hydration.

use crate::{
    api::{
        membership::PromoteTaskFn,
        reviews::{ReplyReviewFn, WriteReviewFn},
        tasks::{
            deliver, task_detail, AcceptApplicationFn, AcceptDeliveryFn, AgreeCancelFn, ApplyFn, CancelTaskFn,
            DeclineApplicationFn, DeliverFn, OpenDisputeFn, ProposeCancelFn, PublishTaskFn, RaiseRewardFn,
            RequestChangesFn, RespondToDisputeFn,
        },
        wallet::StartDepositFn,
    },
    components::{
        errors::{field_message, restriction_text, ErrorPanel, FormAlert},
        form::send_upload,
        money::{SplitBreakdown, StatusBadge},
        status,
        style::{CARD, DANGER, INPUT, PRIMARY, SECONDARY},
        task_card::{category_label, merchant_kind_label, DifficultyBadge, MinLevelBadge, TagChip},
    },
    domain::{
        delivery,
        lifecycle::{may_answer_dispute, ApplicationStatus, MilestoneStatus, Party, TaskStatus},
        membership::{PromotionKind, PROMOTION_OFFERS},
        validation::Field,
    },
    error::AppError,
    i18n::*,
    pages::task_trust::{ConversationPanel, ReviewSection, TaskChat},
    views::{
        membership::PromotionView,
        tasks::{ApplicationView, EventView, FileView, MilestoneView, TaskDetail, Viewer},
    },
};
use leptos::{
    prelude::*,
    server_fn::{codec::MultipartData, ServerFn},
};
use leptos_router::{components::A, hooks::use_params_map};
use send_wrapper::SendWrapper;
use uuid::Uuid;
use web_sys::FormData;

/// Every action on this page, so the page reloads its data after any of them.
#[derive(Clone, Copy)]
struct Actions {
    publish: ServerAction<PublishTaskFn>,
    cancel: ServerAction<CancelTaskFn>,
    apply: ServerAction<ApplyFn>,
    accept_application: ServerAction<AcceptApplicationFn>,
    decline_application: ServerAction<DeclineApplicationFn>,
    accept_delivery: ServerAction<AcceptDeliveryFn>,
    request_changes: ServerAction<RequestChangesFn>,
    dispute: ServerAction<OpenDisputeFn>,
    respond_to_dispute: ServerAction<RespondToDisputeFn>,
    deposit: ServerAction<StartDepositFn>,
    propose_cancel: ServerAction<ProposeCancelFn>,
    agree_cancel: ServerAction<AgreeCancelFn>,
    raise_reward: ServerAction<RaiseRewardFn>,
    write_review: ServerAction<WriteReviewFn>,
    reply_review: ServerAction<ReplyReviewFn>,
    promote: ServerAction<PromoteTaskFn>,
}

impl Actions {
    fn new() -> Self {
        Actions {
            publish: ServerAction::new(),
            cancel: ServerAction::new(),
            apply: ServerAction::new(),
            accept_application: ServerAction::new(),
            decline_application: ServerAction::new(),
            accept_delivery: ServerAction::new(),
            request_changes: ServerAction::new(),
            dispute: ServerAction::new(),
            respond_to_dispute: ServerAction::new(),
            deposit: ServerAction::new(),
            propose_cancel: ServerAction::new(),
            agree_cancel: ServerAction::new(),
            raise_reward: ServerAction::new(),
            write_review: ServerAction::new(),
            reply_review: ServerAction::new(),
            promote: ServerAction::new(),
        }
    }
}

fn error_of<F>(action: ServerAction<F>) -> Signal<Option<AppError>>
where
    F: leptos::server_fn::ServerFn<Error = AppError> + Clone + Send + Sync + 'static,
    F::Output: Clone + Send + Sync + 'static,
{
    Signal::derive(move || action.value().get().and_then(Result::err))
}

#[component]
pub fn TaskPage() -> impl IntoView {
    let params = use_params_map();
    let id = Memo::new(move |_| params.read().get("id").and_then(|s| Uuid::parse_str(&s).ok()));
    let actions = Actions::new();
    provide_context(actions);
    provide_context(TaskChat::new(id));
    let task = Resource::new(
        move || id.get(),
        |id| async move {
            match id {
                Some(id) => task_detail(id).await,
                None => Err(AppError::NotFound),
            }
        },
    );
    view! {
        <Transition fallback=|| view! { <div class="h-64 animate-pulse rounded-xl bg-white"></div> }>
            {move || Suspend::new(async move {
                match task.await {
                    Ok(task) => view! { <MarkTaskRead task=task.id /> <TaskView task /> }.into_any(),
                    Err(error) => view! { <ErrorPanel error /> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn TaskView(task: TaskDetail) -> impl IntoView {
    let i18n = use_i18n();
    let task_status = task.status;
    let (_, status_tone) = status::task_status(i18n, task_status);
    let status_label = Signal::derive(move || status::task_status(i18n, task_status).0.to_string());
    let merchant_kind = task.merchant_kind;
    let rate = task.merchant_response_rate;
    let split = task.split;
    let deadline = task.deadline.clone();
    let applicants = task.applicant_count;
    let milestone_count = task.milestones.len();
    let task_live = matches!(task.status, TaskStatus::Open | TaskStatus::InProgress);
    let rounds = task.change_rounds;
    let category = task.category;
    view! {
        <div class="grid gap-5 lg:grid-cols-[1fr_20rem]">
            <div class="space-y-5">
                <section class=CARD>
                    <div class="flex flex-wrap items-center gap-2">
                        <StatusBadge label=status_label tone=status_tone />
                        <DifficultyBadge difficulty=task.difficulty />
                        {task.min_level.map(|level| {
                            let locked = task.viewer_level.is_some_and(|mine| !mine.unlocks(Some(level)));
                            view! { <span class="text-xs"><MinLevelBadge level locked /></span> }
                        })}
                        <span class="rounded-md bg-slate-100 px-2 py-0.5 text-xs text-slate-600" data-testid="task-category">
                            {move || category_label(i18n, category)}
                        </span>
                    </div>
                    <h1 class="mt-2 text-xl font-bold leading-snug text-slate-900 sm:text-2xl" data-testid="task-title">
                        {task.title.clone()}
                    </h1>
                    <ul class="mt-3 flex flex-wrap gap-1.5">
                        {task.tags.clone().into_iter().map(|tag| view! { <TagChip tag /> }).collect_view()}
                    </ul>
                    <div class="mt-3 flex flex-wrap gap-x-4 gap-y-1 text-xs text-slate-500">
                        <span>{move || t_string!(i18n, task_deadline, date = deadline.clone())}</span>
                        <span>{move || t_string!(i18n, task_change_rounds, rounds = rounds)}</span>
                        <span>{move || t_string!(i18n, task_applicants, count = applicants)}</span>
                    </div>
                    <div
                        class="prose-task mt-4 border-t border-slate-100 pt-4 text-sm leading-relaxed text-slate-700"
                        inner_html=task.description_html.clone()
                    ></div>
                </section>
                <section class="space-y-3">
                    <h2 class="text-base font-semibold text-slate-900">{t!(i18n, milestones_title)}</h2>
                    {task
                        .milestones
                        .clone()
                        .into_iter()
                        .map(|milestone| {
                            view! { <MilestoneCard milestone viewer=task.viewer single=milestone_count == 1 task_live /> }
                        })
                        .collect_view()}
                </section>
                {(task.status == TaskStatus::Completed).then(|| {
                    let actions = expect_context::<Actions>();
                    view! {
                        <ReviewSection
                            task=task.id
                            viewer=task.viewer
                            reviews=task.reviews.clone()
                            write=actions.write_review
                            reply=actions.reply_review
                        />
                    }
                })}
                {(!task.applications.is_empty())
                    .then(|| view! { <Applications applications=task.applications.clone() status=task.status /> })}
                <ConversationPanel task=task.id />
                {(!task.timeline.is_empty()).then(|| view! { <Timeline events=task.timeline.clone() /> })}
            </div>
            // On a phone the money and the next step come first; on a wide screen they sit on the right.
            <aside class="order-first space-y-4 lg:order-none">
                <section class=CARD>
                    <div class="text-xs text-slate-500">{t!(i18n, task_reward)}</div>
                    <div class="mt-0.5 text-2xl font-bold tabular-nums text-orange-600" data-testid="task-reward">
                        {split.reward.display_yuan()}
                    </div>
                    <div class="mt-3">
                        <SplitBreakdown split=Signal::derive(move || split) />
                    </div>
                    <p class="mt-2 text-xs text-slate-500">{t!(i18n, split_note)}</p>
                    <div class="mt-4">
                        <NextStep task=task.clone() />
                    </div>
                    {matches!(task.viewer, Viewer::OtherDeveloper | Viewer::OtherMerchant | Viewer::Developer)
                        .then(|| view! { <ReportTask id=task.id /> })}
                </section>
                {(task.promotion_key.is_some() || !task.promotions.is_empty()).then(|| view! {
                    <PromotionPanel task=task.id promotions=task.promotions.clone() key=task.promotion_key />
                })}
                <section class=CARD>
                    <div class="text-xs text-slate-500">{t!(i18n, task_posted_by)}</div>
                    <A
                        href=format!("/merchants/{}", task.merchant_id)
                        attr:class="mt-1 block font-medium text-slate-900 hover:text-blue-700"
                        attr:data-testid="merchant-link"
                    >
                        {task.merchant_name.clone()}
                    </A>
                    <div class="text-xs text-slate-500">{move || merchant_kind_label(i18n, merchant_kind)}</div>
                    <div class="mt-2 text-xs text-slate-600" data-testid="response-rate">
                        {move || match rate {
                            Some(rate) => t_string!(i18n, merchant_response_rate, rate = rate).to_string(),
                            None => t_string!(i18n, merchant_response_rate_none).to_string(),
                        }}
                    </div>
                </section>
            </aside>
        </div>
    }
}

/// The owner's paid promotion of an open task: what runs now, and the offers, each labelled in the
/// hall as paid placement. Ending early (the task leaves the hall) refunds the unused whole days.
#[component]
fn PromotionPanel(task: Uuid, promotions: Vec<PromotionView>, key: Option<Uuid>) -> impl IntoView {
    let i18n = use_i18n();
    let actions = expect_context::<Actions>();
    let error = error_of(actions.promote);
    let kind_label = move |kind: PromotionKind| match kind {
        PromotionKind::Pin => t_string!(i18n, promotion_pin),
        PromotionKind::Urgent => t_string!(i18n, promotion_urgent),
    };
    view! {
        <section class=CARD data-testid="promotion">
            <h2 class="text-base font-semibold text-slate-900">{t!(i18n, promotion_title)}</h2>
            <ul class="mt-2 space-y-1 text-sm">
                {promotions
                    .into_iter()
                    .map(|p| view! {
                        <li class="flex justify-between gap-2 rounded-md bg-amber-50 px-2 py-1 text-amber-900" data-testid="promotion-running">
                            <span>{move || kind_label(p.kind)}</span>
                            <span class="text-xs tabular-nums">{t_string!(i18n, promotion_until, date = p.ends_at.clone())}</span>
                        </li>
                    })
                    .collect_view()}
            </ul>
            {key.map(|key| view! {
                <ActionForm action=actions.promote attr:class="mt-3 space-y-2">
                    <input type="hidden" name="task" value=task.to_string() />
                    <input type="hidden" name="key" value=key.to_string() />
                    {PROMOTION_OFFERS
                        .into_iter()
                        .enumerate()
                        .map(|(n, offer)| {
                            let value = format!("{}:{}", offer.kind.as_str(), offer.days);
                            view! {
                                <label class="flex cursor-pointer items-center justify-between gap-2 rounded-lg border border-slate-200 px-3 py-2 text-sm has-[:checked]:border-blue-500 has-[:checked]:bg-blue-50">
                                    <span class="flex items-center gap-2">
                                        <input type="radio" name="offer" value=value checked=n == 0 class="h-4 w-4" />
                                        {move || kind_label(offer.kind)} " · "
                                        {move || t_string!(i18n, promotion_days, n = offer.days)}
                                    </span>
                                    <span class="font-medium tabular-nums text-orange-600">{offer.price.display_yuan()}</span>
                                </label>
                            }
                        })
                        .collect_view()}
                    <button type="submit" class=format!("{PRIMARY} w-full") data-testid="promote">{t!(i18n, promotion_buy)}</button>
                    <FormAlert error />
                    <p class="text-xs text-slate-500">{t!(i18n, promotion_rule)}</p>
                </ActionForm>
            })}
        </section>
    }
}

/// The main call to action for the viewer, in the side panel.
#[component]
fn NextStep(task: TaskDetail) -> impl IntoView {
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
            view! {
                <div class="space-y-2">
                    <ActionForm action=actions.publish>
                        <input type="hidden" name="id" value=publish_id />
                        <button type="submit" class=format!("{PRIMARY} w-full") data-testid="publish">
                            {t!(i18n, action_publish)}
                        </button>
                    </ActionForm>
                    <p class="text-xs text-slate-500">{t!(i18n, publish_hint)}</p>
                    <A href=format!("/tasks/{id}/edit") attr:class=format!("{SECONDARY} w-full") attr:data-testid="edit-draft">
                        {t!(i18n, action_edit_draft)}
                    </A>
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
                    <CancelButton id=id.clone() />
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
                    <CancelButton id=id.clone() />
                </div>
            }
            .into_any()
        }
        (Viewer::Owner, TaskStatus::Open) => view! {
            <div class="space-y-2">
                <p class="text-sm text-slate-600">{t!(i18n, owner_open_hint)}</p>
                <CancelButton id=id.clone() />
            </div>
        }
        .into_any(),
        (Viewer::OtherDeveloper, TaskStatus::Open) | (Viewer::Developer, TaskStatus::Open) => {
            let unlocked = task.viewer_level.is_none_or(|mine| mine.unlocks(task.min_level));
            // The level the task asks for, when the viewer's does not unlock it.
            let locked = task.min_level.filter(|_| !unlocked);
            match (task.my_application, task.viewer_restriction, locked) {
                (Some(application), _, _) => view! { <MyApplication application /> }.into_any(),
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
                (None, None, None) => view! { <ApplyForm id=id.clone() /> }.into_any(),
            }
        }
        (Viewer::OtherDeveloper, _) => match task.my_application {
            Some(application) => view! { <MyApplication application /> }.into_any(),
            None => view! { <p class="text-sm text-slate-500">{t!(i18n, task_not_open)}</p> }.into_any(),
        },
        (Viewer::Anonymous, TaskStatus::Open) => view! {
            <A href="/login" attr:class=format!("{PRIMARY} w-full") attr:data-testid="login-to-apply">
                {t!(i18n, action_login_to_apply)}
            </A>
        }
        .into_any(),
        (Viewer::Developer, TaskStatus::InProgress) => view! {
            <p class="text-sm text-slate-600">{t!(i18n, developer_working_hint)}</p>
            <CancelByConsent id=id.clone() me=Party::Developer proposed_by=task.cancel_proposed_by />
        }
        .into_any(),
        (Viewer::Owner, TaskStatus::InProgress) => view! {
            <p class="text-sm text-slate-600">{t!(i18n, owner_in_progress_hint)}</p>
            <CancelByConsent id=id.clone() me=Party::Merchant proposed_by=task.cancel_proposed_by />
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

/// During work, calling the task off takes both sides: one proposes, the other agrees.
#[component]
fn CancelByConsent(id: String, me: Party, proposed_by: Option<Party>) -> impl IntoView {
    let i18n = use_i18n();
    let actions = expect_context::<Actions>();
    let body = match proposed_by {
        Some(proposer) if proposer == me => {
            view! { <p class="text-xs text-amber-700" data-testid="cancel-pending">{t!(i18n, cancel_waiting_other)}</p> }.into_any()
        }
        Some(_) => view! {
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
        None => view! {
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
fn ApplyForm(id: String) -> impl IntoView {
    let i18n = use_i18n();
    let actions = expect_context::<Actions>();
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
            <button type="submit" class=format!("{PRIMARY} w-full") data-testid="apply">
                {t!(i18n, action_apply)}
            </button>
            <FormAlert error=error_of(actions.apply) />
        </ActionForm>
    }
}

#[component]
fn MyApplication(application: ApplicationView) -> impl IntoView {
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

#[component]
/// `task_live`: the task is open or in progress, so an unpaid milestone can still be raised.
fn MilestoneCard(milestone: MilestoneView, viewer: Viewer, single: bool, task_live: bool) -> impl IntoView {
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
    let can_deliver =
        viewer == Viewer::Developer && matches!(ms, MilestoneStatus::Working | MilestoneStatus::ChangesRequested);
    let can_review = viewer == Viewer::Owner && ms == MilestoneStatus::Delivered;
    let can_raise = viewer == Viewer::Owner
        && task_live
        && matches!(
            ms,
            MilestoneStatus::Waiting
                | MilestoneStatus::Working
                | MilestoneStatus::Delivered
                | MilestoneStatus::ChangesRequested
        );
    let raise_id = id.to_string();
    let can_dispute = matches!(viewer, Viewer::Owner | Viewer::Developer)
        && matches!(ms, MilestoneStatus::Working | MilestoneStatus::Delivered | MilestoneStatus::ChangesRequested);
    // The side that did not open the dispute answers it once: the rule the server applies.
    let me = match viewer {
        Viewer::Owner => Some(Party::Merchant),
        Viewer::Developer => Some(Party::Developer),
        _ => None,
    };
    let can_respond = ms == MilestoneStatus::Disputed
        && me.zip(open_dispute).is_some_and(|(me, d)| may_answer_dispute(me, d.opened_by, d.answered));
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
            {can_deliver
                .then(|| {
                    view! {
                        <DeliverForm milestone=deliver_id.clone() />
                    }
                })}
            {can_review
                .then(|| {
                    view! {
                        <div class="mt-3 space-y-3 border-t border-slate-100 pt-3">
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
                        </div>
                    }
                })}
            {can_raise
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
            {can_dispute
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
            {can_respond
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
fn Applications(applications: Vec<ApplicationView>, status: TaskStatus) -> impl IntoView {
    let i18n = use_i18n();
    let actions = expect_context::<Actions>();
    let accept_error = error_of(actions.accept_application);
    let decline_error = error_of(actions.decline_application);
    view! {
        <section class=CARD data-testid="applications">
            <h2 class="text-base font-semibold text-slate-900">{t!(i18n, applications_title)}</h2>
            <p class="mt-1 text-xs text-slate-500">{t!(i18n, applications_hint)}</p>
            <FormAlert error=accept_error />
            <FormAlert error=decline_error />
            <ul class="mt-3 divide-y divide-slate-100">
                {applications
                    .into_iter()
                    .map(|application| {
                        let (_, tone) = status::application_status(i18n, application.status);
                        let app_status = application.status;
                        let (accept_id, decline_id) = (application.id.to_string(), application.id.to_string());
                        let answerable = app_status == ApplicationStatus::Pending && status == TaskStatus::Open;
                        let respond_by = application.respond_by.clone();
                        view! {
                            <li class="py-3" data-testid="application">
                                <div class="flex flex-wrap items-center justify-between gap-2">
                                    <span class="font-medium text-slate-900">
                                        {application.developer_name.clone()}
                                        {application.highlighted.then(|| view! {
                                            <span class="ml-1.5 rounded bg-amber-100 px-1.5 py-0.5 text-[11px] font-medium text-amber-800" data-testid="premium-applicant">
                                                {t!(i18n, plan_premium)}
                                            </span>
                                        })}
                                    </span>
                                    <StatusBadge
                                        label=Signal::derive(move || status::application_status(i18n, app_status).0.to_string())
                                        tone
                                    />
                                </div>
                                {(!application.pitch.is_empty())
                                    .then(|| view! { <p class="mt-1 whitespace-pre-wrap text-sm text-slate-700">{application.pitch.clone()}</p> })}
                                <div class="mt-1 text-xs text-slate-500">
                                    {application.created_at.clone()}
                                    {answerable
                                        .then(|| {
                                            let respond_by = respond_by.clone();
                                            view! { " · " {move || t_string!(i18n, application_respond_by, time = respond_by.clone())} }
                                        })}
                                </div>
                                {answerable
                                    .then(|| {
                                        view! {
                                            <div class="mt-2 flex flex-wrap items-start gap-2">
                                                <ActionForm action=actions.accept_application>
                                                    <input type="hidden" name="application" value=accept_id />
                                                    <button type="submit" class=PRIMARY data-testid="accept-application">
                                                        {t!(i18n, action_accept_application)}
                                                    </button>
                                                </ActionForm>
                                                <ActionForm action=actions.decline_application attr:class="flex flex-1 gap-2">
                                                    <input type="hidden" name="application" value=decline_id />
                                                    <input
                                                        name="reason"
                                                        class=INPUT
                                                        placeholder=move || t_string!(i18n, field_decline_reason)
                                                    />
                                                    <button type="submit" class=SECONDARY>{t!(i18n, action_decline)}</button>
                                                </ActionForm>
                                            </div>
                                        }
                                    })}
                            </li>
                        }
                    })
                    .collect_view()}
            </ul>
        </section>
    }
}

#[component]
fn Timeline(events: Vec<EventView>) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <section class=CARD data-testid="timeline">
            <h2 class="text-base font-semibold text-slate-900">{t!(i18n, timeline_title)}</h2>
            <ol class="mt-3 space-y-3 border-l-2 border-slate-100 pl-4">
                {events
                    .into_iter()
                    .map(|event| {
                        let kind = event.kind.clone();
                        let actor = event.actor_name.clone();
                        view! {
                            <li class="relative text-sm">
                                <span class="absolute -left-[1.3rem] top-1.5 h-2 w-2 rounded-full bg-blue-500"></span>
                                <div class="text-slate-800">
                                    <span class="font-medium">
                                        {move || actor.clone().unwrap_or_else(|| t_string!(i18n, actor_platform).to_string())}
                                    </span>
                                    " "
                                    {move || status::event_kind(i18n, &kind)}
                                    {event.milestone_position.map(|p| format!(" #{p}"))}
                                </div>
                                {(!event.note.is_empty() && event.kind != "published")
                                    .then(|| view! { <p class="mt-0.5 whitespace-pre-wrap text-xs text-slate-600">{event.note.clone()}</p> })}
                                <div class="text-xs text-slate-400">{event.created_at.clone()}</div>
                            </li>
                        }
                    })
                    .collect_view()}
            </ol>
        </section>
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
                                    <span class="text-slate-400">{delivery::display_size(file.size_bytes)}</span>
                                </a>
                            </li>
                        }
                    })
                    .collect_view()}
            </ul>
        }
    })
}

/// Reports the task to the admins' moderation queue, with a reason.
#[component]
fn ReportTask(id: uuid::Uuid) -> impl IntoView {
    let i18n = use_i18n();
    let report = ServerAction::<crate::api::moderation::ReportFn>::new();
    let error = Signal::derive(move || report.value().get().and_then(Result::err));
    view! {
        <details class="mt-4 border-t border-slate-100 pt-3 text-sm">
            <summary class="cursor-pointer text-xs text-slate-400 hover:text-slate-600">{t!(i18n, action_report_task)}</summary>
            {move || if matches!(report.value().get(), Some(Ok(()))) {
                view! { <p class="mt-2 text-xs text-emerald-700" role="status">{t!(i18n, report_sent)}</p> }.into_any()
            } else {
                view! {
                    <ActionForm action=report attr:class="mt-2 space-y-2">
                        <input type="hidden" name="task" value=id.to_string() />
                        <textarea name="reason" rows="2" class=INPUT data-testid="report-reason"
                            placeholder=move || t_string!(i18n, field_report_reason)></textarea>
                        <p class="text-xs text-red-600">{move || field_message(i18n, error.get().as_ref(), Field::Reason)}</p>
                        <button type="submit" class=SECONDARY data-testid="report-task">{t!(i18n, action_report_task)}</button>
                    </ActionForm>
                }.into_any()
            }}
        </details>
    }
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

/// Once the task is shown, what the viewer was told about it counts as read: sent from the browser,
/// so that rendering the page changes nothing, and then the bell shows the new count.
#[island]
fn MarkTaskRead(task: Uuid) -> impl IntoView {
    #[cfg(feature = "hydrate")]
    leptos::task::spawn_local(async move {
        if matches!(crate::api::notifications::read_task_notifications(task).await, Ok(n) if n > 0) {
            crate::components::layout::refresh_bell().await;
        }
    });
    #[cfg(not(feature = "hydrate"))]
    let _ = task;
}
