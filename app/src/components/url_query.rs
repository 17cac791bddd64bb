//! The page's request as its URL states it, re-read whenever the URL changes (paging and filters
//! loaded in place change the URL, not the page).

use crate::domain::url_query::UrlQuery;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

pub fn use_url_query<Q: UrlQuery + Clone + PartialEq + Send + Sync + 'static>() -> Memo<Q> {
    let url = use_query_map();
    Memo::new(move |_| {
        let url = url.read();
        let mut pairs: Vec<(&str, String)> =
            Q::SINGLE_KEYS.iter().filter_map(|key| url.get(key).map(|value| (*key, value))).collect();
        for key in Q::REPEATED_KEYS {
            pairs.extend(url.get_all(key).unwrap_or_default().into_iter().map(|value| (*key, value)));
        }
        Q::from_pairs(pairs.iter().map(|(key, value)| (*key, value.as_str())))
    })
}
