// Package postgres keeps a Carik inbox in PostgreSQL, with pgx v5 and River's riverpgxv5
// driver: any number of receiver processes and worker processes share one database.
package postgres

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/riverqueue/river/riverdriver/riverpgxv5"

	"github.com/CarikBot/carik-go/inbox/internal/engine"
)

// Store is an inbox store in a Postgres database; it implements inbox.Store. Close it when
// done.
type Store struct {
	pool *pgxpool.Pool
	drv  *riverpgxv5.Driver
	own  bool
}

// Open connects to the database at url (postgres://...) and brings River's schema up to date.
func Open(ctx context.Context, url string) (*Store, error) {
	pool, err := pgxpool.New(ctx, url)
	if err != nil {
		return nil, fmt.Errorf("carik: inbox: connect: %w", err)
	}
	s, err := New(ctx, pool)
	if err != nil {
		pool.Close()
		return nil, err
	}
	s.own = true
	return s, nil
}

// New uses an existing pool and brings River's schema up to date; Close leaves the pool open.
func New(ctx context.Context, pool *pgxpool.Pool) (*Store, error) {
	s := &Store{pool: pool, drv: riverpgxv5.New(pool)}
	if err := migrate(ctx, pool, s.drv); err != nil {
		return nil, fmt.Errorf("carik: inbox: %w", err)
	}
	return s, nil
}

// migrateLock is the key of the advisory lock processes take in turn to migrate ("carikmig").
const migrateLock = 0x636172696b6d6967

// migrate brings the schema up to date holding migrateLock. River's migrator takes no lock,
// and processes migrating a new database together deadlock on each other's DDL (5 of 6 failed
// at first; with retries, 2 runs in 15 still failed with 20 processes). The lock is held on a
// connection of its own, outside the pool, which the migration may use whole.
func migrate(ctx context.Context, pool *pgxpool.Pool, drv *riverpgxv5.Driver) error {
	conn, err := pgx.ConnectConfig(ctx, pool.Config().ConnConfig.Copy())
	if err != nil {
		return fmt.Errorf("migrate: connect: %w", err)
	}
	defer conn.Close(context.WithoutCancel(ctx)) // closing the session releases the lock too
	if _, err := conn.Exec(ctx, "SELECT pg_advisory_lock($1)", int64(migrateLock)); err != nil {
		return fmt.Errorf("migrate: lock: %w", err)
	}
	return engine.Migrate(ctx, drv)
}

// OpenEngine returns the queue on this store; inbox.New calls it.
func (s *Store) OpenEngine(cfg engine.Config) (engine.Engine, error) { return engine.New(s.drv, cfg) }

// Counts returns the number of deliveries in each state.
func (s *Store) Counts(ctx context.Context) (map[string]int, error) {
	rows, err := s.pool.Query(ctx, `SELECT state::text, count(*) FROM river_job WHERE kind = $1 GROUP BY state`, engine.Kind)
	if err != nil {
		return nil, fmt.Errorf("carik: inbox: stats: %w", err)
	}
	defer rows.Close()
	counts := map[string]int{}
	for rows.Next() {
		var state string
		var n int
		if err := rows.Scan(&state, &n); err != nil {
			return nil, fmt.Errorf("carik: inbox: stats: %w", err)
		}
		counts[state] = n
	}
	return counts, rows.Err()
}

// Close closes the pool when Open made it; stop the inbox first.
func (s *Store) Close() error {
	if s.own {
		s.pool.Close()
	}
	return nil
}
