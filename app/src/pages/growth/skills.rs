//! Skills drawn on the server: the skill tree by branch, the radar of the strongest six, and bars.

use crate::{components::task_card::category_label, domain::tasks::Category, i18n::*, views::growth::SkillView};
use leptos::prelude::*;

/// The skill tree: each branch (后端, 前端, …) with its total and the skills under it.
#[component]
pub(super) fn SkillTree(skills: Vec<SkillView>) -> impl IntoView {
    let i18n = use_i18n();
    let branches: Vec<(Category, i64, Vec<SkillView>)> = Category::ALL
        .into_iter()
        .filter_map(|branch| {
            let under: Vec<SkillView> = skills.iter().filter(|s| s.branch == branch).cloned().collect();
            let total = under.iter().map(|s| s.points).sum();
            (!under.is_empty()).then_some((branch, total, under))
        })
        .collect();
    view! {
        <div class="mt-4 border-t border-slate-100 pt-3">
            <h3 class="text-sm font-semibold text-slate-700">{t!(i18n, growth_skill_tree)}</h3>
            <ul class="mt-2 space-y-2" data-testid="skill-tree">
                {branches
                    .into_iter()
                    .map(|(branch, total, under)| {
                        view! {
                            <li data-testid=format!("branch-{}", branch.slug())>
                                <div class="flex items-baseline justify-between text-sm">
                                    <span class="font-medium text-slate-800">{move || category_label(i18n, branch)}</span>
                                    <span class="tabular-nums text-slate-500">{total}</span>
                                </div>
                                <ul class="mt-1 flex flex-wrap gap-1.5 border-l-2 border-slate-100 pl-3">
                                    {under
                                        .into_iter()
                                        .map(|skill| {
                                            let points = skill.points;
                                            view! {
                                                <li class="rounded-full bg-slate-50 px-2 py-0.5 text-xs text-slate-600">
                                                    {move || skill_name(i18n, &skill)}
                                                    <span class="ml-1 tabular-nums text-slate-500">{points}</span>
                                                </li>
                                            }
                                        })
                                        .collect_view()}
                                </ul>
                            </li>
                        }
                    })
                    .collect_view()}
            </ul>
        </div>
    }
}

fn skill_name(i18n: leptos_i18n::I18nContext<Locale>, skill: &SkillView) -> String {
    match i18n.get_locale() {
        Locale::en => skill.name_en.clone(),
        Locale::zh_CN => skill.name_zh.clone(),
    }
}

/// Corner `i` of `n` on a circle of `radius` around (100, 100), starting at the top.
fn radar_point(i: usize, n: usize, radius: f64) -> (f64, f64) {
    let angle = std::f64::consts::TAU * i as f64 / n as f64 - std::f64::consts::FRAC_PI_2;
    (100.0 + radius * angle.cos(), 100.0 + radius * angle.sin())
}

fn polygon(n: usize, radius_of: impl Fn(usize) -> f64) -> String {
    (0..n)
        .map(|i| {
            let (x, y) = radar_point(i, n, radius_of(i));
            format!("{x:.1},{y:.1}")
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// The six strongest skills on a radar, each relative to the strongest. Fewer than three skills
/// still draw a triangle, with the empty corners at zero.
#[component]
pub fn SkillRadar(skills: Vec<SkillView>) -> impl IntoView {
    let i18n = use_i18n();
    let top: Vec<SkillView> = skills.into_iter().take(6).collect();
    let n = top.len().max(3);
    let max = top.iter().map(|s| s.points).max().unwrap_or(1).max(1) as f64;
    let value = |i: usize| top.get(i).map_or(0.0, |s| 70.0 * s.points as f64 / max);
    let shape = polygon(n, value);
    let labels: Vec<(f64, f64, Option<SkillView>)> = (0..n)
        .map(|i| {
            let (x, y) = radar_point(i, n, 88.0);
            (x, y, top.get(i).cloned())
        })
        .collect();
    view! {
        // Wide enough on both sides for a ten-letter skill name beside the chart, and drawn at about one
        // unit per pixel on a phone, so the 12-unit labels are at least 11 px there.
        <svg viewBox="-48 0 296 200" class="mx-auto w-full max-w-[18.5rem]" role="img" data-testid="skill-radar">
            {[0.25, 0.5, 0.75, 1.0]
                .into_iter()
                .map(|ring| view! { <polygon points=polygon(n, |_| 70.0 * ring) fill="none" stroke="#e2e8f0" stroke-width="1" /> })
                .collect_view()}
            <polygon points=shape fill="rgba(37,99,235,0.18)" stroke="#2563eb" stroke-width="2" stroke-linejoin="round" />
            {labels
                .into_iter()
                .map(|(x, y, skill)| {
                    let anchor = if (x - 100.0).abs() < 5.0 { "middle" } else if x > 100.0 { "start" } else { "end" };
                    view! {
                        <text x=format!("{x:.1}") y=format!("{:.1}", y + 4.0) text-anchor=anchor font-size="12" fill="#475569">
                            {move || skill.as_ref().map(|s| skill_name(i18n, s)).unwrap_or_default()}
                        </text>
                    }
                })
                .collect_view()}
        </svg>
    }
}

#[component]
pub fn SkillBars(skills: Vec<SkillView>) -> impl IntoView {
    let i18n = use_i18n();
    let max = skills.iter().map(|s| s.points).max().unwrap_or(1).max(1);
    view! {
        <ul class="space-y-2" data-testid="skill-list">
            {skills
                .into_iter()
                .map(|skill| {
                    let width = (skill.points * 100 / max).max(4);
                    let points = skill.points;
                    view! {
                        <li class="text-sm">
                            <div class="flex justify-between">
                                <span class="text-slate-700">{move || skill_name(i18n, &skill)}</span>
                                <span class="tabular-nums text-slate-500">{points}</span>
                            </div>
                            <div class="mt-1 h-1.5 rounded-full bg-slate-100">
                                <div class="h-1.5 rounded-full bg-blue-500" style=format!("width: {width}%")></div>
                            </div>
                        </li>
                    }
                })
                .collect_view()}
        </ul>
    }
}
