package engine

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
)

// Dead deliveries, discarded or cancelled, are kept DeadFor; handled ones DedupeWindow.
func TestRiverConfigRetention(t *testing.T) {
	t.Parallel()
	rc := riverConfig(Config{MaxAttempts: 3, DedupeWindow: 7 * 24 * time.Hour, DeadFor: 30 * 24 * time.Hour,
		MinBackoff: time.Second, MaxBackoff: time.Hour, PollInterval: time.Second})
	assert.Equal(t, 7*24*time.Hour, rc.CompletedJobRetentionPeriod)
	assert.Equal(t, 30*24*time.Hour, rc.DiscardedJobRetentionPeriod)
	assert.Equal(t, 30*24*time.Hour, rc.CancelledJobRetentionPeriod)
}
