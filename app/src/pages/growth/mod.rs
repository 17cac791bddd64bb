//! `/growth`: the developer's skill-growth panel. Level and what the next one needs, XP, a radar of
//! the strongest skills (an SVG computed here, so it is readable before hydration), the skill tree,
//! challenges with what is left to do, badges, the invite link, XP per week, and the level rules.
//! One file per section: levels, skills, challenges and badges; the page, reports, invite link and
//! weekly XP are here.

mod badges;
mod challenges;
mod levels;
mod skills;

pub(crate) use challenges::activity_label;
pub use levels::{level_colors, LevelRules};
pub use skills::{SkillBars, SkillRadar};

use self::{badges::BadgeCard, challenges::ChallengeCard, skills::SkillTree};
use crate::{
    api::growth::{my_growth, CheckInFn},
    components::{
        errors::ErrorPanel,
        style::{CARD, PRIMARY},
    },
    domain::growth::{average_text, stars_text, Level, LevelRequirement},
    i18n::*,
    views::growth::GrowthPanel,
};
use leptos::prelude::*;
use leptos_router::components::A;

#[component]
pub fn GrowthPage() -> impl IntoView {
    let i18n = use_i18n();
    let check_in = ServerAction::<CheckInFn>::new();
    let panel = Resource::new(|| (), |_| my_growth());
    view! {
        <h1 class="mb-4 text-2xl font-bold tracking-tight text-slate-900">{t!(i18n, growth_title)}</h1>
        <Transition fallback=|| view! { <div class="h-64 animate-pulse rounded-xl bg-white"></div> }>
            {move || Suspend::new(async move {
                match panel.await {
                    Ok(panel) => view! { <GrowthView panel check_in /> }.into_any(),
                    Err(error) => view! { <ErrorPanel error /> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn GrowthView(panel: GrowthPanel, check_in: ServerAction<CheckInFn>) -> impl IntoView {
    let i18n = use_i18n();
    let GrowthPanel {
        level,
        xp,
        record,
        next,
        skills,
        weekly_xp,
        rank,
        growth_points,
        badges,
        checked_in_today,
        check_in_streak,
        challenges,
        titles,
        lottery_entries,
        invite_code,
        invited,
        rules,
        report_months,
    } = panel;
    let zh = move || i18n.get_locale() == Locale::zh_CN;
    let average = record.average_rating_x100().map_or("—".to_string(), |a| format!("{}★", average_text(a)));
    view! {
        <div class="grid gap-4 md:grid-cols-[16rem_1fr]">
            <section class=CARD data-testid="level-card">
                <div class="text-xs text-slate-500">{t!(i18n, growth_level)}</div>
                <div class="mt-2 flex items-end gap-3">
                    <span class=format!("flex h-16 w-16 items-center justify-center rounded-2xl text-4xl font-black {}", level_colors(level)) data-testid="level">
                        {level.as_str()}
                    </span>
                    <div class="pb-1">
                        <div class="text-2xl font-bold tabular-nums text-slate-900" data-testid="xp">{xp}</div>
                        <div class="text-xs text-slate-500">"XP"</div>
                    </div>
                </div>
                <ul class="mt-3 flex flex-wrap gap-1.5" data-testid="titles">
                    {titles
                        .into_iter()
                        .map(|(title_zh, title_en)| {
                            view! {
                                <li class="rounded-full bg-emerald-50 px-2.5 py-0.5 text-xs font-medium text-emerald-700">
                                    {move || if zh() { title_zh.clone() } else { title_en.clone() }}
                                </li>
                            }
                        })
                        .collect_view()}
                </ul>
                <p class="mt-3 text-sm text-slate-600" data-testid="next-level">
                    {move || match next {
                        Some((next, missing)) => missing_text(i18n, next, missing),
                        None => t_string!(i18n, growth_top_level).to_string(),
                    }}
                </p>
                <A href="/leaderboard?period=all" attr:class="mt-3 block text-sm text-blue-700 hover:underline" attr:data-testid="my-rank">
                    {move || match rank {
                        Some(rank) => t_string!(i18n, growth_rank, rank = rank).to_string(),
                        None => t_string!(i18n, growth_see_board).to_string(),
                    }}
                </A>
                <dl class="mt-4 grid grid-cols-2 gap-2 text-sm">
                    <div class="rounded-lg bg-slate-50 px-3 py-2">
                        <dt class="text-xs text-slate-500">{t!(i18n, growth_finished_tasks)}</dt>
                        <dd class="font-semibold tabular-nums text-slate-900" data-testid="finished-tasks">{record.finished_tasks}</dd>
                    </div>
                    <div class="rounded-lg bg-slate-50 px-3 py-2">
                        <dt class="text-xs text-slate-500">{t!(i18n, growth_average_rating)}</dt>
                        <dd class="font-semibold tabular-nums text-slate-900">{average}</dd>
                    </div>
                    <div class="col-span-2 rounded-lg bg-slate-50 px-3 py-2">
                        <dt class="text-xs text-slate-500">{t!(i18n, growth_points)}</dt>
                        <dd class="flex items-baseline justify-between gap-2">
                            <span class="font-semibold tabular-nums text-slate-900" data-testid="growth-points">{growth_points}</span>
                            <a href="/mall" class="text-xs font-medium text-blue-700 hover:underline" data-testid="mall-link">{t!(i18n, mall_title)}" →"</a>
                        </dd>
                    </div>
                </dl>
                <ActionForm action=check_in attr:class="mt-3">
                    <button
                        type="submit"
                        class=format!("{PRIMARY} w-full")
                        data-testid="check-in"
                        disabled=checked_in_today || check_in.pending().get_untracked()
                    >
                        {move || if checked_in_today {
                            t_string!(i18n, growth_checked_in, days = check_in_streak).to_string()
                        } else {
                            t_string!(i18n, growth_check_in, points = rules.check_in_points).to_string()
                        }}
                    </button>
                </ActionForm>
            </section>
            <section class=CARD>
                <h2 class="text-base font-semibold text-slate-900">{t!(i18n, growth_skills)}</h2>
                {if skills.is_empty() {
                    view! { <p class="mt-6 text-center text-sm text-slate-500">{t!(i18n, growth_no_skills)}</p> }.into_any()
                } else {
                    view! {
                        <div class="mt-3 grid items-center gap-4 sm:grid-cols-[14rem_1fr]">
                            <SkillRadar skills=skills.clone() />
                            <SkillBars skills=skills.iter().take(8).cloned().collect() />
                        </div>
                        <SkillTree skills />
                    }
                        .into_any()
                }}
            </section>
        </div>
        <section class=format!("{CARD} mt-4")>
            <div class="flex flex-wrap items-baseline justify-between gap-2">
                <h2 class="text-base font-semibold text-slate-900">{t!(i18n, challenges_title)}</h2>
                <span class="text-xs text-slate-500" data-testid="lottery-entries">
                    {move || t_string!(i18n, challenges_lottery_entries, n = lottery_entries)}
                </span>
            </div>
            <ul class="mt-3 grid gap-3 md:grid-cols-2" data-testid="challenges">
                {challenges.into_iter().map(|challenge| view! { <ChallengeCard challenge /> }).collect_view()}
            </ul>
        </section>
        <InviteCard code=invite_code invited />
        <section class=format!("{CARD} mt-4")>
            <h2 class="text-base font-semibold text-slate-900">{t!(i18n, growth_badges)}</h2>
            <ul class="mt-3 grid gap-3 sm:grid-cols-2 lg:grid-cols-3" data-testid="badges">
                {badges.into_iter().map(|badge| view! { <BadgeCard badge /> }).collect_view()}
            </ul>
        </section>
        <section class=format!("{CARD} mt-4")>
            <h2 class="text-base font-semibold text-slate-900">{t!(i18n, growth_weekly_xp)}</h2>
            <WeeklyXp weeks=weekly_xp />
        </section>
        <MonthlyReports months=report_months />
        <section class=format!("{CARD} mt-4")>
            <div class="flex flex-wrap items-baseline justify-between gap-2">
                <h2 class="text-base font-semibold text-slate-900">{t!(i18n, growth_rules_title)}</h2>
                <A href="/help/growth" attr:class="text-sm text-blue-700 hover:underline">{t!(i18n, growth_rules_link)}</A>
            </div>
            <p class="mt-1 text-sm text-slate-600">
                {move || t_string!(
                    i18n,
                    growth_rules_points,
                    skill = rules.skill_points_per_difficulty,
                    xp = rules.xp_per_difficulty
                )}
            </p>
            <LevelRules rules />
        </section>
    }
}

/// The monthly growth reports (PDF) of the months that are over, each in Chinese and English.
/// Plain links (`rel="external"`): the router must not try to render a PDF as a page.
#[component]
fn MonthlyReports(months: Vec<String>) -> impl IntoView {
    let i18n = use_i18n();
    let link = "whitespace-nowrap rounded-md border border-slate-200 px-2 py-1 text-xs font-medium text-blue-700 hover:bg-blue-50";
    view! {
        <section class=format!("{CARD} mt-4") data-testid="monthly-reports">
            <h2 class="text-base font-semibold text-slate-900">{t!(i18n, reports_title)}</h2>
            <p class="mt-1 text-sm text-slate-500">{t!(i18n, reports_subtitle)}</p>
            {if months.is_empty() {
                view! {
                    <p class="mt-3 rounded-lg border border-dashed border-slate-300 px-4 py-6 text-center text-sm text-slate-500">
                        {t!(i18n, reports_none_yet)}
                    </p>
                }
                    .into_any()
            } else {
                view! {
                    <ul class="mt-3 grid gap-2 sm:grid-cols-2 lg:grid-cols-3">
                        {months
                            .into_iter()
                            .map(|month| view! {
                                <li class="flex flex-wrap items-center justify-between gap-2 rounded-lg bg-slate-50 px-3 py-2">
                                    <span class="text-sm font-medium tabular-nums text-slate-800">{month.clone()}</span>
                                    <span class="flex gap-1.5">
                                        <a href=format!("/growth/reports/{month}.pdf?lang=zh") rel="external" class=link data-testid="report-zh">"中文 PDF"</a>
                                        <a href=format!("/growth/reports/{month}.pdf?lang=en") rel="external" class=link>"English PDF"</a>
                                    </span>
                                </li>
                            })
                            .collect_view()}
                    </ul>
                }
                    .into_any()
            }}
        </section>
    }
}

/// The personal invite link: a registration through it counts for the weekly growth challenge.
#[component]
fn InviteCard(code: String, invited: i64) -> impl IntoView {
    let i18n = use_i18n();
    let link = format!("/register?invite={code}");
    let href = link.clone();
    view! {
        <section id="invite" class=format!("{CARD} mt-4")>
            <h2 class="text-base font-semibold text-slate-900">{t!(i18n, invite_title)}</h2>
            <p class="mt-1 text-sm text-slate-600">{t!(i18n, invite_hint)}</p>
            <div class="mt-3 flex flex-wrap items-center gap-3">
                <a href=href class="break-all rounded-lg bg-slate-50 px-3 py-2 font-mono text-sm text-blue-700" data-testid="invite-link">
                    {link}
                </a>
                <span class="text-sm text-slate-500" data-testid="invited-count">
                    {move || t_string!(i18n, invite_count, n = invited)}
                </span>
            </div>
        </section>
    }
}

fn missing_text(i18n: leptos_i18n::I18nContext<Locale>, next: Level, missing: LevelRequirement) -> String {
    let mut parts = Vec::new();
    if missing.finished_tasks > 0 {
        parts.push(t_string!(i18n, growth_missing_tasks, n = missing.finished_tasks).to_string());
    }
    if missing.average_rating_x100 > 0 {
        parts
            .push(t_string!(i18n, growth_missing_rating, rating = stars_text(missing.average_rating_x100)).to_string());
    }
    if missing.skill_breadth > 0 {
        parts.push(t_string!(i18n, growth_missing_skills, n = missing.skill_breadth).to_string());
    }
    t_string!(i18n, growth_next_level, level = next.as_str(), missing = parts.join(" · ")).to_string()
}

/// Twelve bars, each labelled with its week. A phone has room for every fourth label only (counted
/// back from this week): the others keep their line, invisible, so every bar stands on the same base.
#[component]
fn WeeklyXp(weeks: Vec<(String, i64)>) -> impl IntoView {
    let max = weeks.iter().map(|(_, xp)| *xp).max().unwrap_or(0).max(1);
    let count = weeks.len();
    view! {
        <div class="mt-3 flex h-32 items-end gap-1.5" data-testid="weekly-xp">
            {weeks
                .into_iter()
                .enumerate()
                .map(|(i, (week, xp))| {
                    let height = if xp > 0 { (xp * 100 / max).max(6) } else { 2 };
                    let title = format!("{week}: {xp} XP");
                    let label = if (count - 1 - i) % 4 == 0 {
                        "whitespace-nowrap text-[11px] leading-4 text-slate-500"
                    } else {
                        "invisible whitespace-nowrap text-[11px] leading-4 text-slate-500 sm:visible"
                    };
                    view! {
                        <div class="flex h-full min-w-0 flex-1 flex-col items-center justify-end gap-1" title=title>
                            <div class="w-full rounded-t bg-blue-500/80" style=format!("height: {height}%")></div>
                            <span class=label>{week}</span>
                        </div>
                    }
                })
                .collect_view()}
        </div>
    }
}
