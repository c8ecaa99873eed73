package main

import (
	"bytes"
	"context"
	"errors"
	"io"
	"log/slog"
	"path/filepath"
	"strconv"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/CarikBot/carik-go/carik"
	"github.com/CarikBot/carik-go/carik/cariktest"
	"github.com/CarikBot/carik-go/inbox"
	"github.com/CarikBot/carik-go/inbox/internal/testdb"
	"github.com/CarikBot/carik-go/inbox/sqlite"
)

func carikInbox(t *testing.T, env map[string]string, args ...string) (int, string, string) {
	t.Helper()
	var out, errOut bytes.Buffer
	code := run(context.Background(), args, func(k string) string { return env[k] }, &out, &errOut)
	return code, out.String(), errOut.String()
}

// deadDeliveries fills an inbox with two dead deliveries and one completed one, and returns
// the dead ones' job ids and a function that makes the handler succeed.
func deadDeliveries(t *testing.T, store inbox.Store) (*inbox.Inbox, func()) {
	t.Helper()
	var ok atomic.Bool
	router := carik.NewRouter()
	router.OnAny(func(context.Context, carik.Event) error {
		if !ok.Load() {
			return errors.New("payments API answered 503")
		}
		return nil
	})
	ib, err := inbox.New(store, router, inbox.WithMaxAttempts(2), inbox.WithPollInterval(50*time.Millisecond),
		inbox.WithBackoff(time.Millisecond, time.Millisecond), inbox.WithLogger(slog.New(slog.NewTextHandler(io.Discard, nil))))
	require.NoError(t, err)
	require.NoError(t, ib.Start(context.Background()))
	t.Cleanup(func() { ib.Stop(context.Background()) })
	ctx := context.Background()
	for i := range 2 {
		body := cariktest.Payload(carik.EventPayment, cariktest.Set("/data/transaction_id", "T"+strconv.Itoa(i)))
		d := carik.NewDelivery(cariktest.NewSigner(cariktest.NewSecret()).SignAt("msg_dead"+strconv.Itoa(i), time.Now(), body), body)
		ev, err := carik.Parse(body)
		require.NoError(t, err)
		require.NoError(t, ib.Dispatch(carik.ContextWithDelivery(ctx, d), ev))
	}
	deadline := time.Now().Add(30 * time.Second)
	for {
		s, err := ib.Stats(ctx)
		require.NoError(t, err)
		if s[inbox.StateDiscarded] == 2 {
			break
		}
		require.True(t, time.Now().Before(deadline), "deliveries did not die: %v", s)
		time.Sleep(20 * time.Millisecond)
	}
	return ib, func() { ok.Store(true) }
}

func TestOperatorCommandSQLite(t *testing.T) {
	path := filepath.Join(t.TempDir(), "inbox.db")
	store, err := sqlite.Open(context.Background(), path)
	require.NoError(t, err)
	defer store.Close()
	ib, heal := deadDeliveries(t, store)
	operate(t, ib, heal, nil, "-db", path)
}

func TestOperatorCommandPostgres(t *testing.T) {
	url := testdb.PostgresURL(t)
	store, err := postgresOpen(t, url)
	require.NoError(t, err)
	ib, heal := deadDeliveries(t, store)
	operate(t, ib, heal, map[string]string{"CARIK_DATABASE_URL": url})
}

func operate(t *testing.T, ib *inbox.Inbox, heal func(), env map[string]string, flags ...string) {
	cmd := func(args ...string) (int, string, string) { return carikInbox(t, env, append(flags, args...)...) }

	code, out, _ := cmd("stats")
	require.Equal(t, 0, code)
	assert.Regexp(t, `discarded\s+2\s+total\s+2`, out)

	code, out, _ = cmd("dead")
	require.Equal(t, 0, code)
	assert.Contains(t, out, "msg_dead0")
	assert.Contains(t, out, "msg_dead1")
	assert.Contains(t, out, "payments API answered 503")
	assert.Contains(t, out, "2 dead")

	dead, err := ib.Dead(context.Background(), 10)
	require.NoError(t, err)
	require.Len(t, dead, 2)
	e, err := ib.Find(context.Background(), "msg_dead0") // in the order they died: either
	require.NoError(t, err)
	first := strconv.FormatInt(e.JobID, 10)
	for _, key := range []string{first, "msg_dead0"} {
		code, out, _ = cmd("show", key)
		require.Equal(t, 0, code)
		assert.Contains(t, out, "delivery:  msg_dead0")
		assert.Contains(t, out, "state:     discarded")
		assert.Contains(t, out, "Webhook-Id: msg_dead0")
		assert.Contains(t, out, `"transaction_id":"T0"`)
		assert.Contains(t, out, "attempt 1 at")
		assert.Contains(t, out, "attempt 2 at")
	}
	code, _, errOut := cmd("show", "msg_nope")
	assert.Equal(t, 1, code)
	assert.Contains(t, errOut, "no such delivery")

	heal()
	code, out, _ = cmd("retry", first)
	require.Equal(t, 0, code)
	assert.Equal(t, "retried "+first+"\n", out)
	code, out, _ = cmd("retry", "-all")
	require.Equal(t, 0, code)
	assert.Equal(t, "retried 1\n", out)
	deadline := time.Now().Add(30 * time.Second)
	for {
		_, out, _ = cmd("stats")
		if ok, _ := regexpMatch(`completed\s+2\s+total\s+2`, out); ok {
			break
		}
		require.True(t, time.Now().Before(deadline), "not completed: %s", out)
		time.Sleep(50 * time.Millisecond)
	}

	for _, args := range [][]string{{}, {"bogus"}, {"show"}, {"retry"}} {
		code, _, _ := cmd(args...)
		assert.Equal(t, 2, code, "%v", args)
	}
	code, _, errOut = cmd("retry", "x1")
	assert.Equal(t, 1, code)
	assert.Contains(t, errOut, "not a job id")
}
