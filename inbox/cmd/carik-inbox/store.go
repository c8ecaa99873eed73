package main

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/riverqueue/river/riverdriver"
	"github.com/riverqueue/river/riverdriver/riverpgxv5"
	"github.com/riverqueue/river/riverdriver/riversqlite"
	"github.com/riverqueue/river/rivermigrate"

	"github.com/CarikBot/carik-go/inbox/sqlite"
)

// existing checks that the store holds an inbox whose schema is current before it is opened:
// opening creates a missing SQLite file and migrates whatever database it is given. An
// operator's typo in -db would otherwise show an empty inbox ("total 0") and leave a new
// file or River's tables behind, and an inbox of an older schema would be migrated under the
// application that uses it.
func existing(ctx context.Context, path, dbURL string) error {
	if dbURL != "" {
		pool, err := pgxpool.New(ctx, dbURL)
		if err != nil {
			return fmt.Errorf("connect to CARIK_DATABASE_URL: %w", err)
		}
		defer pool.Close()
		var ok bool
		if err := pool.QueryRow(ctx, `SELECT to_regclass('river_job') IS NOT NULL`).Scan(&ok); err != nil {
			return fmt.Errorf("CARIK_DATABASE_URL: %w", err)
		}
		if !ok {
			return errors.New("CARIK_DATABASE_URL: the database holds no inbox (no river_job table)")
		}
		return current(ctx, riverpgxv5.New(pool), "CARIK_DATABASE_URL")
	}
	if _, err := os.Stat(path); err != nil {
		return fmt.Errorf("no inbox at %s: %w (-db names the inbox's SQLite file)", path, err)
	}
	db, err := sql.Open("sqlite", sqlite.ReadOnlyDSN(path))
	if err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	defer db.Close()
	var n int
	if err := db.QueryRowContext(ctx, `SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'river_job'`).Scan(&n); err != nil {
		return fmt.Errorf("%s is not an inbox: %w", path, err)
	}
	if n == 0 {
		return fmt.Errorf("%s is not an inbox (no river_job table)", path)
	}
	return current(ctx, riversqlite.New(db), path)
}

// current checks that the database behind drv holds every River migration this command
// knows: it changes no schema.
func current[TTx any](ctx context.Context, drv riverdriver.Driver[TTx], name string) error {
	m, err := rivermigrate.New(drv, nil)
	if err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}
	have, err := m.ExistingVersions(ctx)
	if err != nil {
		return fmt.Errorf("%s: read the schema version: %w", name, err)
	}
	if want := m.AllVersions(); len(have) < len(want) {
		return fmt.Errorf("%s holds an inbox of an older schema (%d of the %d River migrations this carik-inbox knows): "+
			"start the application of the same version first, which brings the schema up to date; carik-inbox changes no schema",
			name, len(have), len(want))
	}
	return nil
}
