package pipeline

import (
	"math"
	"time"
)

// Backoff is the delay after the given number of consecutive failures: base doubled per
// failure, capped at max.
func Backoff(failures int, base, max time.Duration) time.Duration {
	if failures < 1 {
		failures = 1
	}
	d := float64(base) * math.Pow(2, float64(failures-1))
	if d > float64(max) {
		return max
	}
	return time.Duration(d)
}

// Jitter spreads d by ±20% (r in [0,1) picks the point), so that rows that failed together
// do not all retry in the same instant.
func Jitter(d time.Duration, r float64) time.Duration {
	return time.Duration(float64(d) * (0.8 + 0.4*r))
}
