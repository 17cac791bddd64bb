//! The owner's tools over the applicant list: the order (`?sort=`) and the side-by-side comparison
//! of up to three applicants (`?compare=`). Plain links, so both work without JavaScript; the
//! rules are `domain::applicants`.

use super::applicant_card::{badge_name, fit_text, level_text, on_time_text, rating_text, response_text, NONE};
use crate::{
    components::{style::CARD, user_link::UserLink},
    domain::applicants::{applicants_href, ApplicantSort, Comparison, COMPARE_LIMIT},
    i18n::*,
    views::{applicants::ApplicantEvidence, tasks::ApplicationView},
};
use leptos::prelude::*;
use uuid::Uuid;

type I18n = leptos_i18n::I18nContext<Locale>;

fn sort_label(i18n: I18n, sort: ApplicantSort) -> &'static str {
    match sort {
        ApplicantSort::Fit => t_string!(i18n, applicants_sort_fit),
        ApplicantSort::Rating => t_string!(i18n, applicants_sort_rating),
        ApplicantSort::Time => t_string!(i18n, applicants_sort_time),
    }
}

/// "排序: 匹配度 · 评分 · 投递时间", the current order marked.
#[component]
pub(super) fn SortBar(task: Uuid, sort: ApplicantSort, compare: Vec<Uuid>) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <nav class="mt-3 flex flex-wrap items-center gap-1.5 text-xs" data-testid="applicant-sort">
            <span class="text-slate-500">{t!(i18n, applicants_sort_label)}</span>
            {ApplicantSort::ALL
                .into_iter()
                .map(|option| {
                    let current = option == sort;
                    let class = if current {
                        "whitespace-nowrap rounded-full bg-blue-600 px-2.5 py-1 font-medium text-white"
                    } else {
                        "whitespace-nowrap rounded-full bg-slate-100 px-2.5 py-1 text-slate-700 hover:bg-slate-200"
                    };
                    view! {
                        <a
                            href=applicants_href(task, option, &compare)
                            class=class
                            aria-current=current.then_some("true")
                            data-testid=format!("sort-{}", option.as_str())
                        >
                            {move || sort_label(i18n, option)}
                        </a>
                    }
                })
                .collect_view()}
        </nav>
    }
}

/// The link on an applicant's card that puts them in the comparison or takes them out.
#[component]
pub(super) fn CompareToggle(
    task: Uuid,
    sort: ApplicantSort,
    comparison: Comparison,
    application: Uuid,
) -> impl IntoView {
    let i18n = use_i18n();
    let link = "whitespace-nowrap text-xs font-medium text-blue-700 hover:underline";
    if comparison.contains(application) {
        let href = applicants_href(task, sort, &comparison.without(application));
        view! { <a href=href class=link data-testid="compare-remove">{t!(i18n, compare_remove)}</a> }.into_any()
    } else {
        let href = applicants_href(task, sort, &comparison.with(application));
        view! { <a href=href class=link data-testid="compare-add">{t!(i18n, compare_add)}</a> }.into_any()
    }
}

/// The compared applicants side by side, one column each; says so when a fourth was refused.
#[component]
pub(super) fn CompareTable(
    task: Uuid,
    sort: ApplicantSort,
    refused: bool,
    compared: Vec<(ApplicationView, ApplicantEvidence)>,
) -> impl IntoView {
    let i18n = use_i18n();
    let ids: Vec<Uuid> = compared.iter().map(|(application, _)| application.id).collect();
    let rows: [(&'static str, fn(I18n, &ApplicantEvidence) -> String); 9] = [
        ("level", |i18n, e| level_text(i18n, e)),
        ("rating", |i18n, e| rating_text(i18n, e)),
        ("credit", |_, e| e.credit.score.to_string()),
        ("finished", |_, e| e.finished_tasks.to_string()),
        ("in-tags", |_, e| e.finished_in_tags.to_string()),
        ("on-time", |_, e| on_time_text(e)),
        ("response", |i18n, e| response_text(i18n, e.response_time)),
        ("fit", |i18n, e| fit_text(i18n, &e.fit)),
        ("badges", |i18n, e| {
            let names: Vec<String> = e.badges.iter().map(|badge| badge_name(i18n, badge)).collect();
            if names.is_empty() {
                NONE.to_string()
            } else {
                names.join("、")
            }
        }),
    ];
    let row_label = move |key: &str| match key {
        "level" => t_string!(i18n, compare_level),
        "rating" => t_string!(i18n, compare_rating),
        "credit" => t_string!(i18n, compare_credit),
        "finished" => t_string!(i18n, compare_finished),
        "in-tags" => t_string!(i18n, compare_in_tags),
        "on-time" => t_string!(i18n, compare_on_time),
        "response" => t_string!(i18n, compare_response),
        "fit" => t_string!(i18n, compare_fit),
        _ => t_string!(i18n, compare_badges),
    };
    let cell = "px-2 py-1.5 align-top text-slate-700";
    view! {
        <section class=format!("{CARD} mt-3") data-testid="compare">
            <div class="flex flex-wrap items-baseline justify-between gap-2">
                <h3 class="text-sm font-semibold text-slate-900">{t!(i18n, compare_title)}</h3>
                {(!ids.is_empty()).then(|| view! {
                    <a href=applicants_href(task, sort, &[]) class="text-xs text-slate-500 hover:underline">
                        {t!(i18n, compare_clear)}
                    </a>
                })}
            </div>
            {refused.then(|| view! {
                <p class="mt-2 rounded-lg bg-amber-50 px-3 py-2 text-xs text-amber-800" role="alert" data-testid="compare-refused">
                    {move || t_string!(i18n, compare_limit, limit = COMPARE_LIMIT).to_string()}
                </p>
            })}
            {(!compared.is_empty()).then(|| view! {
                // Wider than a phone with three columns: the table scrolls sideways inside the card.
                <div class="mt-2 overflow-x-auto">
                    <table class="min-w-full text-xs">
                        <thead>
                            <tr class="border-b border-slate-100 text-left">
                                <th class="px-2 py-1.5"></th>
                                {compared.iter().map(|(application, evidence)| {
                                    let others: Vec<Uuid> = ids.iter().copied().filter(|id| *id != application.id).collect();
                                    view! {
                                        <th class="min-w-[8rem] px-2 py-1.5 font-medium text-slate-900" data-testid="compare-column">
                                            <UserLink name=application.developer_name.clone() page=evidence.page.clone() />
                                            <a href=applicants_href(task, sort, &others) class="ml-1 font-normal text-slate-500 hover:text-slate-600" aria-label=move || t_string!(i18n, compare_remove)>
                                                "×"
                                            </a>
                                        </th>
                                    }
                                }).collect_view()}
                            </tr>
                        </thead>
                        <tbody>
                            {rows.into_iter().map(|(key, value)| view! {
                                <tr class="border-b border-slate-50" data-testid=format!("compare-row-{key}")>
                                    <th class="whitespace-nowrap px-2 py-1.5 text-left font-normal text-slate-500">{move || row_label(key)}</th>
                                    {compared.iter().map(|(_, evidence)| {
                                        let evidence = evidence.clone();
                                        view! { <td class=cell>{move || value(i18n, &evidence)}</td> }
                                    }).collect_view()}
                                </tr>
                            }).collect_view()}
                        </tbody>
                    </table>
                </div>
            })}
        </section>
    }
}
