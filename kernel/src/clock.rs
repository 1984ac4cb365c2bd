//! Time: one `Timestamp` type (microseconds since the Unix epoch, UTC) and the `Clock` that
//! hands it out. Only this module reads the system clock, so tests can move time instead of sleeping.

use std::fmt;
use std::str::FromStr;
use std::sync::Arc;
use std::sync::atomic::{AtomicI64, Ordering};
use std::time::Duration;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A point in time, microseconds since 1970-01-01T00:00:00Z.
/// Stored as `BIGINT` in both SQL backends; rendered as RFC 3339 in JSON.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Timestamp(i64);

impl Timestamp {
    pub const UNIX_EPOCH: Timestamp = Timestamp(0);

    pub const fn from_micros(micros: i64) -> Timestamp {
        Timestamp(micros)
    }

    pub const fn as_micros(self) -> i64 {
        self.0
    }

    pub const fn from_secs(secs: i64) -> Timestamp {
        Timestamp(secs.saturating_mul(1_000_000))
    }

    /// Whole milliseconds since the epoch, rounded down (used by sortable ids).
    pub const fn as_millis(self) -> i64 {
        self.0.div_euclid(1_000)
    }

    /// Saturates rather than overflowing: a timestamp past year 294,000 is not a case worth an error.
    pub fn plus(self, duration: Duration) -> Timestamp {
        let micros = i64::try_from(duration.as_micros()).unwrap_or(i64::MAX);
        Timestamp(self.0.saturating_add(micros))
    }

    pub fn minus(self, duration: Duration) -> Timestamp {
        let micros = i64::try_from(duration.as_micros()).unwrap_or(i64::MAX);
        Timestamp(self.0.saturating_sub(micros))
    }

    /// Time elapsed from `earlier` to `self`; zero when `earlier` is later.
    /// Midnight UTC starting the first day of `month` (1–12) of `year`: the bounds of monthly
    /// statements.
    pub fn month_start(year: i64, month: u32) -> Option<Timestamp> {
        if !(1..=12).contains(&month) || !(1970..=9999).contains(&year) {
            return None;
        }
        Some(Timestamp::from_secs(days_from_civil(year, month, 1) * 86_400))
    }

    /// The UTC calendar day: `2026-11-29`.
    pub fn day(self) -> String {
        let (year, month, day) = civil_from_days(self.0.div_euclid(86_400_000_000));
        format!("{year:04}-{month:02}-{day:02}")
    }

    /// Midnight UTC starting this timestamp's day.
    pub fn day_start(self) -> Timestamp {
        Timestamp(self.0 - self.0.rem_euclid(86_400_000_000))
    }

    /// The start of this timestamp's hour.
    pub fn hour_start(self) -> Timestamp {
        Timestamp(self.0 - self.0.rem_euclid(3_600_000_000))
    }

    /// Midnight UTC starting this timestamp's month.
    pub fn month_start_of(self) -> Timestamp {
        let (year, month, _) = civil_from_days(self.0.div_euclid(86_400_000_000));
        Timestamp::from_secs(days_from_civil(year, month, 1) * 86_400)
    }

    pub fn since(self, earlier: Timestamp) -> Duration {
        Duration::from_micros(u64::try_from(self.0.saturating_sub(earlier.0)).unwrap_or(0))
    }
}

// Civil-date conversions after Howard Hinnant's public-domain `days_from_civil` algorithms.
fn days_from_civil(year: i64, month: u32, day: u32) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let m = i64::from(month);
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(day) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

impl fmt::Display for Timestamp {
    /// RFC 3339 in UTC with microseconds: `2026-11-29T13:43:36.000000Z`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let secs = self.0.div_euclid(1_000_000);
        let micros = self.0.rem_euclid(1_000_000);
        let (year, month, day) = civil_from_days(secs.div_euclid(86_400));
        let sod = secs.rem_euclid(86_400);
        write!(
            f,
            "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}.{micros:06}Z",
            sod / 3_600,
            sod % 3_600 / 60,
            sod % 60
        )
    }
}

impl fmt::Debug for Timestamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("invalid timestamp: expected RFC 3339 such as 2026-01-31T12:00:00Z")]
pub struct TimestampParseError;

impl FromStr for Timestamp {
    type Err = TimestampParseError;

    /// Accepts RFC 3339 with `Z` or a numeric offset and up to nine fractional digits
    /// (digits past microseconds are truncated).
    fn from_str(text: &str) -> Result<Timestamp, TimestampParseError> {
        let bytes = text.as_bytes();
        let number = |range: std::ops::Range<usize>| -> Result<i64, TimestampParseError> {
            let part = text.get(range).ok_or(TimestampParseError)?;
            if part.is_empty() || !part.bytes().all(|b| b.is_ascii_digit()) {
                return Err(TimestampParseError);
            }
            part.parse().map_err(|_| TimestampParseError)
        };
        if bytes.len() < 20 || bytes[4] != b'-' || bytes[7] != b'-' || bytes[13] != b':' || bytes[16] != b':'
        {
            return Err(TimestampParseError);
        }
        if !matches!(bytes[10], b'T' | b't' | b' ') {
            return Err(TimestampParseError);
        }
        let (year, month, day) = (number(0..4)?, number(5..7)?, number(8..10)?);
        let (hour, minute, second) = (number(11..13)?, number(14..16)?, number(17..19)?);
        let month = u32::try_from(month).map_err(|_| TimestampParseError)?;
        let day = u32::try_from(day).map_err(|_| TimestampParseError)?;
        let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
        let month_days = [
            31,
            if leap { 29 } else { 28 },
            31,
            30,
            31,
            30,
            31,
            31,
            30,
            31,
            30,
            31,
        ];
        if !(1..=12).contains(&month) || day == 0 || day > month_days[month as usize - 1] {
            return Err(TimestampParseError);
        }
        if hour > 23 || minute > 59 || second > 60 {
            return Err(TimestampParseError);
        }
        let mut rest = &text[19..];
        let mut micros = 0i64;
        if let Some(frac) = rest.strip_prefix('.') {
            let digits = frac.bytes().take_while(u8::is_ascii_digit).count();
            if digits == 0 || digits > 9 {
                return Err(TimestampParseError);
            }
            let mut padded = frac[..digits].to_string();
            padded.truncate(6);
            while padded.len() < 6 {
                padded.push('0');
            }
            micros = padded.parse().map_err(|_| TimestampParseError)?;
            rest = &frac[digits..];
        }
        let offset_secs = match rest {
            "Z" | "z" => 0,
            _ if rest.len() == 6
                && (rest.starts_with('+') || rest.starts_with('-'))
                && &rest[3..4] == ":" =>
            {
                let sign = if rest.starts_with('-') { -1 } else { 1 };
                let oh = number(text.len() - 5..text.len() - 3)?;
                let om = number(text.len() - 2..text.len())?;
                if oh > 23 || om > 59 {
                    return Err(TimestampParseError);
                }
                sign * (oh * 3_600 + om * 60)
            }
            _ => return Err(TimestampParseError),
        };
        let secs = days_from_civil(year, month, day) * 86_400 + hour * 3_600 + minute * 60 + second.min(59)
            - offset_secs;
        Ok(Timestamp(secs * 1_000_000 + micros))
    }
}

impl Serialize for Timestamp {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Timestamp {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Timestamp, D::Error> {
        let text = <std::borrow::Cow<'de, str>>::deserialize(deserializer)?;
        text.parse().map_err(serde::de::Error::custom)
    }
}

impl utoipa::PartialSchema for Timestamp {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        utoipa::openapi::ObjectBuilder::new()
            .schema_type(utoipa::openapi::schema::Type::String)
            .format(Some(utoipa::openapi::SchemaFormat::KnownFormat(
                utoipa::openapi::KnownFormat::DateTime,
            )))
            .examples([serde_json::json!("2026-11-29T13:43:36.000000Z")])
            .into()
    }
}

impl utoipa::ToSchema for Timestamp {}

/// Where "now" comes from. Services and controllers hold an `Arc<dyn Clock>`.
pub trait Clock: Send + Sync + fmt::Debug {
    fn now(&self) -> Timestamp;
}

/// The real clock.
#[derive(Debug, Default, Clone, Copy)]
pub struct SystemClock;

impl Clock for SystemClock {
    #[allow(clippy::disallowed_methods)] // The one place the system clock is read.
    fn now(&self) -> Timestamp {
        let since_epoch = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap_or_default();
        Timestamp(i64::try_from(since_epoch.as_micros()).unwrap_or(i64::MAX))
    }
}

/// A clock that only moves when told to; clones share the same time.
#[derive(Debug, Clone)]
pub struct ManualClock {
    micros: Arc<AtomicI64>,
}

impl ManualClock {
    pub fn new(start: Timestamp) -> ManualClock {
        ManualClock {
            micros: Arc::new(AtomicI64::new(start.as_micros())),
        }
    }

    pub fn set(&self, to: Timestamp) {
        self.micros.store(to.as_micros(), Ordering::SeqCst);
    }

    pub fn advance(&self, by: Duration) -> Timestamp {
        let micros = i64::try_from(by.as_micros()).unwrap_or(i64::MAX);
        Timestamp(
            self.micros
                .fetch_add(micros, Ordering::SeqCst)
                .saturating_add(micros),
        )
    }
}

impl Clock for ManualClock {
    fn now(&self) -> Timestamp {
        Timestamp(self.micros.load(Ordering::SeqCst))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn days_hours_and_months_start_where_the_calendar_says() {
        let t: Timestamp = "2026-11-29T13:43:36.5Z".parse().unwrap();
        assert_eq!(t.day(), "2026-11-29");
        assert_eq!(t.day_start().to_string(), "2026-11-29T00:00:00.000000Z");
        assert_eq!(t.hour_start().to_string(), "2026-11-29T13:00:00.000000Z");
        assert_eq!(t.month_start_of().to_string(), "2026-11-01T00:00:00.000000Z");
        assert_eq!(Timestamp::from_micros(-1).day(), "1969-12-31");
    }

    #[test]
    fn formats_rfc3339_utc() {
        assert_eq!(Timestamp::UNIX_EPOCH.to_string(), "1970-01-01T00:00:00.000000Z");
        assert_eq!(
            Timestamp::from_micros(1_780_000_000_123_456).to_string(),
            "2026-05-28T20:26:40.123456Z"
        );
        assert_eq!(
            Timestamp::from_micros(-1).to_string(),
            "1969-12-31T23:59:59.999999Z"
        );
        assert_eq!(
            Timestamp::from_secs(951_782_400).to_string(),
            "2000-02-29T00:00:00.000000Z"
        );
    }

    #[test]
    fn parses_what_it_formats_and_offsets() {
        for micros in [
            0,
            1_780_000_000_123_456,
            -1,
            951_782_400_000_000,
            4_102_444_799_999_999,
        ] {
            let ts = Timestamp::from_micros(micros);
            assert_eq!(ts.to_string().parse::<Timestamp>(), Ok(ts));
        }
        assert_eq!(
            "2026-01-31T12:00:00Z"
                .parse::<Timestamp>()
                .map(|t| t.to_string())
                .as_deref(),
            Ok("2026-01-31T12:00:00.000000Z")
        );
        assert_eq!(
            "2026-01-31T14:30:00.5+02:30"
                .parse::<Timestamp>()
                .map(|t| t.to_string())
                .as_deref(),
            Ok("2026-01-31T12:00:00.500000Z")
        );
    }

    #[test]
    fn rejects_malformed_timestamps() {
        for bad in [
            "",
            "2026-01-31",
            "2026-02-30T00:00:00Z",
            "2026-13-01T00:00:00Z",
            "2026-01-31T24:00:00Z",
            "2026-01-31T12:00:00",
            "2026-01-31T12:00:00.Z",
            "2026-01-31T12:00:00+0200",
            "２０２６-01-31T12:00:00Z",
        ] {
            assert_eq!(bad.parse::<Timestamp>(), Err(TimestampParseError), "{bad}");
        }
    }

    #[test]
    fn manual_clock_moves_only_when_told() {
        let clock = ManualClock::new(Timestamp::from_secs(10));
        let other = clock.clone();
        assert_eq!(clock.now(), Timestamp::from_secs(10));
        other.advance(Duration::from_millis(1_500));
        assert_eq!(clock.now(), Timestamp::from_micros(11_500_000));
    }
}
