use crate::{
    domain::{
        account::MerchantKind,
        growth::Level,
        hall::highlight,
        public_page::merchant_page,
        tasks::{Category, Difficulty},
    },
    i18n::*,
    views::hall::{TagLabel, TaskSummary},
};
use leptos::prelude::*;
use leptos_router::components::A;

/// One task in the hall: what it pays stands out, then skills, difficulty, deadline and who posts it.
/// A task that needs a higher level than the viewing developer's says so (levels unlock work).
#[component]
pub fn TaskCard(
    task: TaskSummary,
    #[prop(default = None)] viewer_level: Option<Level>,
    /// Search terms to highlight in the title.
    #[prop(default = Vec::new())]
    terms: Vec<String>,
) -> impl IntoView {
    let i18n = use_i18n();
    let TaskSummary {
        id,
        title,
        difficulty,
        reward,
        deadline,
        merchant_id,
        merchant_name,
        merchant_kind,
        tags,
        min_level,
        urgent,
        promoted,
    } = task;
    // The viewer's own level, when it does not unlock this task.
    let locked = viewer_level.filter(|mine| !mine.unlocks(min_level));
    view! {
        <article
            data-testid="task-card"
            class="relative flex flex-col gap-3 rounded-xl border border-slate-200 bg-white p-4 shadow-sm transition hover:border-blue-200 hover:shadow-md sm:p-5"
        >
            <div class="flex items-start justify-between gap-4">
                <h2 class="text-base font-semibold leading-snug text-slate-900">
                    // The link covers the whole card (after:inset-0), so anywhere on it opens the task.
                    <A href=format!("/tasks/{id}") attr:class="after:absolute after:inset-0 hover:text-blue-700">
                        {highlight(&title, &terms)
                            .into_iter()
                            .map(|(run, hit)| {
                                if hit {
                                    view! { <mark class="rounded bg-amber-100 px-0.5 text-inherit" data-testid="hit">{run}</mark> }.into_any()
                                } else {
                                    run.into_any()
                                }
                            })
                            .collect_view()}
                    </A>
                </h2>
                <div class="shrink-0 text-right">
                    <div class="text-lg font-bold tabular-nums text-orange-700" data-testid="task-reward">
                        {reward.display_yuan()}
                    </div>
                    <div class="text-xs text-slate-500">{t!(i18n, task_reward)}</div>
                </div>
            </div>
            <ul class="flex flex-wrap gap-1.5">
                // Paid placement is always said out loud, never passed off as an ordinary result.
                {promoted.then(|| view! {
                    <li class="whitespace-nowrap rounded-md bg-amber-100 px-2 py-0.5 text-xs font-medium text-amber-800" data-testid="promoted-label">
                        {t!(i18n, task_promoted)}
                    </li>
                })}
                {urgent.then(|| view! {
                    <li class="whitespace-nowrap rounded-md bg-rose-100 px-2 py-0.5 text-xs font-medium text-rose-700" data-testid="urgent-label">
                        {t!(i18n, task_urgent)}
                    </li>
                })}
                {tags.into_iter().map(|tag| view! { <TagChip tag /> }).collect_view()}
            </ul>
            <div class="flex flex-wrap items-center gap-x-4 gap-y-1.5 text-xs text-slate-500">
                {min_level.map(|level| view! { <MinLevelBadge level locked=locked.is_some() /> })}
                {locked.map(|mine| {
                    view! {
                        <span class="text-rose-600" data-testid="level-locked">
                            {move || t_string!(i18n, task_level_locked, level = mine.as_str())}
                        </span>
                    }
                })}
                <DifficultyBadge difficulty />
                <span>{move || t_string!(i18n, task_deadline, date = deadline.clone())}</span>
                <span class="truncate">
                    // Above the link that covers the card, so the name opens the merchant's record.
                    <A href=merchant_page(merchant_id) attr:class="relative z-10 hover:text-blue-700 hover:underline" attr:data-testid="card-merchant-link">
                        {merchant_name}
                    </A>
                    " · "
                    {move || merchant_kind_label(i18n, merchant_kind)}
                </span>
            </div>
        </article>
    }
}

/// "A 级及以上": grey when the viewer may apply, rose when their level does not unlock it yet.
#[component]
pub fn MinLevelBadge(level: Level, locked: bool) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <span
            class=if locked {
                "whitespace-nowrap rounded-md bg-rose-50 px-1.5 py-0.5 font-semibold text-rose-700"
            } else {
                "whitespace-nowrap rounded-md bg-violet-50 px-1.5 py-0.5 font-semibold text-violet-700"
            }
            data-testid="min-level"
        >
            {move || t_string!(i18n, task_min_level, level = level.as_str())}
        </span>
    }
}

#[component]
pub fn TagChip(tag: TagLabel) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <li class="whitespace-nowrap rounded-full bg-blue-50 px-2.5 py-0.5 text-xs font-medium text-blue-700">
            {move || match i18n.get_locale() {
                Locale::en => tag.name_en.clone(),
                Locale::zh_CN => tag.name_zh.clone(),
            }}
        </li>
    }
}

#[component]
pub fn DifficultyBadge(difficulty: Difficulty) -> impl IntoView {
    let i18n = use_i18n();
    let level = difficulty.level();
    // Five dots, filled up to the level: readable at a glance in either language.
    let dots = (1..=Difficulty::MAX)
        .map(|n| {
            let class = if n <= level {
                "h-1.5 w-1.5 rounded-full bg-amber-500"
            } else {
                "h-1.5 w-1.5 rounded-full bg-slate-200"
            };
            view! { <span class=class></span> }
        })
        .collect_view();
    view! {
        <span class="inline-flex items-center gap-1.5 whitespace-nowrap">
            <span class="inline-flex gap-0.5" aria-hidden="true">{dots}</span>
            <span>{move || difficulty_label(i18n, difficulty)}</span>
        </span>
    }
}

pub fn difficulty_label(i18n: leptos_i18n::I18nContext<Locale>, difficulty: Difficulty) -> &'static str {
    match difficulty.level() {
        1 => t_string!(i18n, difficulty_1),
        2 => t_string!(i18n, difficulty_2),
        3 => t_string!(i18n, difficulty_3),
        4 => t_string!(i18n, difficulty_4),
        _ => t_string!(i18n, difficulty_5),
    }
}

pub fn category_label(i18n: leptos_i18n::I18nContext<Locale>, category: Category) -> &'static str {
    match category {
        Category::Backend => t_string!(i18n, category_backend),
        Category::Frontend => t_string!(i18n, category_frontend),
        Category::Mobile => t_string!(i18n, category_mobile),
        Category::Data => t_string!(i18n, category_data),
        Category::Design => t_string!(i18n, category_design),
        Category::Devops => t_string!(i18n, category_devops),
        Category::Other => t_string!(i18n, category_other),
    }
}

pub fn merchant_kind_label(i18n: leptos_i18n::I18nContext<Locale>, kind: MerchantKind) -> &'static str {
    match kind {
        MerchantKind::Company => t_string!(i18n, merchant_kind_company),
        MerchantKind::Team => t_string!(i18n, merchant_kind_team),
        MerchantKind::Individual => t_string!(i18n, merchant_kind_individual),
    }
}
