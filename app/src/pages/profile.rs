//! `/profile`: the logged-in user's name, headline, introduction and skills (chosen from the skill
//! tree). For a developer, saving a complete profile is the first step of the welcome challenge.

use crate::pages::portfolio::PortfolioSection;
use crate::pages::work_terms::WorkTermsForm;
use crate::{
    api::{
        phone::{BindPhoneFn, UnbindPhoneFn},
        profile::{my_profile, SaveCardSettingsFn, SaveProfileFn},
        talent::my_work_terms,
    },
    components::{
        account_fields::CurrentPasswordField,
        errors::{field_message, ErrorPanel, FormAlert},
        form::{FieldMessage, Labelled, SubmitButton, TagToggle},
        phone::{CodeField, CodeSentNote, SendCodeForm},
        style::{CARD, DANGER, INPUT, PRIMARY},
        task_card::category_label,
    },
    domain::{phone::CodePurpose, profile::CardSettings, tasks::Category, validation::Field},
    html_text::textarea_text,
    i18n::*,
    views::{
        phone::PhoneChange,
        profile::{ProfilePage as ProfileData, SavedForm},
    },
};
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

#[component]
pub fn ProfilePage() -> impl IntoView {
    let i18n = use_i18n();
    let profile = Resource::new(|| (), |_| my_profile());
    let work_terms = Resource::new(|| (), |_| my_work_terms());
    view! {
        <h1 class="text-2xl font-bold tracking-tight text-slate-900">{t!(i18n, profile_title)}</h1>
        <p class="mb-5 mt-1 text-sm text-slate-500">
            {t!(i18n, profile_subtitle)}
            " "
            <a href="/security" class="font-medium text-blue-600 hover:underline" data-testid="profile-security-link">
                {t!(i18n, profile_security_link)}
            </a>
        </p>
        <Suspense fallback=|| view! { <div class="h-96 animate-pulse rounded-xl bg-white"></div> }>
            {move || Suspend::new(async move {
                let work_terms = work_terms.await.ok().flatten();
                match profile.await {
                    Ok(data) => {
                        let card_saved = data.saved == Some(SavedForm::Card);
                        let (phone, phone_change) = (data.phone.clone(), data.phone_change);
                        let developer = data.card.is_some();
                        view! {
                            {data.card.clone().map(|card| view! { <CardSettingsForm card saved=card_saved /> })}
                            {work_terms.map(|page| view! { <WorkTermsForm page /> })}
                            <ProfileForm data />
                            {developer.then(|| view! { <PortfolioSection /> })}
                            <PhoneSection bound=phone change=phone_change />
                        }
                    }
                        .into_any(),
                    Err(error) => view! { <ErrorPanel error /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// A plain form: it posts, and the page comes back either with "saved" or with each refused
/// field's message under it and what was typed put back (`KeepTypedValues`).
#[component]
fn ProfileForm(data: ProfileData) -> impl IntoView {
    let i18n = use_i18n();
    let save = ServerAction::<SaveProfileFn>::new();
    let error = Signal::derive(move || save.value().get().and_then(Result::err));
    let message = move |field| Memo::new(move |_| field_message(i18n, error.get().as_ref(), field));
    let ProfileData { form, tags, saved, .. } = data;
    let branches: Vec<(Category, Vec<_>)> = Category::ALL
        .into_iter()
        .map(|branch| (branch, tags.iter().filter(|t| t.branch == branch).cloned().collect::<Vec<_>>()))
        .filter(|(_, tags)| !tags.is_empty())
        .collect();
    view! {
        <ActionForm action=save attr:class=format!("{CARD} max-w-2xl space-y-4") attr:novalidate=true>
            <Labelled label=Signal::derive(move || t_string!(i18n, field_display_name).to_string()) id="display_name" message=message(Field::DisplayName)>
                <input id="display_name" name="form[display_name]" class=INPUT value=form.display_name />
            </Labelled>
            <Labelled label=Signal::derive(move || t_string!(i18n, field_headline).to_string()) id="headline" message=message(Field::Headline)>
                <input
                    id="headline"
                    name="form[headline]"
                    class=INPUT
                    placeholder=move || t_string!(i18n, field_headline_placeholder)
                    value=form.headline
                />
            </Labelled>
            <Labelled label=Signal::derive(move || t_string!(i18n, field_bio).to_string()) id="bio" message=message(Field::Bio)>
                <textarea
                    id="bio"
                    name="form[bio]"
                    class=INPUT
                    rows="5"
                    placeholder=move || t_string!(i18n, field_bio_placeholder)
                >
                    {textarea_text(form.bio)}
                </textarea>
            </Labelled>
            <fieldset>
                <legend class="text-sm font-medium text-slate-700">{t!(i18n, field_skills)}</legend>
                <p class="mb-2 text-xs text-slate-500">{t!(i18n, field_skills_hint)}</p>
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
                                                let checked = form.skills.contains(&tag.slug);
                                                view! { <TagToggle name="form[skills][]" slug=tag.slug name_zh=tag.name_zh name_en=tag.name_en checked /> }
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
                <button type="submit" class=PRIMARY data-testid="save-profile">{t!(i18n, action_save_profile)}</button>
                {(saved == Some(SavedForm::Profile)).then(|| view! {
                    <span class="text-sm font-medium text-emerald-700" role="status" data-testid="profile-saved">{t!(i18n, profile_saved)}</span>
                })}
            </div>
        </ActionForm>
    }
}

/// A developer's public record: its address (`/u/<handle>`), whether it is shown at all, and
/// whether merchants' names are withheld (NDA). The link follows what was last saved.
#[component]
fn CardSettingsForm(card: CardSettings, saved: bool) -> impl IntoView {
    let i18n = use_i18n();
    let save = ServerAction::<SaveCardSettingsFn>::new();
    let error = Signal::derive(move || save.value().get().and_then(Result::err));
    let handle_message = Memo::new(move |_| field_message(i18n, error.get().as_ref(), Field::Handle));
    let checkbox = "h-4 w-4 rounded border-slate-300 text-blue-600 focus:ring-blue-500";
    let link = card.public.then(|| format!("/u/{}", card.handle));
    view! {
        <ActionForm action=save attr:class=format!("{CARD} mb-5 max-w-2xl space-y-4") attr:novalidate=true attr:data-testid="card-settings">
            <div class="flex flex-wrap items-center justify-between gap-2">
                <h2 class="font-semibold text-slate-900">{t!(i18n, profile_public_card)}</h2>
                {link.map(|href| {
                    let shown = href.clone();
                    view! {
                        <a href=href class="inline-flex items-center gap-2 rounded-lg border border-blue-200 bg-blue-50 px-3 py-1.5 text-sm font-medium text-blue-700 hover:bg-blue-100" data-testid="public-card-link">
                            {t!(i18n, profile_open_card)}
                            <span class="font-mono text-xs text-blue-500">{shown}</span>
                        </a>
                    }
                })}
            </div>
            <Labelled label=Signal::derive(move || t_string!(i18n, field_handle).to_string()) id="handle" message=handle_message>
                <div class="flex items-center rounded-lg border border-slate-300 bg-white shadow-sm focus-within:border-blue-500 focus-within:ring-2 focus-within:ring-blue-100">
                    <span class="pl-3 font-mono text-sm text-slate-500">"/u/"</span>
                    <input
                        id="handle"
                        name="settings[handle]"
                        class="block w-full rounded-lg bg-transparent px-1 py-2 font-mono text-sm outline-none"
                        autocomplete="off"
                        spellcheck="false"
                        value=card.handle
                    />
                </div>
            </Labelled>
            <p class="-mt-2 text-xs text-slate-500">{t!(i18n, field_handle_hint)}</p>
            <label class="flex items-start gap-2 text-sm text-slate-700">
                <input type="checkbox" name="settings[public]" value="true" class=checkbox data-testid="card-public" checked=card.public />
                <span>{t!(i18n, field_card_public)}</span>
            </label>
            <label class="flex items-start gap-2 text-sm text-slate-700">
                <input
                    type="checkbox"
                    name="settings[hide_merchants]"
                    value="true"
                    class=checkbox
                    data-testid="card-hide-merchants"
                    checked=card.hide_merchants
                />
                <span>
                    {t!(i18n, field_card_hide_merchants)}
                    <span class="block text-xs text-slate-500">{t!(i18n, field_card_hide_merchants_hint)}</span>
                </span>
            </label>
            <FormAlert error />
            <div class="flex items-center gap-3">
                <button type="submit" class=PRIMARY data-testid="save-card">{t!(i18n, action_save_card)}</button>
                {saved.then(|| view! {
                    <span class="text-sm font-medium text-emerald-700" role="status" data-testid="card-saved">{t!(i18n, profile_saved)}</span>
                })}
            </div>
        </ActionForm>
    }
}

/// The mobile number for logging in by SMS code: bound (masked, with "unbind"), or the two steps
/// to bind one (`?phone=` once the code was sent). Binding again replaces the number. Every change
/// asks for the account's password again.
#[component]
fn PhoneSection(bound: Option<String>, change: Option<PhoneChange>) -> impl IntoView {
    let i18n = use_i18n();
    let sending_to = use_query_map().read_untracked().get("phone").filter(|p| !p.is_empty());
    let is_bound = bound.is_some();
    view! {
        <section id="phone" class=format!("{CARD} mt-5 max-w-2xl space-y-4") data-testid="phone-section">
            <div>
                <h2 class="font-semibold text-slate-900">{t!(i18n, profile_phone_title)}</h2>
                <p class="mt-1 text-sm text-slate-500">{t!(i18n, profile_phone_intro)}</p>
            </div>
            {(change == Some(PhoneChange::Unbound)).then(|| view! {
                <p class="text-sm text-emerald-700" role="status" data-testid="phone-unbound">{t!(i18n, profile_phone_just_unbound)}</p>
            })}
            {bound.map(|number| view! {
                <p class="flex flex-wrap items-center gap-2 text-sm text-slate-700" data-testid="phone-bound">
                    <span class="rounded-full bg-emerald-50 px-2.5 py-0.5 text-xs font-medium text-emerald-700">{t!(i18n, profile_phone_bound)}</span>
                    <span class="font-mono">{number}</span>
                    {(change == Some(PhoneChange::Bound)).then(|| view! { <span class="text-emerald-700" role="status">{t!(i18n, profile_phone_just_bound)}</span> })}
                </p>
            })}
            <div class="max-w-sm">
                {match sending_to {
                    Some(phone) => view! { <BindCodeForm phone /> }.into_any(),
                    None => view! {
                        <SendCodeForm purpose=CodePurpose::Bind />
                        {is_bound.then(|| view! { <UnbindForm /> })}
                    }.into_any(),
                }}
            </div>
        </section>
    }
}

/// The account's password, asked again before the number changes, saying why.
#[component]
fn CurrentPassword(#[prop(into)] error: Signal<Option<crate::error::AppError>>) -> impl IntoView {
    let i18n = use_i18n();
    let hint = Signal::derive(move || t_string!(i18n, field_current_password_hint).to_string());
    view! { <CurrentPasswordField name="password" hint error /> }
}

#[component]
fn BindCodeForm(phone: String) -> impl IntoView {
    let i18n = use_i18n();
    let bind = ServerAction::<BindPhoneFn>::new();
    let error = Signal::derive(move || bind.value().get().and_then(Result::err));
    // The number can be taken by another account between the code and the binding.
    let phone_message = Memo::new(move |_| field_message(i18n, error.get().as_ref(), Field::Phone));
    view! {
        <div class="space-y-4">
            <CodeSentNote purpose=CodePurpose::Bind phone=phone.clone() restart_href="/profile#phone" />
            <ActionForm action=bind attr:novalidate=true attr:data-testid="bind-phone-form">
                <input type="hidden" name="phone" value=phone />
                <div class="space-y-4">
                    <CodeField error />
                    <CurrentPassword error />
                    <FieldMessage message=phone_message />
                    <FormAlert error />
                    <SubmitButton label=Signal::derive(move || t_string!(i18n, action_bind_phone).to_string()) pending=bind.pending() />
                </div>
            </ActionForm>
        </div>
    }
}

#[component]
fn UnbindForm() -> impl IntoView {
    let i18n = use_i18n();
    let unbind = ServerAction::<UnbindPhoneFn>::new();
    let error = Signal::derive(move || unbind.value().get().and_then(Result::err));
    view! {
        <details class="mt-5 border-t border-slate-100 pt-4" open=move || error.get().is_some()>
            <summary class="cursor-pointer text-sm text-slate-600 hover:text-slate-900">{t!(i18n, action_unbind_phone)}</summary>
            <ActionForm action=unbind attr:class="mt-3 space-y-3" attr:novalidate=true attr:data-testid="unbind-phone-form">
                <CurrentPassword error />
                <FormAlert error />
                <button type="submit" class=format!("{DANGER} w-full")>{t!(i18n, action_unbind_phone)}</button>
            </ActionForm>
        </details>
    }
}
