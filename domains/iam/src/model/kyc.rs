//! KYC as a state machine (unverified → submitted → verified | rejected; verified → revoked;
//! rejected and revoked tenants may submit again) and the policy table of limits per level.

use ingot_contracts::iam::{KYC_PERSONAL_FIELDS, KycDecision, KycLevel, KycPersonalData, KycState};
use ingot_kernel::{Currency, Money};

/// Bumped whenever `policy_for` changes.
pub const KYC_POLICY_VERSION: u32 = 1;

/// Limits of one level: (max concurrent nodes, max top-up per day in whole USD, allowed SKUs).
pub fn policy_for(level: KycLevel) -> (u32, Money, Vec<String>) {
    let usd = |units: i64| Money::from_micros(units * 1_000_000, Currency::USD);
    match level {
        KycLevel::None => (0, usd(500), Vec::new()),
        KycLevel::Basic => (4, usd(5_000), vec!["cpu-*".into(), "gpu-1x-*".into()]),
        KycLevel::Full => (64, usd(100_000), vec!["*".into()]),
    }
}

/// A move the state machine refuses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct KycTransitionError {
    pub from: KycState,
}

/// The state after a submission.
pub fn kyc_submit(from: KycState) -> Result<KycState, KycTransitionError> {
    match from {
        KycState::Unverified | KycState::Rejected | KycState::Revoked => Ok(KycState::Submitted),
        KycState::Submitted | KycState::Verified => Err(KycTransitionError { from }),
    }
}

/// A submission's personal data, checked and tidied (trimmed; the country upper-cased), or
/// every refused field with why. Personal data is what a manual review reads, so a submission
/// without a provider's case reference must carry it.
pub fn kyc_personal_data_checked(
    data: Option<KycPersonalData>,
    provider_ref: Option<&str>,
) -> Result<Option<KycPersonalData>, Vec<(String, String)>> {
    let Some(data) = data else {
        return match provider_ref {
            Some(_) => Ok(None),
            None => Err(vec![(
                "personal_data".into(),
                "is required unless provider_ref names a verification provider's case".into(),
            )]),
        };
    };
    let mut refused = Vec::new();
    let mut field = |name: &str, value: String| -> String {
        let Some(spec) = KYC_PERSONAL_FIELDS.iter().find(|f| f.name == name) else {
            return value;
        };
        let mut value = value.trim().replace("\r\n", "\n");
        if name == "country" {
            value.make_ascii_uppercase();
        }
        let why = if value.is_empty() {
            Some("is required".to_string())
        } else if name == "country" && !(value.len() == 2 && value.bytes().all(|b| b.is_ascii_uppercase())) {
            Some("must be a two-letter ISO 3166-1 code, e.g. DE".to_string())
        } else if value.chars().count() > spec.max_chars {
            Some(format!("must be at most {} characters", spec.max_chars))
        } else if value
            .chars()
            .any(|c| c.is_control() && !(spec.multiline && c == '\n'))
        {
            Some("must not contain control characters".to_string())
        } else {
            None
        };
        if let Some(why) = why {
            refused.push((format!("personal_data.{name}"), why));
        }
        value
    };
    let legal_name = field("legal_name", data.legal_name);
    let country = field("country", data.country);
    let address = field("address", data.address);
    if !refused.is_empty() {
        return Err(refused);
    }
    Ok(Some(KycPersonalData {
        legal_name,
        country,
        address,
    }))
}

/// The state and level after a reviewer's (or provider's) decision.
pub fn kyc_decide(
    from: KycState,
    decision: KycDecision,
    level: Option<KycLevel>,
) -> Result<(KycState, KycLevel), KycTransitionError> {
    match (from, decision) {
        (KycState::Submitted, KycDecision::Verify) => match level {
            Some(level @ (KycLevel::Basic | KycLevel::Full)) => Ok((KycState::Verified, level)),
            _ => Err(KycTransitionError { from }),
        },
        (KycState::Submitted, KycDecision::Reject) => Ok((KycState::Rejected, KycLevel::None)),
        (KycState::Verified, KycDecision::Revoke) => Ok((KycState::Revoked, KycLevel::None)),
        _ => Err(KycTransitionError { from }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use expect_test::expect;
    use std::fmt::Write as _;

    #[test]
    fn every_move_of_the_state_machine() {
        let states = [
            KycState::Unverified,
            KycState::Submitted,
            KycState::Verified,
            KycState::Rejected,
            KycState::Revoked,
        ];
        let mut table = String::new();
        for from in states {
            writeln!(
                table,
                "{from:?} submit -> {:?}",
                kyc_submit(from).map_err(|_| "refused")
            )
            .unwrap();
            for (decision, level) in [
                (KycDecision::Verify, Some(KycLevel::Full)),
                (KycDecision::Verify, None),
                (KycDecision::Reject, None),
                (KycDecision::Revoke, None),
            ] {
                let outcome = kyc_decide(from, decision, level).map_err(|_| "refused");
                writeln!(table, "{from:?} {decision:?}/{level:?} -> {outcome:?}").unwrap();
            }
        }
        expect![[r#"
            Unverified submit -> Ok(Submitted)
            Unverified Verify/Some(Full) -> Err("refused")
            Unverified Verify/None -> Err("refused")
            Unverified Reject/None -> Err("refused")
            Unverified Revoke/None -> Err("refused")
            Submitted submit -> Err("refused")
            Submitted Verify/Some(Full) -> Ok((Verified, Full))
            Submitted Verify/None -> Err("refused")
            Submitted Reject/None -> Ok((Rejected, None))
            Submitted Revoke/None -> Err("refused")
            Verified submit -> Err("refused")
            Verified Verify/Some(Full) -> Err("refused")
            Verified Verify/None -> Err("refused")
            Verified Reject/None -> Err("refused")
            Verified Revoke/None -> Ok((Revoked, None))
            Rejected submit -> Ok(Submitted)
            Rejected Verify/Some(Full) -> Err("refused")
            Rejected Verify/None -> Err("refused")
            Rejected Reject/None -> Err("refused")
            Rejected Revoke/None -> Err("refused")
            Revoked submit -> Ok(Submitted)
            Revoked Verify/Some(Full) -> Err("refused")
            Revoked Verify/None -> Err("refused")
            Revoked Reject/None -> Err("refused")
            Revoked Revoke/None -> Err("refused")
        "#]]
        .assert_eq(&table);
    }

    #[test]
    fn higher_levels_allow_more() {
        let (none_nodes, none_top_up, none_skus) = policy_for(KycLevel::None);
        let (basic_nodes, basic_top_up, _) = policy_for(KycLevel::Basic);
        let (full_nodes, full_top_up, full_skus) = policy_for(KycLevel::Full);
        assert!(none_nodes < basic_nodes && basic_nodes < full_nodes);
        assert!(none_top_up.micros() < basic_top_up.micros() && basic_top_up.micros() < full_top_up.micros());
        assert!(none_skus.is_empty() && full_skus == ["*"]);
    }

    fn data(legal_name: &str, country: &str, address: &str) -> Option<KycPersonalData> {
        Some(KycPersonalData {
            legal_name: legal_name.into(),
            country: country.into(),
            address: address.into(),
        })
    }

    fn refused_fields(result: Result<Option<KycPersonalData>, Vec<(String, String)>>) -> Vec<String> {
        result
            .err()
            .unwrap_or_default()
            .into_iter()
            .map(|(field, _)| field)
            .collect()
    }

    #[test]
    fn a_manual_review_needs_every_personal_field_and_a_provider_case_needs_none() {
        let tidy = kyc_personal_data_checked(data("  Acme GmbH ", "de", "Hauptstr. 1\r\nBerlin"), None)
            .unwrap()
            .unwrap();
        assert_eq!(
            (
                tidy.legal_name.as_str(),
                tidy.country.as_str(),
                tidy.address.as_str()
            ),
            ("Acme GmbH", "DE", "Hauptstr. 1\nBerlin")
        );
        assert_eq!(
            refused_fields(kyc_personal_data_checked(None, None)),
            ["personal_data"]
        );
        assert_eq!(kyc_personal_data_checked(None, Some("case-1")), Ok(None));
        assert_eq!(
            refused_fields(kyc_personal_data_checked(data(" ", "", "\t"), None)),
            [
                "personal_data.legal_name",
                "personal_data.country",
                "personal_data.address"
            ]
        );
        // Data given beside a provider's case is still checked; a country's name is not its code.
        assert_eq!(
            kyc_personal_data_checked(data("A", "Deutschland", "x"), Some("case-1")),
            Err(vec![(
                "personal_data.country".to_string(),
                "must be a two-letter ISO 3166-1 code, e.g. DE".to_string()
            )])
        );
        assert_eq!(
            refused_fields(kyc_personal_data_checked(
                data("A\nB", "1E", &"x".repeat(1_001)),
                None
            )),
            [
                "personal_data.legal_name",
                "personal_data.country",
                "personal_data.address"
            ]
        );
    }

    #[test]
    fn the_published_fields_are_the_members_of_personal_data() {
        let members = serde_json::to_value(data("a", "b", "c").unwrap()).unwrap();
        let mut members: Vec<&str> = members.as_object().unwrap().keys().map(String::as_str).collect();
        members.sort_unstable();
        let mut published: Vec<&str> = KYC_PERSONAL_FIELDS.iter().map(|f| f.name).collect();
        published.sort_unstable();
        assert_eq!(members, published);
    }
}
