//! When to retry, and how long to wait: a pure function of what happened,
//! so it is tested without a network.
//!
//! Retried: connection failures and timeouts, 429 and 5xx, up to
//! `max_retries` times. Waits follow `Retry-After` (seconds or an HTTP
//! date) or a body field such as `retry_after_seconds`, capped at
//! `max_delay`; otherwise exponential backoff `base × 2ⁿ` plus up to
//! `jitter` of it. Never retried: a billable job submission whose body was
//! sent and whose answer was lost (timeout, reset or truncated response):
//! the job may exist and a retry could bill it twice; and a 5xx whose body
//! names a job id (the job exists: poll it).

use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// Retry settings.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RetryPolicy {
    /// Retries after the first attempt (the official Python client: 3).
    pub max_retries: u32,
    /// First backoff delay (0.5 s).
    pub base_delay: Duration,
    /// Longest wait, whatever the server asks (30 s).
    pub max_delay: Duration,
    /// Extra random fraction of the backoff, 0–1 (0.25).
    pub jitter: f64,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        Self {
            max_retries: 3,
            base_delay: Duration::from_millis(500),
            max_delay: Duration::from_secs(30),
            jitter: 0.25,
        }
    }
}

/// What one attempt ended with.
#[derive(Debug, Clone, PartialEq)]
pub enum Outcome<'a> {
    /// The connection failed; `body_sent` if the request body had gone out.
    Connect {
        /// Whether the request body was sent before the failure.
        body_sent: bool,
    },
    /// No answer in time.
    Timeout {
        /// Whether the request body was sent before the timeout.
        body_sent: bool,
    },
    /// The response body was cut off.
    Truncated,
    /// A complete response with an error status.
    Status {
        /// HTTP status.
        status: u16,
        /// The server's wait hint (`Retry-After` or a body field).
        retry_after: Option<Duration>,
        /// A job id in the error body (504 with `job_id`): the job exists.
        job_id: Option<&'a str>,
    },
}

/// What to do next.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Decision {
    /// Wait this long, then try again.
    Retry(Duration),
    /// Stop and report the outcome.
    Stop,
}

impl RetryPolicy {
    /// The backoff before retry number `n + 1` (`n` retries done), with
    /// `unit_random` in `[0, 1)` drawing the jitter.
    pub fn backoff(&self, n: u32, unit_random: f64) -> Duration {
        let base = self.base_delay.as_secs_f64() * 2f64.powi(n.min(30) as i32);
        let d = base * (1.0 + self.jitter.clamp(0.0, 1.0) * unit_random.clamp(0.0, 1.0));
        Duration::from_secs_f64(d.min(self.max_delay.as_secs_f64()))
    }

    /// Decides after an attempt. `retries_done` counts retries so far,
    /// `billable` marks a request that starts a paid job.
    pub fn decide(
        &self,
        retries_done: u32,
        outcome: &Outcome<'_>,
        billable: bool,
        unit_random: f64,
    ) -> Decision {
        if retries_done >= self.max_retries {
            return Decision::Stop;
        }
        let backoff = || Decision::Retry(self.backoff(retries_done, unit_random));
        match outcome {
            Outcome::Connect { body_sent } | Outcome::Timeout { body_sent } => {
                if billable && *body_sent {
                    Decision::Stop
                } else {
                    backoff()
                }
            }
            Outcome::Truncated => {
                if billable {
                    Decision::Stop
                } else {
                    backoff()
                }
            }
            Outcome::Status {
                status: 429,
                retry_after,
                ..
            } => match retry_after {
                Some(d) => Decision::Retry((*d).min(self.max_delay)),
                None => backoff(),
            },
            Outcome::Status {
                status,
                retry_after,
                job_id,
            } if (500..600).contains(status) => {
                if job_id.is_some() {
                    Decision::Stop
                } else {
                    retry_after.map_or_else(backoff, |d| Decision::Retry(d.min(self.max_delay)))
                }
            }
            Outcome::Status { .. } => Decision::Stop,
        }
    }
}

/// Parses a `Retry-After` value: delay seconds, or an HTTP date
/// (`Sun, 06 Nov 1994 08:49:37 GMT`) measured from `now` (a date in the
/// past means no wait).
pub fn parse_retry_after(value: &str, now: SystemTime) -> Option<Duration> {
    let v = value.trim();
    if let Ok(secs) = v.parse::<u64>() {
        return seconds(secs as f64);
    }
    if let Ok(secs) = v.parse::<f64>() {
        return seconds(secs);
    }
    let at = http_date(v)?;
    let now = now.duration_since(UNIX_EPOCH).ok()?.as_secs();
    seconds(at.saturating_sub(now) as f64)
}

/// The longest wait a server's hint is taken as (a day); the policy's
/// `max_delay` caps it further.
const LONGEST_HINT: f64 = 86_400.0;

/// A server's wait hint in seconds as a duration: `None` for NaN or a
/// negative number, at most [`LONGEST_HINT`] (`1e300` must not panic in
/// `Duration::from_secs_f64`).
pub(crate) fn seconds(secs: f64) -> Option<Duration> {
    (secs >= 0.0).then(|| Duration::from_secs_f64(secs.min(LONGEST_HINT)))
}

/// Seconds since 1970 of an IMF-fixdate (RFC 9110).
fn http_date(v: &str) -> Option<u64> {
    let rest = v.split_once(", ").map_or(v, |(_, r)| r);
    let mut it = rest.split_whitespace();
    let day: u64 = it.next()?.parse().ok()?;
    let month = match it.next()? {
        "Jan" => 1,
        "Feb" => 2,
        "Mar" => 3,
        "Apr" => 4,
        "May" => 5,
        "Jun" => 6,
        "Jul" => 7,
        "Aug" => 8,
        "Sep" => 9,
        "Oct" => 10,
        "Nov" => 11,
        "Dec" => 12,
        _ => return None,
    };
    let year: i64 = it.next()?.parse().ok().filter(|y| (0..=9999).contains(y))?;
    let mut hms = it.next()?.split(':').map(|p| p.parse::<u64>().ok());
    let (h, m, s) = (hms.next()??, hms.next()??, hms.next()??);
    if it.next()? != "GMT" || !(1..=31).contains(&day) || h > 23 || m > 59 || s > 60 {
        return None;
    }
    // days from civil (Howard Hinnant's algorithm)
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (month + 9) % 12;
    let doy = (153 * mp + 2) / 5 + day as i64 - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    let days = era * 146_097 + doe - 719_468;
    u64::try_from(days)
        .ok()
        .map(|d| d * 86_400 + h * 3600 + m * 60 + s)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p() -> RetryPolicy {
        RetryPolicy::default()
    }

    #[test]
    fn backoff_doubles_with_jitter_and_a_cap() {
        assert_eq!(p().backoff(0, 0.0), Duration::from_millis(500));
        assert_eq!(p().backoff(1, 0.0), Duration::from_secs(1));
        assert_eq!(p().backoff(2, 1.0), Duration::from_millis(2500));
        assert_eq!(p().backoff(20, 0.5), Duration::from_secs(30));
    }

    #[test]
    fn what_is_retried() {
        let s = |status, retry_after, job_id| Outcome::Status {
            status,
            retry_after,
            job_id,
        };
        assert_eq!(
            p().decide(0, &Outcome::Connect { body_sent: false }, true, 0.0),
            Decision::Retry(Duration::from_millis(500))
        );
        assert_eq!(
            p().decide(0, &Outcome::Timeout { body_sent: false }, false, 0.0),
            Decision::Retry(Duration::from_millis(500))
        );
        assert_eq!(
            p().decide(1, &s(503, None, None), false, 0.0),
            Decision::Retry(Duration::from_secs(1))
        );
        assert_eq!(
            p().decide(0, &s(429, Some(Duration::from_secs(60)), None), false, 0.0),
            Decision::Retry(Duration::from_secs(30))
        );
        assert_eq!(
            p().decide(0, &s(429, Some(Duration::from_secs(2)), None), true, 0.0),
            Decision::Retry(Duration::from_secs(2))
        );
        assert_eq!(
            p().decide(0, &s(500, Some(Duration::from_secs(3)), None), false, 0.0),
            Decision::Retry(Duration::from_secs(3))
        );
    }

    #[test]
    fn what_is_not_retried() {
        let s = |status, job_id| Outcome::Status {
            status,
            retry_after: None,
            job_id,
        };
        // a billable submission whose answer was lost: the job may exist
        assert_eq!(
            p().decide(0, &Outcome::Timeout { body_sent: true }, true, 0.0),
            Decision::Stop
        );
        assert_eq!(
            p().decide(0, &Outcome::Connect { body_sent: true }, true, 0.0),
            Decision::Stop
        );
        assert_eq!(
            p().decide(0, &Outcome::Truncated, true, 0.0),
            Decision::Stop
        );
        // the same for a free request is retried
        assert!(matches!(
            p().decide(0, &Outcome::Timeout { body_sent: true }, false, 0.0),
            Decision::Retry(_)
        ));
        // a 504 naming the job: poll instead
        assert_eq!(
            p().decide(0, &s(504, Some("job_1")), false, 0.0),
            Decision::Stop
        );
        for status in [400, 401, 402, 403, 404, 413, 415, 422] {
            assert_eq!(
                p().decide(0, &s(status, None), false, 0.0),
                Decision::Stop,
                "{status}"
            );
        }
        // out of retries
        assert_eq!(p().decide(3, &s(503, None), false, 0.0), Decision::Stop);
    }

    #[test]
    fn retry_after_in_seconds_and_as_a_date() {
        let now = UNIX_EPOCH + Duration::from_secs(784_111_777); // Sun, 06 Nov 1994 08:49:37 GMT
        assert_eq!(
            parse_retry_after("120", now),
            Some(Duration::from_secs(120))
        );
        assert_eq!(
            parse_retry_after("1.5", now),
            Some(Duration::from_millis(1500))
        );
        assert_eq!(
            parse_retry_after("Sun, 06 Nov 1994 08:50:37 GMT", now),
            Some(Duration::from_secs(60))
        );
        assert_eq!(
            parse_retry_after("Sun, 06 Nov 1994 08:00:00 GMT", now),
            Some(Duration::ZERO)
        );
        assert_eq!(
            parse_retry_after("Thu, 01 Jan 1970 00:00:00 GMT", UNIX_EPOCH),
            Some(Duration::ZERO)
        );
        assert_eq!(
            parse_retry_after("Sat, 29 Feb 2020 12:00:00 GMT", UNIX_EPOCH),
            Some(Duration::from_secs(86_400))
        );
        assert_eq!(
            parse_retry_after(
                "Sat, 29 Feb 2020 12:00:00 GMT",
                UNIX_EPOCH + Duration::from_secs(1_582_977_000)
            ),
            Some(Duration::from_secs(600))
        );
        // huge hints are bounded, not a panic
        for huge in ["1e300", "1e20", "inf", "18446744073709551616"] {
            assert_eq!(
                parse_retry_after(huge, now),
                Some(Duration::from_secs(86_400)),
                "{huge}"
            );
        }
        for bad in [
            "",
            "soon",
            "-5",
            "NaN",
            "-inf",
            "Fri, 01 Jan 99999999999999 00:00:00 GMT",
            "Sun, 32 Nov 1994 08:49:37 GMT",
            "Sun, 06 Nov 1994 08:49:37 CET",
        ] {
            assert_eq!(parse_retry_after(bad, now), None, "{bad}");
        }
    }
}
