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

/// JSON or YAML as is, ids only (`--quiet`: the first column), or a table built by `rows` (an
/// optional title line, the header, the rows).
pub fn emit<T: Serialize>(
    format: OutputFormat,
    value: &T,
    rows: impl FnOnce() -> (String, Vec<&'static str>, Vec<Vec<String>>),
) -> anyhow::Result<()> {
    if format.is_data() {
        return data_print(format, value);
    }
    let (title, header, rows) = rows();
    if format == OutputFormat::Quiet {
        for row in rows {
            if let Some(id) = row.first().filter(|id| !id.is_empty()) {
                println!("{id}");
            }
        }
        return Ok(());
    }
    if !title.is_empty() {
        println!("{title}");
    }
    println!("{}", table(&header, &rows));
    Ok(())
}

/// JSON or YAML as is, or one short line (`--quiet`: its first word, the id).
pub fn json_or_id<T: Serialize>(
    format: OutputFormat,
    value: &T,
    line: impl FnOnce(&T) -> String,
) -> anyhow::Result<()> {
    if format.is_data() {
        return data_print(format, value);
    }
    let line = line(value);
    if format == OutputFormat::Quiet {
        println!("{}", line.split_whitespace().next().unwrap_or_default());
    } else {
        println!("{line}");
    }
    Ok(())
}

/// The document as YAML when asked for, else as JSON.
pub fn data_print<T: Serialize>(format: OutputFormat, value: &T) -> anyhow::Result<()> {
    if format == OutputFormat::Yaml {
        print!("{}", yaml(&serde_json::to_value(value)?));
        return Ok(());
    }
    json_print(value)
}

/// A JSON document as YAML (block style). Strings are always double-quoted with JSON's escapes,
/// which YAML reads the same, so no value can be mistaken for a number, a boolean or null.
pub fn yaml(value: &serde_json::Value) -> String {
    use serde_json::Value;
    fn key(text: &str) -> String {
        let plain = !text.is_empty()
            && text
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
            && !text.starts_with('-')
            && !matches!(
                text,
                "true" | "false" | "null" | "yes" | "no" | "on" | "off" | "y" | "n"
            )
            && text.parse::<f64>().is_err();
        if plain {
            text.to_string()
        } else {
            Value::String(text.to_string()).to_string()
        }
    }
    fn scalar(value: &Value) -> Option<String> {
        match value {
            Value::Array(items) if items.is_empty() => Some("[]".into()),
            Value::Object(map) if map.is_empty() => Some("{}".into()),
            Value::Array(_) | Value::Object(_) => None,
            other => Some(other.to_string()),
        }
    }
    fn write(value: &Value, indent: usize, out: &mut String) {
        let pad = " ".repeat(indent);
        match value {
            Value::Object(map) if !map.is_empty() => {
                for (name, item) in map {
                    match scalar(item) {
                        Some(text) => out.push_str(&format!("{pad}{}: {text}\n", key(name))),
                        None => {
                            out.push_str(&format!("{pad}{}:\n", key(name)));
                            write(item, indent + 2, out);
                        }
                    }
                }
            }
            Value::Array(items) if !items.is_empty() => {
                for item in items {
                    match scalar(item) {
                        Some(text) => out.push_str(&format!("{pad}- {text}\n")),
                        None => {
                            // The item's first line after the dash, the rest under it.
                            let mut inner = String::new();
                            write(item, indent + 2, &mut inner);
                            out.push_str(&format!("{pad}- {}", &inner[indent + 2..]));
                        }
                    }
                }
            }
            other => out.push_str(&format!("{pad}{}\n", scalar(other).unwrap_or_default())),
        }
    }
    let mut out = String::new();
    write(value, 0, &mut out);
    out
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
    if format.is_data() {
        return data_print(
            format,
            &serde_json::json!({ "health": health, "readiness": readiness }),
        );
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
    if format.is_data() {
        return data_print(format, registry);
    }
    let title = |key: &str| {
        let title = registry.role(key).map_or(key.to_string(), |r| r.title.clone());
        match registry.on_call.get(key) {
            Some(people) if !people.is_empty() => format!("{title} ({})", people.join(", ")),
            _ => title,
        }
    };
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
    fn yaml_reads_back_as_the_same_document() {
        let document = serde_json::json!({
            "id": "alc_01", "count": 2, "ok": true, "none": null, "tricky": "yes: no # not a comment\n",
            "true": "a key that looks like a boolean", "empty": [], "nothing": {},
            "nodes": [{"id": "nod_1", "ips": ["10.0.0.1", "10.0.0.2"]}, {"id": "nod_2", "ips": []}],
            "nested": {"deeper": {"list": [1, [2, 3]]}}
        });
        let text = yaml(&document);
        assert!(
            text.contains("nodes:\n  - id: \"nod_1\"\n    ips:\n      - \"10.0.0.1\""),
            "{text}"
        );
        // Python's YAML parser is on every machine the tests run on (.ci installs python3).
        let parsed = std::process::Command::new("python3")
            .args([
                "-c",
                "import sys, json, yaml; print(json.dumps(yaml.safe_load(sys.stdin.read())))",
            ])
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .spawn()
            .and_then(|mut child| {
                std::io::Write::write_all(child.stdin.as_mut().unwrap(), text.as_bytes())?;
                child.wait_with_output()
            })
            .unwrap();
        assert!(parsed.status.success(), "{text}");
        let back: serde_json::Value = serde_json::from_slice(&parsed.stdout).unwrap();
        assert_eq!(back, document, "{text}");
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
