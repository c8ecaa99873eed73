// Package sqlite keeps a Carik inbox in one SQLite file, with modernc.org/sqlite (pure Go:
// builds with CGO_ENABLED=0) and River's riversqlite driver. It is the embedded default: one
// process receives and handles deliveries. For several processes, use inbox/postgres.
package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"math/rand/v2"
	"net/url"
	"path/filepath"
	"strconv"
	"time"

	"github.com/riverqueue/river/riverdriver/riversqlite"
	"modernc.org/sqlite" // the "sqlite" database/sql driver, and its errors

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
	return fileURI(path) + "?_pragma=journal_mode(WAL)&_pragma=busy_timeout(10000)&_pragma=synchronous(FULL)&_txlock=immediate"
}

// ReadOnlyDSN returns the data source name OpenReadOnly uses for path: SQLite's mode=ro, with
// the busy timeout of DSN.
func ReadOnlyDSN(path string) string {
	return fileURI(path) + "?mode=ro&_pragma=busy_timeout(10000)"
}

// fileURI is path as a SQLite file: URI, cleaned so that a path starting with "//" is not
// read as a URI authority.
func fileURI(path string) string {
	return "file:" + (&url.URL{Path: filepath.Clean(path)}).EscapedPath()
}

// Open opens (creating it if needed) the SQLite file at path and brings its schema up to date;
// path must name a file ("" and ":memory:", SQLite's temporary databases, are refused).
// It holds one connection, as River's SQLite driver requires. A file the process cannot write
// (or whose directory it cannot write, for the -wal and -shm files) is refused: SQLite would
// open it read-only, and every delivery would fail to be stored.
func Open(ctx context.Context, path string) (*Store, error) {
	if path == "" || path == ":memory:" { // SQLite's temporary and in-memory databases
		return nil, fmt.Errorf("carik: inbox: open %q: not a file: an inbox must outlive the process "+
			"(deliveries are acknowledged once stored)", path)
	}
	db, err := sql.Open("sqlite", DSN(path))
	if err != nil {
		return nil, openError(path, err)
	}
	db.SetMaxOpenConns(1)
	s := &Store{db: db, drv: riversqlite.New(db)}
	// Processes opening a new file together meet SQLite's locks where its busy timeout does not
	// wait (the switch to WAL of a new file): "database is locked" then is passing, so it is
	// retried for as long as the busy timeout would have waited.
	for deadline := time.Now().Add(busyTimeout); ; {
		err = writable(ctx, db)
		if err == nil {
			err = engine.Migrate(ctx, s.drv)
		}
		if err == nil || !isBusy(err) || ctx.Err() != nil || time.Now().After(deadline) {
			break
		}
		time.Sleep(time.Duration(10+rand.N(40)) * time.Millisecond)
	}
	if err != nil {
		db.Close()
		return nil, openError(path, err)
	}
	return s, nil
}

// OpenReadOnly opens the inbox already in the SQLite file at path for reading only (SQLite's
// mode=ro): it creates, migrates and writes nothing, so it works on a file the process cannot
// write (a backup, a read-only mount, an operator account without write access). Storing or
// retrying deliveries through it fails. carik-inbox's stats, dead and show use it.
func OpenReadOnly(ctx context.Context, path string) (*Store, error) {
	if path == "" || path == ":memory:" {
		return nil, fmt.Errorf("carik: inbox: open %q: not a file", path)
	}
	db, err := sql.Open("sqlite", ReadOnlyDSN(path))
	if err != nil {
		return nil, openError(path, err)
	}
	db.SetMaxOpenConns(1)
	if err := db.PingContext(ctx); err != nil {
		db.Close()
		return nil, openError(path, err)
	}
	return &Store{db: db, drv: riversqlite.New(db)}, nil
}

// writable writes the database header (the user version it holds, unchanged): the connection,
// with its pragmas, is opened, and a read-only file fails here rather than at the first delivery.
func writable(ctx context.Context, db *sql.DB) error {
	var v int64
	if err := db.QueryRowContext(ctx, "PRAGMA user_version").Scan(&v); err != nil {
		return err
	}
	_, err := db.ExecContext(ctx, "PRAGMA user_version = "+strconv.FormatInt(v, 10))
	return err
}

// busyTimeout is the busy timeout DSN sets.
const busyTimeout = 10 * time.Second

// sqliteBusy is SQLITE_BUSY, the primary code of "database is locked".
const sqliteBusy = 5

func isBusy(err error) bool {
	var serr *sqlite.Error
	return errors.As(err, &serr) && serr.Code()&0xff == sqliteBusy
}

// sqliteReadOnly is SQLITE_READONLY, the primary code of every "attempt to write a readonly
// database" error.
const sqliteReadOnly = 8

func openError(path string, err error) error {
	var serr *sqlite.Error
	if errors.As(err, &serr) && serr.Code()&0xff == sqliteReadOnly {
		return fmt.Errorf("carik: inbox: open %s: the file or its directory is read-only to this process: %w", path, err)
	}
	return fmt.Errorf("carik: inbox: open %s: %w", path, err)
}

// OpenEngine returns the queue on this store; inbox.New calls it.
func (s *Store) OpenEngine(cfg engine.Config) (engine.Engine, error) { return engine.New(s.drv, cfg) }

// Counts returns the number of deliveries in each state.
func (s *Store) Counts(ctx context.Context) (map[string]int, error) {
	return engine.Count(ctx, s.db, `SELECT state, count(*) FROM river_job WHERE kind = ? GROUP BY state`)
}

// Close closes the database; stop the inbox first.
func (s *Store) Close() error { return s.db.Close() }
