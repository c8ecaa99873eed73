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

func buggyHandler(context.Context, carik.Event) error {
	var m map[string]int
	m["x"]++
	return nil
}

// show prints where a handler panicked, under the attempt's error.
func TestShowPrintsThePanicStack(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "inbox.db")
	store, err := sqlite.Open(context.Background(), path)
	require.NoError(t, err)
	defer store.Close()
	router := carik.NewRouter()
	router.OnAny(buggyHandler)
	ib, err := inbox.New(store, router, inbox.WithMaxAttempts(1), inbox.WithPollInterval(50*time.Millisecond),
		inbox.WithLogger(slog.New(slog.NewTextHandler(io.Discard, nil))))
	require.NoError(t, err)
	require.NoError(t, ib.Start(context.Background()))
	defer ib.Stop(context.Background())
	ev, err := carik.Parse(cariktest.Payload(carik.EventMessage))
	require.NoError(t, err)
	require.NoError(t, ib.Dispatch(context.Background(), ev))
	var dead []inbox.Entry
	for deadline := time.Now().Add(30 * time.Second); len(dead) == 0; time.Sleep(20 * time.Millisecond) {
		require.True(t, time.Now().Before(deadline), "not dead")
		dead, err = ib.Dead(context.Background(), 1)
		require.NoError(t, err)
	}
	code, out, _ := carikInbox(t, nil, "-db", path, "show", strconv.FormatInt(dead[0].JobID, 10))
	require.Equal(t, 0, code)
	assert.Contains(t, out, ": carik: inbox: handler panicked: assignment to entry in nil map\n    stack:\n")
	assert.Regexp(t, `\n      \S*carik-inbox\.buggyHandler\n        .*panic_test\.go:\d+\n`, out)
}
