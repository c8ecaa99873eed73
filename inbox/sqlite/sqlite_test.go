package sqlite_test

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/CarikBot/carik-go/inbox/sqlite"
)

// Every connection gets the pragmas the inbox's guarantees rest on, whatever the path holds.
func TestPragmasOnTheConnection(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "a b?c#d%e.db")
	s, err := sqlite.Open(context.Background(), path)
	require.NoError(t, err)
	defer s.Close()
	db := sqlite.DB(s)
	assert.Equal(t, 1, db.Stats().MaxOpenConnections)
	for pragma, want := range map[string]string{"journal_mode": "wal", "synchronous": "2", "busy_timeout": "10000"} {
		var got string
		require.NoError(t, db.QueryRow("PRAGMA "+pragma).Scan(&got))
		assert.Equal(t, want, got, pragma)
	}
	var seq int
	var name, file string
	require.NoError(t, db.QueryRow("PRAGMA database_list").Scan(&seq, &name, &file))
	assert.Equal(t, path, file, "the path is taken literally")
}

// A file the process cannot write is refused by Open, naming it. SQLite opens a read-only
// file read-only without a word: Open succeeded, and every delivery then got a 500 ("attempt
// to write a readonly database").
func TestOpenRefusesAReadOnlyFile(t *testing.T) {
	t.Parallel()
	if os.Geteuid() == 0 {
		t.Skip("root writes read-only files: run as another user")
	}
	for _, tt := range []struct {
		name           string
		file, dir      os.FileMode
		leaveWALBehind bool // as a process that died without closing does
	}{
		{"read-only file", 0o444, 0o755, false},
		{"read-only file and directory, -wal and -shm left", 0o444, 0o555, true},
		{"read-only directory", 0o644, 0o555, false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			dir := filepath.Join(t.TempDir(), "inbox")
			require.NoError(t, os.Mkdir(dir, 0o755))
			path := filepath.Join(dir, "inbox.db")
			s, err := sqlite.Open(context.Background(), path)
			require.NoError(t, err)
			if !tt.leaveWALBehind {
				require.NoError(t, s.Close())
			}
			require.NoError(t, os.Chmod(path, tt.file))
			require.NoError(t, os.Chmod(dir, tt.dir))
			t.Cleanup(func() { os.Chmod(dir, 0o755) })
			_, err = sqlite.Open(context.Background(), path)
			require.Error(t, err)
			assert.Contains(t, err.Error(), "carik: inbox: open "+path+": ")
			assert.Contains(t, err.Error(), "read-only")
			if tt.leaveWALBehind {
				s.Close()
			}
		})
	}
}

// Open names the file it could not open.
func TestOpenErrorNamesTheFile(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "no such dir", "inbox.db")
	_, err := sqlite.Open(context.Background(), path)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "carik: inbox: open "+path+": ")
	_, statErr := os.Stat(path)
	assert.ErrorIs(t, statErr, os.ErrNotExist)
}

// A path that names no file on disk is refused: "" opened a temporary database deleted on
// close and ":memory:" one in memory, so that an unset variable (sqlite.Open(ctx,
// os.Getenv("INBOX_DB"))) acknowledged deliveries that a restart lost. A path with a double
// slash names its file ("//data/inbox.db" failed with "invalid uri authority").
func TestOpenPaths(t *testing.T) {
	t.Parallel()
	for _, path := range []string{"", ":memory:"} {
		_, err := sqlite.Open(context.Background(), path)
		require.Error(t, err, "%q", path)
		assert.Contains(t, err.Error(), "carik: inbox: ")
		assert.Contains(t, err.Error(), "not a file")
	}
	dir := t.TempDir()
	s, err := sqlite.Open(context.Background(), "/"+dir+"//inbox.db")
	require.NoError(t, err)
	require.NoError(t, s.Close())
	assert.FileExists(t, filepath.Join(dir, "inbox.db"))
}

// OpenReadOnly reads an inbox and writes nothing: a write through it fails, and the file is
// byte for byte what it was.
func TestOpenReadOnlyWritesNothing(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "inbox.db")
	s, err := sqlite.Open(ctx, path)
	require.NoError(t, err)
	require.NoError(t, s.Close())
	before, err := os.ReadFile(path)
	require.NoError(t, err)

	ro, err := sqlite.OpenReadOnly(ctx, path)
	require.NoError(t, err)
	counts, err := ro.Counts(ctx)
	require.NoError(t, err)
	assert.Empty(t, counts)
	_, err = sqlite.DB(ro).ExecContext(ctx, "PRAGMA user_version = 7")
	assert.ErrorContains(t, err, "readonly")
	require.NoError(t, ro.Close())

	after, err := os.ReadFile(path)
	require.NoError(t, err)
	assert.Equal(t, before, after)

	_, err = sqlite.OpenReadOnly(ctx, filepath.Join(t.TempDir(), "none.db"))
	assert.ErrorContains(t, err, "none.db", "a missing file is not created")
}
