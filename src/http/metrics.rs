//! Prometheus metrics: requests by route and status, a latency histogram by route, the
//! database pool's use and the process (CPU, memory, open files). Rendered in the text
//! exposition format at `GET /metrics`.
//!
//! Each application has its own registry (tests run many side by side). Requests are recorded
//! through a [`Recorder`] per server worker, which keeps its own handles on the series it has
//! seen: after a route's first request, recording one is two atomic updates, with no lock and
//! no label lookup in the registry.

use std::cell::RefCell;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use prometheus::{
    Encoder, Histogram, HistogramOpts, HistogramVec, IntCounter, IntCounterVec, IntGauge, IntGaugeVec, Opts,
    Registry, TextEncoder,
};
use sqlx::PgPool;

/// Upper bounds of the latency buckets, in seconds.
const BUCKETS: [f64; 12] = [
    0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0,
];

pub struct Metrics {
    registry: Registry,
    requests: IntCounterVec,
    latency: HistogramVec,
    pool_connections: IntGaugeVec,
    pool_max: IntGauge,
    /// The pools of the server's workers, summed in the gauges (read at `/metrics` only).
    pools: Mutex<Vec<PgPool>>,
}

impl Metrics {
    pub fn new() -> Result<Self, prometheus::Error> {
        let registry = Registry::new();
        let requests = IntCounterVec::new(
            Opts::new(
                "newslit_http_requests_total",
                "HTTP requests answered, by method, route and status.",
            ),
            &["method", "route", "status"],
        )?;
        let latency = HistogramVec::new(
            HistogramOpts::new(
                "newslit_http_request_duration_seconds",
                "Time to answer, by route.",
            )
            .buckets(BUCKETS.to_vec()),
            &["route"],
        )?;
        let pool_connections = IntGaugeVec::new(
            Opts::new("newslit_db_pool_connections", "Database connections, by state."),
            &["state"],
        )?;
        let pool_max = IntGauge::new("newslit_db_pool_max_connections", "The pool's upper bound.")?;
        registry.register(Box::new(requests.clone()))?;
        registry.register(Box::new(latency.clone()))?;
        registry.register(Box::new(pool_connections.clone()))?;
        registry.register(Box::new(pool_max.clone()))?;
        #[cfg(target_os = "linux")]
        registry.register(Box::new(
            prometheus::process_collector::ProcessCollector::for_self(),
        ))?;
        Ok(Metrics {
            registry,
            requests,
            latency,
            pool_connections,
            pool_max,
            pools: Mutex::default(),
        })
    }

    /// Counts `pool` in the pool gauges from now on (each server worker adds its own).
    pub fn watch_pool(&self, pool: PgPool) {
        self.pools
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .push(pool);
    }

    /// The series of one (method, route, status), created on first use.
    fn request_series(&self, method: &str, route: &str, status: u16) -> IntCounter {
        self.requests
            .with_label_values(&[method, route, status.to_string().as_str()])
    }

    /// The text exposition of every metric, the pool gauges read now: the sum over the
    /// watched pools, or `pool` alone when none is watched.
    pub fn render(&self, pool: &PgPool) -> String {
        let watched = self
            .pools
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .clone();
        let pools = if watched.is_empty() {
            std::slice::from_ref(pool)
        } else {
            &watched[..]
        };
        let (mut size, mut idle, mut max) = (0i64, 0i64, 0i64);
        for p in pools {
            size += i64::from(p.size());
            idle += i64::try_from(p.num_idle()).unwrap_or(i64::MAX);
            max += i64::from(p.options().get_max_connections());
        }
        self.pool_connections.with_label_values(&["idle"]).set(idle);
        self.pool_connections
            .with_label_values(&["in_use"])
            .set(size.saturating_sub(idle).max(0));
        self.pool_max.set(max);
        self.encode()
    }

    fn encode(&self) -> String {
        let mut out = Vec::new();
        if let Err(e) = TextEncoder::new().encode(&self.registry.gather(), &mut out) {
            tracing::error!(error = %e, "metrics could not be encoded");
        }
        String::from_utf8(out).unwrap_or_default()
    }
}

/// One server worker's recorder of finished requests (it lives on the worker's thread). The
/// registry's series are shared by every worker; what is per worker is the table of handles on
/// them, so no request waits for another worker's.
pub struct Recorder {
    metrics: Arc<Metrics>,
    routes: RefCell<HashMap<String, RouteSeries>>,
}

struct RouteSeries {
    latency: Histogram,
    /// By (method, status): a route answers a handful of them.
    requests: Vec<(&'static str, u16, IntCounter)>,
}

impl Recorder {
    pub fn new(metrics: Arc<Metrics>) -> Self {
        Recorder {
            metrics,
            routes: RefCell::default(),
        }
    }

    /// Records one finished request. `route` is the matched pattern (`/v1/articles/{id}`), so
    /// ids never become label values; `method` is one of a bounded set of label values.
    pub fn observe(&self, method: &'static str, route: &str, status: u16, elapsed: Duration) {
        let mut routes = self.routes.borrow_mut();
        if !routes.contains_key(route) {
            let latency = self.metrics.latency.with_label_values(&[route]);
            routes.insert(
                route.to_owned(),
                RouteSeries {
                    latency,
                    requests: Vec::new(),
                },
            );
        }
        let Some(series) = routes.get_mut(route) else {
            return;
        };
        series.latency.observe(elapsed.as_secs_f64());
        match series
            .requests
            .iter()
            .find(|(m, s, _)| *m == method && *s == status)
        {
            Some((_, _, counter)) => counter.inc(),
            None => {
                let counter = self.metrics.request_series(method, route, status);
                counter.inc();
                series.requests.push((method, status, counter));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn requests_are_counted_by_route_and_latency_lands_in_cumulative_buckets() {
        let m = Arc::new(Metrics::new().unwrap());
        let recorder = Recorder::new(m.clone());
        for (status, ms) in [(200, 3), (200, 30), (404, 1)] {
            recorder.observe("GET", "/v1/articles/{id}", status, Duration::from_millis(ms));
        }
        let text = m.encode();
        let has = |line: &str| text.lines().any(|l| l == line);
        assert!(
            has(r#"newslit_http_requests_total{method="GET",route="/v1/articles/{id}",status="200"} 2"#),
            "{text}"
        );
        let bucket = |le: &str, n: u32| {
            format!(
                r#"newslit_http_request_duration_seconds_bucket{{route="/v1/articles/{{id}}",le="{le}"}} {n}"#
            )
        };
        assert!(has(&bucket("0.001", 1)), "1 ms bucket: {text}");
        assert!(has(&bucket("0.005", 2)), "5 ms bucket is cumulative: {text}");
        assert!(has(&bucket("0.05", 3)), "50 ms bucket holds all: {text}");
        assert!(has(
            r#"newslit_http_request_duration_seconds_count{route="/v1/articles/{id}"} 3"#
        ));
        assert!(
            text.contains("process_resident_memory_bytes"),
            "process metrics: {text}"
        );
    }

    #[test]
    fn each_worker_records_through_its_own_handles_into_the_shared_series() {
        let m = Arc::new(Metrics::new().unwrap());
        let (one, two) = (Recorder::new(m.clone()), Recorder::new(m.clone()));
        let route = "/v1/assignments/{assignment_id}/exercises";
        for (recorder, method, status, ms) in [
            (&one, "GET", 200, 2),
            (&two, "GET", 200, 2),
            (&one, "GET", 200, 20),
            (&one, "GET", 404, 1),
            (&one, "POST", 405, 1),
        ] {
            recorder.observe(method, route, status, Duration::from_millis(ms));
        }
        let text = m.encode();
        let has = |line: &str| text.lines().any(|l| l == line);
        for (method, status, n) in [("GET", 200, 3), ("GET", 404, 1), ("POST", 405, 1)] {
            assert!(
                has(&format!(
                    r#"newslit_http_requests_total{{method="{method}",route="{route}",status="{status}"}} {n}"#
                )),
                "{method} {status}: {text}"
            );
        }
        assert!(has(&format!(
            r#"newslit_http_request_duration_seconds_count{{route="{route}"}} 5"#
        )));
        assert!(has(&format!(
            r#"newslit_http_request_duration_seconds_bucket{{route="{route}",le="0.005"}} 4"#
        )));
    }
}
