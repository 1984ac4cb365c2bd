//! Typed, prefixed, sortable ids (`ten_01jd…`). The body is a ULID: 48 bits of milliseconds then 80
//! random bits, Crockford base32, so ids sort by creation time and never need a central counter.
//! Only this module makes new ids.

use std::fmt;
use std::str::FromStr;
use std::sync::Mutex;

use ulid::Ulid;

/// Why a string is not an id of the expected kind.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("invalid {kind} id: expected `{prefix}_` followed by 26 base32 characters")]
pub struct IdParseError {
    pub kind: &'static str,
    pub prefix: &'static str,
}

/// Implemented by every typed id made with [`define_id!`].
pub trait TypedId: Copy + Eq + fmt::Display + FromStr<Err = IdParseError> {
    const PREFIX: &'static str;
    const KIND: &'static str;
    fn from_ulid(ulid: Ulid) -> Self;
    fn ulid(&self) -> Ulid;
}

/// A process-wide monotonic generator: ids made in the same millisecond still sort in creation order.
static GENERATOR: Mutex<Option<ulid::Generator>> = Mutex::new(None);

/// A fresh ULID, strictly greater than the previous one made by this process.
pub fn new_ulid() -> Ulid {
    let mut guard = GENERATOR.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
    let generator = guard.get_or_insert_with(ulid::Generator::new);
    // Overflow needs 2^80 ids in one millisecond; fall back to a plain (still unique) ULID.
    #[allow(clippy::disallowed_methods)] // This module is where ids are made.
    generator.generate().unwrap_or_else(|_| Ulid::new())
}

#[doc(hidden)]
pub fn parse_prefixed(text: &str, prefix: &'static str, kind: &'static str) -> Result<Ulid, IdParseError> {
    let err = IdParseError { kind, prefix };
    let body = text
        .strip_prefix(prefix)
        .and_then(|rest| rest.strip_prefix('_'))
        .ok_or(err.clone())?;
    if body.len() != 26 {
        return Err(err);
    }
    Ulid::from_string(&body.to_ascii_uppercase()).map_err(|_| err)
}

/// Defines a typed id: `define_id!(TenantId, "ten", "tenant")`.
#[macro_export]
macro_rules! define_id {
    ($(#[$meta:meta])* $name:ident, $prefix:literal, $kind:literal) => {
        $(#[$meta])*
        #[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub struct $name($crate::__private::ulid::Ulid);

        impl $name {
            /// A new id, sortable by creation time.
            pub fn generate() -> Self {
                Self($crate::id::new_ulid())
            }
        }

        impl $crate::id::TypedId for $name {
            const PREFIX: &'static str = $prefix;
            const KIND: &'static str = $kind;
            fn from_ulid(ulid: $crate::__private::ulid::Ulid) -> Self {
                Self(ulid)
            }
            fn ulid(&self) -> $crate::__private::ulid::Ulid {
                self.0
            }
        }

        impl ::std::fmt::Display for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                write!(f, "{}_{}", $prefix, self.0.to_string().to_ascii_lowercase())
            }
        }

        impl ::std::fmt::Debug for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                ::std::fmt::Display::fmt(self, f)
            }
        }

        impl ::std::str::FromStr for $name {
            type Err = $crate::id::IdParseError;
            fn from_str(text: &str) -> Result<Self, Self::Err> {
                $crate::id::parse_prefixed(text, $prefix, $kind).map(Self)
            }
        }

        impl $crate::__private::serde::Serialize for $name {
            fn serialize<S: $crate::__private::serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.collect_str(self)
            }
        }

        impl<'de> $crate::__private::serde::Deserialize<'de> for $name {
            fn deserialize<D: $crate::__private::serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let text = <::std::borrow::Cow<'de, str> as $crate::__private::serde::Deserialize<'de>>::deserialize(deserializer)?;
                text.parse().map_err($crate::__private::serde::de::Error::custom)
            }
        }

        impl $crate::__private::utoipa::PartialSchema for $name {
            fn schema() -> $crate::__private::utoipa::openapi::RefOr<$crate::__private::utoipa::openapi::schema::Schema> {
                $crate::id::id_schema($prefix, $kind)
            }
        }

        impl $crate::__private::utoipa::ToSchema for $name {}
    };
}

#[doc(hidden)]
pub fn id_schema(prefix: &str, kind: &str) -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
    utoipa::openapi::ObjectBuilder::new()
        .schema_type(utoipa::openapi::schema::Type::String)
        .pattern(Some(format!("^{prefix}_[0-9a-hjkmnp-tv-z]{{26}}$")))
        .description(Some(format!("{kind} id")))
        .examples([serde_json::json!(format!("{prefix}_01jdq3v0k4x2m8n5p7r9s1t3w5"))])
        .into()
}

define_id!(
    /// A tenant: the customer account that owns projects, balance and KYC state.
    TenantId, "ten", "tenant");
define_id!(ProjectId, "prj", "project");
define_id!(UserId, "usr", "user");
define_id!(SessionId, "ses", "session");
define_id!(ApiTokenId, "tok", "api token");
define_id!(AllocationId, "alc", "allocation");
define_id!(SshKeyId, "key", "ssh key");
define_id!(TemplateId, "tpl", "template");
define_id!(WebhookId, "whk", "webhook");
define_id!(DeliveryId, "dlv", "webhook delivery");
define_id!(ClusterId, "cls", "cluster");
define_id!(NodeId, "nod", "node");
define_id!(SkuId, "sku", "sku");
define_id!(SiteId, "sit", "site");
define_id!(TransactionId, "txn", "ledger transaction");
define_id!(EventId, "evt", "event");
define_id!(RequestId, "req", "request");
define_id!(IncidentId, "inc", "incident");
define_id!(InvitationId, "inv", "invitation");
define_id!(HoldId, "hld", "ledger hold");

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_with_prefix_and_round_trips() {
        let id = TenantId::generate();
        let text = id.to_string();
        assert!(text.starts_with("ten_") && text.len() == 30, "{text}");
        assert_eq!(text.parse::<TenantId>(), Ok(id));
        assert_eq!(
            text.to_ascii_uppercase()
                .replace("TEN_", "ten_")
                .parse::<TenantId>(),
            Ok(id)
        );
        assert_eq!(serde_json::to_string(&id).unwrap(), format!("\"{text}\""));
        assert_eq!(
            serde_json::from_str::<TenantId>(&format!("\"{text}\"")).unwrap(),
            id
        );
    }

    #[test]
    fn refuses_other_kinds_and_garbage() {
        let project = ProjectId::generate().to_string();
        assert_eq!(
            project.parse::<TenantId>(),
            Err(IdParseError {
                kind: "tenant",
                prefix: "ten"
            })
        );
        for bad in [
            "",
            "ten_",
            "ten",
            "ten_123",
            "ten-01jdq3v0k4x2m8n5p7r9s1t3w5",
            "ten_01jdq3v0k4x2m8n5p7r9s1t3wu!",
        ] {
            assert!(bad.parse::<TenantId>().is_err(), "{bad}");
        }
        assert!(serde_json::from_str::<TenantId>("42").is_err());
    }

    #[test]
    fn ids_sort_in_creation_order() {
        let ids: Vec<NodeId> = (0..1_000).map(|_| NodeId::generate()).collect();
        let mut sorted = ids.clone();
        sorted.sort();
        assert_eq!(ids, sorted);
        let mut texts: Vec<String> = ids.iter().map(ToString::to_string).collect();
        texts.sort();
        assert_eq!(texts, ids.iter().map(ToString::to_string).collect::<Vec<_>>());
    }
}
