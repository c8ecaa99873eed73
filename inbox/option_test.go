package inbox

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/CarikBot/carik-go/inbox/sqlite"
)

// Every option reaches the engine's configuration, a zero or negative value keeps the
// default, and the retention rules hold (dead deliveries are kept at least the dedupe window,
// rescue comes after the job timeout).
func TestOptionsReachTheEngine(t *testing.T) {
	t.Parallel()
	store, err := sqlite.Open(context.Background(), filepath.Join(t.TempDir(), "inbox.db"))
	require.NoError(t, err)
	t.Cleanup(func() { store.Close() })

	ib, err := New(store, nil, WithWorkers(3), WithMaxAttempts(4), WithBackoff(2*time.Second, time.Minute),
		WithJobTimeout(10*time.Second), WithRescueAfter(5*time.Second), WithDedupeWindow(48*time.Hour),
		WithDeadRetention(24*time.Hour), WithPollInterval(3*time.Second))
	require.NoError(t, err)
	c := ib.cfg
	assert.Equal(t, 3, c.Workers)
	assert.Equal(t, 4, c.MaxAttempts)
	assert.Equal(t, 2*time.Second, c.MinBackoff)
	assert.Equal(t, time.Minute, c.MaxBackoff)
	assert.Equal(t, 10*time.Second, c.JobTimeout)
	assert.Equal(t, 10*time.Second+time.Minute, c.RescueAfter, "a rescue before the job timeout is raised past it")
	assert.Equal(t, 48*time.Hour, c.DedupeWindow)
	assert.Equal(t, 48*time.Hour, c.DeadFor, "dead deliveries are kept at least the dedupe window")
	assert.Equal(t, 3*time.Second, c.PollInterval)

	ib, err = New(store, nil, WithWorkers(0), WithDedupeWindow(-time.Hour), WithDeadRetention(0), WithMaxAttempts(-1))
	require.NoError(t, err)
	assert.Equal(t, DefaultWorkers, ib.cfg.Workers)
	assert.Equal(t, DefaultMaxAttempts, ib.cfg.MaxAttempts)
	assert.Equal(t, DefaultDedupeWindow, ib.cfg.DedupeWindow)
	assert.Equal(t, DefaultDeadRetention, ib.cfg.DeadFor)
}

// A poll interval under River's minimum (1 ms) is raised to it: New failed with River's own
// words, "FetchCooldown must be at least 1ms", naming no option of this package.
func TestPollIntervalBelowRiversMinimum(t *testing.T) {
	t.Parallel()
	store, err := sqlite.Open(context.Background(), filepath.Join(t.TempDir(), "inbox.db"))
	require.NoError(t, err)
	t.Cleanup(func() { store.Close() })
	ib, err := New(store, nil, WithPollInterval(100*time.Microsecond))
	require.NoError(t, err)
	assert.Equal(t, time.Millisecond, ib.cfg.PollInterval)
}
