package inbox_test

import (
	"context"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/CarikBot/carik-go/inbox"
	"github.com/CarikBot/carik-go/inbox/internal/testdb"
	"github.com/CarikBot/carik-go/inbox/postgres"
	"github.com/CarikBot/carik-go/inbox/sqlite"
)

// Processes that start together on a new database (replicas of one deployment, a receiver
// and a worker) all open it: one creates the schema, the others wait for it or find it done.
// River's migrator takes no lock, so each used to apply the first migration itself and all
// but one failed ("table river_migration already exists", "duplicate key value").
func TestProcessesOpenANewDatabaseTogether(t *testing.T) {
	t.Parallel()
	for _, kind := range testdb.Kinds {
		t.Run(kind, func(t *testing.T) {
			t.Parallel()
			var open func(context.Context) (interface {
				inbox.Store
				Close() error
			}, error)
			if kind == "sqlite" {
				path := testdb.SQLitePath(t)
				open = func(ctx context.Context) (interface {
					inbox.Store
					Close() error
				}, error) {
					return sqlite.Open(ctx, path)
				}
			} else {
				url := testdb.PostgresURL(t)
				open = func(ctx context.Context) (interface {
					inbox.Store
					Close() error
				}, error) {
					return postgres.Open(ctx, url)
				}
			}
			n := 6 // SQLite: one connection each, one writer at a time
			if kind == "postgres" {
				n = 20 // Postgres deadlocked on concurrent DDL in 2 runs of 15 with 20 processes
			}
			errs := make([]error, n)
			var wg sync.WaitGroup
			for i := range n {
				wg.Go(func() {
					s, err := open(context.Background())
					errs[i] = err
					if err == nil {
						s.Close()
					}
				})
			}
			wg.Wait()
			for i, err := range errs {
				assert.NoError(t, err, "process %d", i)
			}
			s, err := open(context.Background())
			require.NoError(t, err)
			defer s.Close()
			ib, err := inbox.New(s, nil)
			require.NoError(t, err)
			_, err = ib.Stats(context.Background())
			require.NoError(t, err)
		})
	}
}
