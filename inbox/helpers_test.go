package inbox_test

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/CarikBot/carik-go/carik"
	"github.com/CarikBot/carik-go/carik/cariktest"
	"github.com/CarikBot/carik-go/inbox"
	"github.com/CarikBot/carik-go/inbox/internal/testdb"
	"github.com/CarikBot/carik-go/inbox/postgres"
	"github.com/CarikBot/carik-go/inbox/sqlite"
)

// openStore opens a fresh store of kind ("sqlite" or "postgres"), closed when the test ends.
func openStore(t *testing.T, kind string) inbox.Store {
	t.Helper()
	ctx := context.Background()
	switch kind {
	case "sqlite":
		s, err := sqlite.Open(ctx, testdb.SQLitePath(t))
		require.NoError(t, err)
		t.Cleanup(func() { s.Close() })
		return s
	default:
		s, err := postgres.Open(ctx, testdb.PostgresURL(t))
		require.NoError(t, err)
		t.Cleanup(func() { s.Close() })
		return s
	}
}

// fast are options that keep the tests short: quick polling, retries and rescue.
func fast(extra ...inbox.Option) []inbox.Option {
	return append([]inbox.Option{
		inbox.WithPollInterval(50 * time.Millisecond),
		inbox.WithBackoff(time.Millisecond, 10*time.Millisecond),
		inbox.WithLogger(slog.New(slog.NewTextHandler(io.Discard, nil))),
	}, extra...)
}

// newInbox returns an inbox on store with handler, its workers started and stopped at the end.
func newInbox(t *testing.T, store inbox.Store, handler carik.Dispatcher, opts ...inbox.Option) *inbox.Inbox {
	t.Helper()
	ib, err := inbox.New(store, handler, fast(opts...)...)
	require.NoError(t, err)
	if handler != nil {
		require.NoError(t, ib.Start(context.Background()))
		t.Cleanup(func() {
			ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			defer cancel()
			ib.Stop(ctx)
		})
	}
	return ib
}

// receiver returns a verifying receiver in front of ib and a signer for it.
func receiver(t *testing.T, ib *inbox.Inbox) (http.Handler, *cariktest.Signer) {
	t.Helper()
	secret := cariktest.NewSecret()
	v, err := carik.StandardWebhooks(secret)
	require.NoError(t, err)
	logger := slog.New(slog.NewTextHandler(io.Discard, nil))
	return carik.NewReceiver(ib, carik.WithVerifier(v), carik.WithLogger(logger)), cariktest.NewSigner(secret)
}

// waitFor polls cond until it holds, failing the test after 30 s.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// stats returns the inbox's counts per state.
func stats(t *testing.T, ib *inbox.Inbox) map[string]int {
	t.Helper()
	s, err := ib.Stats(context.Background())
	require.NoError(t, err)
	return s
}

func openSQLite(ctx context.Context, dir string) (*sqlite.Store, error) {
	return sqlite.Open(ctx, dir+"/inbox.db")
}

func openPostgres(ctx context.Context, url string) (*postgres.Store, error) {
	return postgres.Open(ctx, url)
}
