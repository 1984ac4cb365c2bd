//! Site policy rules.

use ingot_contracts::maas::SitePolicy;

use crate::client::wire::Machine;

/// Field errors of a policy, empty when it is sound.
pub fn policy_validate(policy: &SitePolicy) -> Vec<(String, String)> {
    let mut errors = Vec::new();
    if policy.allowed_images.is_empty() {
        errors.push(("policy.allowed_images".into(), "at least one image".into()));
    }
    for (i, image) in policy.allowed_images.iter().enumerate() {
        let plain = !image.is_empty()
            && image
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, '.' | '/' | '-'));
        if !plain {
            errors.push((
                format!("policy.allowed_images[{i}]"),
                "a series such as jammy or ubuntu/noble".into(),
            ));
        }
    }
    if !(1..=256).contains(&policy.max_concurrent_deploys) {
        errors.push(("policy.max_concurrent_deploys".into(), "between 1 and 256".into()));
    }
    for (field, value) in [("policy.zone", &policy.zone), ("policy.pool", &policy.pool)] {
        if value.as_deref().is_some_and(str::is_empty) {
            errors.push((field.into(), "a name, or absent for all".into()));
        }
    }
    if let Some(window) = &policy.maintenance_window {
        const DAYS: [&str; 7] = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];
        if !DAYS.contains(&window.weekday.as_str()) {
            errors.push(("policy.maintenance_window.weekday".into(), "mon … sun".into()));
        }
        let clock = window.start.split_once(':').and_then(|(h, m)| {
            let (h, m) = (h.parse::<u32>().ok()?, m.parse::<u32>().ok()?);
            (h < 24 && m < 60 && window.start.len() == 5).then_some(())
        });
        if clock.is_none() {
            errors.push(("policy.maintenance_window.start".into(), "HH:MM in UTC".into()));
        }
        if !(1..=7 * 24 * 60).contains(&window.duration_minutes) {
            errors.push((
                "policy.maintenance_window.duration_minutes".into(),
                "1 minute to a week".into(),
            ));
        }
    }
    errors
}

/// Whether disruptive operator work may run at `now`: always without a window, else only inside
/// the weekly window (UTC), which may wrap past midnight and into the next week.
pub fn window_open(
    window: Option<&ingot_contracts::maas::MaintenanceWindow>,
    now: ingot_kernel::Timestamp,
) -> bool {
    let Some(window) = window else {
        return true;
    };
    const DAYS: [&str; 7] = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];
    const WEEK: i64 = 7 * 24 * 60;
    let Some(day) = DAYS.iter().position(|d| *d == window.weekday) else {
        return false;
    };
    let Some((h, m)) = window
        .start
        .split_once(':')
        .and_then(|(h, m)| Some((h.parse::<i64>().ok()?, m.parse::<i64>().ok()?)))
    else {
        return false;
    };
    // Minutes since Monday 00:00 UTC; 1970-01-01 was a Thursday (day 3).
    let minutes = now.as_micros().div_euclid(60_000_000);
    let days = minutes.div_euclid(24 * 60);
    let of_week = ((days + 3).rem_euclid(7)) * 24 * 60 + minutes.rem_euclid(24 * 60);
    let start = i64::try_from(day).unwrap_or(0) * 24 * 60 + h * 60 + m;
    (of_week - start).rem_euclid(WEEK) < i64::from(window.duration_minutes)
}

/// Whether a machine of the region belongs to the site under its policy (zone and pool).
pub fn site_admits(policy: &SitePolicy, machine: &Machine) -> bool {
    policy.zone.as_ref().is_none_or(|z| *z == machine.zone.name)
        && policy.pool.as_ref().is_none_or(|p| *p == machine.pool.name)
}

#[cfg(test)]
mod tests {
    use super::*;
    use ingot_contracts::maas::MaintenanceWindow;

    #[test]
    fn the_default_policy_is_sound_and_bad_fields_are_named() {
        assert!(policy_validate(&SitePolicy::default()).is_empty());
        let bad = SitePolicy {
            allowed_images: vec!["Jammy Jellyfish".into()],
            max_concurrent_deploys: 0,
            zone: Some(String::new()),
            maintenance_window: Some(MaintenanceWindow {
                weekday: "someday".into(),
                start: "25:00".into(),
                duration_minutes: 0,
            }),
            ..SitePolicy::default()
        };
        let fields: Vec<String> = policy_validate(&bad).into_iter().map(|(f, _)| f).collect();
        assert_eq!(
            fields,
            [
                "policy.allowed_images[0]",
                "policy.max_concurrent_deploys",
                "policy.zone",
                "policy.maintenance_window.weekday",
                "policy.maintenance_window.start",
                "policy.maintenance_window.duration_minutes"
            ]
        );
    }

    #[test]
    fn the_maintenance_window_opens_weekly_and_may_wrap() {
        // 2026-11-28 was a Saturday; 2026-11-28 00:00 UTC = 1_795_824_000.
        let saturday =
            |h: i64, m: i64| ingot_kernel::Timestamp::from_secs(1_795_824_000 + h * 3_600 + m * 60);
        let window = |weekday: &str, start: &str, duration_minutes| MaintenanceWindow {
            weekday: weekday.into(),
            start: start.into(),
            duration_minutes,
        };
        assert!(window_open(None, saturday(12, 0)));
        let sat_night = window("sat", "02:00", 240);
        assert!(!window_open(Some(&sat_night), saturday(1, 59)));
        assert!(window_open(Some(&sat_night), saturday(2, 0)));
        assert!(window_open(Some(&sat_night), saturday(5, 59)));
        assert!(!window_open(Some(&sat_night), saturday(6, 0)));
        // Sunday 23:00 for three hours reaches into Monday, across the week's end.
        let wrap = window("sun", "23:00", 180);
        assert!(window_open(Some(&wrap), saturday(24 + 23, 30)));
        assert!(window_open(Some(&wrap), saturday(48 + 1, 0)));
        assert!(!window_open(Some(&wrap), saturday(48 + 2, 0)));
    }

    #[test]
    fn zone_and_pool_decide_which_machines_are_the_sites() {
        let mut machine = Machine::default();
        machine.zone.name = "fra1-a".into();
        machine.pool.name = "gpu".into();
        let policy = |zone: Option<&str>, pool: Option<&str>| SitePolicy {
            zone: zone.map(String::from),
            pool: pool.map(String::from),
            ..SitePolicy::default()
        };
        assert!(site_admits(&policy(None, None), &machine));
        assert!(site_admits(&policy(Some("fra1-a"), Some("gpu")), &machine));
        assert!(!site_admits(&policy(Some("fra1-b"), None), &machine));
        assert!(!site_admits(&policy(None, Some("cpu")), &machine));
    }
}
