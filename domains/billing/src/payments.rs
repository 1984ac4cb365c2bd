//! Payment providers: the trait Billing pays through, and a Stripe-compatible adapter. A
//! provider creates checkouts (the payer completes them on the provider's page) and turns its
//! signed webhooks into [`PaymentEvent`]s; what they mean for the ledger is the service's.

use ingot_contracts::BoxFuture;
use ingot_kernel::Timestamp;
use ingot_kernel::crypto::webhook_signature_verify;
use ingot_kernel::id::TenantId;
use ingot_kernel::money::{Currency, Money};
use serde::Deserialize;

/// A checkout the payer completes at `url`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Checkout {
    /// The provider's id for it (Stripe: the checkout session id).
    pub provider_ref: String,
    pub url: String,
}

/// What a provider's webhook said.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PaymentEvent {
    /// The checkout `provider_ref` was paid; `payment_ref` names the payment for later refunds.
    Succeeded {
        event_id: String,
        provider_ref: String,
        payment_ref: Option<String>,
        amount: Money,
    },
    Failed {
        event_id: String,
        provider_ref: String,
    },
    /// `refunded` of payment `payment_ref` has been refunded so far (a running total).
    Refunded {
        event_id: String,
        payment_ref: String,
        refunded: Money,
    },
    /// An event this integration does not act on; acknowledged so the provider stops sending it.
    Ignored {
        event_id: String,
        event_type: String,
    },
}

impl PaymentEvent {
    pub fn event_id(&self) -> &str {
        match self {
            PaymentEvent::Succeeded { event_id, .. }
            | PaymentEvent::Failed { event_id, .. }
            | PaymentEvent::Refunded { event_id, .. }
            | PaymentEvent::Ignored { event_id, .. } => event_id,
        }
    }

    pub fn event_type(&self) -> &str {
        match self {
            PaymentEvent::Succeeded { .. } => "succeeded",
            PaymentEvent::Failed { .. } => "failed",
            PaymentEvent::Refunded { .. } => "refunded",
            PaymentEvent::Ignored { event_type, .. } => event_type,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PaymentError {
    /// The provider cannot take this (an amount it cannot express, say).
    #[error("{0}")]
    Refused(String),
    #[error("the payment provider is unreachable or failed: {0}")]
    Unavailable(String),
    #[error("the webhook signature is missing, wrong or stale")]
    SignatureInvalid,
    #[error("the webhook body is not an event this provider sends: {0}")]
    Malformed(String),
}

pub trait PaymentProvider: Send + Sync {
    /// The name in URLs and requests: `stripe`.
    fn name(&self) -> &'static str;
    /// Opens a checkout for `amount`; `idempotency_key` makes a retried call open one checkout.
    fn checkout_create<'a>(
        &'a self,
        tenant_id: TenantId,
        amount: Money,
        idempotency_key: &'a str,
    ) -> BoxFuture<'a, Result<Checkout, PaymentError>>;
    /// Verifies a webhook's signature and reads it.
    fn webhook_parse(
        &self,
        signature: Option<&str>,
        body: &[u8],
        now: Timestamp,
    ) -> Result<PaymentEvent, PaymentError>;
}

/// Where and how to reach a Stripe-compatible API.
#[derive(Clone)]
pub struct StripeConfig {
    /// `https://api.stripe.com`, or a local fake in tests.
    pub base_url: String,
    pub api_key: String,
    pub webhook_secret: String,
    /// Where the payer lands after paying or cancelling.
    pub return_url: String,
}

impl std::fmt::Debug for StripeConfig {
    // Keys never reach a log, even through Debug.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("StripeConfig")
            .field("base_url", &self.base_url)
            .field("return_url", &self.return_url)
            .finish_non_exhaustive()
    }
}

pub struct Stripe {
    config: StripeConfig,
    http: reqwest::Client,
}

impl Stripe {
    pub fn new(config: StripeConfig) -> Stripe {
        let http = ingot_kernel::outbound::client_builder()
            .timeout(std::time::Duration::from_secs(20))
            .build()
            .unwrap_or_default();
        Stripe { config, http }
    }
}

/// Stripe amounts are integers in the currency's minor unit (cents for the currencies we keep).
fn minor_units(amount: Money) -> Result<i64, PaymentError> {
    const MICROS_PER_CENT: i64 = 10_000;
    if amount.micros() % MICROS_PER_CENT != 0 {
        return Err(PaymentError::Refused(
            "card payments are in whole cents; round the amount to 2 decimals".into(),
        ));
    }
    Ok(amount.micros() / MICROS_PER_CENT)
}

fn from_minor_units(cents: i64, currency: &str) -> Result<Money, PaymentError> {
    let currency: Currency = currency
        .to_ascii_uppercase()
        .parse()
        .map_err(|_| PaymentError::Malformed(format!("currency {currency:?}")))?;
    Ok(Money::from_micros(cents.saturating_mul(10_000), currency))
}

#[derive(Deserialize)]
struct SessionCreated {
    id: String,
    url: String,
}

#[derive(Deserialize)]
struct StripeEvent {
    id: String,
    #[serde(rename = "type")]
    event_type: String,
    data: StripeEventData,
}

#[derive(Deserialize)]
struct StripeEventData {
    object: serde_json::Value,
}

fn text_field<'a>(object: &'a serde_json::Value, field: &str) -> Result<&'a str, PaymentError> {
    object[field]
        .as_str()
        .ok_or_else(|| PaymentError::Malformed(format!("missing {field}")))
}

impl PaymentProvider for Stripe {
    fn name(&self) -> &'static str {
        "stripe"
    }

    fn checkout_create<'a>(
        &'a self,
        tenant_id: TenantId,
        amount: Money,
        idempotency_key: &'a str,
    ) -> BoxFuture<'a, Result<Checkout, PaymentError>> {
        Box::pin(async move {
            let cents = minor_units(amount)?.to_string();
            let tenant = tenant_id.to_string();
            let currency = amount.currency().as_str().to_ascii_lowercase();
            let form = [
                ("mode", "payment"),
                ("line_items[0][quantity]", "1"),
                ("line_items[0][price_data][currency]", currency.as_str()),
                ("line_items[0][price_data][unit_amount]", cents.as_str()),
                (
                    "line_items[0][price_data][product_data][name]",
                    "Ingot balance top-up",
                ),
                ("client_reference_id", tenant.as_str()),
                ("metadata[tenant_id]", tenant.as_str()),
                ("success_url", self.config.return_url.as_str()),
                ("cancel_url", self.config.return_url.as_str()),
            ];
            let response = self
                .http
                .post(format!(
                    "{}/v1/checkout/sessions",
                    self.config.base_url.trim_end_matches('/')
                ))
                .bearer_auth(&self.config.api_key)
                .header("Idempotency-Key", idempotency_key)
                .form(&form)
                .send()
                .await
                .map_err(|err| PaymentError::Unavailable(err.without_url().to_string()))?;
            let status = response.status();
            if !status.is_success() {
                return Err(if status.is_client_error() {
                    PaymentError::Refused(format!("the provider refused the checkout ({status})"))
                } else {
                    PaymentError::Unavailable(format!("the provider answered {status}"))
                });
            }
            let session: SessionCreated = response
                .json()
                .await
                .map_err(|err| PaymentError::Unavailable(format!("unreadable answer: {err}")))?;
            Ok(Checkout {
                provider_ref: session.id,
                url: session.url,
            })
        })
    }

    fn webhook_parse(
        &self,
        signature: Option<&str>,
        body: &[u8],
        now: Timestamp,
    ) -> Result<PaymentEvent, PaymentError> {
        let now_s = now.as_micros().div_euclid(1_000_000);
        if !webhook_signature_verify(&self.config.webhook_secret, signature, body, now_s) {
            return Err(PaymentError::SignatureInvalid);
        }
        let event: StripeEvent =
            serde_json::from_slice(body).map_err(|err| PaymentError::Malformed(err.to_string()))?;
        let object = &event.data.object;
        Ok(match event.event_type.as_str() {
            "checkout.session.completed" | "checkout.session.async_payment_succeeded"
                if object["payment_status"] == "paid" =>
            {
                PaymentEvent::Succeeded {
                    provider_ref: text_field(object, "id")?.to_string(),
                    payment_ref: object["payment_intent"].as_str().map(str::to_string),
                    amount: from_minor_units(
                        object["amount_total"]
                            .as_i64()
                            .ok_or_else(|| PaymentError::Malformed("missing amount_total".into()))?,
                        text_field(object, "currency")?,
                    )?,
                    event_id: event.id,
                }
            }
            "checkout.session.async_payment_failed" | "checkout.session.expired" => PaymentEvent::Failed {
                provider_ref: text_field(object, "id")?.to_string(),
                event_id: event.id,
            },
            "charge.refunded" => PaymentEvent::Refunded {
                payment_ref: text_field(object, "payment_intent")?.to_string(),
                refunded: from_minor_units(
                    object["amount_refunded"]
                        .as_i64()
                        .ok_or_else(|| PaymentError::Malformed("missing amount_refunded".into()))?,
                    text_field(object, "currency")?,
                )?,
                event_id: event.id,
            },
            _ => PaymentEvent::Ignored {
                event_id: event.id,
                event_type: event.event_type,
            },
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ingot_kernel::crypto::webhook_signature_make;

    fn stripe() -> Stripe {
        Stripe::new(StripeConfig {
            base_url: "http://127.0.0.1:1".into(),
            api_key: "sk_test".into(),
            webhook_secret: "whsec_test".into(),
            return_url: "http://localhost/".into(),
        })
    }

    const NOW: Timestamp = Timestamp::from_secs(1_700_000_000);

    fn signed(body: &serde_json::Value) -> (String, Vec<u8>) {
        let body = serde_json::to_vec(body).unwrap_or_default();
        (webhook_signature_make("whsec_test", &body, 1_700_000_000), body)
    }

    #[test]
    fn events_are_read_only_when_signed_by_the_secret() {
        let completed = serde_json::json!({"id": "evt_1", "type": "checkout.session.completed", "data": {"object": {
            "id": "cs_1", "payment_status": "paid", "payment_intent": "pi_1", "amount_total": 2550, "currency": "usd"}}});
        let (signature, body) = signed(&completed);
        assert_eq!(
            stripe().webhook_parse(Some(&signature), &body, NOW),
            Ok(PaymentEvent::Succeeded {
                event_id: "evt_1".into(),
                provider_ref: "cs_1".into(),
                payment_ref: Some("pi_1".into()),
                amount: Money::parse("25.50", Currency::USD).unwrap_or(Money::zero(Currency::USD)),
            })
        );
        let forged = webhook_signature_make("whsec_other", &body, 1_700_000_000);
        assert_eq!(
            stripe().webhook_parse(Some(&forged), &body, NOW),
            Err(PaymentError::SignatureInvalid)
        );
        assert_eq!(
            stripe().webhook_parse(None, &body, NOW),
            Err(PaymentError::SignatureInvalid)
        );
        let later = Timestamp::from_secs(1_700_000_000 + 301);
        assert_eq!(
            stripe().webhook_parse(Some(&signature), &body, later),
            Err(PaymentError::SignatureInvalid),
            "a captured webhook cannot be replayed later"
        );
        let unpaid = serde_json::json!({"id": "evt_2", "type": "checkout.session.completed", "data": {"object": {
            "id": "cs_2", "payment_status": "unpaid", "amount_total": 100, "currency": "usd"}}});
        let (signature, body) = signed(&unpaid);
        assert!(matches!(
            stripe().webhook_parse(Some(&signature), &body, NOW),
            Ok(PaymentEvent::Ignored { .. })
        ));
    }

    #[test]
    fn amounts_must_be_whole_cents() {
        assert_eq!(
            minor_units(Money::from_micros(25_500_000, Currency::USD)),
            Ok(2_550)
        );
        assert!(minor_units(Money::from_micros(25_500_001, Currency::USD)).is_err());
    }
}
