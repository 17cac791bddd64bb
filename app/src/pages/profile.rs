//! `/profile`: the logged-in user's name, headline, introduction and skills (chosen from the skill
//! tree). For a developer, saving a complete profile is the first step of the welcome challenge.

use crate::{
    api::profile::{my_profile, ProfilePage as ProfileData, SaveCardSettingsFn, SaveProfileFn},
    components::{
        errors::{field_message, ErrorPanel, FormAlert},
        form::{toggle_in, FieldMessage, Labelled, TagToggle},
        task_card::category_label,
    },
    domain::{
        account::DISPLAY_NAME_MAX_CHARS,
        profile::{CardSettings, BIO_MAX_CHARS, HANDLE_MAX_CHARS, HEADLINE_MAX_CHARS, MAX_SKILLS},
        task::Category,
        validation::Field,
    },
    i18n::*,
    pages::task::{CARD, INPUT, PRIMARY},
};
use leptos::prelude::*;

#[component]
pub fn ProfilePage() -> impl IntoView {
    let i18n = use_i18n();
    let profile = Resource::new(|| (), |_| my_profile());
    view! {
        <h1 class="text-2xl font-bold tracking-tight text-slate-900">{t!(i18n, profile_title)}</h1>
        <p class="mb-5 mt-1 text-sm text-slate-500">{t!(i18n, profile_subtitle)}</p>
        <Suspense fallback=|| view! { <div class="h-96 animate-pulse rounded-xl bg-white"></div> }>
            {move || Suspend::new(async move {
                match profile.await {
                    Ok(data) => view! {
                        {data.card.clone().map(|card| view! { <CardSettingsForm card /> })}
                        <ProfileForm data />
                    }
                        .into_any(),
                    Err(error) => view! { <ErrorPanel error /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[island]
fn ProfileForm(data: ProfileData) -> impl IntoView {
    let i18n = crate::island_i18n();
    let form = RwSignal::new(data.form);
    let save = ServerAction::<SaveProfileFn>::new();
    let error = Signal::derive(move || save.value().get().and_then(Result::err));
    let saved = move || matches!(save.value().get(), Some(Ok(())));
    let message = move |field| Memo::new(move |_| field_message(i18n, error.get().as_ref(), field));
    let branches: Vec<(Category, Vec<_>)> = Category::ALL
        .into_iter()
        .map(|branch| (branch, data.tags.iter().filter(|t| t.branch == branch).cloned().collect::<Vec<_>>()))
        .filter(|(_, tags)| !tags.is_empty())
        .collect();
    view! {
        <form
            class=format!("{CARD} max-w-2xl space-y-4")
            novalidate=true
            on:submit=move |ev| {
                ev.prevent_default();
                save.dispatch(SaveProfileFn { form: form.get_untracked() });
            }
        >
            <Labelled label=Signal::derive(move || t_string!(i18n, field_display_name).to_string()) id="display_name" message=message(Field::DisplayName)>
                <input
                    id="display_name"
                    class=INPUT
                    maxlength=DISPLAY_NAME_MAX_CHARS
                    prop:value=move || form.read().display_name.clone()
                    on:input=move |ev| form.update(|f| f.display_name = event_target_value(&ev))
                />
            </Labelled>
            <Labelled label=Signal::derive(move || t_string!(i18n, field_headline).to_string()) id="headline" message=message(Field::Headline)>
                <input
                    id="headline"
                    class=INPUT
                    maxlength=HEADLINE_MAX_CHARS
                    placeholder=move || t_string!(i18n, field_headline_placeholder)
                    prop:value=move || form.read().headline.clone()
                    on:input=move |ev| form.update(|f| f.headline = event_target_value(&ev))
                />
            </Labelled>
            <Labelled label=Signal::derive(move || t_string!(i18n, field_bio).to_string()) id="bio" message=message(Field::Bio)>
                <textarea
                    id="bio"
                    class=INPUT
                    rows="5"
                    maxlength=BIO_MAX_CHARS
                    placeholder=move || t_string!(i18n, field_bio_placeholder)
                    prop:value=move || form.read().bio.clone()
                    on:input=move |ev| form.update(|f| f.bio = event_target_value(&ev))
                ></textarea>
            </Labelled>
            <fieldset>
                <legend class="text-sm font-medium text-slate-700">{t!(i18n, field_skills)}</legend>
                <p class="mb-2 text-xs text-slate-500">
                    {move || format!("{} · {}/{MAX_SKILLS}", t_string!(i18n, field_skills_hint), form.read().skills.len())}
                </p>
                <div class="space-y-2" data-testid="skill-picker">
                    {branches
                        .into_iter()
                        .map(|(branch, tags)| {
                            view! {
                                <div class="grid gap-1.5 sm:grid-cols-[6rem_1fr]">
                                    <span class="pt-1 text-xs font-medium text-slate-500">{move || category_label(i18n, branch)}</span>
                                    <div class="flex flex-wrap gap-1.5">
                                        {tags
                                            .into_iter()
                                            .map(|tag| {
                                                let slug = tag.slug.clone();
                                                let checked = {
                                                    let slug = slug.clone();
                                                    Signal::derive(move || form.read().skills.contains(&slug))
                                                };
                                                let on_toggle =
                                                    Callback::new(move |()| form.update(|f| toggle_in(&mut f.skills, &slug)));
                                                view! { <TagToggle slug=tag.slug name_zh=tag.name_zh name_en=tag.name_en checked on_toggle /> }
                                            })
                                            .collect_view()}
                                    </div>
                                </div>
                            }
                        })
                        .collect_view()}
                </div>
                <FieldMessage message=message(Field::Tags) />
            </fieldset>
            <FormAlert error />
            <div class="flex items-center gap-3">
                <button type="submit" class=PRIMARY data-testid="save-profile" disabled=move || save.pending().get()>
                    {move || if save.pending().get() { t_string!(i18n, submitting) } else { t_string!(i18n, action_save_profile) }}
                </button>
                <span class="text-sm font-medium text-emerald-700" data-testid="profile-saved" class:hidden=move || !saved()>
                    {t!(i18n, profile_saved)}
                </span>
            </div>
        </form>
    }
}

/// A developer's public record: its address (`/u/<handle>`), whether it is shown at all, and
/// whether merchants' names are withheld (NDA). The link follows what was last saved.
#[island]
fn CardSettingsForm(card: CardSettings) -> impl IntoView {
    let i18n = crate::island_i18n();
    let saved_card = RwSignal::new(card.clone());
    let form = RwSignal::new(card);
    let save = ServerAction::<SaveCardSettingsFn>::new();
    // What was sent, not what the form holds when the answer comes (the user may type meanwhile).
    let sent = RwSignal::new(None::<CardSettings>);
    let error = Signal::derive(move || save.value().get().and_then(Result::err));
    Effect::new(move |_| {
        if let (Some(Ok(())), Some(sent)) = (save.value().get(), sent.get_untracked()) {
            saved_card.set(sent.validate().unwrap_or(sent));
        }
    });
    let handle_message = Memo::new(move |_| field_message(i18n, error.get().as_ref(), Field::Handle));
    let checkbox = "h-4 w-4 rounded border-slate-300 text-blue-600 focus:ring-blue-500";
    view! {
        <form
            class=format!("{CARD} mb-5 max-w-2xl space-y-4")
            novalidate=true
            data-testid="card-settings"
            on:submit=move |ev| {
                ev.prevent_default();
                sent.set(Some(form.get_untracked()));
                save.dispatch(SaveCardSettingsFn { settings: form.get_untracked() });
            }
        >
            <div class="flex flex-wrap items-center justify-between gap-2">
                <h2 class="font-semibold text-slate-900">{t!(i18n, profile_public_card)}</h2>
                {move || {
                    let card = saved_card.get();
                    card.public.then(|| {
                        let href = format!("/u/{}", card.handle);
                        let shown = href.clone();
                        view! {
                            <a href=href class="inline-flex items-center gap-2 rounded-lg border border-blue-200 bg-blue-50 px-3 py-1.5 text-sm font-medium text-blue-700 hover:bg-blue-100" data-testid="public-card-link">
                                {t!(i18n, profile_open_card)}
                                <span class="font-mono text-xs text-blue-500">{shown}</span>
                            </a>
                        }
                    })
                }}
            </div>
            <Labelled label=Signal::derive(move || t_string!(i18n, field_handle).to_string()) id="handle" message=handle_message>
                <div class="flex items-center rounded-lg border border-slate-300 bg-white shadow-sm focus-within:border-blue-500 focus-within:ring-2 focus-within:ring-blue-100">
                    <span class="pl-3 font-mono text-sm text-slate-400">"/u/"</span>
                    <input
                        id="handle"
                        class="block w-full rounded-lg bg-transparent px-1 py-2 font-mono text-sm outline-none"
                        maxlength=HANDLE_MAX_CHARS
                        autocomplete="off"
                        spellcheck="false"
                        prop:value=move || form.read().handle.clone()
                        on:input=move |ev| form.update(|f| f.handle = event_target_value(&ev))
                    />
                </div>
            </Labelled>
            <p class="-mt-2 text-xs text-slate-500">{t!(i18n, field_handle_hint)}</p>
            <label class="flex items-start gap-2 text-sm text-slate-700">
                <input
                    type="checkbox"
                    class=checkbox
                    data-testid="card-public"
                    prop:checked=move || form.read().public
                    on:change=move |ev| form.update(|f| f.public = event_target_checked(&ev))
                />
                <span>{t!(i18n, field_card_public)}</span>
            </label>
            <label class="flex items-start gap-2 text-sm text-slate-700">
                <input
                    type="checkbox"
                    class=checkbox
                    data-testid="card-hide-merchants"
                    prop:checked=move || form.read().hide_merchants
                    on:change=move |ev| form.update(|f| f.hide_merchants = event_target_checked(&ev))
                />
                <span>
                    {t!(i18n, field_card_hide_merchants)}
                    <span class="block text-xs text-slate-500">{t!(i18n, field_card_hide_merchants_hint)}</span>
                </span>
            </label>
            <FormAlert error />
            <div class="flex items-center gap-3">
                <button type="submit" class=PRIMARY data-testid="save-card" disabled=move || save.pending().get()>
                    {move || if save.pending().get() { t_string!(i18n, submitting) } else { t_string!(i18n, action_save_card) }}
                </button>
                <span class="text-sm font-medium text-emerald-700" data-testid="card-saved" class:hidden=move || !matches!(save.value().get(), Some(Ok(())))>
                    {t!(i18n, profile_saved)}
                </span>
            </div>
        </form>
    }
}
