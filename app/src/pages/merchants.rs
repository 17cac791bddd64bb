//! `/merchants/:id`: a merchant's record as an employer (tasks posted and finished, money paid out,
//! how reliably they answer applications) and their open tasks. Public, rendered on the server.

use crate::{
    api::merchants::merchant_profile,
    components::{
        errors::ErrorPanel,
        style::CARD,
        task_card::{merchant_kind_label, TaskCard},
    },
    error::AppError,
    i18n::*,
    pages::{credit::CreditBadge, task::reviews::ReviewItem},
    views::merchants::MerchantProfile,
};
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;
use uuid::Uuid;

#[component]
pub fn MerchantPage() -> impl IntoView {
    let params = use_params_map();
    let id = Memo::new(move |_| params.read().get("id").and_then(|s| Uuid::parse_str(&s).ok()));
    let profile = Resource::new(
        move || id.get(),
        |id| async move {
            match id {
                Some(id) => merchant_profile(id).await,
                None => Err(AppError::NotFound),
            }
        },
    );
    view! {
        <Transition fallback=|| view! { <div class="h-48 animate-pulse rounded-xl bg-white"></div> }>
            {move || Suspend::new(async move {
                match profile.await {
                    Ok(profile) => view! { <MerchantView profile /> }.into_any(),
                    Err(error) => view! { <ErrorPanel error /> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn MerchantView(profile: MerchantProfile) -> impl IntoView {
    let i18n = use_i18n();
    let MerchantProfile {
        name,
        kind,
        member_since,
        tasks_posted,
        tasks_completed,
        tasks_cancelled,
        paid_to_developers,
        response_rate,
        open_tasks,
        credit,
        reviews,
        ..
    } = profile;
    let initial = name.chars().next().unwrap_or('?').to_string();
    let rate = move || match response_rate {
        Some(rate) => format!("{rate}%"),
        None => "—".into(),
    };
    view! {
        <section class=CARD>
            <div class="flex items-center gap-4">
                <div class="flex h-14 w-14 shrink-0 items-center justify-center rounded-full bg-blue-50 text-xl font-semibold text-blue-700">
                    {initial}
                </div>
                <div class="min-w-0">
                    <h1 class="truncate text-xl font-bold text-slate-900" data-testid="merchant-name">{name}</h1>
                    <p class="text-sm text-slate-500">
                        {move || merchant_kind_label(i18n, kind)}
                        " · "
                        {move || t_string!(i18n, member_since, date = member_since.clone())}
                    </p>
                    <div class="mt-1">
                        <CreditBadge score=credit />
                    </div>
                </div>
            </div>
            <dl class="mt-5 grid grid-cols-2 gap-3 sm:grid-cols-4">
                <Stat label=move || t_string!(i18n, merchant_tasks_posted) value=tasks_posted.to_string() />
                <Stat label=move || t_string!(i18n, merchant_tasks_completed) value=tasks_completed.to_string() />
                <Stat label=move || t_string!(i18n, merchant_paid_out) value=paid_to_developers.display_yuan() />
                <Stat label=move || t_string!(i18n, merchant_response_rate_label) value=rate() testid="merchant-response-rate" />
            </dl>
            <p class="mt-3 text-xs text-slate-500">
                {move || t_string!(i18n, merchant_record_note, cancelled = tasks_cancelled)}
            </p>
        </section>
        <section class=format!("{CARD} mt-6") data-testid="merchant-reviews">
            <h2 class="text-base font-semibold text-slate-900">{t!(i18n, merchant_reviews)}</h2>
            {if reviews.is_empty() {
                view! { <p class="mt-2 text-sm text-slate-500">{t!(i18n, merchant_no_reviews)}</p> }.into_any()
            } else {
                view! {
                    <ul class="mt-3 space-y-3">
                        {reviews.into_iter().map(|review| view! { <ReviewItem review /> }).collect_view()}
                    </ul>
                }
                    .into_any()
            }}
        </section>
        <section class="mt-6">
            <h2 class="mb-3 text-base font-semibold text-slate-900">{t!(i18n, merchant_open_tasks)}</h2>
            {if open_tasks.is_empty() {
                view! {
                    <p class="rounded-xl border border-dashed border-slate-300 bg-white px-6 py-10 text-center text-sm text-slate-500">
                        {t!(i18n, merchant_no_open_tasks)}
                    </p>
                }
                    .into_any()
            } else {
                view! {
                    <div class="grid gap-3 md:grid-cols-2">
                        {open_tasks.into_iter().map(|task| view! { <TaskCard task /> }).collect_view()}
                    </div>
                }
                    .into_any()
            }}
        </section>
    }
}

#[component]
fn Stat(
    label: impl Fn() -> &'static str + Send + Sync + 'static,
    value: String,
    #[prop(optional)] testid: &'static str,
) -> impl IntoView {
    view! {
        <div class="rounded-lg bg-slate-50 px-3 py-2.5">
            <dt class="text-xs text-slate-500">{label}</dt>
            <dd class="mt-0.5 text-lg font-semibold tabular-nums text-slate-900" data-testid=testid>{value}</dd>
        </div>
    }
}
