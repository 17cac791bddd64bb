//! What every latency bench reports: percentiles of its timings in milliseconds, and the query
//! shapes with the slowest median (where to look when a p95 moves).

use std::{collections::HashMap, time::Duration};

/// The `p`th percentile of `times` (sorted here), nearest rank.
pub fn percentile(times: &mut [Duration], p: usize) -> Duration {
    times.sort();
    times[(times.len() * p / 100).min(times.len() - 1)]
}

pub fn millis(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

/// Prints, on stderr, the ten (word, filter) shapes with the slowest median; returns the slowest.
pub fn report_slowest_shapes<'a>(by_shape: HashMap<(&'a str, &'a str), Vec<Duration>>) -> Option<(&'a str, &'a str)> {
    let mut medians: Vec<(Duration, &str, &str)> =
        by_shape.into_iter().map(|((word, filter), mut times)| (percentile(&mut times, 50), word, filter)).collect();
    medians.sort_by(|a, b| b.cmp(a));
    for (median, word, filter) in medians.iter().take(10) {
        eprintln!("slow shape: {:>7.2} ms median  {word:?} + {filter}", millis(*median));
    }
    medians.first().map(|(_, word, filter)| (*word, *filter))
}
