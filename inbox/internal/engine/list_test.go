package engine

import (
	"context"
	"database/sql"
	"fmt"
	"io"
	"log/slog"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/riverqueue/river/riverdriver/riversqlite"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	_ "modernc.org/sqlite"

	"github.com/CarikBot/carik-go/carik"
)

// Lists longer than River's page (10,000 jobs; JobListParams.First panics above it) are read
// in pages: carik-inbox dead -limit 20000 panicked with River's "count must be <= 10_000".
func TestListsReadPagesPastRiversLimit(t *testing.T) {
	db, err := sql.Open("sqlite", "file:"+filepath.Join(t.TempDir(), "inbox.db")+"?_pragma=busy_timeout(10000)")
	require.NoError(t, err)
	defer db.Close()
	db.SetMaxOpenConns(1)
	drv := riversqlite.New(db)
	ctx := context.Background()
	require.NoError(t, Migrate(ctx, drv))
	e, err := New(drv, Config{MaxAttempts: 3, MinBackoff: time.Second, MaxBackoff: time.Hour, JobTimeout: time.Minute,
		RescueAfter: 2 * time.Minute, DedupeWindow: time.Hour, DeadFor: time.Hour, PollInterval: time.Second,
		Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	require.NoError(t, err)
	const n = 25
	for i := range n {
		_, err := e.Insert(ctx, carik.Delivery{ID: fmt.Sprint("msg_", i)}, []byte(`{}`))
		require.NoError(t, err)
	}
	// Dead deliveries, dying in the reverse order of their ids.
	_, err = db.Exec(`UPDATE river_job SET state = 'discarded', finalized_at = datetime('now', '-' || id || ' seconds')`)
	require.NoError(t, err)

	for _, limit := range []int{20_000, 10} {
		jobs, err := e.List(ctx, "", limit)
		require.NoError(t, err)
		assert.Len(t, jobs, min(limit, n))
		dead, err := e.Dead(ctx, limit)
		require.NoError(t, err)
		assert.Len(t, dead, min(limit, n))
	}

	defer func(p int) { maxPage = p }(maxPage)
	maxPage = 4
	for _, limit := range []int{n + 5, n, 9} {
		jobs, err := e.List(ctx, "", limit)
		require.NoError(t, err)
		require.Len(t, jobs, min(limit, n))
		for i, j := range jobs {
			assert.Equal(t, fmt.Sprint("msg_", i), j.DeliveryID, "in id order, each once")
		}
		dead, err := e.Dead(ctx, limit)
		require.NoError(t, err)
		require.Len(t, dead, min(limit, n))
		for i, j := range dead {
			assert.Equal(t, fmt.Sprint("msg_", n-1-i), j.DeliveryID, "in the order they died, each once")
		}
	}
}

// A store failure's error quotes the delivery id cut short: the receiver logs the error on
// every request the failing store refuses, and an id is as long as a header may be.
func TestStoreErrorCutsTheID(t *testing.T) {
	db, err := sql.Open("sqlite", "file:"+filepath.Join(t.TempDir(), "inbox.db"))
	require.NoError(t, err)
	db.SetMaxOpenConns(1)
	drv := riversqlite.New(db)
	require.NoError(t, Migrate(context.Background(), drv))
	e, err := New(drv, Config{MaxAttempts: 3, MinBackoff: time.Second, MaxBackoff: time.Hour, JobTimeout: time.Minute,
		RescueAfter: 2 * time.Minute, DedupeWindow: time.Hour, DeadFor: time.Hour, PollInterval: time.Second,
		Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	require.NoError(t, err)
	require.NoError(t, db.Close())
	_, err = e.Insert(context.Background(), carik.Delivery{ID: "msg_" + strings.Repeat("x", 100_000)}, []byte(`{}`))
	require.Error(t, err)
	require.Less(t, len(err.Error()), 500, "the error is %d bytes", len(err.Error()))
	assert.Contains(t, err.Error(), `carik: inbox: store delivery "msg_xxx`)
	assert.Contains(t, err.Error(), "(100004 bytes)")
}
