package engine

import (
	"testing"
	"time"

	"github.com/riverqueue/river/rivertype"
	"github.com/stretchr/testify/assert"
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
