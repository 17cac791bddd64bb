//! A developer's work terms on `/profile`: availability (接单中 / 忙碌 / 暂停接单, optionally until a
//! day) and an expected hourly rate, which merchants filter by in `/developers`. A plain form: it
//! posts, and the page comes back with "saved" or each refused field's message under it.

use crate::{
    api::talent::SaveWorkTermsFn,
    components::{
        errors::{field_message, FormAlert},
        form::{FieldMessage, Labelled},
        style::{CARD, INPUT, PRIMARY},
    },
    domain::{talent::AvailabilityStatus, validation::Field},
    i18n::*,
    pages::developers::availability_label,
    views::talent::WorkTermsPage,
};
use leptos::prelude::*;

#[component]
pub fn WorkTermsForm(page: WorkTermsPage) -> impl IntoView {
    let i18n = use_i18n();
    let save = ServerAction::<SaveWorkTermsFn>::new();
    let error = Signal::derive(move || save.value().get().and_then(Result::err));
    let message = move |field| Memo::new(move |_| field_message(i18n, error.get().as_ref(), field));
    let WorkTermsPage { form, saved, today, latest } = page;
    let chosen = AvailabilityStatus::parse(&form.status).unwrap_or_default();
    view! {
        <ActionForm action=save attr:class=format!("{CARD} mb-5 max-w-2xl space-y-4") attr:novalidate=true attr:data-testid="work-terms">
            <div>
                <h2 class="font-semibold text-slate-900">{t!(i18n, work_terms_title)}</h2>
                <p class="mt-1 text-sm text-slate-500">{t!(i18n, work_terms_intro)}</p>
            </div>
            <fieldset>
                <legend class="text-sm font-medium text-slate-700">{t!(i18n, field_availability)}</legend>
                <div class="mt-2 flex flex-wrap gap-2">
                    {AvailabilityStatus::ALL
                        .into_iter()
                        .map(|status| {
                            view! {
                                <label class="inline-flex cursor-pointer items-center gap-2 whitespace-nowrap rounded-lg border border-slate-300 px-3 py-1.5 text-sm text-slate-700 has-[:checked]:border-blue-500 has-[:checked]:bg-blue-50 has-[:checked]:text-blue-700">
                                    <input
                                        type="radio"
                                        name="form[status]"
                                        value=status.as_str()
                                        checked={status == chosen}
                                        class="h-4 w-4 border-slate-300 text-blue-600"
                                        data-testid=format!("availability-{}", status.as_str())
                                    />
                                    {move || availability_label(i18n, status)}
                                </label>
                            }
                        })
                        .collect_view()}
                </div>
                <FieldMessage message=message(Field::Availability) />
            </fieldset>
            <div class="grid gap-4 sm:grid-cols-2">
                <div class="space-y-1">
                    <Labelled label=Signal::derive(move || t_string!(i18n, field_available_until).to_string()) id="available_until" message=message(Field::AvailableUntil)>
                        <input id="available_until" type="date" name="form[until]" min=today max=latest value=form.until class=INPUT />
                    </Labelled>
                    <p class="text-xs text-slate-500">{t!(i18n, field_available_until_hint)}</p>
                </div>
                <div class="space-y-1">
                    <Labelled label=Signal::derive(move || t_string!(i18n, field_expected_rate).to_string()) id="expected_rate" message=message(Field::ExpectedRate)>
                        <input id="expected_rate" name="form[rate]" inputmode="decimal" value=form.rate class=INPUT />
                    </Labelled>
                    <p class="text-xs text-slate-500">{t!(i18n, field_expected_rate_hint)}</p>
                </div>
            </div>
            <FormAlert error />
            <div class="flex flex-wrap items-center gap-3">
                <button type="submit" class=PRIMARY data-testid="save-work-terms">{t!(i18n, action_save_work_terms)}</button>
                {saved.then(|| view! {
                    <span class="text-sm font-medium text-emerald-700" role="status" data-testid="work-terms-saved">{t!(i18n, profile_saved)}</span>
                })}
            </div>
        </ActionForm>
    }
}
