//! An applicant's evidence on the owner's list: level, rating, credit score, finished work,
//! punctuality, response time, fit to the task, relevant badges and merchants' reviews, with a link
//! to the resume card when it is public. The words for each figure are shared with the comparison
//! table (`compare.rs`), so both read the same.

use crate::{
    components::user_link::UserLink,
    domain::{applicants::ResponseTime, growth::average_text},
    i18n::*,
    pages::credit::CreditBadge,
    views::{
        applicants::{ApplicantEvidence, BadgeLabel, EvidenceReview, FitReason},
        hall::TagLabel,
    },
};
use leptos::prelude::*;

type I18n = leptos_i18n::I18nContext<Locale>;

/// Shown where a figure has nothing to go on yet.
pub(super) const NONE: &str = "—";

fn name_in(i18n: I18n, zh: &str, en: &str) -> String {
    match i18n.get_locale() {
        Locale::en => en.to_string(),
        Locale::zh_CN => zh.to_string(),
    }
}

pub(super) fn tag_name(i18n: I18n, tag: &TagLabel) -> String {
    name_in(i18n, &tag.name_zh, &tag.name_en)
}

pub(super) fn badge_name(i18n: I18n, badge: &BadgeLabel) -> String {
    name_in(i18n, &badge.name_zh, &badge.name_en)
}

/// "4.7★ · 3 次评分", or "暂无评分".
pub(super) fn rating_text(i18n: I18n, evidence: &ApplicantEvidence) -> String {
    match evidence.average_rating_x100 {
        Some(x100) => {
            t_string!(i18n, applicant_rating, rating = average_text(x100), count = evidence.rating_count).to_string()
        }
        None => t_string!(i18n, applicant_unrated).to_string(),
    }
}

pub(super) fn on_time_text(evidence: &ApplicantEvidence) -> String {
    evidence.on_time_share.map_or_else(|| NONE.to_string(), |share| format!("{share}%"))
}

pub(super) fn response_text(i18n: I18n, time: Option<ResponseTime>) -> String {
    match time {
        Some(ResponseTime::Minutes(count)) => t_string!(i18n, applicant_response_minutes, count = count).to_string(),
        Some(ResponseTime::Hours(count)) => t_string!(i18n, applicant_response_hours, count = count).to_string(),
        Some(ResponseTime::Days(count)) => t_string!(i18n, applicant_response_days, count = count).to_string(),
        None => NONE.to_string(),
    }
}

/// "匹配: Rust, PostgreSQL", or that no skill matched.
pub(super) fn fit_text(i18n: I18n, fit: &Option<FitReason>) -> String {
    match fit {
        Some(fit) => {
            let tags: Vec<String> = fit.matched.iter().map(|tag| tag_name(i18n, tag)).collect();
            t_string!(i18n, applicant_fit, tags = tags.join(", ")).to_string()
        }
        None => t_string!(i18n, applicant_no_fit).to_string(),
    }
}

/// "A 级".
pub(super) fn level_text(i18n: I18n, evidence: &ApplicantEvidence) -> String {
    t_string!(i18n, applicant_level, level = evidence.level.as_str()).to_string()
}

#[component]
pub(super) fn EvidenceCard(evidence: ApplicantEvidence) -> impl IntoView {
    let i18n = use_i18n();
    let figure = "whitespace-nowrap";
    let level = {
        let card = evidence.clone();
        move || level_text(i18n, &card)
    };
    let rating = {
        let card = evidence.clone();
        move || rating_text(i18n, &card)
    };
    let (all, in_tags) = (evidence.finished_tasks, evidence.finished_in_tags);
    let finished = move || t_string!(i18n, applicant_finished, count = all, in_tags = in_tags).to_string();
    let share = on_time_text(&evidence);
    let on_time = move || t_string!(i18n, applicant_on_time, share = share.clone()).to_string();
    let time = evidence.response_time;
    let response = move || t_string!(i18n, applicant_response, time = response_text(i18n, time)).to_string();
    let fit = {
        let fit = evidence.fit.clone();
        move || fit_text(i18n, &fit)
    };
    view! {
        <div class="mt-2 space-y-2 text-xs text-slate-600" data-testid="applicant-evidence">
            <div class="flex flex-wrap items-center gap-x-3 gap-y-1.5">
                <span class="whitespace-nowrap rounded bg-blue-50 px-1.5 py-0.5 font-semibold text-blue-700" data-testid="applicant-level">
                    {level}
                </span>
                <span class=figure data-testid="applicant-rating">{rating}</span>
                <CreditBadge score=evidence.credit />
                <span class=figure data-testid="applicant-finished">{finished}</span>
                <span class=figure data-testid="applicant-on-time">{on_time}</span>
                <span class=figure data-testid="applicant-response">{response}</span>
            </div>
            <p class="text-slate-700" data-testid="applicant-fit">{fit}</p>
            {(!evidence.badges.is_empty()).then(|| view! {
                <ul class="flex flex-wrap gap-1.5" data-testid="applicant-badges">
                    {evidence.badges.iter().cloned().map(|badge| view! {
                        <li class="rounded-full bg-amber-50 px-2 py-0.5 font-medium text-amber-800">
                            {move || badge_name(i18n, &badge)}
                        </li>
                    }).collect_view()}
                </ul>
            })}
            {(!evidence.reviews.is_empty()).then(|| view! {
                <ul class="space-y-1 border-l-2 border-slate-100 pl-2" data-testid="applicant-reviews">
                    {evidence.reviews.iter().cloned().map(|review| view! { <QuotedReview review /> }).collect_view()}
                </ul>
            })}
            {match evidence.page.clone() {
                Some(href) => view! {
                    <a href=href class="inline-block font-medium text-blue-700 hover:underline" data-testid="applicant-resume">
                        {t!(i18n, applicant_resume)}
                    </a>
                }.into_any(),
                None => view! { <span class="text-slate-500">{t!(i18n, applicant_card_hidden)}</span> }.into_any(),
            }}
        </div>
    }
}

#[component]
fn QuotedReview(review: EvidenceReview) -> impl IntoView {
    let i18n = use_i18n();
    let stars = review.stars.min(5) as usize;
    let author = match review.author_name {
        Some(name) => view! { <UserLink name page=review.author_page /> }.into_any(),
        None => view! { <span>{t!(i18n, applicant_review_private)}</span> }.into_any(),
    };
    view! {
        <li data-testid="applicant-review">
            <span class="text-amber-500" aria-label=format!("{stars}/5")>{"★".repeat(stars)}</span>
            {(!review.body.is_empty()).then(|| view! { <span class="ml-1 text-slate-700">"“" {review.body.clone()} "”"</span> })}
            <span class="ml-1 whitespace-nowrap text-slate-500">"— " {author} " · " {review.written_on}</span>
        </li>
    }
}
