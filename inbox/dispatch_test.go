package inbox_test

import (
	"context"
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/CarikBot/carik-go/carik"
	"github.com/CarikBot/carik-go/carik/cariktest"
	"github.com/CarikBot/carik-go/inbox"
)

// A Delivery without an ID in the context (one an application built itself, around its own
// HTTP handler) gets the body's ID, as without a Delivery: stored under the empty ID, every
// such delivery after the first was taken for a duplicate of it, acknowledged and lost.
func TestDeliveryWithoutIDIsKeyedOnTheBody(t *testing.T) {
	t.Parallel()
	ib := newInbox(t, openStore(t, "sqlite"), nil)
	ctx := carik.ContextWithDelivery(context.Background(), carik.Delivery{Header: http.Header{"X-Request-Id": {"r1"}}, Attempt: 2})
	var bodies [][]byte
	for _, id := range []string{"m-1", "m-2"} {
		body := cariktest.Payload(carik.EventMessage, cariktest.Set("/data/message_id", id))
		bodies = append(bodies, body)
		ev, err := carik.Parse(body)
		require.NoError(t, err)
		require.NoError(t, ib.Dispatch(ctx, ev))
		require.NoError(t, ib.Dispatch(ctx, ev)) // a re-sent copy: still deduped
	}
	assert.Equal(t, map[string]int{inbox.StateAvailable: 2}, stats(t, ib))
	for _, body := range bodies {
		e, err := ib.Find(context.Background(), carik.NewDelivery(nil, body).ID)
		require.NoError(t, err, "stored under the body's id")
		assert.Equal(t, "r1", e.Header.Get("X-Request-Id"), "the rest of the Delivery is kept")
	}
}

// An event built by hand (not by carik.Parse) has no bytes to store: Dispatch refuses it.
// It stored the empty body under the empty body's hash: the first died unparseable and every
// later one was taken for its duplicate, acknowledged with nil and lost.
func TestEventWithoutBytesIsRefused(t *testing.T) {
	t.Parallel()
	ib := newInbox(t, openStore(t, "sqlite"), nil)
	for _, id := range []string{"m-1", "m-2"} {
		ev := &carik.MessageEvent{Data: carik.MessageData{MessageID: id}}
		err := ib.Dispatch(context.Background(), ev)
		require.Error(t, err)
		assert.Contains(t, err.Error(), "carik: inbox: ")
		assert.Contains(t, err.Error(), "carik.Parse")
	}
	assert.Empty(t, stats(t, ib), "nothing stored")
}
