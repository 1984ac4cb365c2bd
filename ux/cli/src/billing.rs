//! Billing commands: a tenant's balance, ledger and top-ups (`ingot billing`), and finance's
//! credits and ledger verification (`ingot admin billing`). Parse, call the SDK, print; what
//! makes an amount acceptable beyond being a number is the server's to say.

use std::process::ExitCode;

use clap::Subcommand;
use ingot_kernel::id::TenantId;
use ingot_kernel::money::{Currency, Money, MoneyError};
use ingot_sdk::Client;
use ingot_sdk::ingot_contracts::billing::{CreditRequest, LedgerEntryView, TopUpRequest, TopUpStatus};

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
async fn tenant_resolve(client: &Client, tenant: Option<TenantId>) -> anyhow::Result<TenantId> {
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
}
