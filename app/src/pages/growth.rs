//! `/growth`: the developer's skill-growth panel. Level and what the next one needs, XP, a radar of
//! the strongest skills (an SVG computed here, so it is readable before hydration), the skill tree,
//! challenges with what is left to do, badges, the invite link, XP per week, and the level rules.

use crate::{
    api::growth::{my_growth, CheckInFn},
    components::{
        errors::ErrorPanel,
        style::{CARD, PRIMARY},
        task_card::category_label,
    },
    domain::{
        challenges::{Activity, Cadence},
        growth::{average_text, stars_text, GrowthRules, Level, LevelRequirement},
        task::Category,
    },
    i18n::*,
    views::growth::{BadgeView, ChallengeView, GrowthPanel, SkillView},
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
    let link = "rounded-md border border-slate-200 px-2 py-1 text-xs font-medium text-blue-700 hover:bg-blue-50";
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
                                <li class="flex items-center justify-between gap-2 rounded-lg bg-slate-50 px-3 py-2">
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

/// An earned badge in colour with its day; one still to earn in grey, with how far along it is.
#[component]
fn BadgeCard(badge: BadgeView) -> impl IntoView {
    let i18n = use_i18n();
    let BadgeView { slug, name_zh, name_en, description_zh, description_en, growth_points, earned_at, progress } =
        badge;
    let earned = earned_at.is_some();
    let percent = if progress.need == 0 { 100 } else { (progress.have * 100 / progress.need).min(100) };
    let zh = move || i18n.get_locale() == Locale::zh_CN;
    view! {
        <li
            class=if earned {
                "flex gap-3 rounded-lg border border-amber-200 bg-amber-50 p-3"
            } else {
                "flex gap-3 rounded-lg border border-slate-200 bg-white p-3"
            }
            data-testid=format!("badge-{slug}")
            data-earned=earned.to_string()
        >
            <span
                class=if earned {
                    "flex h-10 w-10 shrink-0 items-center justify-center rounded-full bg-amber-400 text-lg text-white"
                } else {
                    "flex h-10 w-10 shrink-0 items-center justify-center rounded-full bg-slate-100 text-lg text-slate-400"
                }
                aria-hidden="true"
            >
                "★"
            </span>
            <div class="min-w-0 flex-1">
                <div class="flex items-baseline justify-between gap-2">
                    <span class="text-sm font-semibold text-slate-900">
                        {move || if zh() { name_zh.clone() } else { name_en.clone() }}
                    </span>
                    <span class="shrink-0 text-xs text-slate-500">{format!("+{growth_points}")}</span>
                </div>
                <p class="mt-0.5 text-xs text-slate-600">
                    {move || if zh() { description_zh.clone() } else { description_en.clone() }}
                </p>
                {match earned_at {
                    Some(day) => {
                        view! { <p class="mt-1 text-xs font-medium text-amber-700">{move || t_string!(i18n, growth_badge_earned, date = day.clone())}</p> }
                            .into_any()
                    }
                    None => {
                        view! {
                            <div class="mt-2 flex items-center gap-2">
                                <div class="h-1.5 flex-1 rounded-full bg-slate-100">
                                    <div class="h-1.5 rounded-full bg-blue-500" style=format!("width: {percent}%")></div>
                                </div>
                                <span class="text-xs tabular-nums text-slate-500">{format!("{}/{}", progress.have, progress.need)}</span>
                            </div>
                        }
                            .into_any()
                    }
                }}
            </div>
        </li>
    }
}

/// The level rule written out: what each level needs and what it lowers the commission by.
#[component]
pub fn LevelRules(rules: GrowthRules) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <ul class="mt-3 space-y-1 text-sm text-slate-700" data-testid="level-rules">
            {[Level::B, Level::A, Level::S]
                .into_iter()
                .map(|level| {
                    let need = rules.requirement(level);
                    view! {
                        <li>
                            <span class=format!("mr-2 inline-flex h-6 w-6 items-center justify-center rounded-md text-xs font-bold {}", level_colors(level))>
                                {level.as_str()}
                            </span>
                            {move || t_string!(
                                i18n,
                                growth_rule_line,
                                tasks = need.finished_tasks,
                                rating = stars_text(need.average_rating_x100),
                                skills = need.skill_breadth,
                                discount = level.commission_discount_bps() / 100
                            )}
                        </li>
                    }
                })
                .collect_view()}
        </ul>
    }
}

/// One challenge: what it asks, each goal ticked off as it is met, the reward, and the time left.
#[component]
fn ChallengeCard(challenge: ChallengeView) -> impl IntoView {
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
            {any_of.then(|| view! { <p class="mt-1 text-[11px] text-slate-400">{t!(i18n, challenge_any_of)}</p> })}
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

/// The skill tree: each branch (后端, 前端, …) with its total and the skills under it.
#[component]
fn SkillTree(skills: Vec<SkillView>) -> impl IntoView {
    let i18n = use_i18n();
    let branches: Vec<(Category, i64, Vec<SkillView>)> = Category::ALL
        .into_iter()
        .filter_map(|branch| {
            let under: Vec<SkillView> = skills.iter().filter(|s| s.branch == branch).cloned().collect();
            let total = under.iter().map(|s| s.points).sum();
            (!under.is_empty()).then_some((branch, total, under))
        })
        .collect();
    view! {
        <div class="mt-4 border-t border-slate-100 pt-3">
            <h3 class="text-sm font-semibold text-slate-700">{t!(i18n, growth_skill_tree)}</h3>
            <ul class="mt-2 space-y-2" data-testid="skill-tree">
                {branches
                    .into_iter()
                    .map(|(branch, total, under)| {
                        view! {
                            <li data-testid=format!("branch-{}", branch.slug())>
                                <div class="flex items-baseline justify-between text-sm">
                                    <span class="font-medium text-slate-800">{move || category_label(i18n, branch)}</span>
                                    <span class="tabular-nums text-slate-500">{total}</span>
                                </div>
                                <ul class="mt-1 flex flex-wrap gap-1.5 border-l-2 border-slate-100 pl-3">
                                    {under
                                        .into_iter()
                                        .map(|skill| {
                                            let points = skill.points;
                                            view! {
                                                <li class="rounded-full bg-slate-50 px-2 py-0.5 text-xs text-slate-600">
                                                    {move || skill_name(i18n, &skill)}
                                                    <span class="ml-1 tabular-nums text-slate-400">{points}</span>
                                                </li>
                                            }
                                        })
                                        .collect_view()}
                                </ul>
                            </li>
                        }
                    })
                    .collect_view()}
            </ul>
        </div>
    }
}

pub fn level_colors(level: Level) -> &'static str {
    match level {
        Level::S => "bg-amber-100 text-amber-700",
        Level::A => "bg-violet-100 text-violet-700",
        Level::B => "bg-blue-100 text-blue-700",
        Level::C => "bg-slate-100 text-slate-600",
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

fn skill_name(i18n: leptos_i18n::I18nContext<Locale>, skill: &SkillView) -> String {
    match i18n.get_locale() {
        Locale::en => skill.name_en.clone(),
        Locale::zh_CN => skill.name_zh.clone(),
    }
}

/// Corner `i` of `n` on a circle of `radius` around (100, 100), starting at the top.
fn radar_point(i: usize, n: usize, radius: f64) -> (f64, f64) {
    let angle = std::f64::consts::TAU * i as f64 / n as f64 - std::f64::consts::FRAC_PI_2;
    (100.0 + radius * angle.cos(), 100.0 + radius * angle.sin())
}

fn polygon(n: usize, radius_of: impl Fn(usize) -> f64) -> String {
    (0..n)
        .map(|i| {
            let (x, y) = radar_point(i, n, radius_of(i));
            format!("{x:.1},{y:.1}")
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// The six strongest skills on a radar, each relative to the strongest. Fewer than three skills
/// still draw a triangle, with the empty corners at zero.
#[component]
pub fn SkillRadar(skills: Vec<SkillView>) -> impl IntoView {
    let i18n = use_i18n();
    let top: Vec<SkillView> = skills.into_iter().take(6).collect();
    let n = top.len().max(3);
    let max = top.iter().map(|s| s.points).max().unwrap_or(1).max(1) as f64;
    let value = |i: usize| top.get(i).map_or(0.0, |s| 70.0 * s.points as f64 / max);
    let shape = polygon(n, value);
    let labels: Vec<(f64, f64, Option<SkillView>)> = (0..n)
        .map(|i| {
            let (x, y) = radar_point(i, n, 88.0);
            (x, y, top.get(i).cloned())
        })
        .collect();
    view! {
        <svg viewBox="-30 0 260 200" class="mx-auto w-full max-w-[16rem]" role="img" data-testid="skill-radar">
            {[0.25, 0.5, 0.75, 1.0]
                .into_iter()
                .map(|ring| view! { <polygon points=polygon(n, |_| 70.0 * ring) fill="none" stroke="#e2e8f0" stroke-width="1" /> })
                .collect_view()}
            <polygon points=shape fill="rgba(37,99,235,0.18)" stroke="#2563eb" stroke-width="2" stroke-linejoin="round" />
            {labels
                .into_iter()
                .map(|(x, y, skill)| {
                    let anchor = if (x - 100.0).abs() < 5.0 { "middle" } else if x > 100.0 { "start" } else { "end" };
                    view! {
                        <text x=format!("{x:.1}") y=format!("{:.1}", y + 4.0) text-anchor=anchor font-size="11" fill="#475569">
                            {move || skill.as_ref().map(|s| skill_name(i18n, s)).unwrap_or_default()}
                        </text>
                    }
                })
                .collect_view()}
        </svg>
    }
}

#[component]
pub fn SkillBars(skills: Vec<SkillView>) -> impl IntoView {
    let i18n = use_i18n();
    let max = skills.iter().map(|s| s.points).max().unwrap_or(1).max(1);
    view! {
        <ul class="space-y-2" data-testid="skill-list">
            {skills
                .into_iter()
                .map(|skill| {
                    let width = (skill.points * 100 / max).max(4);
                    let points = skill.points;
                    view! {
                        <li class="text-sm">
                            <div class="flex justify-between">
                                <span class="text-slate-700">{move || skill_name(i18n, &skill)}</span>
                                <span class="tabular-nums text-slate-500">{points}</span>
                            </div>
                            <div class="mt-1 h-1.5 rounded-full bg-slate-100">
                                <div class="h-1.5 rounded-full bg-blue-500" style=format!("width: {width}%")></div>
                            </div>
                        </li>
                    }
                })
                .collect_view()}
        </ul>
    }
}

#[component]
fn WeeklyXp(weeks: Vec<(String, i64)>) -> impl IntoView {
    let max = weeks.iter().map(|(_, xp)| *xp).max().unwrap_or(0).max(1);
    view! {
        <div class="mt-3 flex h-32 items-end gap-1.5" data-testid="weekly-xp">
            {weeks
                .into_iter()
                .map(|(week, xp)| {
                    let height = if xp > 0 { (xp * 100 / max).max(6) } else { 2 };
                    let title = format!("{week}: {xp} XP");
                    view! {
                        <div class="flex h-full flex-1 flex-col items-center justify-end gap-1" title=title>
                            <div class="w-full rounded-t bg-blue-500/80" style=format!("height: {height}%")></div>
                            <span class="hidden text-[10px] text-slate-400 sm:block">{week}</span>
                        </div>
                    }
                })
                .collect_view()}
        </div>
    }
}
