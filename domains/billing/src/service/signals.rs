//! What Billing tells Operations' alert rules: whether the ledger verifies, and how many
//! balances ran out within the window.

use ingot_contracts::BoxFuture;
use ingot_contracts::operations::{Signal, SignalQuery, SignalSource};
use ingot_kernel::db::DbError;

use super::BillingService;
use crate::store;

impl BillingService {
    async fn signals_measure(&self, query: SignalQuery) -> Result<Vec<Signal>, DbError> {
        let mut signals = Vec::new();
        let report = store::ledger_verify(self.db.reader()).await?;
        if !report.breaches.is_empty() {
            let mut summary = format!("{} ledger invariant(s) broken: ", report.breaches.len());
            summary.push_str(
                &report
                    .breaches
                    .iter()
                    .take(3)
                    .cloned()
                    .collect::<Vec<_>>()
                    .join("; "),
            );
            signals.push(Signal::new(
                "billing.ledger_unbalanced",
                "ledger",
                report.breaches.len() as f64,
                summary,
            ));
        }
        // Allocations whose funding was announced exhausted within the window, per tenant.
        let since = query.now.minus(query.window);
        let exhausted = store::balances_exhausted_since(self.db.reader(), since).await?;
        if exhausted > 0 {
            signals.push(Signal::new(
                "billing.balances_exhausted",
                "platform",
                exhausted as f64,
                format!(
                    "{exhausted} tenants' balances ran out in the last {} min",
                    query.window.as_secs() / 60
                ),
            ));
        }
        Ok(signals)
    }
}

impl SignalSource for BillingService {
    fn signal_names(&self) -> &'static [&'static str] {
        &["billing.ledger_unbalanced", "billing.balances_exhausted"]
    }

    fn signals(&self, query: SignalQuery) -> BoxFuture<'_, Result<Vec<Signal>, String>> {
        Box::pin(async move { self.signals_measure(query).await.map_err(|e| e.to_string()) })
    }
}
