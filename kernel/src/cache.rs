//! The cache: Redis when configured, otherwise a bounded in-process map. Cache entries are
//! performance artifacts only (domain-ownership-map.md): every answer must stay correct with the
//! cache down or flushed, so callers treat a cache error as a miss.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use tokio::sync::OnceCell;

/// Longest wait for Redis to connect or answer.
pub const REDIS_TIMEOUT: Duration = Duration::from_secs(1);
/// Entries the in-process cache holds before it starts evicting.
pub const IN_PROCESS_ENTRIES_MAX: usize = 10_000;

#[derive(Debug, thiserror::Error)]
pub enum CacheError {
    #[error("invalid redis url")]
    InvalidUrl(#[source] redis::RedisError),
    #[error("redis is unreachable")]
    Redis(#[from] redis::RedisError),
}

#[derive(Clone)]
pub struct Cache {
    inner: Arc<Inner>,
}

enum Inner {
    InProcess(Mutex<InProcessMaps>),
    Redis {
        client: redis::Client,
        manager: OnceCell<redis::aio::ConnectionManager>,
    },
}

#[derive(Default)]
struct InProcessMaps {
    values: HashMap<String, (Vec<u8>, Instant)>,
    counters: HashMap<String, (i64, Instant)>,
}

impl std::fmt::Debug for Cache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match *self.inner {
            Inner::InProcess(_) => "Cache::InProcess",
            Inner::Redis { .. } => "Cache::Redis",
        })
    }
}

impl Cache {
    pub fn in_process() -> Cache {
        Cache {
            inner: Arc::new(Inner::InProcess(Mutex::new(InProcessMaps::default()))),
        }
    }

    /// Validates the URL now but connects lazily, so a Redis outage at start-up shows as
    /// "not ready" instead of a crash.
    pub fn redis(url: &str) -> Result<Cache, CacheError> {
        let client = redis::Client::open(url).map_err(CacheError::InvalidUrl)?;
        Ok(Cache {
            inner: Arc::new(Inner::Redis {
                client,
                manager: OnceCell::new(),
            }),
        })
    }

    pub fn is_redis(&self) -> bool {
        matches!(*self.inner, Inner::Redis { .. })
    }

    async fn manager(&self) -> Result<Option<redis::aio::ConnectionManager>, CacheError> {
        match &*self.inner {
            Inner::InProcess(_) => Ok(None),
            Inner::Redis { client, manager } => {
                let manager = manager
                    .get_or_try_init(|| async {
                        // Fail fast: readiness probes and request paths must not hang on a dead Redis.
                        let config = redis::aio::ConnectionManagerConfig::new()
                            .set_number_of_retries(1)
                            .set_connection_timeout(Some(REDIS_TIMEOUT))
                            .set_response_timeout(Some(REDIS_TIMEOUT));
                        redis::aio::ConnectionManager::new_with_config(client.clone(), config).await
                    })
                    .await?;
                Ok(Some(manager.clone()))
            }
        }
    }

    /// Readiness: a round trip to Redis; always fine in-process.
    pub async fn ping(&self) -> Result<(), CacheError> {
        if let Some(mut conn) = self.manager().await? {
            let _: String = redis::cmd("PING").query_async(&mut conn).await?;
        }
        Ok(())
    }

    pub async fn get(&self, key: &str) -> Result<Option<Vec<u8>>, CacheError> {
        if let Inner::InProcess(maps) = &*self.inner {
            let maps = maps.lock().unwrap_or_else(|p| p.into_inner());
            return Ok(maps
                .values
                .get(key)
                .filter(|(_, expires)| *expires > Instant::now())
                .map(|(v, _)| v.clone()));
        }
        let Some(mut conn) = self.manager().await? else {
            return Ok(None);
        };
        Ok(redis::cmd("GET").arg(key).query_async(&mut conn).await?)
    }

    pub async fn set(&self, key: &str, value: &[u8], ttl: Duration) -> Result<(), CacheError> {
        if let Inner::InProcess(maps) = &*self.inner {
            let mut guard = maps.lock().unwrap_or_else(|p| p.into_inner());
            let map = &mut guard.values;
            let now = Instant::now();
            if map.len() >= IN_PROCESS_ENTRIES_MAX {
                map.retain(|_, (_, expires)| *expires > now);
                if map.len() >= IN_PROCESS_ENTRIES_MAX {
                    // Still full of live entries: drop them all rather than grow without bound.
                    map.clear();
                }
            }
            map.insert(key.to_string(), (value.to_vec(), now + ttl));
            return Ok(());
        }
        let Some(mut conn) = self.manager().await? else {
            return Ok(());
        };
        let ttl_ms = u64::try_from(ttl.as_millis()).unwrap_or(u64::MAX).max(1);
        let _: () = redis::cmd("SET")
            .arg(key)
            .arg(value)
            .arg("PX")
            .arg(ttl_ms)
            .query_async(&mut conn)
            .await?;
        Ok(())
    }

    pub async fn delete(&self, key: &str) -> Result<(), CacheError> {
        if let Inner::InProcess(maps) = &*self.inner {
            let mut maps = maps.lock().unwrap_or_else(|p| p.into_inner());
            maps.values.remove(key);
            maps.counters.remove(key);
            return Ok(());
        }
        let Some(mut conn) = self.manager().await? else {
            return Ok(());
        };
        let _: i64 = redis::cmd("DEL").arg(key).query_async(&mut conn).await?;
        Ok(())
    }

    /// Adds one to the counter `key`, which starts at zero and lives `ttl` from its first
    /// increment (a fixed window). Shared across replicas when Redis is configured.
    pub async fn counter_incr(&self, key: &str, ttl: Duration) -> Result<i64, CacheError> {
        if let Inner::InProcess(maps) = &*self.inner {
            let mut maps = maps.lock().unwrap_or_else(|p| p.into_inner());
            let now = Instant::now();
            if maps.counters.len() >= IN_PROCESS_ENTRIES_MAX {
                maps.counters.retain(|_, (_, expires)| *expires > now);
            }
            let entry = maps.counters.entry(key.to_string()).or_insert((0, now + ttl));
            if entry.1 <= now {
                *entry = (0, now + ttl);
            }
            entry.0 += 1;
            return Ok(entry.0);
        }
        let Some(mut conn) = self.manager().await? else {
            return Ok(0);
        };
        let ttl_ms = u64::try_from(ttl.as_millis()).unwrap_or(u64::MAX).max(1);
        let (_, count): (Option<String>, i64) = redis::pipe()
            .cmd("SET")
            .arg(key)
            .arg(0)
            .arg("PX")
            .arg(ttl_ms)
            .arg("NX")
            .cmd("INCR")
            .arg(key)
            .query_async(&mut conn)
            .await?;
        Ok(count)
    }

    /// The counter's current value (0 when absent or expired).
    pub async fn counter_get(&self, key: &str) -> Result<i64, CacheError> {
        if let Inner::InProcess(maps) = &*self.inner {
            let maps = maps.lock().unwrap_or_else(|p| p.into_inner());
            return Ok(maps
                .counters
                .get(key)
                .filter(|(_, expires)| *expires > Instant::now())
                .map_or(0, |(n, _)| *n));
        }
        let Some(mut conn) = self.manager().await? else {
            return Ok(0);
        };
        let value: Option<i64> = redis::cmd("GET").arg(key).query_async(&mut conn).await?;
        Ok(value.unwrap_or(0))
    }
}
