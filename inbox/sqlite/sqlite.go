// Package sqlite keeps a Carik inbox in one SQLite file, with modernc.org/sqlite (pure Go:
// builds with CGO_ENABLED=0) and River's riversqlite driver. It is the embedded default: one
// process receives and handles deliveries. For several processes, use inbox/postgres.
package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"net/url"

	"github.com/riverqueue/river/riverdriver/riversqlite"
	_ "modernc.org/sqlite" // the "sqlite" database/sql driver

	"github.com/CarikBot/carik-go/inbox/internal/engine"
)

// Store is an inbox store in one SQLite file; it implements inbox.Store. Close it when done.
type Store struct {
	db  *sql.DB
	drv *riversqlite.Driver
}

// DSN returns the data source name Open uses for path: WAL, a 10 s busy timeout, full sync
// (an acknowledged delivery survives a power cut) and immediate transactions.
func DSN(path string) string {
	return "file:" + (&url.URL{Path: path}).EscapedPath() +
		"?_pragma=journal_mode(WAL)&_pragma=busy_timeout(10000)&_pragma=synchronous(FULL)&_txlock=immediate"
}

// Open opens (creating it if needed) the SQLite file at path and brings its schema up to date.
// It holds one connection, as River's SQLite driver requires.
func Open(ctx context.Context, path string) (*Store, error) {
	db, err := sql.Open("sqlite", DSN(path))
	if err != nil {
		return nil, fmt.Errorf("carik: inbox: open %s: %w", path, err)
	}
	db.SetMaxOpenConns(1)
	s := &Store{db: db, drv: riversqlite.New(db)}
	if err := engine.Migrate(ctx, s.drv); err != nil {
		db.Close()
		return nil, err
	}
	return s, nil
}

// OpenEngine returns the queue on this store; inbox.New calls it.
func (s *Store) OpenEngine(cfg engine.Config) (engine.Engine, error) { return engine.New(s.drv, cfg) }

// Counts returns the number of deliveries in each state.
func (s *Store) Counts(ctx context.Context) (map[string]int, error) {
	return engine.Count(ctx, s.db, `SELECT state, count(*) FROM river_job WHERE kind = ? GROUP BY state`)
}

// Close closes the database; stop the inbox first.
func (s *Store) Close() error { return s.db.Close() }
