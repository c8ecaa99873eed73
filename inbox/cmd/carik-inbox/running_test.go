package main

import (
	"context"
	"io"
	"log/slog"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/CarikBot/carik-go/carik"
	"github.com/CarikBot/carik-go/carik/cariktest"
	"github.com/CarikBot/carik-go/inbox"
	"github.com/CarikBot/carik-go/inbox/sqlite"
)

// retry of a delivery being handled does nothing (River leaves running jobs alone): it says
// so and fails, rather than print "retried N".
func TestRetryOfARunningDelivery(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "inbox.db")
	store, err := sqlite.Open(context.Background(), path)
	require.NoError(t, err)
	defer store.Close()
	release := make(chan struct{})
	router := carik.NewRouter()
	router.OnAny(func(context.Context, carik.Event) error { <-release; return nil })
	ib, err := inbox.New(store, router, inbox.WithPollInterval(50*time.Millisecond),
		inbox.WithLogger(slog.New(slog.NewTextHandler(io.Discard, nil))))
	require.NoError(t, err)
	require.NoError(t, ib.Start(context.Background()))
	defer ib.Stop(context.Background())
	defer close(release)
	ev, err := carik.Parse(cariktest.Payload(carik.EventMessage))
	require.NoError(t, err)
	require.NoError(t, ib.Dispatch(context.Background(), ev))
	var running []inbox.Entry
	for deadline := time.Now().Add(30 * time.Second); len(running) == 0; time.Sleep(20 * time.Millisecond) {
		require.True(t, time.Now().Before(deadline), "not running")
		running, err = ib.List(context.Background(), inbox.StateRunning, 1)
		require.NoError(t, err)
	}
	job := strconv.FormatInt(running[0].JobID, 10)
	code, out, errOut := carikInbox(t, nil, "-db", path, "retry", "-force", job)
	assert.Equal(t, 1, code)
	assert.Empty(t, out)
	assert.Contains(t, errOut, "job "+job+" is being handled (running): nothing to retry")
}
