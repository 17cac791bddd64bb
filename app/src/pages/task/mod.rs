//! One task's page: what it is and pays (itemised), its milestones, and the next step for whoever is
//! looking: apply, choose a developer, deliver, accept or ask for changes, dispute, publish, cancel.
//! Every action is a plain form posting to a server function, so it also works before hydration.
//! One file per section: the side panel's next step, the promotion offers, each milestone, the
//! applications, the conversation, the reviews, the timeline and the report form.

mod applicant_card;
mod applications;
mod compare;
mod conversation;
mod invitation;
mod milestone;
mod next_step;
mod promotion;
mod quote;
mod report;
pub mod reviews;
mod timeline;

use crate::{
    api::{
        membership::PromoteTaskFn,
        reviews::{ReplyReviewFn, WriteReviewFn},
        tasks::{
            task_detail, AcceptApplicationFn, AcceptDeliveryFn, AgreeCancelFn, ApplyFn, CancelTaskFn,
            DeclineApplicationFn, OpenDisputeFn, ProposeCancelFn, PublishTaskFn, RaiseRewardFn, RequestChangesFn,
            RespondToDisputeFn,
        },
        wallet::StartDepositFn,
    },
    components::{
        errors::ErrorPanel,
        money::{SplitBreakdown, StatusBadge},
        seo::{absolute_url, PageMeta},
        status,
        style::CARD,
        task_card::{category_label, merchant_kind_label, DifficultyBadge, MinLevelBadge, TagChip},
    },
    domain::lifecycle::{task_offers, MilestoneStatus, TaskStatus, Viewer},
    error::AppError,
    i18n::*,
    views::tasks::TaskDetail,
};
use applications::Applications;
use conversation::{ConversationPanel, TaskChat};
use invitation::InvitationBanner;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::{components::A, hooks::use_params_map};
use milestone::MilestoneCard;
use next_step::NextStep;
use promotion::PromotionPanel;
use report::ReportTask;
use reviews::ReviewSection;
use timeline::Timeline;
use uuid::Uuid;

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
                    Ok(task) => {
                        // A visitor has nothing to mark read (and the call would only be refused).
                        let signed_in = task.viewer != Viewer::Anonymous;
                        view! { {signed_in.then(|| view! { <MarkTaskRead task=task.id /> })} <TaskView task /> }.into_any()
                    }
                    Err(error) => view! { <ErrorPanel error /> }.into_any(),
                }
            })}
        </Transition>
    }
}

/// The task's description and address for search engines; an open task is also a JobPosting.
#[component]
fn TaskMeta(task: TaskDetail) -> impl IntoView {
    use crate::domain::{public_page::merchant_page, seo};
    let path = format!("/tasks/{}", task.id);
    let description = seo::plain_summary(&task.description_html, seo::DESCRIPTION_CHARS);
    let structured = (task.status == TaskStatus::Open).then(|| {
        let (url, merchant_url) = (absolute_url(&path), absolute_url(&merchant_page(task.merchant_id)));
        seo::job_posting(&seo::TaskPosting {
            url: &url,
            title: &task.title,
            description: &description,
            date_posted: task.published_on.as_deref(),
            valid_through: &task.deadline,
            merchant_name: &task.merchant_name,
            merchant_url: &merchant_url,
            reward_fen: task.split.reward.fen(),
        })
    });
    view! { <PageMeta description path structured /> }
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
    let rounds = task.change_rounds;
    let category = task.category;
    let any_disputed = task.milestones.iter().any(|m| m.status == MilestoneStatus::Disputed);
    let offers = task_offers(task.viewer, task.status, task.cancel_proposed_by, any_disputed);
    view! {
        <Title text=task.title.clone() />
        <TaskMeta task=task.clone() />
        // Three blocks in reading order: the task, then what it pays and the viewer's next step, then
        // the rest. A phone shows them one under the other, so the task comes before the money; a wide
        // screen puts the money in a right column beside both others (it spans both rows, and the
        // `1fr` row takes whatever height it needs beyond the task's card).
        <div class="grid gap-5 lg:grid-cols-[minmax(0,1fr)_20rem] lg:grid-rows-[auto_1fr]">
            <section class=format!("{CARD} min-w-0 lg:col-start-1 lg:row-start-1") data-testid="task-head">
                <div class="flex flex-wrap items-center gap-2">
                    <StatusBadge label=status_label tone=status_tone />
                    <DifficultyBadge difficulty=task.difficulty />
                    {task.min_level.map(|level| {
                        let locked = task.viewer_level.is_some_and(|mine| !mine.unlocks(Some(level)));
                        view! { <span class="text-xs"><MinLevelBadge level locked /></span> }
                    })}
                    <span class="whitespace-nowrap rounded-md bg-slate-100 px-2 py-0.5 text-xs text-slate-600" data-testid="task-category">
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
            <aside class="min-w-0 space-y-4 lg:col-start-2 lg:row-span-2 lg:row-start-1">
                <InvitationBanner task=task.clone() offers />
                <section class=CARD>
                    <div class="text-xs text-slate-500">{t!(i18n, task_reward)}</div>
                    <div class="mt-0.5 text-2xl font-bold tabular-nums text-orange-700" data-testid="task-reward">
                        {split.reward.display_yuan()}
                    </div>
                    <div class="mt-3">
                        <SplitBreakdown split=Signal::derive(move || split) />
                    </div>
                    <p class="mt-2 text-xs text-slate-500">{t!(i18n, split_note)}</p>
                    <div class="mt-4">
                        <NextStep task=task.clone() offers />
                    </div>
                    {offers.report.then(|| view! { <ReportTask id=task.id /> })}
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
            <div class="min-w-0 space-y-5 lg:col-start-1 lg:row-start-2">
                <section class="space-y-3">
                    <h2 class="text-base font-semibold text-slate-900">{t!(i18n, milestones_title)}</h2>
                    {task
                        .milestones
                        .clone()
                        .into_iter()
                        .map(|milestone| {
                            view! {
                                <MilestoneCard
                                    milestone
                                    viewer=task.viewer
                                    single=milestone_count == 1
                                    task=task.status
                                    change_rounds=rounds
                                />
                            }
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
                    .then(|| view! { <Applications applications=task.applications.clone() status=task.status viewer=task.viewer /> })}
                <ConversationPanel task=task.id />
                {(!task.timeline.is_empty()).then(|| view! { <Timeline events=task.timeline.clone() /> })}
            </div>
        </div>
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
