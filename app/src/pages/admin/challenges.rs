//! Challenges, a section of the growth configuration screen: the list and the form that adds one.

use crate::{
    api::console::{CreateChallengeFn, SetChallengeActiveFn},
    components::{
        errors::{field_message, FormAlert},
        form::{label_text, LabelOver, SMALL_LABEL},
        style::{CARD, INPUT, PRIMARY, SECONDARY},
    },
    domain::{
        challenges::{Activity, Cadence},
        validation::Field,
    },
    i18n::*,
    pages::growth::activity_label,
    views::console::AdminChallenge,
};
use leptos::prelude::*;

#[component]
pub(super) fn ChallengesSection(
    list: Vec<AdminChallenge>,
    create: ServerAction<CreateChallengeFn>,
    toggle: ServerAction<SetChallengeActiveFn>,
) -> impl IntoView {
    let i18n = use_i18n();
    let error = Signal::derive(move || create.value().get().and_then(Result::err));
    let created = Signal::derive(move || matches!(create.value().get(), Some(Ok(()))));
    let message = move |field| Signal::derive(move || field_message(i18n, error.get().as_ref(), field));
    let text = move |name: &'static str, label: Signal<String>, field: Field| {
        view! {
            <LabelOver label id=format!("challenge-{name}") message=message(field) label_class=SMALL_LABEL>
                <input id=format!("challenge-{name}") name=format!("form[{name}]") class=INPUT />
            </LabelOver>
        }
    };
    let label = label_text;
    view! {
        <section class=format!("{CARD} mt-6") data-testid="admin-challenges">
            <h2 class="text-base font-semibold text-slate-900">{t!(i18n, admin_challenges_title)}</h2>
            <p class="mt-1 text-xs text-slate-500">{t!(i18n, admin_challenges_hint)}</p>
            <ChallengeList list toggle />
            <ActionForm action=create attr:class="mt-4 grid gap-3 sm:grid-cols-2" attr:novalidate=true>
                {text("slug", label(|i| t_string!(i, field_slug)), Field::Slug)}
                {text("growth_points", label(|i| t_string!(i, growth_points)), Field::Points)}
                {text("name_zh", label(|i| t_string!(i, field_name_zh)), Field::NameZh)}
                {text("name_en", label(|i| t_string!(i, field_name_en)), Field::NameEn)}
                {text("description_zh", label(|i| t_string!(i, field_description_zh)), Field::DescriptionZh)}
                {text("description_en", label(|i| t_string!(i, field_description_en)), Field::DescriptionEn)}
                <LabelOver label=label(|i| t_string!(i, field_challenge_cadence)) id="challenge-cadence" message=message(Field::Cadence) label_class=SMALL_LABEL>
                    <select id="challenge-cadence" name="form[cadence]" class=INPUT>
                        <option value="weekly">{t!(i18n, cadence_weekly)}</option>
                        <option value="daily">{t!(i18n, cadence_daily)}</option>
                        <option value="onboarding">{t!(i18n, cadence_onboarding)}</option>
                        <option value="dated">{t!(i18n, cadence_dated)}</option>
                    </select>
                </LabelOver>
                <div class="grid grid-cols-3 gap-2">
                    <LabelOver label=label(|i| t_string!(i, field_challenge_start)) id="challenge-start" message=message(Field::EffectiveFrom) label_class=SMALL_LABEL>
                        <input id="challenge-start" name="form[start]" type="date" class=INPUT />
                    </LabelOver>
                    <LabelOver label=label(|i| t_string!(i, field_challenge_end)) id="challenge-end" message=message(Field::EndDate) label_class=SMALL_LABEL>
                        <input id="challenge-end" name="form[end]" type="date" class=INPUT />
                    </LabelOver>
                    <LabelOver label=label(|i| t_string!(i, field_challenge_days)) id="challenge-days" message=message(Field::Days) label_class=SMALL_LABEL>
                        <input id="challenge-days" name="form[onboarding_days]" inputmode="numeric" class=INPUT />
                    </LabelOver>
                </div>
                <LabelOver label=label(|i| t_string!(i, field_challenge_activity)) id="challenge-activity" message=message(Field::Rule) label_class=SMALL_LABEL>
                    <select id="challenge-activity" name="form[activity]" class=INPUT>
                        {Activity::ALL
                            .into_iter()
                            .map(|a| view! { <option value=a.as_str()>{move || activity_label(i18n, a)}</option> })
                            .collect_view()}
                    </select>
                </LabelOver>
                {text("count", label(|i| t_string!(i, field_challenge_count)), Field::Goal)}
                <label class="flex items-center gap-2 text-sm text-slate-700 sm:col-span-2">
                    <input type="checkbox" name="form[with_badge]" value="true" class="h-4 w-4 rounded border-slate-300" />
                    {t!(i18n, field_challenge_with_badge)}
                </label>
                <label class="flex items-center gap-2 text-sm text-slate-700">
                    <input type="checkbox" name="form[advanced]" value="true" class="h-4 w-4 rounded border-slate-300" />
                    {t!(i18n, field_challenge_advanced)}
                </label>
                <div class="sm:col-span-2">
                    <FormAlert error />
                    {move || created.get().then(|| view! { <p class="text-xs text-emerald-700" role="status">{t!(i18n, admin_challenge_created)}</p> })}
                    <button type="submit" class=PRIMARY data-testid="create-challenge" disabled=move || create.pending().get()>
                        {t!(i18n, action_create_challenge)}
                    </button>
                </div>
            </ActionForm>
        </section>
    }
}

#[component]
fn ChallengeList(list: Vec<AdminChallenge>, toggle: ServerAction<SetChallengeActiveFn>) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <ul class="mt-3 divide-y divide-slate-100">
            {list
                .into_iter()
                .map(|c| {
                    let (name_zh, name_en) = (c.name_zh.clone(), c.name_en.clone());
                    let cadence = c.rule.cadence;
                    let testid = format!("admin-challenge-{}", c.slug);
                    view! {
                        <li class="flex flex-wrap items-center justify-between gap-2 py-2" data-testid=testid>
                            <div>
                                <div class="font-medium text-slate-900">
                                    {move || if i18n.get_locale() == Locale::zh_CN { name_zh.clone() } else { name_en.clone() }}
                                    {(!c.active).then(|| view! { <span class="ml-2 text-xs text-slate-500">{t!(i18n, admin_challenge_off)}</span> })}
                                </div>
                                <div class="text-xs text-slate-500">
                                    {move || cadence_label(i18n, cadence)}
                                    {format!(" · +{} · {} ✓", c.growth_points, c.completions)}
                                    {c.badge.clone().map(|b| format!(" · 🏅 {b}"))}
                                </div>
                            </div>
                            <ActionForm action=toggle>
                                <input type="hidden" name="slug" value=c.slug.clone() />
                                <input type="hidden" name="active" value=(!c.active).to_string() />
                                <button type="submit" class=SECONDARY>
                                    {move || if c.active { t_string!(i18n, action_deactivate) } else { t_string!(i18n, action_activate) }}
                                </button>
                            </ActionForm>
                        </li>
                    }
                })
                .collect_view()}
        </ul>
    }
}

fn cadence_label(i18n: leptos_i18n::I18nContext<Locale>, cadence: Cadence) -> &'static str {
    match cadence {
        Cadence::Daily => t_string!(i18n, cadence_daily),
        Cadence::Weekly => t_string!(i18n, cadence_weekly),
        Cadence::Onboarding { .. } => t_string!(i18n, cadence_onboarding),
        Cadence::Dated { .. } => t_string!(i18n, cadence_dated),
    }
}
