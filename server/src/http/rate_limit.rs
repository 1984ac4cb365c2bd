//! Per-source request rate limit: a token bucket per client address, in process. It shields the
//! service from floods; per-account limits (logins) belong to IAM and are shared through Redis.

use std::collections::HashMap;
use std::net::{IpAddr, SocketAddr};
use std::sync::Mutex;
use std::time::Instant;

use axum::extract::{ConnectInfo, Request, State};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use ingot_kernel::problem::{Code, Problem};

use super::EdgeState;

/// Distinct sources tracked before idle buckets are dropped.
const SOURCES_MAX: usize = 100_000;

#[derive(Debug)]
pub struct RateLimiter {
    per_s: f64,
    burst: f64,
    buckets: Mutex<HashMap<IpAddr, (f64, Instant)>>,
}

impl RateLimiter {
    pub fn new(per_s: u32, burst: u32) -> RateLimiter {
        RateLimiter {
            per_s: f64::from(per_s),
            burst: f64::from(burst.max(1)),
            buckets: Mutex::new(HashMap::new()),
        }
    }

    pub fn enabled(&self) -> bool {
        self.per_s > 0.0
    }

    /// Takes one token for `source`; on refusal, the seconds until one is available.
    pub fn check(&self, source: IpAddr, now: Instant) -> Result<(), u64> {
        let mut buckets = self.buckets.lock().unwrap_or_else(|p| p.into_inner());
        if buckets.len() >= SOURCES_MAX {
            let idle_for = self.burst / self.per_s;
            buckets.retain(|_, (_, last)| now.duration_since(*last).as_secs_f64() < idle_for);
        }
        let (tokens, last) = buckets.entry(source).or_insert((self.burst, now));
        *tokens = (*tokens + now.duration_since(*last).as_secs_f64() * self.per_s).min(self.burst);
        *last = now;
        if *tokens >= 1.0 {
            *tokens -= 1.0;
            Ok(())
        } else {
            Err(((1.0 - *tokens) / self.per_s).ceil().max(1.0) as u64)
        }
    }
}

pub async fn rate_limit(State(state): State<EdgeState>, request: Request, next: Next) -> Response {
    if state.rate_limiter.enabled() {
        // Without connection info (in-process tests), every request counts as one local source.
        let source = request
            .extensions()
            .get::<ConnectInfo<SocketAddr>>()
            .map(|ConnectInfo(addr)| addr.ip())
            .unwrap_or(IpAddr::from([127, 0, 0, 1]));
        if let Err(retry_after_s) = state.rate_limiter.check(source, Instant::now()) {
            return Problem::new(Code::RateLimited)
                .retry_after(retry_after_s)
                .into_response();
        }
    }
    next.run(request).await
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[test]
    fn bucket_refills_at_the_configured_rate() {
        let limiter = RateLimiter::new(2, 3);
        let source = IpAddr::from([10, 0, 0, 1]);
        let t0 = Instant::now();
        for _ in 0..3 {
            assert_eq!(limiter.check(source, t0), Ok(()));
        }
        assert_eq!(limiter.check(source, t0), Err(1));
        assert_eq!(
            limiter.check(IpAddr::from([10, 0, 0, 2]), t0),
            Ok(()),
            "sources are independent"
        );
        assert_eq!(limiter.check(source, t0 + Duration::from_millis(500)), Ok(()));
        assert_eq!(limiter.check(source, t0 + Duration::from_millis(500)), Err(1));
    }
}
