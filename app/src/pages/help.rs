//! `/help/growth`: the growth rules written out for anyone, logged in or not: how points, XP and
//! growth points are earned, what each level needs and unlocks, and how challenges and badges work.
//! The numbers are the rules in force (admins tune them in the console), read as the server applies them.

use crate::{
    api::growth::growth_rules,
    components::{errors::ErrorPanel, style::CARD},
    domain::growth::GrowthRules,
    i18n::*,
    pages::growth::LevelRules,
};
use leptos::prelude::*;

#[component]
pub fn GrowthHelpPage() -> impl IntoView {
    let i18n = use_i18n();
    let rules = Resource::new(|| (), |_| growth_rules());
    view! {
        <h1 class="mb-4 text-2xl font-bold tracking-tight text-slate-900">{t!(i18n, help_growth_title)}</h1>
        <Suspense fallback=|| view! { <div class="h-64 max-w-3xl animate-pulse rounded-xl bg-slate-100"></div> }>
            {move || Suspend::new(async move {
                match rules.await {
                    Ok(rules) => view! { <GrowthHelp rules /> }.into_any(),
                    Err(error) => view! { <ErrorPanel error /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// The rules in force, as the server applies them (admins change them in the console).
#[component]
fn GrowthHelp(rules: GrowthRules) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <div class="max-w-3xl space-y-4">
            <section class=CARD>
                <h2 class="text-base font-semibold text-slate-900">{t!(i18n, growth_rules_title)}</h2>
                <LevelRules rules />
                <p class="mt-3 text-sm text-slate-600">{t!(i18n, help_levels_unlock)}</p>
            </section>
            <section class=CARD>
                <h2 class="text-base font-semibold text-slate-900">{t!(i18n, help_points_title)}</h2>
                <ul class="mt-2 list-disc space-y-1 pl-5 text-sm text-slate-600">
                    <li>
                        {move || t_string!(
                            i18n,
                            help_points_tasks,
                            skill = rules.skill_points_per_difficulty,
                            xp = rules.xp_per_difficulty
                        )}
                    </li>
                    <li>{move || t_string!(i18n, help_points_growth, check_in = rules.check_in_points)}</li>
                    <li>{t!(i18n, help_points_ledger)}</li>
                </ul>
            </section>
            <section class=CARD>
                <h2 class="text-base font-semibold text-slate-900">{t!(i18n, challenges_title)}</h2>
                <p class="mt-1 text-sm text-slate-600">{t!(i18n, help_challenges)}</p>
            </section>
        </div>
    }
}
