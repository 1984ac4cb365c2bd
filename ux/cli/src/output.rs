//! Rendering: aligned tables for people, JSON for scripts. Data comes from the SDK as is.

use ingot_kernel::money::Money;
use ingot_sdk::ingot_contracts::operations::{HealthReport, OwnershipRegistry};
use serde::Serialize;

use crate::OutputFormat;

/// Columns padded to their widest cell, two spaces apart.
pub fn table(header: &[&str], rows: &[Vec<String>]) -> String {
    let mut widths: Vec<usize> = header.iter().map(|h| h.chars().count()).collect();
    for row in rows {
        for (i, cell) in row.iter().enumerate() {
            widths[i] = widths[i].max(cell.chars().count());
        }
    }
    let line = |cells: Vec<String>| {
        let padded: Vec<String> = cells
            .iter()
            .enumerate()
            .map(|(i, c)| format!("{c:<w$}", w = widths[i]))
            .collect();
        padded.join("  ").trim_end().to_string()
    };
    let mut out = line(header.iter().map(|h| h.to_string()).collect());
    for row in rows {
        out.push('\n');
        out.push_str(&line(row.clone()));
    }
    out
}

/// JSON as is, or a table built by `rows` (an optional title line, the header, the rows).
pub fn emit<T: Serialize>(
    format: OutputFormat,
    value: &T,
    rows: impl FnOnce() -> (String, Vec<&'static str>, Vec<Vec<String>>),
) -> anyhow::Result<()> {
    if format == OutputFormat::Json {
        return json_print(value);
    }
    let (title, header, rows) = rows();
    if !title.is_empty() {
        println!("{title}");
    }
    println!("{}", table(&header, &rows));
    Ok(())
}

/// JSON as is, or one short line.
pub fn json_or_id<T: Serialize>(
    format: OutputFormat,
    value: &T,
    line: impl FnOnce(&T) -> String,
) -> anyhow::Result<()> {
    if format == OutputFormat::Json {
        return json_print(value);
    }
    println!("{}", line(value));
    Ok(())
}

/// An enum as the API spells it (`quarantined`, `prevents_allocation`).
pub fn word<T: Serialize + std::fmt::Debug>(value: &T) -> String {
    match serde_json::to_value(value) {
        Ok(serde_json::Value::String(text)) => text,
        _ => format!("{value:?}").to_lowercase(),
    }
}

pub fn json_print<T: Serialize>(value: &T) -> anyhow::Result<()> {
    println!("{}", serde_json::to_string_pretty(value)?);
    Ok(())
}

/// `12.500000 USD` as `12.50 USD`: trailing zeros past the cents say nothing.
pub fn money_text(money: &Money) -> String {
    let amount = money.amount_string();
    let trimmed = match amount.split_once('.') {
        Some((units, fraction)) => {
            let fraction = fraction.trim_end_matches('0');
            format!("{units}.{fraction:0<2}")
        }
        None => amount,
    };
    format!("{trimmed} {}", money.currency())
}

pub fn health_print(
    format: OutputFormat,
    health: &HealthReport,
    readiness: &HealthReport,
) -> anyhow::Result<()> {
    if format == OutputFormat::Json {
        return json_print(&serde_json::json!({ "health": health, "readiness": readiness }));
    }
    let mut rows = vec![vec![
        "server".to_string(),
        health.status.clone(),
        health.version.clone(),
    ]];
    for check in &readiness.checks {
        let status = if check.ok { "ok" } else { "failing" };
        rows.push(vec![
            check.name.clone(),
            status.to_string(),
            check.detail.clone().unwrap_or_default(),
        ]);
    }
    println!("{}", table(&["CHECK", "STATUS", "DETAIL"], &rows));
    Ok(())
}

pub fn ownership_print(format: OutputFormat, registry: &OwnershipRegistry) -> anyhow::Result<()> {
    if format == OutputFormat::Json {
        return json_print(registry);
    }
    let title = |key: &str| registry.role(key).map_or(key.to_string(), |r| r.title.clone());
    let rows: Vec<Vec<String>> = registry
        .contexts
        .iter()
        .map(|c| {
            vec![
                c.name.clone(),
                title(&c.primary),
                title(&c.secondary),
                c.on_call_severity.clone(),
            ]
        })
        .collect();
    println!(
        "{}",
        table(&["CONTEXT", "PRIMARY", "SECONDARY", "ON-CALL"], &rows)
    );
    Ok(())
}

#[cfg(test)]
mod tests {
    // Unit tests fail by panicking.
    #![allow(clippy::unwrap_used)]

    use super::*;
    use ingot_kernel::money::Currency;

    #[test]
    fn money_keeps_cents_and_drops_the_rest_of_the_zeros() {
        let usd = |text| Money::parse(text, Currency::USD).unwrap();
        assert_eq!(money_text(&usd("12.5")), "12.50 USD");
        assert_eq!(money_text(&usd("19.92")), "19.92 USD");
        assert_eq!(money_text(&usd("0.000125")), "0.000125 USD");
        assert_eq!(money_text(&usd("3")), "3.00 USD");
        assert_eq!(money_text(&usd("-4.25")), "-4.25 USD");
        assert_eq!(money_text(&usd("0")), "0.00 USD");
    }

    #[test]
    fn tables_align_columns() {
        let rows = vec![
            vec!["database".into(), "ok".into(), String::new()],
            vec!["cache".into(), "failing".into(), "redis did not answer".into()],
        ];
        assert_eq!(
            table(&["CHECK", "STATUS", "DETAIL"], &rows),
            "CHECK     STATUS   DETAIL\ndatabase  ok\ncache     failing  redis did not answer"
        );
    }
}
