//! The task hall (home page): open tasks from the database, searched, filtered, ordered and paged
//! through the URL (`domain::hall::HallQuery`), so every view has an address, renders on the server
//! and works with JavaScript off; in the browser, paging and filters load in place (`InPlace`).

use crate::{
    api::hall::{for_you, hall_page, saved_searches, DeleteSavedSearchFn, SaveSearchFn},
    components::{
        errors::{ErrorPanel, FormAlert},
        layout::use_session,
        live::InPlace,
        pager::Pager,
        seo::PageMeta,
        style::{INPUT, PRIMARY},
        task_card::{difficulty_label, merchant_kind_label, TaskCard},
        url_query::use_url_query,
    },
    domain::{
        account::{MerchantKind, Role},
        growth::Level,
        hall::{HallQuery, HallSort},
        tasks::Difficulty,
        url_query::UrlQuery,
    },
    i18n::*,
    views::hall::{Recommendation, SavedSearch, TagCount, TaskSummary},
};
use leptos::prelude::*;
use leptos_router::components::{Form, A};

#[component]
pub fn HallPage() -> impl IntoView {
    let i18n = use_i18n();
    let query = use_url_query::<HallQuery>();
    let hall = Resource::new(move || query.get(), hall_page);
    // The side panels' data is loaded here, beside the hall's own, and awaited in the same Suspend:
    // a Resource created within the Transition's Suspend, or read in a Suspense nested inside it,
    // broke hydration (the nested boundary could hydrate before its data arrived).
    let show_picks = Memo::new(move |_| query.with(|q| q.is_plain() && q.page <= 1));
    let picks = Resource::new(
        move || show_picks.get(),
        |show| async move {
            if show {
                for_you().await
            } else {
                Ok(Vec::new())
            }
        },
    );
    let save = ServerAction::<SaveSearchFn>::new();
    let delete = ServerAction::<DeleteSavedSearchFn>::new();
    let saved = Resource::new(|| (), |_| saved_searches());
    let session = use_session();
    // A plain string (see root::DocumentTitle): read after the page's owner may be gone.
    let description = td_string!(i18n.get_locale_untracked(), seo_hall_description).to_string();
    view! {
        <PageMeta description path="/".to_string() />
        <section class="mb-5">
            <h1 class="text-2xl font-bold tracking-tight text-slate-900 sm:text-3xl">
                {t!(i18n, hall_title)}
            </h1>
            <p class="mt-1 text-sm text-slate-500">{t!(i18n, tagline)}</p>
        </section>
        // Paging and filtering load the next results in place (no page load) once the page is live.
        <InPlace>
        <Transition fallback=HallSkeleton>
            {move || Suspend::new(async move {
                let query = query.get_untracked();
                let is_developer = matches!(session.user.await, Ok(Some(user)) if user.role == Role::Developer);
                let picks = picks.await.unwrap_or_default();
                let saved = saved.await.unwrap_or_default();
                match hall.await {
                    Ok(result) => {
                        let narrowed = !query.q.is_empty() || query.has_filters();
                        let total = result.total;
                        let viewer_level = result.viewer_level;
                        let terms = result.terms.clone();
                        let pager_query = query.clone();
                        view! {
                            <div class="grid gap-5 lg:grid-cols-[17rem_1fr]">
                                <div class="space-y-4">
                                    <HallFilters query=query.clone() tag_counts=result.tag_counts.clone() />
                                    {is_developer.then(|| view! { <SavedSearches query=query.clone() list=saved save delete /> })}
                                </div>
                                <div class="min-w-0">
                                    {(query.is_plain() && query.page <= 1 && !picks.is_empty()).then(|| view! { <ForYou picks /> })}
                                    {(!result.pinned.is_empty()).then(|| view! { <Pinned tasks=result.pinned.clone() viewer_level /> })}
                                    <p class="mb-3 text-sm text-slate-600" data-testid="hall-count">
                                        {move || if narrowed {
                                            t_string!(i18n, hall_found, count = total).to_string()
                                        } else {
                                            t_string!(i18n, hall_subtitle, count = total).to_string()
                                        }}
                                    </p>
                                    {if result.tasks.is_empty() {
                                        view! { <EmptyHall narrowed /> }.into_any()
                                    } else {
                                        view! {
                                            <div class="grid gap-3 xl:grid-cols-2" data-testid="task-list">
                                                {result
                                                    .tasks
                                                    .into_iter()
                                                    .map(|task| view! { <TaskCard task viewer_level=viewer_level terms=terms.clone() /> })
                                                    .collect_view()}
                                            </div>
                                            <Pager
                                                page=result.page
                                                pages=result.pages
                                                href=Callback::new(move |page| format!("/?{}", pager_query.with_page(page).to_query_string()))
                                            />
                                        }
                                            .into_any()
                                    }}
                                </div>
                            </div>
                        }
                            .into_any()
                    }
                    Err(error) => view! { <ErrorPanel error /> }.into_any(),
                }
            })}
        </Transition>
        </InPlace>
    }
}

/// Paid pins matching the query, in their own labelled strip above the results.
#[component]
fn Pinned(tasks: Vec<TaskSummary>, viewer_level: Option<Level>) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <section class="mb-6 rounded-xl border border-amber-200 bg-amber-50/60 p-4" data-testid="pinned">
            <h2 class="text-base font-semibold text-slate-900">{t!(i18n, hall_pinned_title)}</h2>
            <p class="mt-0.5 text-xs text-slate-500">{t!(i18n, hall_pinned_hint)}</p>
            <div class="mt-3 grid gap-3 xl:grid-cols-2">
                {tasks.into_iter().map(|task| view! { <TaskCard task viewer_level /> }).collect_view()}
            </div>
        </section>
    }
}

/// "为你推荐" for a logged-in developer, each task with the skills that matched; nothing for
/// anyone else (the server returns no recommendations).
#[component]
fn ForYou(picks: Vec<Recommendation>) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <section class="mb-6 rounded-xl border border-blue-100 bg-blue-50/60 p-4" data-testid="for-you">
            <h2 class="text-base font-semibold text-slate-900">{t!(i18n, for_you_title)}</h2>
            <p class="mt-0.5 text-xs text-slate-500">{t!(i18n, for_you_hint)}</p>
            <div class="mt-3 grid gap-3 xl:grid-cols-2">
                {picks.into_iter().map(|pick| view! { <Pick pick /> }).collect_view()}
            </div>
        </section>
    }
}

#[component]
fn Pick(pick: Recommendation) -> impl IntoView {
    let i18n = use_i18n();
    let Recommendation { task, matched } = pick;
    let reason = move || {
        let zh = i18n.get_locale() == Locale::zh_CN;
        let names: Vec<&str> =
            matched.iter().map(|tag| if zh { tag.name_zh.as_str() } else { tag.name_en.as_str() }).collect();
        t_string!(i18n, for_you_reason, tags = names.join(if zh { "、" } else { ", " })).to_string()
    };
    view! {
        <div class="space-y-1">
            <p class="text-xs font-medium text-blue-700" data-testid="for-you-reason">{reason}</p>
            <TaskCard task />
        </div>
    }
}

/// The search box and filters: a GET form, so submitting writes them to the URL.
#[component]
fn HallFilters(query: HallQuery, tag_counts: Vec<TagCount>) -> impl IntoView {
    let i18n = use_i18n();
    let label = "block text-xs font-medium text-slate-500";
    let select = |name: &'static str, id: &'static str, options: Vec<(String, Signal<String>)>, chosen: String| {
        view! {
            <select id=id name=name class=INPUT>
                {options
                    .into_iter()
                    .map(|(value, text)| {
                        let selected = value == chosen;
                        view! { <option value=value selected=selected>{text}</option> }
                    })
                    .collect_view()}
            </select>
        }
    };
    let any = move || (String::new(), Signal::derive(move || t_string!(i18n, filter_any).to_string()));
    let difficulties = move || {
        std::iter::once(any())
            .chain((1..=5).map(|level| {
                let difficulty = Difficulty::new(level).expect("1–5 are difficulties");
                (level.to_string(), Signal::derive(move || difficulty_label(i18n, difficulty).to_string()))
            }))
            .collect::<Vec<_>>()
    };
    let due = std::iter::once(any())
        .chain([3, 7, 14, 30].into_iter().map(|days| {
            (days.to_string(), Signal::derive(move || t_string!(i18n, filter_due_days, days = days).to_string()))
        }))
        .collect();
    let kinds = std::iter::once(any())
        .chain([MerchantKind::Company, MerchantKind::Team, MerchantKind::Individual].into_iter().map(|kind| {
            (kind.as_str().to_string(), Signal::derive(move || merchant_kind_label(i18n, kind).to_string()))
        }))
        .collect();
    // The default order is "no order chosen": relevance with search words, newest without.
    let default_sort = (String::new(), Signal::derive(move || t_string!(i18n, sort_default).to_string()));
    let sorts = std::iter::once(default_sort)
        .chain([HallSort::Newest, HallSort::Reward, HallSort::Deadline].into_iter().map(|sort| {
            let text = Signal::derive(move || {
                match sort {
                    HallSort::Newest => t_string!(i18n, sort_newest),
                    HallSort::Reward => t_string!(i18n, sort_reward),
                    HallSort::Deadline => t_string!(i18n, sort_deadline),
                    HallSort::Relevance => t_string!(i18n, sort_relevance),
                }
                .to_string()
            });
            (sort.as_str().to_string(), text)
        }))
        .collect();
    fn number(n: Option<i64>) -> String {
        n.map(|n| n.to_string()).unwrap_or_default()
    }
    let yuan = |fen: Option<i64>| number(fen.map(|fen| fen / 100));
    let chosen_tags = query.tags.clone();
    let more_open = query.difficulty_min.is_some()
        || query.difficulty_max.is_some()
        || query.reward_min_fen.is_some()
        || query.reward_max_fen.is_some()
        || query.due_within_days.is_some()
        || query.merchant_kind.is_some()
        || query.sort.is_some();
    view! {
        <aside class="space-y-4">
            <Form method="GET" action="/" attr:class="space-y-4 rounded-xl border border-slate-200 bg-white p-4 shadow-sm" attr:data-testid="hall-filters">
                <div class="flex gap-2">
                    <label for="hall-q" class="sr-only">{t!(i18n, action_search)}</label>
                    <input
                        id="hall-q"
                        type="search"
                        name="q"
                        value=query.q.clone()
                        maxlength="100"
                        class=INPUT
                        placeholder=move || t_string!(i18n, hall_search_placeholder)
                        data-testid="hall-search"
                    />
                    <button type="submit" class=format!("{PRIMARY} shrink-0 whitespace-nowrap") data-testid="hall-search-submit">{t!(i18n, action_search)}</button>
                </div>
                <fieldset>
                    <legend class=label>{t!(i18n, filter_tags)}</legend>
                    <div class="mt-2 flex max-h-48 flex-wrap gap-1.5 overflow-y-auto">
                        {tag_counts
                            .into_iter()
                            .map(|TagCount { tag, tasks }| {
                                let checked = chosen_tags.contains(&tag.slug);
                                let zh = tag.name_zh.clone();
                                let en = tag.name_en.clone();
                                view! {
                                    <label class="inline-flex cursor-pointer items-center gap-1 rounded-full border border-slate-200 px-2 py-0.5 text-xs text-slate-700 has-[:checked]:border-blue-300 has-[:checked]:bg-blue-50 has-[:checked]:text-blue-700">
                                        <input type="checkbox" name="tag" value=tag.slug.clone() checked=checked class="sr-only" data-testid=format!("filter-tag-{}", tag.slug) />
                                        {move || if i18n.get_locale() == Locale::zh_CN { zh.clone() } else { en.clone() }}
                                        <span class="tabular-nums text-slate-500">{tasks}</span>
                                    </label>
                                }
                            })
                            .collect_view()}
                    </div>
                </fieldset>
                // The rarer filters fold away (a phone sees the results sooner); open when one is set.
                <details class="group" open=more_open>
                    <summary class="cursor-pointer select-none text-sm font-medium text-slate-600 hover:text-slate-900" data-testid="hall-more">
                        {t!(i18n, filter_more)}
                    </summary>
                    <div class="mt-3 space-y-4">
                        <div>
                            <span class=label>{t!(i18n, filter_difficulty)}</span>
                            <div class="mt-1 grid grid-cols-2 gap-2">
                                {select("dmin", "hall-dmin", difficulties(), number(query.difficulty_min.map(i64::from)))}
                                {select("dmax", "hall-dmax", difficulties(), number(query.difficulty_max.map(i64::from)))}
                            </div>
                        </div>
                        <div>
                            <span class=label>{t!(i18n, filter_reward)}</span>
                            <div class="mt-1 grid grid-cols-2 gap-2">
                                <input name="rmin" inputmode="numeric" value=yuan(query.reward_min_fen) class=INPUT placeholder=move || t_string!(i18n, filter_from) aria-label=move || t_string!(i18n, filter_from) data-testid="hall-rmin" />
                                <input name="rmax" inputmode="numeric" value=yuan(query.reward_max_fen) class=INPUT placeholder=move || t_string!(i18n, filter_to) aria-label=move || t_string!(i18n, filter_to) data-testid="hall-rmax" />
                            </div>
                        </div>
                        <div class="grid grid-cols-2 gap-2">
                            <div>
                                <label for="hall-due" class=label>{t!(i18n, filter_due)}</label>
                                {select("due", "hall-due", due, number(query.due_within_days.map(i64::from)))}
                            </div>
                            <div>
                                <label for="hall-kind" class=label>{t!(i18n, filter_kind)}</label>
                                {select("kind", "hall-kind", kinds, query.merchant_kind.map(|k| k.as_str().to_string()).unwrap_or_default())}
                            </div>
                        </div>
                        <div>
                            <label for="hall-sort" class=label>{t!(i18n, filter_sort)}</label>
                            {select("sort", "hall-sort", sorts, query.sort.map(|sort| sort.as_str().to_string()).unwrap_or_default())}
                        </div>
                    </div>
                </details>
                <div class="flex items-center justify-between gap-2">
                    <A href="/" attr:class="text-sm text-slate-500 hover:text-slate-800" attr:data-testid="hall-clear">
                        {t!(i18n, action_clear_filters)}
                    </A>
                    <button type="submit" class=PRIMARY data-testid="hall-apply">{t!(i18n, action_apply_filters)}</button>
                </div>
            </Form>
        </aside>
    }
}

/// A developer's saved searches, with how many new tasks match each, and a button that saves the
/// current one. Nothing for visitors and other roles (the server lists nothing for them).
#[component]
fn SavedSearches(
    query: HallQuery,
    list: Vec<SavedSearch>,
    save: ServerAction<SaveSearchFn>,
    delete: ServerAction<DeleteSavedSearchFn>,
) -> impl IntoView {
    let i18n = use_i18n();
    let error = Signal::derive(move || save.value().get().and_then(Result::err));
    let savable = !query.is_plain();
    (savable || !list.is_empty()).then(|| view! {
        <section class="rounded-xl border border-slate-200 bg-white p-4 shadow-sm" data-testid="saved-searches">
            <h2 class="text-sm font-semibold text-slate-900">{t!(i18n, saved_title)}</h2>
            <ul class="mt-2 space-y-1.5 text-sm">
                {list.into_iter().map(|search| view! { <SavedSearchRow search delete /> }).collect_view()}
            </ul>
            {savable.then(|| view! {
                <ActionForm action=save attr:class="mt-3 space-y-2">
                    <HiddenQuery query=query.clone() />
                    <button type="submit" class="w-full rounded-lg border border-blue-200 bg-blue-50 px-3 py-2 text-sm font-medium text-blue-700 hover:bg-blue-100" data-testid="save-search">
                        {t!(i18n, action_save_search)}
                    </button>
                    <FormAlert error />
                    {move || matches!(save.value().get(), Some(Ok(()))).then(|| view! {
                        <p class="text-xs text-emerald-700" role="status">{t!(i18n, saved_done)}</p>
                    })}
                </ActionForm>
            })}
        </section>
    })
}

#[component]
fn SavedSearchRow(search: SavedSearch, delete: ServerAction<DeleteSavedSearchFn>) -> impl IntoView {
    let i18n = use_i18n();
    let SavedSearch { id, query, url, new_tasks } = search;
    let mut label: Vec<String> = Vec::new();
    if !query.q.is_empty() {
        label.push(format!("“{}”", query.q));
    }
    label.extend(query.tags.iter().map(|tag| format!("#{tag}")));
    let label = if label.is_empty() { None } else { Some(label.join(" ")) };
    view! {
        <li class="flex items-center justify-between gap-2" data-testid="saved-search">
            <A href=format!("/?{url}") attr:class="min-w-0 truncate text-blue-700 hover:underline">
                {match label {
                    Some(label) => label.into_any(),
                    None => view! { <span>{t!(i18n, saved_filters_only)}</span> }.into_any(),
                }}
            </A>
            <div class="flex shrink-0 items-center gap-2">
                {(new_tasks > 0).then(|| view! {
                    <span class="rounded-full bg-orange-100 px-2 py-0.5 text-xs font-medium text-orange-700" data-testid="saved-new">
                        {move || t_string!(i18n, saved_new, count = new_tasks)}
                    </span>
                })}
                <ActionForm action=delete>
                    <input type="hidden" name="id" value=id />
                    <button type="submit" class="text-xs text-slate-500 hover:text-rose-600">{t!(i18n, action_delete)}</button>
                </ActionForm>
            </div>
        </li>
    }
}

/// A hall query as the hidden fields of a server function argument named `query`.
#[component]
fn HiddenQuery(query: HallQuery) -> impl IntoView {
    let mut fields: Vec<(String, String)> = vec![("query[q]".into(), query.q.clone())];
    fields.extend(query.tags.iter().enumerate().map(|(i, tag)| (format!("query[tags][{i}]"), tag.clone())));
    let mut number = |name: &str, value: Option<i64>| {
        if let Some(value) = value {
            fields.push((format!("query[{name}]"), value.to_string()));
        }
    };
    number("difficulty_min", query.difficulty_min.map(i64::from));
    number("difficulty_max", query.difficulty_max.map(i64::from));
    number("reward_min_fen", query.reward_min_fen);
    number("reward_max_fen", query.reward_max_fen);
    number("due_within_days", query.due_within_days.map(i64::from));
    if let Some(kind) = query.merchant_kind {
        fields.push(("query[merchant_kind]".into(), kind.as_str().into()));
    }
    if let Some(sort) = query.sort {
        fields.push(("query[sort]".into(), sort.as_str().into()));
    }
    fields.into_iter().map(|(name, value)| view! { <input type="hidden" name=name value=value /> }).collect_view()
}

#[component]
fn EmptyHall(narrowed: bool) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <div class="rounded-xl border border-dashed border-slate-300 bg-white px-6 py-16 text-center" data-testid="hall-empty">
            {if narrowed {
                view! {
                    <p class="text-base font-medium text-slate-700">{t!(i18n, hall_no_match_title)}</p>
                    <p class="mt-1 text-sm text-slate-500">{t!(i18n, hall_no_match_hint)}</p>
                    <A href="/" attr:class="mt-4 inline-block text-sm font-medium text-blue-700 hover:underline">
                        {t!(i18n, action_clear_filters)}
                    </A>
                }
                    .into_any()
            } else {
                view! {
                    <p class="text-base font-medium text-slate-700">{t!(i18n, hall_empty_title)}</p>
                    <p class="mt-1 text-sm text-slate-500">{t!(i18n, hall_empty_hint)}</p>
                }
                    .into_any()
            }}
        </div>
    }
}

#[component]
fn HallSkeleton() -> impl IntoView {
    view! {
        <div class="grid gap-3 md:grid-cols-2" aria-busy="true">
            {(0..6)
                .map(|_| {
                    view! {
                        <div class="h-36 animate-pulse rounded-xl border border-slate-200 bg-white p-5">
                            <div class="h-4 w-2/3 rounded bg-slate-100"></div>
                            <div class="mt-4 h-3 w-1/3 rounded bg-slate-100"></div>
                            <div class="mt-6 h-3 w-1/2 rounded bg-slate-100"></div>
                        </div>
                    }
                })
                .collect_view()}
        </div>
    }
}
