package main

import (
	"context"
	"database/sql"
	"path/filepath"
	"testing"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/riverqueue/river/riverdriver/riverpgxv5"
	"github.com/riverqueue/river/riverdriver/riversqlite"
	"github.com/riverqueue/river/rivermigrate"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/CarikBot/carik-go/inbox/internal/testdb"
	"github.com/CarikBot/carik-go/inbox/sqlite"
)

// An inbox whose schema is older than this command's River is refused, not migrated: the
// operator's tool must not change the schema under a running application of an older
// version (the README says it migrates nothing; opening the store migrated it).
func TestRefusesAnOlderSchema(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	t.Run("sqlite", func(t *testing.T) {
		t.Parallel()
		path := filepath.Join(t.TempDir(), "inbox.db")
		s, err := sqlite.Open(ctx, path)
		require.NoError(t, err)
		require.NoError(t, s.Close())
		db, err := sql.Open("sqlite", sqlite.DSN(path))
		require.NoError(t, err)
		defer db.Close()
		m, err := rivermigrate.New(riversqlite.New(db), nil)
		require.NoError(t, err)
		_, err = m.Migrate(ctx, rivermigrate.DirectionDown, nil) // one step down
		require.NoError(t, err)
		before, err := m.ExistingVersions(ctx)
		require.NoError(t, err)

		code, out, errOut := carikInbox(t, nil, "-db", path, "stats")
		assert.Equal(t, 1, code)
		assert.Empty(t, out)
		assert.Contains(t, errOut, path+" holds an inbox of an older schema")
		after, err := m.ExistingVersions(ctx)
		require.NoError(t, err)
		assert.Equal(t, len(before), len(after), "not migrated")
	})
	t.Run("postgres", func(t *testing.T) {
		t.Parallel()
		url := testdb.PostgresURL(t)
		_, err := postgresOpen(t, url)
		require.NoError(t, err)
		pool, err := pgxpool.New(ctx, url)
		require.NoError(t, err)
		defer pool.Close()
		m, err := rivermigrate.New(riverpgxv5.New(pool), nil)
		require.NoError(t, err)
		_, err = m.Migrate(ctx, rivermigrate.DirectionDown, nil)
		require.NoError(t, err)
		before, err := m.ExistingVersions(ctx)
		require.NoError(t, err)

		code, _, errOut := carikInbox(t, map[string]string{"CARIK_DATABASE_URL": url}, "stats")
		assert.Equal(t, 1, code)
		assert.Contains(t, errOut, "CARIK_DATABASE_URL holds an inbox of an older schema")
		after, err := m.ExistingVersions(ctx)
		require.NoError(t, err)
		assert.Equal(t, len(before), len(after), "not migrated")
	})
}

// -db with a double slash names the file ("//data/inbox.db" was read as a URI authority).
func TestDoubleSlashPath(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "inbox.db")
	s, err := sqlite.Open(context.Background(), path)
	require.NoError(t, err)
	require.NoError(t, s.Close())
	code, out, errOut := carikInbox(t, nil, "-db", "/"+path, "stats")
	assert.Equal(t, 0, code, errOut)
	assert.Contains(t, out, "total")
}
