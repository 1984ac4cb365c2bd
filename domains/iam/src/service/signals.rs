//! What IAM tells Operations' alert rules: failed logins within the window (a credential-stuffing
//! or brute-force wave, or a broken login page).

use ingot_contracts::BoxFuture;
use ingot_contracts::operations::{Signal, SignalQuery, SignalSource};

use super::IamService;
use crate::store;

impl SignalSource for IamService {
    fn signal_names(&self) -> &'static [&'static str] {
        &["iam.login_failures"]
    }

    fn signals(&self, query: SignalQuery) -> BoxFuture<'_, Result<Vec<Signal>, String>> {
        Box::pin(async move {
            let since = query.now.minus(query.window);
            let failed = store::failed_logins_since(self.db.reader(), since)
                .await
                .map_err(|e| e.to_string())?;
            Ok(if failed > 0 {
                vec![Signal::new(
                    "iam.login_failures",
                    "platform",
                    failed as f64,
                    format!(
                        "{failed} failed logins in the last {} min",
                        query.window.as_secs() / 60
                    ),
                )]
            } else {
                Vec::new()
            })
        })
    }
}
