package main

import (
	"bytes"
	"context"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/CarikBot/carik-go/carik"
	"github.com/CarikBot/carik-go/carik/cariktest"
	"github.com/CarikBot/carik-go/inbox"
	"github.com/CarikBot/carik-go/inbox/internal/testdb"
	"github.com/CarikBot/carik-go/inbox/sqlite"
)

// A -db that names no inbox is an error, and nothing is created or migrated.
func TestRefusesWhatIsNotAnInbox(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	missing := filepath.Join(dir, "typo.db")
	code, out, errOut := carikInbox(t, nil, "-db", missing, "stats")
	assert.Equal(t, 1, code)
	assert.Empty(t, out)
	assert.Contains(t, errOut, "no inbox at "+missing)
	assert.NoFileExists(t, missing)

	empty := filepath.Join(dir, "empty.db")
	require.NoError(t, os.WriteFile(empty, nil, 0o600))
	code, _, errOut = carikInbox(t, nil, "-db", empty, "stats")
	assert.Equal(t, 1, code)
	assert.Contains(t, errOut, "is not an inbox")
	info, err := os.Stat(empty)
	require.NoError(t, err)
	assert.Zero(t, info.Size(), "not migrated")

	t.Run("postgres", func(t *testing.T) {
		t.Parallel()
		code, _, errOut := carikInbox(t, map[string]string{"CARIK_DATABASE_URL": testdb.PostgresURL(t)}, "stats")
		assert.Equal(t, 1, code)
		assert.Contains(t, errOut, "holds no inbox")
	})
}

// Ids, headers, bodies and errors come from the sender: printed escaped, and cut when long.
func TestShowEscapesAndCutsUntrustedText(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "inbox.db")
	store, err := sqlite.Open(context.Background(), path)
	require.NoError(t, err)
	defer store.Close()
	ib, err := inbox.New(store, nil)
	require.NoError(t, err)
	body := cariktest.Payload(carik.EventMessage, cariktest.Set("/data/message_id", "\u202eevil\x1b[2J"))
	id := "msg_\xff\u202e"
	header := http.Header{"Webhook-Id": {id}, "X-Note": {"a\tb\x9b\n"}, "X-Long": {strings.Repeat("L", 5000)}}
	ev, err := carik.Parse(body)
	require.NoError(t, err)
	require.NoError(t, ib.Dispatch(carik.ContextWithDelivery(context.Background(), carik.NewDelivery(header, body)), ev))
	e, err := ib.Find(context.Background(), id)
	require.NoError(t, err)

	code, out, _ := carikInbox(t, nil, "-db", path, "show", strconv.FormatInt(e.JobID, 10))
	require.Equal(t, 0, code)
	assert.Contains(t, out, `delivery:  msg_\xff\u202e`)
	assert.Contains(t, out, `X-Note: a\tb\x9b\n`)
	assert.Contains(t, out, `"message_id":"\u202eevil\\u001b[2J"`, "the bidi override escaped, the backslash doubled")
	assert.Regexp(t, `X-Long: L{300}… \(4700 more bytes\)`, out)
	for _, raw := range []string{"\xff", "\u202e", "\x1b", "\x9b", "\t"} {
		assert.NotContains(t, out, raw)
	}
}

// dead counts every dead delivery, not just those shown; retry refuses a completed delivery
// unless -force.
func TestDeadCountAndRetryOfCompleted(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "inbox.db")
	store, err := sqlite.Open(context.Background(), path)
	require.NoError(t, err)
	defer store.Close()
	ib, heal := deadDeliveries(t, store)
	code, out, _ := carikInbox(t, nil, "-db", path, "dead", "-limit", "1")
	require.Equal(t, 0, code)
	assert.Contains(t, out, "2 dead, the first 1 shown")

	heal()
	e, err := ib.Find(context.Background(), "msg_dead0")
	require.NoError(t, err)
	require.NoError(t, ib.Retry(context.Background(), e.JobID))
	deadline := time.Now().Add(30 * time.Second)
	for e.State != inbox.StateCompleted {
		require.True(t, time.Now().Before(deadline), "not completed")
		time.Sleep(20 * time.Millisecond)
		e, err = ib.Get(context.Background(), e.JobID)
		require.NoError(t, err)
	}
	job := strconv.FormatInt(e.JobID, 10)
	code, out, errOut := carikInbox(t, nil, "-db", path, "retry", job)
	assert.Equal(t, 1, code)
	assert.Empty(t, out)
	assert.Contains(t, errOut, "was handled (completed): retry -force "+job)
	code, out, _ = carikInbox(t, nil, "-db", path, "retry", "-force", job)
	assert.Equal(t, 0, code)
	assert.Equal(t, "retried "+job+"\n", out)
}

// The list and the counts are two reads while deliveries die: the report must never say that
// fewer were shown than exist when the list was not cut by its limit (CI saw "20 dead, the
// first 19 shown" when the 20th died between the reads).
func TestDeadTotalAgreesWithTheList(t *testing.T) {
	t.Parallel()
	for _, c := range []struct{ listed, limit, counted, want int }{
		{19, 1000, 20, 19}, // one died after the list was read: the list is the whole set
		{20, 1000, 19, 20}, // one died after the count
		{2, 2, 5, 5},       // cut by the limit: the count tells how many more
		{2, 2, 1, 2},       // cut by the limit, count read before more died
		{0, 10, 3, 0},      // retried between the reads
	} {
		assert.Equal(t, c.want, deadTotal(c.listed, c.limit, c.counted), "%+v", c)
	}
}

// help and a misspelt command answer before any store is opened: no database is needed, none
// is created, and the answer is the usage, not a database error.
func TestHelpAndUnknownCommandsOpenNoStore(t *testing.T) {
	t.Parallel()
	missing := filepath.Join(t.TempDir(), "none.db")
	code, out, errOut := carikInbox(t, nil, "-db", missing, "help")
	assert.Equal(t, 0, code)
	assert.Contains(t, out, "usage: carik-inbox")
	assert.Empty(t, errOut)

	code, out, errOut = carikInbox(t, nil, "-db", missing, "stast")
	assert.Equal(t, 2, code)
	assert.Empty(t, out)
	assert.Contains(t, errOut, `carik-inbox: unknown command "stast"`)
	assert.Contains(t, errOut, "usage: carik-inbox")
	assert.NotContains(t, errOut, "no inbox")
	assert.NoFileExists(t, missing)
}

// stats, dead and show only read: the inbox file is byte for byte what it was, so they work on
// a file the operator cannot write (a backup, a read-only mount). They used to open the store
// for writing, and a read-only file was refused.
func TestReadCommandsWriteNothing(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "inbox.db")
	store, err := sqlite.Open(context.Background(), path)
	require.NoError(t, err)
	ib, _ := deadDeliveries(t, store)
	require.NoError(t, ib.Stop(context.Background()))
	require.NoError(t, store.Close())
	before, err := os.ReadFile(path)
	require.NoError(t, err)
	for _, args := range [][]string{{"stats"}, {"dead"}, {"show", "msg_dead0"}} {
		code, out, errOut := carikInbox(t, nil, append([]string{"-db", path}, args...)...)
		require.Equal(t, 0, code, "%v: %s", args, errOut)
		assert.NotEmpty(t, out)
		after, err := os.ReadFile(path)
		require.NoError(t, err)
		assert.True(t, bytes.Equal(before, after), "%v changed the file", args)
	}
}
