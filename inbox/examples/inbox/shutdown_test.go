package main

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"net"
	"net/http"
	"path/filepath"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/CarikBot/carik-go/carik"
	"github.com/CarikBot/carik-go/carik/cariktest"
	"github.com/CarikBot/carik-go/inbox"
	"github.com/CarikBot/carik-go/inbox/sqlite"
)

// A client that holds a request open during shutdown takes the server's grace, not the
// running handlers': they still get theirs and finish.
func TestShutdownGivesHandlersTheirOwnGrace(t *testing.T) {
	t.Parallel()
	store, err := sqlite.Open(context.Background(), filepath.Join(t.TempDir(), "inbox.db"))
	require.NoError(t, err)
	defer store.Close()
	var started, finished atomic.Bool
	router := carik.NewRouter()
	router.OnAny(func(ctx context.Context, _ carik.Event) error {
		started.Store(true)
		select {
		case <-time.After(3 * time.Second): // longer than one grace, well within two
			finished.Store(true)
			return nil
		case <-ctx.Done():
			return ctx.Err()
		}
	})
	ib, err := inbox.New(store, router, inbox.WithPollInterval(20*time.Millisecond),
		inbox.WithLogger(slog.New(slog.NewTextHandler(io.Discard, nil))))
	require.NoError(t, err)
	require.NoError(t, ib.Start(context.Background()))
	ev, err := carik.Parse(cariktest.Payload(carik.EventMessage))
	require.NoError(t, err)
	require.NoError(t, ib.Dispatch(context.Background(), ev))

	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	held := make(chan struct{})
	srv := &http.Server{Handler: http.HandlerFunc(func(_ http.ResponseWriter, r *http.Request) {
		close(held)
		io.ReadAll(r.Body)
	})}
	go srv.Serve(ln)
	conn, err := net.Dial("tcp", ln.Addr().String()) // a request whose body never ends
	require.NoError(t, err)
	defer conn.Close()
	_, err = conn.Write([]byte("POST /webhook HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n{"))
	require.NoError(t, err)
	for deadline := time.Now().Add(10 * time.Second); !started.Load(); time.Sleep(10 * time.Millisecond) {
		require.True(t, time.Now().Before(deadline), "handler not started")
	}
	<-held // the server holds the request (a connection not yet accepted would not hold Shutdown)
	err = shutdown(srv, ib, 2500*time.Millisecond)
	assert.True(t, errors.Is(err, context.DeadlineExceeded), "the held request outlived the grace: %v", err)
	assert.True(t, finished.Load(), "the handler finished in its own grace")
}
