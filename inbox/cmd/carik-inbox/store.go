package main

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"os"

	"github.com/jackc/pgx/v5"
)

// existing checks that the store holds an inbox before it is opened: opening creates a missing
// SQLite file and migrates whatever database it is given, and an operator's typo in -db
// would otherwise show an empty inbox ("total 0") and leave a new file or River's tables
// behind.
func existing(ctx context.Context, path, dbURL string) error {
	if dbURL != "" {
		conn, err := pgx.Connect(ctx, dbURL)
		if err != nil {
			return fmt.Errorf("connect to CARIK_DATABASE_URL: %w", err)
		}
		defer conn.Close(ctx)
		var ok bool
		if err := conn.QueryRow(ctx, `SELECT to_regclass('river_job') IS NOT NULL`).Scan(&ok); err != nil {
			return fmt.Errorf("CARIK_DATABASE_URL: %w", err)
		}
		if !ok {
			return errors.New("CARIK_DATABASE_URL: the database holds no inbox (no river_job table)")
		}
		return nil
	}
	if _, err := os.Stat(path); err != nil {
		return fmt.Errorf("no inbox at %s: %w (-db names the inbox's SQLite file)", path, err)
	}
	db, err := sql.Open("sqlite", "file:"+(&url.URL{Path: path}).EscapedPath()+"?mode=ro")
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
	return nil
}
