//! Money: integer micro-units (10^-6 of the major unit) of one currency, never floats.
//! In JSON it is `{"amount": "12.500000", "currency": "USD"}`: a decimal string in major units.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// Micro-units in one major unit.
pub const MICROS_PER_UNIT: i64 = 1_000_000;

/// An ISO 4217 alphabetic code: three ASCII capitals.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Currency([u8; 3]);

impl Currency {
    pub const USD: Currency = Currency(*b"USD");
    pub const EUR: Currency = Currency(*b"EUR");

    pub fn as_str(&self) -> &str {
        // Invariant: built only from three ASCII capitals, checked in `from_str`.
        std::str::from_utf8(&self.0).expect("currency codes are ASCII")
    }
}

impl fmt::Display for Currency {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl fmt::Debug for Currency {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Currency {
    type Err = MoneyError;
    fn from_str(text: &str) -> Result<Currency, MoneyError> {
        match text.as_bytes() {
            [a, b, c] if [a, b, c].iter().all(|x| x.is_ascii_uppercase()) => Ok(Currency([*a, *b, *c])),
            _ => Err(MoneyError::InvalidCurrency),
        }
    }
}

impl Serialize for Currency {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for Currency {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Currency, D::Error> {
        let text = <std::borrow::Cow<'de, str>>::deserialize(deserializer)?;
        text.parse().map_err(serde::de::Error::custom)
    }
}

/// Why a money operation or parse failed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum MoneyError {
    #[error("currency must be an ISO 4217 code of three capital letters")]
    InvalidCurrency,
    #[error("amount must be a decimal string with at most 6 decimals, such as \"12.50\"")]
    InvalidAmount,
    #[error("amount is out of range")]
    Overflow,
    #[error("currencies differ: {0} and {1}")]
    CurrencyMismatch(Currency, Currency),
}

/// An amount of one currency in micro-units. Arithmetic is checked: it fails rather than wraps,
/// and never mixes currencies.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct Money {
    micros: i64,
    currency: Currency,
}

impl Money {
    pub const fn from_micros(micros: i64, currency: Currency) -> Money {
        Money { micros, currency }
    }

    pub const fn zero(currency: Currency) -> Money {
        Money { micros: 0, currency }
    }

    /// `Money::parse("12.5", Currency::USD)` is 12,500,000 micro-units.
    pub fn parse(amount: &str, currency: Currency) -> Result<Money, MoneyError> {
        Ok(Money {
            micros: parse_micros(amount)?,
            currency,
        })
    }

    pub const fn micros(&self) -> i64 {
        self.micros
    }

    pub const fn currency(&self) -> Currency {
        self.currency
    }

    pub const fn is_negative(&self) -> bool {
        self.micros < 0
    }

    pub fn checked_add(self, other: Money) -> Result<Money, MoneyError> {
        self.same_currency(other)?;
        let micros = self
            .micros
            .checked_add(other.micros)
            .ok_or(MoneyError::Overflow)?;
        Ok(Money { micros, ..self })
    }

    pub fn checked_sub(self, other: Money) -> Result<Money, MoneyError> {
        self.same_currency(other)?;
        let micros = self
            .micros
            .checked_sub(other.micros)
            .ok_or(MoneyError::Overflow)?;
        Ok(Money { micros, ..self })
    }

    pub fn checked_mul(self, factor: i64) -> Result<Money, MoneyError> {
        let micros = self.micros.checked_mul(factor).ok_or(MoneyError::Overflow)?;
        Ok(Money { micros, ..self })
    }

    pub fn checked_neg(self) -> Result<Money, MoneyError> {
        let micros = self.micros.checked_neg().ok_or(MoneyError::Overflow)?;
        Ok(Money { micros, ..self })
    }

    /// The amount as a decimal string in major units with all six decimals: `"-0.000001"`.
    pub fn amount_string(&self) -> String {
        let sign = if self.micros < 0 { "-" } else { "" };
        let abs = self.micros.unsigned_abs();
        let unit = MICROS_PER_UNIT.unsigned_abs();
        format!("{sign}{}.{:06}", abs / unit, abs % unit)
    }

    fn same_currency(&self, other: Money) -> Result<(), MoneyError> {
        if self.currency == other.currency {
            Ok(())
        } else {
            Err(MoneyError::CurrencyMismatch(self.currency, other.currency))
        }
    }
}

fn parse_micros(text: &str) -> Result<i64, MoneyError> {
    let (negative, digits) = match text.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, text),
    };
    let (whole, fraction) = digits.split_once('.').unwrap_or((digits, ""));
    let all_digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    if whole.is_empty() || !all_digits(whole) || !all_digits(fraction) || fraction.len() > 6 {
        return Err(MoneyError::InvalidAmount);
    }
    if digits.ends_with('.') {
        return Err(MoneyError::InvalidAmount);
    }
    let whole: i64 = whole.parse().map_err(|_| MoneyError::Overflow)?;
    let fraction: i64 = if fraction.is_empty() {
        0
    } else {
        format!("{fraction:0<6}")
            .parse()
            .map_err(|_| MoneyError::InvalidAmount)?
    };
    let magnitude = whole
        .checked_mul(MICROS_PER_UNIT)
        .and_then(|m| m.checked_add(fraction))
        .ok_or(MoneyError::Overflow)?;
    Ok(if negative { -magnitude } else { magnitude })
}

impl fmt::Display for Money {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.amount_string(), self.currency)
    }
}

impl fmt::Debug for Money {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct MoneyJson<'a> {
    #[serde(borrow)]
    amount: std::borrow::Cow<'a, str>,
    currency: Currency,
}

impl Serialize for Money {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        MoneyJson {
            amount: self.amount_string().into(),
            currency: self.currency,
        }
        .serialize(serializer)
    }
}

impl<'de> Deserialize<'de> for Money {
    /// Only a decimal string is accepted for `amount`: a JSON number would invite float rounding.
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Money, D::Error> {
        let json = MoneyJson::deserialize(deserializer)?;
        Money::parse(&json.amount, json.currency).map_err(serde::de::Error::custom)
    }
}

impl utoipa::PartialSchema for Money {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        use utoipa::openapi::{ObjectBuilder, schema::Type};
        ObjectBuilder::new()
            .property(
                "amount",
                ObjectBuilder::new()
                    .schema_type(Type::String)
                    .pattern(Some(r"^-?[0-9]+(\.[0-9]{1,6})?$"))
                    .description(Some("decimal string in major units, at most 6 decimals")),
            )
            .required("amount")
            .property(
                "currency",
                ObjectBuilder::new()
                    .schema_type(Type::String)
                    .pattern(Some("^[A-Z]{3}$")),
            )
            .required("currency")
            .examples([serde_json::json!({"amount": "12.500000", "currency": "USD"})])
            .into()
    }
}

impl utoipa::ToSchema for Money {
    fn name() -> std::borrow::Cow<'static, str> {
        "Money".into()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use expect_test::expect;

    fn usd(text: &str) -> Money {
        Money::parse(text, Currency::USD).unwrap()
    }

    #[track_caller]
    fn check_parse(text: &str, expect: expect_test::Expect) {
        let result = Money::parse(text, Currency::USD).map(|m| m.micros());
        expect.assert_eq(&format!("{result:?}"));
    }

    #[test]
    fn parse_whole() {
        check_parse("12", expect![["Ok(12000000)"]]);
    }
    #[test]
    fn parse_fraction() {
        check_parse("12.5", expect![["Ok(12500000)"]]);
    }
    #[test]
    fn parse_six_decimals() {
        check_parse("0.000001", expect![["Ok(1)"]]);
    }
    #[test]
    fn parse_negative() {
        check_parse("-3.25", expect![["Ok(-3250000)"]]);
    }
    #[test]
    fn parse_seven_decimals_refused() {
        check_parse("0.0000001", expect![["Err(InvalidAmount)"]]);
    }
    #[test]
    fn parse_exponent_refused() {
        check_parse("1e3", expect![["Err(InvalidAmount)"]]);
    }
    #[test]
    fn parse_plus_refused() {
        check_parse("+1", expect![["Err(InvalidAmount)"]]);
    }
    #[test]
    fn parse_trailing_dot_refused() {
        check_parse("1.", expect![["Err(InvalidAmount)"]]);
    }
    #[test]
    fn parse_leading_dot_refused() {
        check_parse(".5", expect![["Err(InvalidAmount)"]]);
    }
    #[test]
    fn parse_empty_refused() {
        check_parse("", expect![["Err(InvalidAmount)"]]);
    }
    #[test]
    fn parse_too_large_refused() {
        check_parse("9223372036854.775808", expect![["Err(Overflow)"]]);
    }
    #[test]
    fn parse_largest() {
        check_parse("9223372036854.775807", expect![["Ok(9223372036854775807)"]]);
    }

    #[test]
    fn renders_six_decimals() {
        assert_eq!(usd("12.5").amount_string(), "12.500000");
        assert_eq!(usd("-0.000001").amount_string(), "-0.000001");
        assert_eq!(
            Money::from_micros(i64::MIN, Currency::USD).amount_string(),
            "-9223372036854.775808"
        );
    }

    #[test]
    fn json_is_a_decimal_string() {
        let json = serde_json::to_string(&usd("12.5")).unwrap();
        assert_eq!(json, r#"{"amount":"12.500000","currency":"USD"}"#);
        assert_eq!(serde_json::from_str::<Money>(&json).unwrap(), usd("12.5"));
        for bad in [
            r#"{"amount":12.5,"currency":"USD"}"#,
            r#"{"amount":"1","currency":"usd"}"#,
            r#"{"amount":"1"}"#,
            r#"{"amount":"1","currency":"USD","x":1}"#,
        ] {
            assert!(serde_json::from_str::<Money>(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn arithmetic_is_checked() {
        assert_eq!(usd("1.5").checked_add(usd("2.25")), Ok(usd("3.75")));
        assert_eq!(usd("1").checked_sub(usd("2.5")), Ok(usd("-1.5")));
        assert_eq!(usd("1.5").checked_mul(3), Ok(usd("4.5")));
        let eur = Money::parse("1", Currency::EUR).unwrap();
        assert_eq!(
            usd("1").checked_add(eur),
            Err(MoneyError::CurrencyMismatch(Currency::USD, Currency::EUR))
        );
        let max = Money::from_micros(i64::MAX, Currency::USD);
        assert_eq!(max.checked_add(usd("0.000001")), Err(MoneyError::Overflow));
        assert_eq!(max.checked_mul(2), Err(MoneyError::Overflow));
        assert_eq!(
            Money::from_micros(i64::MIN, Currency::USD).checked_neg(),
            Err(MoneyError::Overflow)
        );
    }
}
