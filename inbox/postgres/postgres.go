// Package postgres keeps a Carik inbox in PostgreSQL, with pgx v5 and River's riverpgxv5
// driver: any number of receiver processes and worker processes share one database.
package postgres

import (
	"context"
	"fmt"

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
	if err := engine.Migrate(ctx, s.drv); err != nil {
		return nil, fmt.Errorf("carik: inbox: %w", err)
	}
	return s, nil
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
