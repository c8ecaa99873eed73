// Package testdb gives inbox tests real databases: a fresh SQLite file, or a fresh database
// on the Postgres server named by CARIK_TEST_POSTGRES_URL.
package testdb

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"net/url"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
)

// PostgresEnv names the variable holding the URL of a Postgres server tests may create
// databases on; RequireEnv, set to 1, makes its absence a failure instead of a skip.
const (
	PostgresEnv = "CARIK_TEST_POSTGRES_URL"
	RequireEnv  = "CARIK_REQUIRE_POSTGRES"
)

// Kinds are the store kinds tests run on.
var Kinds = []string{"sqlite", "postgres"}

// SQLitePath returns the path of a new SQLite file in a temporary directory.
func SQLitePath(t testing.TB) string {
	return filepath.Join(t.TempDir(), "inbox.db")
}

// PostgresURL creates an empty database and returns its URL; it is dropped when the test
// ends. Without CARIK_TEST_POSTGRES_URL the test is skipped, or fails when
// CARIK_REQUIRE_POSTGRES=1.
func PostgresURL(t testing.TB) string {
	t.Helper()
	server := os.Getenv(PostgresEnv)
	if server == "" {
		if os.Getenv(RequireEnv) == "1" {
			t.Fatalf("%s is not set but %s=1: the Postgres tests must run", PostgresEnv, RequireEnv)
		}
		t.Skipf("Postgres tests skipped: set %s to a server URL (postgres://...) to run them", PostgresEnv)
	}
	b := make([]byte, 6)
	rand.Read(b)
	name := "carik_test_" + hex.EncodeToString(b)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	conn, err := pgx.Connect(ctx, server)
	if err != nil {
		t.Fatalf("connect to %s: %v", PostgresEnv, err)
	}
	defer conn.Close(ctx)
	if _, err := conn.Exec(ctx, "CREATE DATABASE "+name); err != nil {
		t.Fatalf("create database: %v", err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		if conn, err := pgx.Connect(ctx, server); err == nil {
			conn.Exec(ctx, "DROP DATABASE IF EXISTS "+name+" WITH (FORCE)")
			conn.Close(ctx)
		}
	})
	u, err := url.Parse(server)
	if err != nil {
		t.Fatalf("parse %s: %v", PostgresEnv, err)
	}
	u.Path = "/" + name
	return u.String()
}
