//! Cursor pagination: `?limit=&cursor=` in, `{items, next_cursor}` out. A cursor is an opaque,
//! URL-safe encoding of the last key served; callers never build one by hand.

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

/// Page size when the caller names none.
pub const PAGE_LIMIT_DEFAULT: u32 = 50;
/// The most items one page may hold: every list has a bound.
pub const PAGE_LIMIT_MAX: u32 = 500;
/// Cursors longer than this are refused unread.
pub const CURSOR_BYTES_MAX: usize = 1_024;

/// The query half of a paginated request.
#[derive(Debug, Clone, Default, Deserialize, Serialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PageRequest {
    /// How many items to return (1–500, default 50).
    pub limit: Option<u32>,
    /// `next_cursor` from the previous page.
    pub cursor: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PageError {
    #[error("limit must be between 1 and {PAGE_LIMIT_MAX}")]
    InvalidLimit,
    #[error("cursor is not one this server issued")]
    InvalidCursor,
}

impl PageRequest {
    /// The validated limit.
    pub fn limit(&self) -> Result<u32, PageError> {
        match self.limit {
            None => Ok(PAGE_LIMIT_DEFAULT),
            Some(limit @ 1..=PAGE_LIMIT_MAX) => Ok(limit),
            Some(_) => Err(PageError::InvalidLimit),
        }
    }

    /// The decoded key of the last item of the previous page, if any.
    pub fn after<K: DeserializeOwned>(&self) -> Result<Option<K>, PageError> {
        self.cursor.as_deref().map(cursor_decode).transpose()
    }
}

pub fn cursor_encode<K: Serialize>(key: &K) -> String {
    // Invariant: keys are plain serde values (ids, numbers, strings), which always serialise.
    let json = serde_json::to_vec(key).expect("cursor keys serialise to JSON");
    URL_SAFE_NO_PAD.encode(json)
}

pub fn cursor_decode<K: DeserializeOwned>(cursor: &str) -> Result<K, PageError> {
    if cursor.len() > CURSOR_BYTES_MAX {
        return Err(PageError::InvalidCursor);
    }
    let bytes = URL_SAFE_NO_PAD
        .decode(cursor)
        .map_err(|_| PageError::InvalidCursor)?;
    serde_json::from_slice(&bytes).map_err(|_| PageError::InvalidCursor)
}

/// One page of results.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Page<T> {
    pub items: Vec<T>,
    /// Pass as `cursor` to get the next page; absent on the last page.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub next_cursor: Option<String>,
}

impl<T> Page<T> {
    /// Builds a page from up to `limit + 1` rows fetched in key order: the extra row only tells
    /// that another page exists, and is dropped.
    pub fn from_overfetch<K: Serialize>(mut rows: Vec<T>, limit: u32, key_of: impl Fn(&T) -> K) -> Page<T> {
        let limit = limit as usize;
        let next_cursor = if rows.len() > limit {
            rows.truncate(limit);
            rows.last().map(|last| cursor_encode(&key_of(last)))
        } else {
            None
        };
        Page {
            items: rows,
            next_cursor,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn limit_defaults_and_bounds() {
        let req = |limit| PageRequest { limit, cursor: None };
        assert_eq!(req(None).limit(), Ok(PAGE_LIMIT_DEFAULT));
        assert_eq!(req(Some(1)).limit(), Ok(1));
        assert_eq!(req(Some(PAGE_LIMIT_MAX)).limit(), Ok(PAGE_LIMIT_MAX));
        assert_eq!(req(Some(0)).limit(), Err(PageError::InvalidLimit));
        assert_eq!(
            req(Some(PAGE_LIMIT_MAX + 1)).limit(),
            Err(PageError::InvalidLimit)
        );
    }

    #[test]
    fn pages_walk_every_item_once() {
        let all: Vec<i64> = (1..=7).collect();
        let mut seen = Vec::new();
        let mut request = PageRequest {
            limit: Some(3),
            cursor: None,
        };
        loop {
            let after: Option<i64> = request.after().unwrap();
            let rows: Vec<i64> = all
                .iter()
                .copied()
                .filter(|n| after.is_none_or(|a| *n > a))
                .take(4)
                .collect();
            let page = Page::from_overfetch(rows, 3, |n| *n);
            seen.extend(page.items.iter().copied());
            match page.next_cursor {
                Some(cursor) => request.cursor = Some(cursor),
                None => break,
            }
        }
        assert_eq!(seen, all);
    }

    #[test]
    fn foreign_cursors_are_refused() {
        let req = |cursor: &str| PageRequest {
            limit: None,
            cursor: Some(cursor.into()),
        };
        assert_eq!(req("%%%").after::<i64>(), Err(PageError::InvalidCursor));
        assert_eq!(
            req(&cursor_encode(&"text")).after::<i64>(),
            Err(PageError::InvalidCursor)
        );
        assert_eq!(
            req(&"A".repeat(CURSOR_BYTES_MAX + 1)).after::<i64>(),
            Err(PageError::InvalidCursor)
        );
    }
}
