//! One developer in the results of `/developers`: who they are, what they say they are, and the
//! record the platform kept (skills with points, level, rating, credit score, finished work), with
//! whether they take work now and what they ask per hour.

use crate::{
    domain::{
        growth::average_text,
        hall::highlight,
        talent::{Availability, AvailabilityStatus},
    },
    i18n::*,
    pages::growth::level_colors,
    views::{
        portfolio::PortfolioSummary,
        talent::{SkillPoints, TalentResult},
    },
};
use leptos::prelude::*;

/// A result card. `children`, when given, are the card's actions beside "view resume" (the place
/// for an invitation to one of the merchant's tasks).
#[component]
pub fn TalentResultCard(
    result: TalentResult,
    /// Search terms to highlight in the name and headline.
    #[prop(default = Vec::new())]
    terms: Vec<String>,
    #[prop(optional)] children: Option<Children>,
) -> impl IntoView {
    let i18n = use_i18n();
    let TalentResult {
        handle,
        name,
        headline,
        level,
        average_rating_x100,
        rating_count,
        credit_score,
        finished_tasks,
        availability,
        expected_rate,
        skills,
        matched,
        portfolio,
        ..
    } = result;
    let card = format!("/u/{handle}");
    view! {
        <article
            class="flex flex-col gap-3 rounded-xl border border-slate-200 bg-white p-4 shadow-sm sm:p-5"
            data-testid="talent-result"
            data-handle=handle.clone()
        >
            <div class="flex flex-wrap items-start justify-between gap-2">
                <div class="min-w-0">
                    <h2 class="flex flex-wrap items-center gap-2">
                        <a href=card.clone() class="break-all text-base font-semibold text-slate-900 hover:text-blue-700" data-testid="talent-name">
                            <Highlighted text=name terms=terms.clone() />
                        </a>
                        <span class=format!("whitespace-nowrap rounded-md px-1.5 py-0.5 text-xs font-bold {}", level_colors(level)) data-testid="talent-level">
                            {move || t_string!(i18n, resume_level, level = level.as_str())}
                        </span>
                    </h2>
                    {(!headline.is_empty()).then(|| view! {
                        <p class="mt-1 break-words text-sm text-slate-600" data-testid="talent-headline">
                            <Highlighted text=headline terms=terms.clone() />
                        </p>
                    })}
                </div>
                <AvailabilityBadge availability />
            </div>
            <ul class="flex flex-wrap gap-1.5" data-testid="talent-skills">
                {skills.into_iter().map(|skill| {
                    let hit = matched.contains(&skill.tag.slug);
                    view! { <SkillChip skill hit /> }
                }).collect_view()}
            </ul>
            {(!portfolio.is_empty()).then(|| view! { <PortfolioHighlights items=portfolio card=card.clone() /> })}
            <dl class="flex flex-wrap gap-x-4 gap-y-1 text-sm text-slate-600">
                <div class="whitespace-nowrap" data-testid="talent-rating">
                    <dt class="sr-only">{t!(i18n, talent_rating_label)}</dt>
                    <dd>
                        {match average_rating_x100 {
                            Some(x100) => {
                                let rating = average_text(x100);
                                view! {
                                    <span class="font-semibold text-amber-600">{move || t_string!(i18n, talent_rating, rating = rating.clone(), count = rating_count)}</span>
                                }.into_any()
                            }
                            None => view! { <span class="text-slate-500">{t!(i18n, talent_no_rating)}</span> }.into_any(),
                        }}
                    </dd>
                </div>
                <div class="whitespace-nowrap" data-testid="talent-credit">
                    <dt class="sr-only">{t!(i18n, nav_credit)}</dt>
                    <dd>{move || t_string!(i18n, talent_credit, score = credit_score)}</dd>
                </div>
                <div class="whitespace-nowrap" data-testid="talent-finished">
                    <dt class="sr-only">{t!(i18n, field_level_tasks)}</dt>
                    <dd>{move || t_string!(i18n, talent_finished, count = finished_tasks)}</dd>
                </div>
                <div class="whitespace-nowrap" data-testid="talent-rate">
                    <dt class="sr-only">{t!(i18n, field_expected_rate)}</dt>
                    <dd>
                        {match expected_rate {
                            Some(rate) => {
                                let rate = rate.display_yuan();
                                view! { <span class="font-semibold tabular-nums text-orange-700">{move || t_string!(i18n, talent_rate, rate = rate.clone())}</span> }.into_any()
                            }
                            None => view! { <span class="text-slate-500">{t!(i18n, talent_rate_unset)}</span> }.into_any(),
                        }}
                    </dd>
                </div>
            </dl>
            <div class="flex flex-wrap items-center justify-end gap-2" data-testid="talent-actions">
                <a href=card class="whitespace-nowrap rounded-lg border border-slate-300 px-3 py-1.5 text-sm font-medium text-slate-700 hover:bg-slate-50">
                    {t!(i18n, talent_view_card)}
                </a>
                {children.map(|actions| actions())}
            </div>
        </article>
    }
}

/// The first items of the developer's portfolio (作品集), each with its first image and the
/// platform's mark on a pinned finished task; the whole list is on their card.
#[component]
fn PortfolioHighlights(items: Vec<PortfolioSummary>, card: String) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <ul class="flex flex-wrap gap-2" data-testid="talent-portfolio" aria-label=move || t_string!(i18n, portfolio_title)>
            {items
                .into_iter()
                .map(|item| view! {
                    <li class="flex min-w-0 max-w-full items-center gap-2 rounded-lg border border-slate-200 bg-slate-50 p-1.5 pr-2.5">
                        {item.image_url.map(|src| view! {
                            <img src=src alt="" loading="lazy" class="h-9 w-12 shrink-0 rounded object-cover" />
                        })}
                        <a href=format!("{card}#portfolio") class="min-w-0 truncate text-sm text-slate-700 hover:text-blue-700">{item.title}</a>
                        {item.verified.then(|| view! {
                            <span class="whitespace-nowrap rounded bg-emerald-50 px-1.5 py-0.5 text-xs text-emerald-700">{t!(i18n, portfolio_verified)}</span>
                        })}
                    </li>
                })
                .collect_view()}
        </ul>
    }
}

/// Text with the search terms marked.
#[component]
fn Highlighted(text: String, terms: Vec<String>) -> impl IntoView {
    highlight(&text, &terms)
        .into_iter()
        .map(|(run, hit)| {
            if hit {
                view! { <mark class="rounded bg-amber-100 px-0.5 text-inherit" data-testid="hit">{run}</mark> }
                    .into_any()
            } else {
                run.into_any()
            }
        })
        .collect_view()
}

/// A skill and the points earned in it on finished work ("自述" for a skill only declared); the
/// tags the search asked for stand out.
#[component]
fn SkillChip(skill: SkillPoints, hit: bool) -> impl IntoView {
    let i18n = use_i18n();
    let SkillPoints { tag, points } = skill;
    let class = if hit {
        "inline-flex items-center gap-1 whitespace-nowrap rounded-full bg-blue-600 px-2.5 py-0.5 text-xs font-medium text-white"
    } else {
        "inline-flex items-center gap-1 whitespace-nowrap rounded-full bg-blue-50 px-2.5 py-0.5 text-xs font-medium text-blue-700"
    };
    view! {
        <li class=class data-testid="talent-skill" data-slug=tag.slug.clone() data-matched=hit.to_string()>
            {move || match i18n.get_locale() {
                Locale::en => tag.name_en.clone(),
                Locale::zh_CN => tag.name_zh.clone(),
            }}
            <span class="tabular-nums opacity-75">
                {move || if points > 0 { points.to_string() } else { t_string!(i18n, talent_skill_declared).to_string() }}
            </span>
        </li>
    }
}

/// 接单中 / 忙碌 / 暂停接单, with the day it lasts until.
#[component]
pub fn AvailabilityBadge(availability: Availability) -> impl IntoView {
    let i18n = use_i18n();
    let status = availability.status();
    let until = availability.until().map(str::to_string);
    let class = match status {
        AvailabilityStatus::Available => "bg-emerald-50 text-emerald-700",
        AvailabilityStatus::Busy => "bg-amber-50 text-amber-700",
        AvailabilityStatus::Paused => "bg-slate-100 text-slate-500",
    };
    view! {
        <span
            class=format!("shrink-0 whitespace-nowrap rounded-full px-2.5 py-0.5 text-xs font-medium {class}")
            data-testid="talent-availability"
            data-status=status.as_str()
        >
            {move || availability_label(i18n, status)}
            {until.clone().map(|date| view! { " · " {move || t_string!(i18n, availability_until, date = date.clone())} })}
        </span>
    }
}

pub fn availability_label(i18n: leptos_i18n::I18nContext<Locale>, status: AvailabilityStatus) -> &'static str {
    match status {
        AvailabilityStatus::Available => t_string!(i18n, availability_available),
        AvailabilityStatus::Busy => t_string!(i18n, availability_busy),
        AvailabilityStatus::Paused => t_string!(i18n, availability_paused),
    }
}
