//! A merchant writes a task: description, skill tags, difficulty, reward (optionally split into
//! milestones), deadline and change rounds. The itemised split (reward, commission, developer
//! receives) updates as the reward is typed, computed by the same `fees` rule the ledger uses.
//! Saving creates a draft; publishing (which funds the escrow) happens on the task's page. The same
//! form edits a draft at `/tasks/{id}/edit`.

use crate::{
    api::tasks::{task_form_options, CreateTaskFn, UpdateTaskFn},
    components::{
        errors::{field_message, ErrorPanel, FormAlert},
        form::{toggle_in, FieldMessage, Labelled, TagToggle},
        money::SplitBreakdown,
        style::{CARD, INPUT, PRIMARY, SECONDARY},
        task_card::{category_label, difficulty_label},
    },
    domain::{
        fees::PayoutSplit,
        growth::Level,
        money::Money,
        tasks::{Category, Difficulty, MilestoneForm, TaskForm, MAX_MILESTONES},
        validation::Field,
    },
    error::AppError,
    i18n::*,
    views::tasks::TaskFormOptions,
};
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;
use uuid::Uuid;

#[component]
pub fn NewTaskPage() -> impl IntoView {
    view! { <TaskFormPage draft=None /> }
}

#[component]
pub fn EditTaskPage() -> impl IntoView {
    let params = use_params_map();
    let draft = params.with_untracked(|p| p.get("id").and_then(|id| id.parse::<Uuid>().ok()));
    match draft {
        Some(id) => view! { <TaskFormPage draft=Some(id) /> }.into_any(),
        None => view! { <ErrorPanel error=AppError::NotFound /> }.into_any(),
    }
}

#[component]
fn TaskFormPage(draft: Option<Uuid>) -> impl IntoView {
    let i18n = use_i18n();
    let options = Resource::new(move || draft, task_form_options);
    view! {
        <h1 class="mb-5 text-2xl font-bold tracking-tight text-slate-900">
            {move || if draft.is_some() { t_string!(i18n, edit_task_title) } else { t_string!(i18n, new_task_title) }}
        </h1>
        <Suspense fallback=|| view! { <div class="h-96 animate-pulse rounded-xl bg-white"></div> }>
            {move || Suspend::new(async move {
                match options.await {
                    Ok(options) => view! { <TaskFormView options draft /> }.into_any(),
                    Err(error) => view! { <ErrorPanel error /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// The form is an island: the split, the milestone rows and the tag picker answer as the merchant types.
#[island]
fn TaskFormView(options: TaskFormOptions, draft: Option<Uuid>) -> impl IntoView {
    let i18n = crate::island_i18n();
    let form = RwSignal::new(options.draft.clone().unwrap_or_else(|| TaskForm {
        difficulty: "3".into(),
        change_rounds: "2".into(),
        ..TaskForm::default()
    }));
    let create = ServerAction::<CreateTaskFn>::new();
    let update = ServerAction::<UpdateTaskFn>::new();
    let error = Signal::derive(move || {
        create.value().get().and_then(Result::err).or_else(|| update.value().get().and_then(Result::err))
    });
    let pending = Signal::derive(move || create.pending().get() || update.pending().get());
    Effect::new(move |_| {
        let saved = match (create.value().get(), update.value().get(), draft) {
            (Some(Ok(id)), _, _) => Some(id),
            (_, Some(Ok(())), Some(id)) => Some(id),
            _ => None,
        };
        if let Some(id) = saved {
            let _ = window().location().set_href(&format!("/tasks/{id}"));
        }
    });
    // The commission depends on the category; before one is chosen the platform default shows.
    let rates = options.rates.clone();
    let split = Signal::derive(move || {
        let form = form.read();
        let reward = Money::parse_yuan(&form.reward).unwrap_or_default();
        let rate = rates.rate_for(Category::from_slug(&form.category));
        PayoutSplit::of(reward, rate)
    });
    let message = move |field| Memo::new(move |_| field_message(i18n, error.get().as_ref(), field));
    let balance = options.balance;
    let min_date = options.today.clone();
    let tags = options.tags.clone();
    view! {
        <form
            class="grid gap-5 lg:grid-cols-[1fr_20rem]"
            novalidate=true
            on:submit=move |ev| {
                ev.prevent_default();
                match draft {
                    Some(id) => {
                        update.dispatch(UpdateTaskFn { id, form: form.get_untracked() });
                    }
                    None => {
                        create.dispatch(CreateTaskFn { form: form.get_untracked() });
                    }
                }
            }
        >
            <div class=format!("{CARD} space-y-4")>
                <Labelled label=Signal::derive(move || t_string!(i18n, field_title).to_string()) id="title" message=message(Field::Title)>
                    <input
                        id="title"
                        class=INPUT
                        prop:value=move || form.read().title.clone()
                        on:input=move |ev| form.update(|f| f.title = event_target_value(&ev))
                    />
                </Labelled>
                <Labelled label=Signal::derive(move || t_string!(i18n, field_category).to_string()) id="category" message=message(Field::Category)>
                    <select
                        id="category"
                        class=INPUT
                        prop:value=move || form.read().category.clone()
                        on:change=move |ev| form.update(|f| f.category = event_target_value(&ev))
                    >
                        <option value="" disabled=true>{t!(i18n, field_category_choose)}</option>
                        {Category::ALL
                            .into_iter()
                            .map(|c| view! { <option value=c.slug()>{move || category_label(i18n, c)}</option> })
                            .collect_view()}
                    </select>
                </Labelled>
                <Labelled
                    label=Signal::derive(move || t_string!(i18n, field_description).to_string())
                    id="description"
                    message=message(Field::Description)
                >
                    <textarea
                        id="description"
                        class=INPUT
                        rows="8"
                        placeholder=move || t_string!(i18n, field_description_placeholder)
                        prop:value=move || form.read().description.clone()
                        on:input=move |ev| form.update(|f| f.description = event_target_value(&ev))
                    ></textarea>
                </Labelled>
                <fieldset>
                    <legend class="mb-1.5 text-sm font-medium text-slate-700">{t!(i18n, field_tags)}</legend>
                    <div class="flex flex-wrap gap-1.5" data-testid="tag-picker">
                        {tags
                            .into_iter()
                            .map(|tag| {
                                let slug = tag.slug.clone();
                                let checked = {
                                    let slug = slug.clone();
                                    Signal::derive(move || form.read().tags.contains(&slug))
                                };
                                let on_toggle = Callback::new(move |()| form.update(|f| toggle_in(&mut f.tags, &slug)));
                                view! { <TagToggle slug=tag.slug name_zh=tag.name_zh name_en=tag.name_en checked on_toggle /> }
                            })
                            .collect_view()}
                    </div>
                    <FieldMessage message=message(Field::Tags) />
                </fieldset>
                <div class="grid gap-4 sm:grid-cols-3">
                    <Labelled label=Signal::derive(move || t_string!(i18n, task_difficulty).to_string()) id="difficulty" message=message(Field::Difficulty)>
                        <select
                            id="difficulty"
                            class=INPUT
                            prop:value=move || form.read().difficulty.clone()
                            on:change=move |ev| form.update(|f| f.difficulty = event_target_value(&ev))
                        >
                            {(1..=5)
                                .map(|n| {
                                    view! {
                                        <option value=n.to_string()>
                                            {move || {
                                                let label = Difficulty::new(n).map(|d| difficulty_label(i18n, d)).unwrap_or_default();
                                                format!("{n} · {label}")
                                            }}
                                        </option>
                                    }
                                })
                                .collect_view()}
                        </select>
                    </Labelled>
                    <Labelled label=Signal::derive(move || t_string!(i18n, field_deadline).to_string()) id="deadline" message=message(Field::Deadline)>
                        <input
                            id="deadline"
                            type="date"
                            class=INPUT
                            min=min_date.clone()
                            prop:value=move || form.read().deadline.clone()
                            on:input=move |ev| form.update(|f| f.deadline = event_target_value(&ev))
                        />
                    </Labelled>
                    <Labelled label=Signal::derive(move || t_string!(i18n, field_change_rounds).to_string()) id="change_rounds" message=message(Field::ChangeRounds)>
                        <input
                            id="change_rounds"
                            type="number"
                            min="0"
                            max="10"
                            class=INPUT
                            prop:value=move || form.read().change_rounds.clone()
                            on:input=move |ev| form.update(|f| f.change_rounds = event_target_value(&ev))
                        />
                    </Labelled>
                </div>
                <MilestoneRows form message=message(Field::Milestones) />
                <Labelled label=Signal::derive(move || t_string!(i18n, field_min_level).to_string()) id="min_level" message=message(Field::MinLevel)>
                    <select
                        id="min_level"
                        class=INPUT
                        prop:value=move || form.read().min_level.clone()
                        on:change=move |ev| form.update(|f| f.min_level = event_target_value(&ev))
                    >
                        <option value="">{t!(i18n, field_min_level_any)}</option>
                        {[Level::B, Level::A, Level::S]
                            .into_iter()
                            .map(|level| {
                                view! {
                                    <option value=level.as_str()>
                                        {move || t_string!(i18n, task_min_level, level = level.as_str())}
                                    </option>
                                }
                            })
                            .collect_view()}
                    </select>
                    <p class="text-xs text-slate-500">{t!(i18n, field_min_level_hint)}</p>
                </Labelled>
            </div>
            <aside class="space-y-4">
                <div class=format!("{CARD} space-y-3")>
                    <Labelled label=Signal::derive(move || t_string!(i18n, field_reward).to_string()) id="reward" message=message(Field::Reward)>
                        <div class="relative">
                            <span class="pointer-events-none absolute left-3 top-2 text-sm text-slate-500">"¥"</span>
                            <input
                                id="reward"
                                inputmode="decimal"
                                class=format!("{INPUT} pl-7")
                                prop:value=move || form.read().reward.clone()
                                on:input=move |ev| form.update(|f| f.reward = event_target_value(&ev))
                            />
                        </div>
                    </Labelled>
                    <SplitBreakdown split />
                    <p class="text-xs text-slate-500">
                        {move || t_string!(i18n, new_task_balance, balance = balance.display_yuan())}
                    </p>
                    <FormAlert error />
                    <button type="submit" class=format!("{PRIMARY} w-full") data-testid="save-draft" disabled=move || pending.get()>
                        {move || if pending.get() { t_string!(i18n, submitting) } else { t_string!(i18n, action_save_draft) }}
                    </button>
                    <p class="text-xs text-slate-500">{t!(i18n, new_task_draft_hint)}</p>
                </div>
            </aside>
        </form>
    }
}

#[component]
fn MilestoneRows(form: RwSignal<TaskForm>, message: Memo<Option<String>>) -> impl IntoView {
    let i18n = use_i18n();
    let rows = move || form.read().milestones.len();
    let can_add = move || rows() < MAX_MILESTONES as usize;
    let add_row = move |_| form.update(|f| f.milestones.push(MilestoneForm::default()));
    view! {
        <fieldset class="space-y-2">
            <legend class="text-sm font-medium text-slate-700">{t!(i18n, field_milestones)}</legend>
            <p class="text-xs text-slate-500">{t!(i18n, field_milestones_hint)}</p>
            {move || {
                (0..rows())
                    .map(|i| {
                        view! {
                            <div class="flex gap-2" data-testid="milestone-row">
                                <input
                                    class=INPUT
                                    placeholder=move || t_string!(i18n, field_milestone_title)
                                    prop:value=move || form.read().milestones.get(i).map(|m| m.title.clone()).unwrap_or_default()
                                    on:input=move |ev| form.update(|f| if let Some(m) = f.milestones.get_mut(i) { m.title = event_target_value(&ev) })
                                />
                                <input
                                    class=format!("{INPUT} w-32")
                                    inputmode="decimal"
                                    placeholder="¥"
                                    prop:value=move || form.read().milestones.get(i).map(|m| m.amount.clone()).unwrap_or_default()
                                    on:input=move |ev| form.update(|f| if let Some(m) = f.milestones.get_mut(i) { m.amount = event_target_value(&ev) })
                                />
                                <button
                                    type="button"
                                    class=SECONDARY
                                    aria-label=move || t_string!(i18n, action_remove)
                                    on:click=move |_| form.update(|f| { if i < f.milestones.len() { f.milestones.remove(i); } })
                                >
                                    "×"
                                </button>
                            </div>
                        }
                    })
                    .collect_view()
            }}
            <button
                type="button"
                class=SECONDARY
                disabled=move || !can_add()
                on:click=add_row
            >
                {t!(i18n, action_add_milestone)}
            </button>
            <FieldMessage message />
        </fieldset>
    }
}
