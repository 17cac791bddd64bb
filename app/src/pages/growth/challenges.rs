//! Challenges on the growth panel: each goal ticked off as it is met, the reward and the time left.

use crate::{
    domain::challenges::{Activity, Cadence},
    i18n::*,
    views::growth::ChallengeView,
};
use leptos::prelude::*;
use leptos_router::components::A;

/// One challenge: what it asks, each goal ticked off as it is met, the reward, and the time left.
#[component]
pub(super) fn ChallengeCard(challenge: ChallengeView) -> impl IntoView {
    let i18n = use_i18n();
    let zh = move || i18n.get_locale() == Locale::zh_CN;
    let ChallengeView {
        slug,
        name_zh,
        name_en,
        description_zh,
        description_en,
        cadence,
        any_of,
        goals,
        done,
        advanced,
        locked,
        days_left,
        reward,
    } = challenge;
    let when = move || match cadence {
        Cadence::Daily => t_string!(i18n, challenge_daily).to_string(),
        Cadence::Weekly => t_string!(i18n, challenge_weekly, days = days_left).to_string(),
        Cadence::Onboarding { .. } => t_string!(i18n, challenge_onboarding, days = days_left).to_string(),
        Cadence::Dated { .. } => t_string!(i18n, challenge_dated, days = days_left).to_string(),
    };
    let reward_text = move || {
        let mut parts = Vec::new();
        if reward.growth_points > 0 {
            parts.push(t_string!(i18n, challenge_reward_points, n = reward.growth_points).to_string());
        }
        if reward.badge.is_some() {
            parts.push(t_string!(i18n, challenge_reward_badge).to_string());
        }
        if let (Some(title_zh), Some(title_en)) = (&reward.title_zh, &reward.title_en) {
            let title = if zh() { title_zh.clone() } else { title_en.clone() };
            parts.push(t_string!(i18n, challenge_reward_title, title = title).to_string());
        }
        if reward.lottery_entries > 0 {
            parts.push(t_string!(i18n, challenge_reward_lottery, n = reward.lottery_entries).to_string());
        }
        parts.join(" · ")
    };
    view! {
        <li
            class=if done {
                "rounded-lg border border-emerald-200 bg-emerald-50/60 p-3"
            } else {
                "rounded-lg border border-slate-200 bg-white p-3"
            }
            data-testid=format!("challenge-{slug}")
            data-done=done.to_string()
        >
            <div class="flex items-baseline justify-between gap-2">
                <span class="text-sm font-semibold text-slate-900">
                    {advanced.then(|| view! {
                        <span class="mr-1.5 rounded bg-violet-100 px-1.5 py-0.5 text-[11px] font-medium text-violet-700">
                            {t!(i18n, challenge_advanced)}
                        </span>
                    })}
                    {move || if zh() { name_zh.clone() } else { name_en.clone() }}
                </span>
                <span class=if done { "shrink-0 text-xs font-medium text-emerald-700" } else { "shrink-0 text-xs text-slate-500" }>
                    {move || if done { t_string!(i18n, challenge_done).to_string() } else { when() }}
                </span>
            </div>
            <p class="mt-0.5 text-xs text-slate-600">
                {move || if zh() { description_zh.clone() } else { description_en.clone() }}
            </p>
            <ul class="mt-2 space-y-1">
                {goals
                    .into_iter()
                    .map(|goal| {
                        let met = goal.met();
                        view! {
                            <li class="flex items-center gap-2 text-xs" data-met=met.to_string()>
                                <span
                                    class=if met {
                                        "flex h-4 w-4 items-center justify-center rounded-full bg-emerald-500 text-[10px] text-white"
                                    } else {
                                        "flex h-4 w-4 items-center justify-center rounded-full border border-slate-300"
                                    }
                                    aria-hidden="true"
                                >
                                    {if met { "✓" } else { "" }}
                                </span>
                                <GoalLink activity=goal.activity />
                                <span class="ml-auto tabular-nums text-slate-500">{format!("{}/{}", goal.have, goal.need)}</span>
                            </li>
                        }
                    })
                    .collect_view()}
            </ul>
            {any_of.then(|| view! { <p class="mt-1 text-[11px] text-slate-500">{t!(i18n, challenge_any_of)}</p> })}
            <p class="mt-2 text-xs font-medium text-amber-700">{reward_text}</p>
            {locked.then(|| view! {
                <p class="mt-2 text-xs text-violet-700" data-testid="challenge-locked">
                    {t!(i18n, challenge_locked)} " · "
                    <A href="/membership" attr:class="font-medium underline">{t!(i18n, challenge_unlock)}</A>
                </p>
            })}
        </li>
    }
}

/// A goal's name, linking to where it is done.
#[component]
fn GoalLink(activity: Activity) -> impl IntoView {
    let i18n = use_i18n();
    let label = move || activity_label(i18n, activity);
    let href = match activity {
        Activity::ProfileCompleted => Some("/profile"),
        Activity::HallBrowsed | Activity::Applied => Some("/"),
        Activity::Invited => Some("#invite"),
        Activity::CommunityPost => Some("/community"),
        Activity::CourseFinished => Some("/learn"),
        _ => None,
    };
    match href {
        Some(href) => view! { <a href=href class="text-blue-700 hover:underline">{label}</a> }.into_any(),
        None => view! { <span class="text-slate-700">{label}</span> }.into_any(),
    }
}

pub(crate) fn activity_label(i18n: leptos_i18n::I18nContext<Locale>, activity: Activity) -> &'static str {
    match activity {
        Activity::ProfileCompleted => t_string!(i18n, activity_profile_completed),
        Activity::HallBrowsed => t_string!(i18n, activity_hall_browsed),
        Activity::Applied => t_string!(i18n, activity_applied),
        Activity::TaskFinished => t_string!(i18n, activity_task_finished),
        Activity::TaskRated => t_string!(i18n, activity_task_rated),
        Activity::Invited => t_string!(i18n, activity_invited),
        Activity::CheckedIn => t_string!(i18n, activity_checked_in),
        Activity::CommunityPost => t_string!(i18n, activity_community_post),
        Activity::CourseFinished => t_string!(i18n, activity_course_finished),
    }
}
