//! Pages of the emulator's listings, in either of the service's two styles (spec section 12).
//!
//! Token paging (BytePlus, the default): `MaxResults` (1–100, default 10) and `NextToken`;
//! `PageNumber` is ignored; the answer is `{Items, NextToken}` (no token on the last page) with
//! no `TotalCount`. Page numbers (Volcengine, `--paging number`): `PageNumber`/`PageSize`; the
//! answer carries `PageNumber`, `PageSize` and `TotalCount`. Each style ignores the other's
//! keys, as the service ignores keys it does not know.

use base64::Engine;
use chrono::{DateTime, Utc};
use serde::Serialize;
use serde_json::{Value, json};

use super::fail::Fail;
use crate::api::model::{MAX_PAGE_SIZE, Paging, SortBy, SortOrder};

/// How the emulator pages its listings.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum PagingStyle {
    /// `MaxResults` and `NextToken` (BytePlus).
    #[default]
    Token,
    /// `PageNumber` and `PageSize` with a `TotalCount` (Volcengine).
    Number,
}

/// Items of a page when a request names no size.
const DEFAULT_SIZE: u32 = 10;

/// The token that continues a listing at `offset`: base64 of `{"offset":N}`, as the service's
/// look.
pub fn token(offset: usize) -> String {
    base64::engine::general_purpose::STANDARD.encode(json!({ "offset": offset }).to_string())
}

/// The offset a token continues at.
fn offset_of(token: &str) -> Option<usize> {
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(token)
        .ok()?;
    let value: Value = serde_json::from_slice(&bytes).ok()?;
    usize::try_from(value.get("offset")?.as_u64()?).ok()
}

/// Where a page starts and how many items it holds, as the request asks in `style`.
fn window(p: &Paging, style: PagingStyle) -> Result<(usize, usize), Fail> {
    let size = |value: Option<u32>, field: &str| {
        let size = value.unwrap_or(DEFAULT_SIZE);
        if size == 0 || size > MAX_PAGE_SIZE {
            return Err(Fail::invalid(format!(
                "{field} must be between 1 and {MAX_PAGE_SIZE}"
            )));
        }
        Ok(size as usize)
    };
    match style {
        PagingStyle::Token => {
            let size = size(p.max_results, "MaxResults")?;
            let start = match &p.next_token {
                None => 0,
                Some(t) => offset_of(t).ok_or_else(|| {
                    Fail::new(400, "InvalidParameter.NextToken", "NextToken is not valid")
                })?,
            };
            Ok((start, size))
        }
        PagingStyle::Number => {
            let number = p.page_number.unwrap_or(1);
            if number == 0 {
                return Err(Fail::invalid("PageNumber must be 1 or more"));
            }
            let size = size(p.page_size, "PageSize")?;
            Ok(((number as usize - 1).saturating_mul(size), size))
        }
    }
}

/// Cuts one page out of `items` sorted by the chosen time (ties by id), in `style`. Only the
/// page is sorted: two linear selections find its items, so listing a large group page by page
/// does not sort the whole group for every page.
pub fn page<T: Serialize>(
    mut items: Vec<&T>,
    p: &Paging,
    style: PagingStyle,
    key: impl for<'a> Fn(&'a T, SortBy) -> (Option<DateTime<Utc>>, &'a str),
) -> Result<Value, Fail> {
    let (start, size) = window(p, style)?;
    let sort_by = p.sort_by.unwrap_or(SortBy::CreateTime);
    let desc = p.sort_order.unwrap_or(SortOrder::Desc) == SortOrder::Desc;
    let order = |a: &&T, b: &&T| {
        let by = key(a, sort_by).cmp(&key(b, sort_by));
        if desc { by.reverse() } else { by }
    };
    let total = items.len();
    let start = start.min(total);
    let end = start.saturating_add(size).min(total);
    if end < total {
        items.select_nth_unstable_by(end, order);
        items.truncate(end);
    }
    if start > 0 && start < end {
        items.select_nth_unstable_by(start, order);
    }
    let mut shown = items.split_off(start);
    shown.sort_unstable_by(order);
    let shown: Vec<Value> = shown
        .into_iter()
        .map(|item| serde_json::to_value(item).expect("models serialise"))
        .collect();
    Ok(match style {
        PagingStyle::Token if end < total => json!({"Items": shown, "NextToken": token(end)}),
        PagingStyle::Token => json!({ "Items": shown }),
        PagingStyle::Number => json!({
            "Items": shown,
            "PageNumber": p.page_number.unwrap_or(1),
            "PageSize": size,
            "TotalCount": total,
        }),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_look_like_the_services() {
        assert_eq!(token(100), "eyJvZmZzZXQiOjEwMH0=");
        assert_eq!(offset_of("eyJvZmZzZXQiOjEwMH0="), Some(100));
        assert_eq!(offset_of("not a token"), None);
    }
}
