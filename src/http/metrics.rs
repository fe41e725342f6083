//! Prometheus metrics: requests by route and status, a latency histogram by route, and the
//! database pool's use. Rendered in the text exposition format at `GET /metrics`.

use std::collections::BTreeMap;
use std::fmt::Write;
use std::sync::Mutex;
use std::time::Duration;

use sqlx::PgPool;

/// Upper bounds of the latency buckets, in seconds.
const BUCKETS: [f64; 12] = [
    0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0,
];

#[derive(Default)]
struct Histogram {
    counts: [u64; BUCKETS.len()],
    count: u64,
    sum: f64,
}

#[derive(Default)]
struct Inner {
    requests: BTreeMap<(String, String, u16), u64>,
    latency: BTreeMap<String, Histogram>,
}

#[derive(Default)]
pub struct Metrics(Mutex<Inner>);

impl Metrics {
    /// Records one finished request. `route` is the matched pattern (`/v1/articles/{id}`), so
    /// ids never become label values.
    pub fn observe(&self, method: &str, route: &str, status: u16, elapsed: Duration) {
        let Ok(mut inner) = self.0.lock() else { return };
        *inner
            .requests
            .entry((method.to_string(), route.to_string(), status))
            .or_default() += 1;
        let h = inner.latency.entry(route.to_string()).or_default();
        let secs = elapsed.as_secs_f64();
        for (i, bound) in BUCKETS.iter().enumerate() {
            if secs <= *bound {
                h.counts[i] += 1;
            }
        }
        h.count += 1;
        h.sum += secs;
    }

    pub fn render(&self, pool: &PgPool) -> String {
        let mut out = String::new();
        if let Ok(inner) = self.0.lock() {
            out.push_str(
                "# HELP newslit_http_requests_total HTTP requests answered, by method, route and status.\n",
            );
            out.push_str("# TYPE newslit_http_requests_total counter\n");
            for ((method, route, status), n) in &inner.requests {
                let _ = writeln!(
                    out,
                    "newslit_http_requests_total{{method=\"{method}\",route=\"{}\",status=\"{status}\"}} {n}",
                    escape(route)
                );
            }
            out.push_str("# HELP newslit_http_request_duration_seconds Time to answer, by route.\n");
            out.push_str("# TYPE newslit_http_request_duration_seconds histogram\n");
            for (route, h) in &inner.latency {
                let route = escape(route);
                for (bound, n) in BUCKETS.iter().zip(h.counts) {
                    let _ = writeln!(
                        out,
                        "newslit_http_request_duration_seconds_bucket{{route=\"{route}\",le=\"{bound}\"}} {n}"
                    );
                }
                let _ = writeln!(
                    out,
                    "newslit_http_request_duration_seconds_bucket{{route=\"{route}\",le=\"+Inf\"}} {}",
                    h.count
                );
                let _ = writeln!(
                    out,
                    "newslit_http_request_duration_seconds_sum{{route=\"{route}\"}} {}",
                    h.sum
                );
                let _ = writeln!(
                    out,
                    "newslit_http_request_duration_seconds_count{{route=\"{route}\"}} {}",
                    h.count
                );
            }
        }
        let size = pool.size();
        let idle = u32::try_from(pool.num_idle()).unwrap_or(u32::MAX);
        out.push_str("# HELP newslit_db_pool_connections Database connections, by state.\n");
        out.push_str("# TYPE newslit_db_pool_connections gauge\n");
        let _ = writeln!(out, "newslit_db_pool_connections{{state=\"idle\"}} {idle}");
        let _ = writeln!(
            out,
            "newslit_db_pool_connections{{state=\"in_use\"}} {}",
            size.saturating_sub(idle)
        );
        out.push_str("# HELP newslit_db_pool_max_connections The pool's upper bound.\n");
        out.push_str("# TYPE newslit_db_pool_max_connections gauge\n");
        let _ = writeln!(
            out,
            "newslit_db_pool_max_connections {}",
            pool.options().get_max_connections()
        );
        out
    }
}

fn escape(label: &str) -> String {
    label
        .replace('\\', "\\\\")
        .replace('"', "\\\"")
        .replace('\n', "\\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn requests_are_counted_by_route_and_latency_lands_in_cumulative_buckets() {
        let m = Metrics::default();
        m.observe("GET", "/v1/articles/{id}", 200, Duration::from_millis(3));
        m.observe("GET", "/v1/articles/{id}", 200, Duration::from_millis(30));
        m.observe("GET", "/v1/articles/{id}", 404, Duration::from_millis(1));
        let inner = m.0.lock().unwrap();
        assert_eq!(
            inner.requests[&("GET".into(), "/v1/articles/{id}".into(), 200)],
            2
        );
        let h = &inner.latency["/v1/articles/{id}"];
        assert_eq!(h.count, 3);
        assert_eq!(h.counts[0], 1, "1 ms bucket");
        assert_eq!(h.counts[2], 2, "5 ms bucket is cumulative");
        assert_eq!(h.counts[5], 3, "50 ms bucket holds all");
    }
}
