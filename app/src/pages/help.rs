//! `/help/growth`: the growth rules written out for anyone, logged in or not: how points, XP and
//! growth points are earned, what each level needs and unlocks, and how challenges and badges work.
//! The numbers come from the same domain rules the server applies.

use crate::{
    domain::growth::{CHECK_IN_POINTS, SKILL_POINTS_PER_DIFFICULTY, XP_PER_DIFFICULTY},
    i18n::*,
    pages::{growth::LevelRules, task::CARD},
};
use leptos::prelude::*;

#[component]
pub fn GrowthHelpPage() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <h1 class="mb-4 text-2xl font-bold tracking-tight text-slate-900">{t!(i18n, help_growth_title)}</h1>
        <div class="max-w-3xl space-y-4">
            <section class=CARD>
                <h2 class="text-base font-semibold text-slate-900">{t!(i18n, growth_rules_title)}</h2>
                <LevelRules />
                <p class="mt-3 text-sm text-slate-600">{t!(i18n, help_levels_unlock)}</p>
            </section>
            <section class=CARD>
                <h2 class="text-base font-semibold text-slate-900">{t!(i18n, help_points_title)}</h2>
                <ul class="mt-2 list-disc space-y-1 pl-5 text-sm text-slate-600">
                    <li>
                        {move || t_string!(
                            i18n,
                            help_points_tasks,
                            skill = SKILL_POINTS_PER_DIFFICULTY,
                            xp = XP_PER_DIFFICULTY
                        )}
                    </li>
                    <li>{move || t_string!(i18n, help_points_growth, check_in = CHECK_IN_POINTS)}</li>
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
