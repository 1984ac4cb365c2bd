//! Billing commands: a tenant's balance, ledger, usage, monthly statements and top-ups
//! (`ingot billing`), and finance's credits, charges and ledger verification (`ingot admin
//! billing`). Parse, call the SDK, print; what makes an amount or a month acceptable beyond its
//! shape is the server's to say.

use std::io::Write as _;
use std::process::ExitCode;

use clap::Subcommand;
use ingot_kernel::id::TenantId;
use ingot_kernel::money::{Currency, Money, MoneyError};
use ingot_sdk::Client;
use ingot_sdk::ingot_contracts::billing::{
    ChargeRequest, CreditRequest, LedgerEntryView, StatementView, TopUpRequest, TopUpStatus, UsageLine,
    UsageView,
};

use crate::OutputFormat;
use crate::output::{self, emit};

/// Decimals money is kept to (micro-units).
const AMOUNT_DECIMALS_MAX: usize = 6;

#[derive(Debug, Subcommand)]
pub enum BillingCommand {
    /// Cash, promotional credit, holds and what may still be spent.
    Balance {
        /// Tenant id [default: your tenant, when you belong to exactly one]
        #[arg(long)]
        tenant: Option<TenantId>,
    },
    /// Ledger entries, oldest first: one page, or every page with --all.
    Ledger {
        /// Tenant id [default: your tenant, when you belong to exactly one]
        #[arg(long)]
        tenant: Option<TenantId>,
        /// Entries per page (1–500; the server's default is 50).
        #[arg(long)]
        limit: Option<u32>,
        /// Start after this `next_cursor` of an earlier page.
        #[arg(long, conflicts_with = "all")]
        cursor: Option<String>,
        /// Follow the pages to the end.
        #[arg(long)]
        all: bool,
    },
    /// Metered nodes: when each started and stopped, its hourly rate and what it cost so far.
    Usage {
        /// Tenant id [default: your tenant, when you belong to exactly one]
        #[arg(long)]
        tenant: Option<TenantId>,
    },
    /// A month's statement: opening balance, what moved it, closing balance.
    Statement {
        /// The month (UTC) as YYYY-MM, such as 2026-11.
        month: String,
        /// Tenant id [default: your tenant, when you belong to exactly one]
        #[arg(long)]
        tenant: Option<TenantId>,
        /// Print the server's CSV exactly as received (redirect it to a file) instead of a
        /// summary.
        #[arg(long)]
        csv: bool,
    },
    /// Add money through a payment provider.
    TopUp {
        /// In major units, such as 25.50 (at most 6 decimals).
        amount: String,
        #[arg(long, default_value = "USD")]
        currency: Currency,
        /// `test` credits at once with no real money (offered on the embedded default only)
        /// [default: test]
        #[arg(long)]
        provider: Option<String>,
        /// Tenant id [default: your tenant, when you belong to exactly one]
        #[arg(long)]
        tenant: Option<TenantId>,
        /// Run this command again with the same key after a timeout: the money lands once
        /// [default: a fresh key]
        #[arg(long, value_name = "KEY")]
        idempotency_key: Option<String>,
    },
}

#[derive(Debug, Subcommand)]
pub enum AdminBillingCommand {
    /// Give a tenant money by hand (finance), audited.
    Credit {
        /// Tenant id.
        tenant: TenantId,
        /// In major units, such as 25.50 (at most 6 decimals).
        amount: String,
        /// Why; kept in the ledger memo and the audit log.
        #[arg(long)]
        reason: String,
        /// Promotional credit, spent before cash, instead of cash.
        #[arg(long)]
        promotional: bool,
        #[arg(long, default_value = "USD")]
        currency: Currency,
        /// Run this command again with the same key after a timeout: the credit lands once
        /// [default: a fresh key]
        #[arg(long, value_name = "KEY")]
        idempotency_key: Option<String>,
    },
    /// Charge a tenant by hand (finance), audited; refused past the tenant's floor.
    Charge {
        /// Tenant id.
        tenant: TenantId,
        /// In major units, such as 25.50 (at most 6 decimals).
        amount: String,
        /// Why; kept in the ledger memo and the audit log.
        #[arg(long)]
        reason: String,
        #[arg(long, default_value = "USD")]
        currency: Currency,
        /// Run this command again with the same key after a timeout: the charge lands once
        /// [default: a fresh key]
        #[arg(long, value_name = "KEY")]
        idempotency_key: Option<String>,
    },
    /// Let an invoiced tenant's cash go this far below zero (finance), audited; 0 for prepaid.
    CreditLimit {
        /// Tenant id.
        tenant: TenantId,
        /// In major units, such as 5000 (at most 6 decimals).
        amount: String,
        #[arg(long)]
        reason: String,
        #[arg(long, default_value = "USD")]
        currency: Currency,
    },
    /// Recompute every ledger invariant; exits non-zero and names each breach when one fails.
    Verify,
}

pub async fn billing_run(
    client: &Client,
    format: OutputFormat,
    command: BillingCommand,
) -> anyhow::Result<ExitCode> {
    match command {
        BillingCommand::Balance { tenant } => {
            let tenant = tenant_resolve(client, tenant).await?;
            let balance = client.balance_get(tenant).await?;
            emit(format, &balance, || {
                let row = [
                    &balance.cash,
                    &balance.promo,
                    &balance.held,
                    &balance.credit_limit,
                    &balance.available,
                ]
                .into_iter()
                .map(output::money_text)
                .collect();
                (
                    format!("balance of {tenant}"),
                    vec!["CASH", "PROMO", "HELD", "CREDIT LIMIT", "AVAILABLE"],
                    vec![row],
                )
            })?;
        }
        BillingCommand::Ledger {
            tenant,
            limit,
            cursor,
            all,
        } => {
            let tenant = tenant_resolve(client, tenant).await?;
            let mut page = client.ledger_list(tenant, limit, cursor.as_deref()).await?;
            while all && let Some(next) = page.next_cursor.take() {
                let more = client.ledger_list(tenant, limit, Some(&next)).await?;
                page.items.extend(more.items);
                page.next_cursor = more.next_cursor;
            }
            emit(format, &page, || {
                (
                    String::new(),
                    vec!["AT", "TRANSACTION", "KIND", "ACCOUNT", "AMOUNT", "MEMO"],
                    page.items.iter().map(entry_row).collect(),
                )
            })?;
            if format == OutputFormat::Table && page.next_cursor.is_some() {
                eprintln!("more entries follow: pass --all, or --cursor from --output json");
            }
        }
        BillingCommand::Usage { tenant } => {
            let tenant = tenant_resolve(client, tenant).await?;
            let usage = client.usage_list(tenant).await?;
            emit(format, &usage, || {
                (
                    String::new(),
                    vec![
                        "ALLOCATION",
                        "NODE",
                        "SKU",
                        "STARTED",
                        "STOPPED",
                        "RATE/HOUR",
                        "CHARGED",
                    ],
                    usage.iter().map(usage_row).collect(),
                )
            })?;
        }
        BillingCommand::Statement { month, tenant, csv } => {
            // Before any call: a typo is told without touching the server.
            month_check(&month)?;
            if csv && format.is_data() {
                anyhow::bail!("--csv and --output json|yaml ask for two different formats; pass one");
            }
            let tenant = tenant_resolve(client, tenant).await?;
            if csv {
                let text = client.statement_csv(tenant, &month).await?;
                // No newline added: redirected to a file, it is the server's CSV byte for byte.
                let mut stdout = std::io::stdout().lock();
                stdout.write_all(text.as_bytes())?;
                stdout.flush()?;
            } else {
                let statement = client.statement_get(tenant, &month).await?;
                output::json_or_id(format, &statement, statement_text)?;
            }
        }
        BillingCommand::TopUp {
            amount,
            currency,
            provider,
            tenant,
            idempotency_key,
        } => {
            // Before any call: a typo is told without touching the server.
            let amount = amount_parse(&amount, currency)?;
            let tenant = tenant_resolve(client, tenant).await?;
            let top_up = client
                .top_up(
                    tenant,
                    &TopUpRequest { amount, provider },
                    idempotency_key.as_deref(),
                )
                .await?;
            output::json_or_id(format, &top_up, |t| {
                let head = format!(
                    "top-up of {} to {} via {}",
                    output::money_text(&t.amount),
                    t.tenant_id,
                    t.provider
                );
                match (t.status, &t.checkout_url, t.transaction_id) {
                    (TopUpStatus::Pending, Some(url), _) => {
                        format!("{head}: pending; complete the payment at {url}")
                    }
                    (TopUpStatus::Pending, None, _) => format!("{head}: pending"),
                    (TopUpStatus::Succeeded, _, Some(transaction)) => {
                        format!("{head}: succeeded ({transaction})")
                    }
                    (TopUpStatus::Succeeded, _, None) => format!("{head}: succeeded"),
                    (TopUpStatus::Failed, _, _) => format!("{head}: failed"),
                }
            })?;
            if top_up.status == TopUpStatus::Failed {
                return Ok(ExitCode::FAILURE);
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

pub async fn admin_billing_run(
    client: &Client,
    format: OutputFormat,
    command: AdminBillingCommand,
) -> anyhow::Result<ExitCode> {
    match command {
        AdminBillingCommand::Credit {
            tenant,
            amount,
            reason,
            promotional,
            currency,
            idempotency_key,
        } => {
            let amount = amount_parse(&amount, currency)?;
            let request = CreditRequest {
                amount,
                reason,
                promotional,
            };
            let entry = client
                .credit_grant(tenant, &request, idempotency_key.as_deref())
                .await?;
            output::json_or_id(format, &entry, |e| {
                format!(
                    "credited {} to {tenant} ({}): {}",
                    output::money_text(&e.amount),
                    e.account,
                    e.transaction_id
                )
            })?;
        }
        AdminBillingCommand::Charge {
            tenant,
            amount,
            reason,
            currency,
            idempotency_key,
        } => {
            let amount = amount_parse(&amount, currency)?;
            let request = ChargeRequest { amount, reason };
            let entry = client
                .charge_post(tenant, &request, idempotency_key.as_deref())
                .await?;
            // The entry's amount is the money leaving the account, so negative; the line says
            // what was charged, as typed.
            output::json_or_id(format, &entry, |e| {
                format!(
                    "charged {} to {tenant} ({}): {}",
                    output::money_text(&amount),
                    e.account,
                    e.transaction_id
                )
            })?;
        }
        AdminBillingCommand::CreditLimit {
            tenant,
            amount,
            reason,
            currency,
        } => {
            let credit_limit = amount_parse(&amount, currency)?;
            let request = ingot_sdk::ingot_contracts::billing::CreditLimitRequest { credit_limit, reason };
            let balance = client.credit_limit_set(tenant, &request).await?;
            output::json_or_id(format, &balance, |_| {
                format!(
                    "{tenant} may now go {} below zero",
                    output::money_text(&credit_limit)
                )
            })?;
        }
        AdminBillingCommand::Verify => {
            let report = client.ledger_verify().await?;
            let sound = report.ok && report.breaches.is_empty();
            output::json_or_id(format, &report, |r| {
                let counted = format!(
                    "{} account(s), {} transaction(s), {} transfer(s)",
                    r.accounts, r.transactions, r.transfers
                );
                if sound {
                    return format!("ok: {counted}; every invariant holds");
                }
                let mut text = format!("BROKEN: {} breach(es) in {counted}", r.breaches.len());
                for breach in &r.breaches {
                    text.push_str("\n  ");
                    text.push_str(breach);
                }
                text
            })?;
            if !sound {
                return Ok(ExitCode::FAILURE);
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// `--tenant`, else the one tenant the credential can act in. Guessing among several would move
/// money in the wrong tenant, so more than one asks for the flag.
pub(crate) async fn tenant_resolve(client: &Client, tenant: Option<TenantId>) -> anyhow::Result<TenantId> {
    if let Some(tenant) = tenant {
        return Ok(tenant);
    }
    let me = client.me_get().await?;
    match me.memberships.as_slice() {
        [only] => Ok(only.tenant_id),
        [] => anyhow::bail!("you belong to no tenant; pass --tenant TENANT_ID"),
        several => {
            let choices: Vec<String> = several
                .iter()
                .map(|m| format!("  {} {}", m.tenant_id, m.tenant_name))
                .collect();
            anyhow::bail!(
                "you belong to {} tenants; pass --tenant with one of:\n{}",
                several.len(),
                choices.join("\n")
            )
        }
    }
}

/// AMOUNT as typed, such as `25.50`. Money is kept to the micro-unit, so a seventh decimal is
/// refused rather than silently rounded.
fn amount_parse(text: &str, currency: Currency) -> anyhow::Result<Money> {
    match Money::parse(text, currency) {
        Ok(amount) => Ok(amount),
        Err(MoneyError::InvalidAmount) => {
            let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
            let too_precise = text
                .trim_start_matches('-')
                .split_once('.')
                .filter(|(units, fraction)| digits(units) && digits(fraction))
                .map(|(_, fraction)| fraction.len())
                .filter(|&decimals| decimals > AMOUNT_DECIMALS_MAX);
            match too_precise {
                Some(decimals) => anyhow::bail!(
                    "amount {text:?} has {decimals} decimals; at most {AMOUNT_DECIMALS_MAX} are kept"
                ),
                None => anyhow::bail!("amount {text:?} is not a decimal number such as 25.50"),
            }
        }
        Err(err) => anyhow::bail!("amount {text:?}: {err}"),
    }
}

/// MONTH as typed, such as `2026-11`. Checked here so that `Nov` or `2026-13` is told plainly;
/// which years hold statements is the server's to say.
fn month_check(text: &str) -> anyhow::Result<()> {
    let digits = |s: &str, count: usize| s.len() == count && s.bytes().all(|b| b.is_ascii_digit());
    match text.split_once('-') {
        Some((year, number)) if digits(year, 4) && digits(number, 2) => {
            if matches!(number.parse::<u8>(), Ok(1..=12)) {
                Ok(())
            } else {
                anyhow::bail!("month {text:?}: {number} is not a month; months are 01 to 12")
            }
        }
        _ => anyhow::bail!("month {text:?} is not YYYY-MM, such as 2026-11"),
    }
}

fn entry_row(entry: &LedgerEntryView) -> Vec<String> {
    vec![
        entry.at.to_string(),
        entry.transaction_id.to_string(),
        entry.kind.clone(),
        entry.account.clone(),
        output::money_text(&entry.amount),
        entry.memo.clone(),
    ]
}

fn usage_row(usage: &UsageView) -> Vec<String> {
    let absent = || "-".to_string();
    let stopped = match (usage.stopped_at, usage.started_at) {
        (Some(at), _) => at.to_string(),
        (None, Some(_)) => "running".to_string(),
        // Facts may arrive in any order: a meter can be known before its start is.
        (None, None) => absent(),
    };
    vec![
        usage.allocation_id.to_string(),
        usage.node_id.to_string(),
        usage.sku_id.map_or_else(absent, |sku| sku.to_string()),
        usage.started_at.map_or_else(absent, |at| at.to_string()),
        stopped,
        usage.hourly_rate.as_ref().map_or_else(absent, output::money_text),
        output::money_text(&usage.charged),
    ]
}

fn usage_line_row(line: &UsageLine) -> Vec<String> {
    vec![
        line.allocation_id.to_string(),
        line.node_id.to_string(),
        line.sku_id.map_or_else(|| "-".to_string(), |sku| sku.to_string()),
        line.seconds.to_string(),
        line.hourly_rate
            .as_ref()
            .map_or_else(|| "-".to_string(), output::money_text),
        output::money_text(&line.amount),
    ]
}

/// In the order it adds up (opening + top-ups + credits − usage total + other = closing), with
/// the amounts right-aligned so the column can be checked by eye.
fn statement_text(statement: &StatementView) -> String {
    let figure = |label: &'static str, amount| (label, output::money_text(amount));
    let figures = [
        figure("opening balance", &statement.opening_balance),
        figure("top-ups", &statement.top_ups),
        figure("credits", &statement.credits),
        figure("usage total", &statement.usage_total),
        figure("other", &statement.other),
        figure("closing balance", &statement.closing_balance),
    ];
    let label_width = figures.iter().map(|(label, _)| label.len()).max().unwrap_or(0);
    let amount_width = figures
        .iter()
        .map(|(_, amount)| amount.chars().count())
        .max()
        .unwrap_or(0);
    let line = |(label, amount): &(&str, String)| format!("{label:<label_width$}  {amount:>amount_width$}");
    let mut lines = vec![format!(
        "statement of {} for {}",
        statement.tenant_id, statement.month
    )];
    lines.extend(figures[..3].iter().map(line));
    if statement.usage.is_empty() {
        lines.push(format!("{:<label_width$}  none", "usage"));
    } else {
        lines.push("usage".to_string());
        let rows: Vec<Vec<String>> = statement.usage.iter().map(usage_line_row).collect();
        let table = output::table(
            &["ALLOCATION", "NODE", "SKU", "SECONDS", "RATE/HOUR", "AMOUNT"],
            &rows,
        );
        lines.extend(table.lines().map(|row| format!("  {row}")));
    }
    lines.extend(figures[3..].iter().map(line));
    lines.join("\n")
}

#[cfg(test)]
mod tests {
    // Unit tests fail by panicking.
    #![allow(clippy::unwrap_used)]

    use super::*;

    #[test]
    fn amounts_are_decimal_strings_of_at_most_six_decimals() {
        let parsed = |text| amount_parse(text, Currency::USD).map(|m| m.micros());
        assert_eq!(parsed("25.50").unwrap(), 25_500_000);
        assert_eq!(parsed("3").unwrap(), 3_000_000);
        assert_eq!(parsed("0.000001").unwrap(), 1);
        let refused = |text| parsed(text).unwrap_err().to_string();
        assert_eq!(
            refused("1.1234567"),
            "amount \"1.1234567\" has 7 decimals; at most 6 are kept"
        );
        for typo in ["abc", "1e3", "25,50", "1.", ".5", "+5", " 5", "", "1.2.3"] {
            assert!(
                refused(typo).ends_with("is not a decimal number such as 25.50"),
                "{typo:?}: {}",
                refused(typo)
            );
        }
        assert!(refused("99999999999999999999").contains("out of range"));
    }

    #[test]
    fn months_are_yyyy_mm_with_a_month_of_01_to_12() {
        for month in ["2026-01", "2026-11", "2026-12", "1970-01"] {
            month_check(month).unwrap();
        }
        let refused = |text| month_check(text).unwrap_err().to_string();
        assert_eq!(
            refused("2026-13"),
            "month \"2026-13\": 13 is not a month; months are 01 to 12"
        );
        assert!(refused("2026-00").contains("00 is not a month"));
        for typo in [
            "Nov",
            "2026-1",
            "26-11",
            "2026/11",
            "2026-11-01",
            "",
            "２０２６-11",
            "2026-+1",
        ] {
            assert!(
                refused(typo).ends_with("is not YYYY-MM, such as 2026-11"),
                "{typo:?}: {}",
                refused(typo)
            );
        }
    }

    #[test]
    fn statements_read_in_the_order_they_add_up() {
        let usd = |text| Money::parse(text, Currency::USD).unwrap();
        let mut statement = StatementView {
            tenant_id: "ten_01jdq3v0k4x2m8n5p7r9s1t3w5".parse().unwrap(),
            month: "2026-11".into(),
            opening_balance: usd("0"),
            top_ups: usd("25.5"),
            credits: usd("0"),
            usage: Vec::new(),
            usage_total: usd("0"),
            other: usd("-5"),
            closing_balance: usd("20.5"),
        };
        assert_eq!(
            statement_text(&statement),
            "statement of ten_01jdq3v0k4x2m8n5p7r9s1t3w5 for 2026-11\n\
             opening balance   0.00 USD\n\
             top-ups          25.50 USD\n\
             credits           0.00 USD\n\
             usage            none\n\
             usage total       0.00 USD\n\
             other            -5.00 USD\n\
             closing balance  20.50 USD"
        );
        statement.usage.push(UsageLine {
            allocation_id: "alc_01jdq3v0k4x2m8n5p7r9s1t3w5".parse().unwrap(),
            node_id: "nod_01jdq3v0k4x2m8n5p7r9s1t3w5".parse().unwrap(),
            sku_id: None,
            seconds: 4_500,
            hourly_rate: Some(usd("19.92")),
            amount: usd("24.9"),
        });
        statement.usage_total = usd("24.9");
        statement.closing_balance = usd("-4.4");
        let text = statement_text(&statement);
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines[4], "usage");
        assert!(
            lines[5].starts_with("  ALLOCATION") && lines[5].ends_with("AMOUNT"),
            "{text}"
        );
        assert_eq!(
            lines[6],
            "  alc_01jdq3v0k4x2m8n5p7r9s1t3w5  nod_01jdq3v0k4x2m8n5p7r9s1t3w5  -    4500     19.92 USD  24.90 USD"
        );
        assert_eq!(lines[7], "usage total      24.90 USD");
        assert_eq!(lines[9], "closing balance  -4.40 USD");
    }
}
