//! The community board: a searchable list of posts with a form to write one, and each post with
//! its replies, likes and (for admins) moderation. Every action is a plain form, so it works
//! before hydration too.

use crate::{
    api::community::{community_page, community_post, CreatePostFn, LikePostFn, ModeratePostFn, ReplyPostFn},
    components::{
        errors::{field_message, ErrorPanel, FormAlert},
        form::{label_text, ErrorLine, LabelOver},
        layout::use_session,
        pager::Pager,
        style::{CARD, INPUT, PRIMARY, SECONDARY},
        task_card::TagChip,
    },
    domain::{account::Role, hall::highlight, url_query::encode, validation::Field},
    i18n::*,
    views::community::{PostDetail, PostPage as PageData, PostSummary},
};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::{
    components::A,
    hooks::{use_params_map, use_query_map},
};
use uuid::Uuid;

#[component]
pub fn CommunityPage() -> impl IntoView {
    let i18n = use_i18n();
    let url = use_query_map();
    let params = Memo::new(move |_| {
        let url = url.read();
        (url.get("q").unwrap_or_default(), url.get("tag"), url.get("page").and_then(|p| p.parse::<i64>().ok()))
    });
    let create = ServerAction::<CreatePostFn>::new();
    let page = Resource::new(move || params.get(), |(q, tag, page)| community_page(Some(q), tag, page));
    let session = use_session();
    view! {
        <section class="mb-5">
            <h1 class="text-2xl font-bold tracking-tight text-slate-900 sm:text-3xl">{t!(i18n, community_title)}</h1>
            <p class="mt-1 text-sm text-slate-500">{t!(i18n, community_subtitle)}</p>
        </section>
        <Transition fallback=|| view! { <div class="h-64 animate-pulse rounded-xl bg-white"></div> }>
            {move || Suspend::new(async move {
                let signed_in = matches!(session.user.await, Ok(Some(_)));
                let (q, tag, _) = params.get_untracked();
                match page.await {
                    Ok(data) => view! {
                        <div class="grid gap-5 lg:grid-cols-[1fr_20rem]">
                            <div class="min-w-0 space-y-3">
                                <SearchBox q=q.clone() tag=tag.clone() />
                                <PostList data q tag />
                            </div>
                            <aside class="space-y-4">
                                {if signed_in {
                                    view! { <NewPostForm create /> }.into_any()
                                } else {
                                    view! {
                                        <div class=format!("{CARD} text-sm text-slate-600")>
                                            <A href="/login" attr:class="font-medium text-blue-700 hover:underline">{t!(i18n, community_login_to_post)}</A>
                                        </div>
                                    }
                                        .into_any()
                                }}
                                <div class=format!("{CARD} text-xs text-slate-500")>{t!(i18n, community_rules)}</div>
                            </aside>
                        </div>
                    }
                    .into_any(),
                    Err(error) => view! { <ErrorPanel error /> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn SearchBox(q: String, tag: Option<String>) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <form method="get" action="/community" class="flex gap-2" role="search">
            {tag.map(|tag| view! { <input type="hidden" name="tag" value=tag /> })}
            <input
                name="q"
                value=q
                class=INPUT
                aria-label=move || t_string!(i18n, community_search)
                placeholder=move || t_string!(i18n, community_search_placeholder)
                data-testid="community-search"
            />
            <button type="submit" class=format!("{PRIMARY} shrink-0")>{t!(i18n, action_search)}</button>
        </form>
    }
}

#[component]
fn PostList(data: PageData, q: String, tag: Option<String>) -> impl IntoView {
    let i18n = use_i18n();
    let PageData { posts, page, pages, total, terms, tag: tag_label } = data;
    let narrowed = !q.is_empty() || tag.is_some();
    view! {
        <div class="flex flex-wrap items-center gap-2 text-sm text-slate-600" data-testid="community-count">
            {move || t_string!(i18n, community_count, count = total)}
            {tag_label.map(|label| view! {
                <span class="inline-flex items-center gap-1">
                    <TagChip tag=label />
                    <A href=format!("/community?q={}", encode(&q)) attr:class="text-xs text-blue-700 hover:underline">
                        {t!(i18n, community_clear_tag)}
                    </A>
                </span>
            })}
        </div>
        {if posts.is_empty() {
            view! {
                <div class="rounded-xl border border-dashed border-slate-300 bg-white px-6 py-12 text-center text-sm text-slate-500" data-testid="community-empty">
                    {move || if narrowed { t_string!(i18n, community_empty_search) } else { t_string!(i18n, community_empty) }}
                </div>
            }
                .into_any()
        } else {
            let href_q = q.clone();
            let href_tag = tag.clone();
            view! {
                <ul class="space-y-3" data-testid="post-list">
                    {posts.into_iter().map(|post| view! { <PostCard post terms=terms.clone() /> }).collect_view()}
                </ul>
                <Pager
                    page
                    pages
                    href=Callback::new(move |page| {
                        let mut url = format!("/community?page={page}&q={}", encode(&href_q));
                        if let Some(tag) = &href_tag {
                            url.push_str(&format!("&tag={}", encode(tag)));
                        }
                        url
                    })
                />
            }
                .into_any()
        }}
    }
}

fn role_badge(i18n: leptos_i18n::I18nContext<Locale>, role: Role) -> &'static str {
    match role {
        Role::Developer => t_string!(i18n, role_developer),
        Role::Merchant => t_string!(i18n, role_merchant),
        Role::Admin => t_string!(i18n, role_admin),
    }
}

#[component]
fn PostCard(post: PostSummary, terms: Vec<String>) -> impl IntoView {
    let i18n = use_i18n();
    let PostSummary { id, title, excerpt, author_name, author_role, tags, like_count, reply_count, created_at } = post;
    view! {
        <li class="relative rounded-xl border border-slate-200 bg-white p-4 shadow-sm transition hover:border-blue-200 hover:shadow-md" data-testid="post-card">
            <h2 class="text-base font-semibold leading-snug text-slate-900">
                <A href=format!("/community/{id}") attr:class="after:absolute after:inset-0 hover:text-blue-700">
                    {highlight(&title, &terms)
                        .into_iter()
                        .map(|(run, hit)| if hit {
                            view! { <mark class="rounded bg-amber-100 px-0.5 text-inherit">{run}</mark> }.into_any()
                        } else {
                            run.into_any()
                        })
                        .collect_view()}
                </A>
            </h2>
            <p class="mt-1 line-clamp-2 text-sm text-slate-600">{excerpt}</p>
            <div class="mt-2 flex flex-wrap items-center gap-x-3 gap-y-1.5 text-xs text-slate-500">
                <ul class="flex flex-wrap gap-1.5">{tags.into_iter().map(|tag| view! { <TagChip tag /> }).collect_view()}</ul>
                <span>{author_name} " · " {move || role_badge(i18n, author_role)}</span>
                <span>{created_at}</span>
                <span class="ml-auto tabular-nums">{move || t_string!(i18n, community_likes_replies, likes = like_count, replies = reply_count)}</span>
            </div>
        </li>
    }
}

#[component]
fn NewPostForm(create: ServerAction<CreatePostFn>) -> impl IntoView {
    let i18n = use_i18n();
    let error = Signal::derive(move || create.value().get().and_then(Result::err));
    let message = move |field| field_message(i18n, error.get().as_ref(), field);
    view! {
        <ActionForm action=create attr:class=format!("{CARD} space-y-3") attr:novalidate=true attr:data-testid="new-post">
            <h2 class="text-base font-semibold text-slate-900">{t!(i18n, community_new_post)}</h2>
            <LabelOver label=label_text(|i| t_string!(i, community_field_title)) id="post-title" message=Signal::derive(move || message(Field::Title))>
                <input id="post-title" name="form[title]" class=INPUT />
            </LabelOver>
            <LabelOver label=label_text(|i| t_string!(i, community_field_body)) id="post-body" message=Signal::derive(move || message(Field::Description))>
                <textarea id="post-body" name="form[body]" rows="6" class=INPUT></textarea>
            </LabelOver>
            <LabelOver label=label_text(|i| t_string!(i, community_field_tags)) id="post-tags" message=Signal::derive(move || message(Field::Tags))>
                <input id="post-tags" name="form[tags]" class=INPUT placeholder="Rust, 小程序" />
            </LabelOver>
            <button type="submit" class=format!("{PRIMARY} w-full") data-testid="publish-post">{t!(i18n, community_publish)}</button>
            <FormAlert error />
        </ActionForm>
    }
}

#[component]
pub fn PostPage() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_params_map();
    let id = Memo::new(move |_| params.read().get("id").and_then(|s| Uuid::parse_str(&s).ok()));
    let reply = ServerAction::<ReplyPostFn>::new();
    let like = ServerAction::<LikePostFn>::new();
    let moderate = ServerAction::<ModeratePostFn>::new();
    let post = Resource::new(
        move || id.get(),
        |id| async move {
            match id {
                Some(id) => community_post(id).await,
                None => Err(crate::error::AppError::NotFound),
            }
        },
    );
    view! {
        <A href="/community" attr:class="text-sm text-blue-700 hover:underline">{t!(i18n, community_back)}</A>
        <Transition fallback=|| view! { <div class="mt-4 h-64 animate-pulse rounded-xl bg-white"></div> }>
            {move || Suspend::new(async move {
                match post.await {
                    Ok(post) => view! { <PostView post reply like moderate /> }.into_any(),
                    Err(error) => view! { <div class="mt-4"><ErrorPanel error /></div> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn PostView(
    post: PostDetail,
    reply: ServerAction<ReplyPostFn>,
    like: ServerAction<LikePostFn>,
    moderate: ServerAction<ModeratePostFn>,
) -> impl IntoView {
    let i18n = use_i18n();
    let reply_error = Signal::derive(move || reply.value().get().and_then(Result::err));
    let moderate_error = Signal::derive(move || moderate.value().get().and_then(Result::err));
    let id = post.id.to_string();
    let (like_id, reply_id) = (id.clone(), id.clone());
    let author_role = post.author_role;
    let reply_count = post.replies.len();
    let hidden = post.hidden;
    let description = crate::domain::seo::plain_summary(&post.body_html, crate::domain::seo::DESCRIPTION_CHARS);
    view! {
        <Title text=post.title.clone() />
        // A hidden post (seen by its author and admins only) is not described to search engines.
        {(!hidden).then(|| view! { <crate::components::seo::PageMeta description path=format!("/community/{id}") /> })}
        <article class=format!("{CARD} mt-4") data-testid="post">
            {post.hidden.then(|| view! {
                <p class="mb-3 rounded-lg bg-amber-50 px-3 py-2 text-sm text-amber-800" data-testid="post-hidden">
                    {t!(i18n, community_hidden)} " " {post.moderation_note.clone()}
                </p>
            })}
            <h1 class="text-xl font-bold text-slate-900 sm:text-2xl">{post.title.clone()}</h1>
            <div class="mt-2 flex flex-wrap items-center gap-x-3 gap-y-1.5 text-xs text-slate-500">
                <span>{post.author_name.clone()} " · " {move || role_badge(i18n, author_role)}</span>
                <span>{post.created_at.clone()}</span>
                <ul class="flex flex-wrap gap-1.5">{post.tags.clone().into_iter().map(|tag| view! { <TagChip tag /> }).collect_view()}</ul>
            </div>
            <div class="prose-task mt-4 text-sm leading-relaxed text-slate-700" data-testid="post-body" inner_html=post.body_html.clone()></div>
            <div class="mt-4 flex items-center gap-3 border-t border-slate-100 pt-3">
                {if post.can_take_part {
                    view! {
                        <ActionForm action=like>
                            <input type="hidden" name="post" value=like_id />
                            <input type="hidden" name="like" value=(!post.liked).to_string() />
                            <button
                                type="submit"
                                class=if post.liked { format!("{PRIMARY} text-xs") } else { format!("{SECONDARY} text-xs") }
                                data-testid="like"
                                aria-pressed=post.liked.to_string()
                            >
                                {move || t_string!(i18n, community_like, n = post.like_count)}
                            </button>
                        </ActionForm>
                    }
                        .into_any()
                } else {
                    view! { <span class="text-sm text-slate-500" data-testid="like-count">{move || t_string!(i18n, community_like, n = post.like_count)}</span> }.into_any()
                }}
            </div>
        </article>
        <section class=format!("{CARD} mt-4") data-testid="replies">
            <h2 class="text-base font-semibold text-slate-900">{move || t_string!(i18n, community_replies, n = reply_count)}</h2>
            <ul class="mt-2 divide-y divide-slate-100">
                {post.replies.clone().into_iter().map(|r| view! {
                    <li class="py-2.5" data-testid="reply">
                        <div class="text-xs text-slate-500">{r.author_name} " · " {move || role_badge(i18n, r.author_role)} " · " {r.created_at}</div>
                        <p class="mt-0.5 whitespace-pre-wrap text-sm text-slate-800">{r.body}</p>
                    </li>
                }).collect_view()}
            </ul>
            {post.can_take_part.then(|| view! {
                <ActionForm action=reply attr:class="mt-3 space-y-2" attr:novalidate=true>
                    <input type="hidden" name="post" value=reply_id />
                    <label for="reply-body" class="sr-only">{t!(i18n, community_reply)}</label>
                    <textarea id="reply-body" name="body" rows="3" class=INPUT placeholder=move || t_string!(i18n, community_reply_placeholder) data-testid="reply-body"></textarea>
                    <ErrorLine message=Signal::derive(move || field_message(i18n, reply_error.get().as_ref(), Field::Message)) />
                    <button type="submit" class=PRIMARY data-testid="send-reply">{t!(i18n, community_reply)}</button>
                    <FormAlert error=reply_error />
                </ActionForm>
            })}
        </section>
        {post.can_moderate.then(|| view! {
            <ActionForm action=moderate attr:class=format!("{CARD} mt-4 space-y-2") attr:data-testid="moderate-post">
                <h2 class="text-sm font-semibold text-slate-900">{t!(i18n, community_moderate)}</h2>
                <input type="hidden" name="post" value=id />
                <input type="hidden" name="hide" value=(!hidden).to_string() />
                <input name="reason" class=INPUT placeholder=move || t_string!(i18n, community_moderate_reason) />
                <ErrorLine message=Signal::derive(move || field_message(i18n, moderate_error.get().as_ref(), Field::Reason)) />
                <button type="submit" class=SECONDARY>
                    {move || if hidden { t_string!(i18n, community_restore) } else { t_string!(i18n, community_hide) }}
                </button>
            </ActionForm>
        })}
    }
}
