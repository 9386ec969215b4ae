//! Human tables and JSON on stdout.

use serde::Serialize;
use unicode_width::UnicodeWidthStr;

use crate::api::model::{Asset, AssetGroup};

/// Prints `value` as pretty JSON.
pub fn json<T: Serialize + ?Sized>(value: &T) {
    println!(
        "{}",
        serde_json::to_string_pretty(value).expect("output serialises")
    );
}

/// Prints rows under a header, columns aligned by display width (CJK counts double).
pub fn table(header: &[&str], rows: &[Vec<String>]) {
    let mut widths: Vec<usize> = header.iter().map(|h| h.width()).collect();
    for row in rows {
        for (w, cell) in widths.iter_mut().zip(row) {
            *w = (*w).max(cell.width());
        }
    }
    let line = |cells: Vec<&str>| {
        let mut out = String::new();
        for (i, (cell, w)) in cells.iter().zip(&widths).enumerate() {
            out.push_str(cell);
            if i + 1 < cells.len() {
                out.push_str(&" ".repeat(w - cell.width() + 2));
            }
        }
        println!("{}", out.trim_end());
    };
    line(header.to_vec());
    for row in rows {
        line(row.iter().map(String::as_str).collect());
    }
}

fn time(t: Option<chrono::DateTime<chrono::Utc>>) -> String {
    t.map(|t| t.format("%Y-%m-%d %H:%M").to_string())
        .unwrap_or_default()
}

/// The groups table.
pub fn groups(groups: &[AssetGroup]) {
    let rows: Vec<Vec<String>> = groups
        .iter()
        .map(|g| {
            vec![
                g.id.clone(),
                g.name.clone(),
                time(g.create_time),
                g.description.clone(),
            ]
        })
        .collect();
    table(&["ID", "NAME", "CREATED", "DESCRIPTION"], &rows);
}

/// The assets table.
pub fn assets(assets: &[Asset]) {
    let rows: Vec<Vec<String>> = assets
        .iter()
        .map(|a| {
            vec![
                a.id.clone(),
                a.status.to_string(),
                a.name.clone(),
                time(a.update_time),
                a.error
                    .as_ref()
                    .map(|e| format!("{}: {}", e.code, e.message))
                    .unwrap_or_default(),
            ]
        })
        .collect();
    table(&["ID", "STATUS", "NAME", "UPDATED", "ERROR"], &rows);
}

/// `key: value` lines.
pub fn fields(pairs: &[(&str, String)]) {
    let width = pairs.iter().map(|(k, _)| k.len()).max().unwrap_or(0);
    for (k, v) in pairs {
        println!("{k:<width$}  {v}");
    }
}

/// One group in detail.
pub fn group(g: &AssetGroup) {
    fields(&[
        ("Id", g.id.clone()),
        ("Name", g.name.clone()),
        ("Description", g.description.clone()),
        ("GroupType", g.group_type.clone()),
        ("ProjectName", g.project_name.clone()),
        ("CreateTime", time(g.create_time)),
        ("UpdateTime", time(g.update_time)),
    ]);
}

/// One asset in detail.
pub fn asset(a: &Asset) {
    let mut pairs = vec![
        ("Id", a.id.clone()),
        ("Reference", a.reference()),
        ("Name", a.name.clone()),
        ("Status", a.status.to_string()),
        ("GroupId", a.group_id.clone()),
        ("AssetType", a.asset_type.clone()),
        ("URL", a.url.clone()),
        ("CreateTime", time(a.create_time)),
        ("UpdateTime", time(a.update_time)),
    ];
    if let Some(e) = &a.error {
        pairs.push(("Error", format!("{}: {}", e.code, e.message)));
    }
    fields(&pairs);
}
