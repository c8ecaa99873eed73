package engine

import (
	"math"
	"testing"
	"time"

	"github.com/riverqueue/river/rivertype"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestBackoffDoublesWithJitterUpToTheCap(t *testing.T) {
	t.Parallel()
	b := &backoff{min: time.Second, max: time.Minute}
	tests := []struct {
		failures int
		base     time.Duration
	}{
		{0, time.Second},
		{1, 2 * time.Second},
		{4, 16 * time.Second},
		{5, 32 * time.Second},
		{6, time.Minute},
		{40, time.Minute},
	}
	for _, tt := range tests {
		t.Run(tt.base.String(), func(t *testing.T) {
			t.Parallel()
			job := &rivertype.JobRow{Errors: make([]rivertype.AttemptError, tt.failures)}
			seen := map[time.Duration]bool{}
			for range 200 {
				wait := time.Until(b.NextRetry(job))
				assert.GreaterOrEqual(t, wait, tt.base/2-time.Second/10)
				assert.LessOrEqual(t, wait, tt.base)
				seen[wait.Round(time.Millisecond)] = true
			}
			assert.Greater(t, len(seen), 10, "jitter spreads the retries")
		})
	}
}

// A cap near the largest duration ends the doubling at the cap: doubling past it overflowed
// into a negative wait, and rand.N panicked in River's retry path, killing the process.
func TestBackoffWithAHugeCap(t *testing.T) {
	t.Parallel()
	for _, max := range []time.Duration{math.MaxInt64, math.MaxInt64 / 3, 1 << 62} {
		b := &backoff{min: time.Second, max: max}
		for failures := range 100 {
			job := &rivertype.JobRow{Errors: make([]rivertype.AttemptError, failures)}
			var next time.Time
			require.NotPanics(t, func() { next = b.NextRetry(job) }, "max %v, %d failures", max, failures)
			assert.False(t, next.Before(time.Now().Add(-time.Second)), "max %v, %d failures: %v", max, failures, next)
		}
	}
}
