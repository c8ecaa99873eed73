package inbox_test

import (
	"context"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/CarikBot/carik-go/carik"
	"github.com/CarikBot/carik-go/carik/cariktest"
	"github.com/CarikBot/carik-go/inbox"
	"github.com/CarikBot/carik-go/inbox/internal/testdb"
)

// Delivery ids and header values that are not valid UTF-8 are stored exactly: two ids that
// differ only in such bytes are two deliveries (JSON would make both "msg_\uFFFD"), and the
// handler sees the receiver's Delivery byte for byte.
func TestNonTextIDsAndHeadersAreKeptExactly(t *testing.T) {
	t.Parallel()
	for _, kind := range testdb.Kinds {
		t.Run(kind, func(t *testing.T) {
			t.Parallel()
			var mu sync.Mutex
			seen := map[string]carik.Delivery{}
			router := carik.NewRouter()
			router.OnAny(func(ctx context.Context, _ carik.Event) error {
				d, _ := carik.DeliveryFrom(ctx)
				mu.Lock()
				defer mu.Unlock()
				seen[d.ID] = d
				return nil
			})
			ib := newInbox(t, openStore(t, kind), router)
			h, signer := receiver(t, ib)
			ids := []string{"msg_\xff", "msg_\xfe", "msg_\uFFFD"}
			for i, id := range ids {
				body := cariktest.Payload(carik.EventMessage, cariktest.Set("/data/message_id", "m"+string(rune('0'+i))))
				header := signer.SignAt(id, time.Now(), body)
				header.Set("X-Note", id[4:]+"\tend")
				require.Equal(t, http.StatusOK, cariktest.Deliver(h, body, header).StatusCode, "%q", id)
			}
			waitFor(t, "all handled", func() bool { return stats(t, ib)[inbox.StateCompleted] == len(ids) })
			mu.Lock()
			defer mu.Unlock()
			require.Len(t, seen, len(ids))
			for _, id := range ids {
				d, ok := seen[id]
				require.True(t, ok, "%q not handled; saw %q", id, keys(seen))
				assert.Equal(t, id, d.Header.Get("Webhook-Id"))
				assert.Equal(t, id[4:]+"\tend", d.Header.Get("X-Note"))
				e, err := ib.Find(context.Background(), id)
				require.NoError(t, err, "%q", id)
				assert.Equal(t, id, e.DeliveryID)
				assert.Equal(t, id[4:]+"\tend", e.Header.Get("X-Note"))
			}
			_, err := ib.Find(context.Background(), "msg_\xfd")
			assert.ErrorIs(t, err, inbox.ErrNotFound)
		})
	}
}

func keys(m map[string]carik.Delivery) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	return out
}

// WithRedactedHeaders adds header names to the credentials the inbox does not store.
func TestWithRedactedHeaders(t *testing.T) {
	t.Parallel()
	ib := newInbox(t, openStore(t, "sqlite"), nil, inbox.WithRedactedHeaders("X-Shop-Salt"))
	h, signer := receiver(t, ib)
	body := cariktest.Payload(carik.EventMessage)
	header := signer.Sign(body)
	header.Set("X-Shop-Salt", "pepper")
	header.Set("X-Carik-Auth", "k")
	require.Equal(t, http.StatusOK, cariktest.Deliver(h, body, header).StatusCode)
	e, err := ib.Find(context.Background(), header.Get("Webhook-Id"))
	require.NoError(t, err)
	assert.Equal(t, "[redacted]", e.Header.Get("X-Shop-Salt"))
	assert.Equal(t, "[redacted]", e.Header.Get("X-Carik-Auth"))
}

// Dead lists discarded and cancelled deliveries together in the order they died, so that a
// limit shows the oldest of both.
func TestDeadInOrderOfDeath(t *testing.T) {
	t.Parallel()
	router := carik.NewRouter()
	router.OnAny(func(context.Context, carik.Event) error { return assert.AnError })
	ib := newInbox(t, openStore(t, "sqlite"), router, inbox.WithMaxAttempts(1), inbox.WithParseOptions(carik.ParseOptions{Strict: true}))
	unknown := []byte(`{"event": "order", "data": {"order_id": "O1"}}`) // refused by the worker in strict mode
	ev, err := carik.Parse(unknown)
	require.NoError(t, err)
	require.NoError(t, ib.Dispatch(context.Background(), ev))
	waitFor(t, "cancelled", func() bool { return stats(t, ib)[inbox.StateCancelled] == 1 })
	h, signer := receiver(t, ib)
	require.Equal(t, http.StatusOK, signer.Deliver(h, cariktest.Payload(carik.EventMessage)).StatusCode)
	waitFor(t, "discarded", func() bool { return stats(t, ib)[inbox.StateDiscarded] == 1 })

	dead, err := ib.Dead(context.Background(), 10)
	require.NoError(t, err)
	require.Len(t, dead, 2)
	assert.Equal(t, []string{inbox.StateCancelled, inbox.StateDiscarded}, []string{dead[0].State, dead[1].State})
	first, err := ib.Dead(context.Background(), 1)
	require.NoError(t, err)
	require.Len(t, first, 1)
	assert.Equal(t, inbox.StateCancelled, first[0].State, "the oldest dead delivery")
}
