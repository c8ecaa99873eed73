package inbox_test

import (
	"context"
	"errors"
	"net/http"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/CarikBot/carik-go/carik"
	"github.com/CarikBot/carik-go/carik/cariktest"
	"github.com/CarikBot/carik-go/inbox"
	"github.com/CarikBot/carik-go/inbox/internal/testdb"
)

// A body with odd spacing and key order: Postgres' jsonb would rewrite it.
var oddBody = []byte("{\"data\":  {\"status\": \"read\", \"message_id\": \"m-1\"},\n \"event\": \"message\", \"platform\": \"whatsapp\"}")

// The receiver answers 200 once the delivery is stored: exact bytes and headers.
func TestStoresDeliveryBeforeAnswering(t *testing.T) {
	t.Parallel()
	for _, kind := range testdb.Kinds {
		t.Run(kind, func(t *testing.T) {
			t.Parallel()
			ib := newInbox(t, openStore(t, kind), nil) // a receiver process: no workers
			h, signer := receiver(t, ib)
			header := signer.Sign(oddBody)
			res := cariktest.Deliver(h, oddBody, header)
			require.Equal(t, http.StatusOK, res.StatusCode)
			assert.Equal(t, map[string]int{inbox.StateAvailable: 1}, stats(t, ib))
			e, err := ib.Find(context.Background(), header.Get("Webhook-Id"))
			require.NoError(t, err)
			assert.Equal(t, oddBody, e.Body, "the exact bytes")
			assert.Equal(t, header.Get("Webhook-Signature"), e.Header.Get("Webhook-Signature"))
			assert.Equal(t, inbox.StateAvailable, e.State)
			got, err := ib.Get(context.Background(), e.JobID)
			require.NoError(t, err)
			assert.Equal(t, e.DeliveryID, got.DeliveryID)
			_, err = ib.Find(context.Background(), "nope")
			assert.ErrorIs(t, err, inbox.ErrNotFound)
			_, err = ib.Get(context.Background(), 1<<40)
			assert.ErrorIs(t, err, inbox.ErrNotFound)
		})
	}
}

// The worker runs the router with the same Delivery and the stored bytes, re-parsed.
func TestWorkerRunsRouterWithDelivery(t *testing.T) {
	t.Parallel()
	for _, kind := range testdb.Kinds {
		t.Run(kind, func(t *testing.T) {
			t.Parallel()
			type seen struct {
				d   carik.Delivery
				raw string
				id  string
				run inbox.Run
			}
			got := make(chan seen, 1)
			router := carik.NewRouter()
			router.OnMessage(func(ctx context.Context, e *carik.MessageEvent) error {
				d, _ := carik.DeliveryFrom(ctx)
				run, _ := inbox.RunFrom(ctx)
				got <- seen{d, string(e.Raw()), e.Data.MessageID, run}
				return nil
			})
			ib := newInbox(t, openStore(t, kind), router)
			h, signer := receiver(t, ib)
			header := signer.Sign(oddBody)
			header.Set("Webhook-Attempt", "2")
			require.Equal(t, http.StatusOK, cariktest.Deliver(h, oddBody, header).StatusCode)
			s := <-got
			assert.Equal(t, header.Get("Webhook-Id"), s.d.ID)
			assert.Equal(t, 2, s.d.Attempt)
			assert.Equal(t, header.Get("Webhook-Timestamp"), s.d.Header.Get("Webhook-Timestamp"))
			assert.False(t, s.d.Timestamp.IsZero())
			assert.Equal(t, string(oddBody), s.raw)
			assert.Equal(t, "m-1", s.id)
			assert.Equal(t, 1, s.run.Attempt)
			waitFor(t, "completed", func() bool { return stats(t, ib)[inbox.StateCompleted] == 1 })
		})
	}
}

// A delivery is stored once, whatever its state: pending, completed, or dead (River's
// default unique states leave dead ones out).
func TestDedupeAcrossAllStates(t *testing.T) {
	t.Parallel()
	for _, kind := range testdb.Kinds {
		t.Run(kind, func(t *testing.T) {
			t.Parallel()
			var failures atomic.Int32 // how many more runs fail
			failures.Store(1000)
			var runs sync.Map // delivery id -> *atomic.Int32
			router := carik.NewRouter()
			router.OnAny(func(ctx context.Context, _ carik.Event) error {
				d, _ := carik.DeliveryFrom(ctx)
				n, _ := runs.LoadOrStore(d.ID, new(atomic.Int32))
				n.(*atomic.Int32).Add(1)
				if failures.Add(-1) >= 0 {
					return errors.New("downstream is down")
				}
				return nil
			})
			store := openStore(t, kind)
			ib := newInbox(t, store, router, inbox.WithMaxAttempts(2))
			h, signer := receiver(t, ib)
			body := cariktest.Payload(carik.EventPayment)
			header := signer.Sign(body)
			id := header.Get("Webhook-Id")
			for range 3 {
				require.Equal(t, http.StatusOK, cariktest.Deliver(h, body, header).StatusCode)
			}
			waitFor(t, "dead", func() bool { return stats(t, ib)[inbox.StateDiscarded] == 1 })
			// Carik re-sends the dead delivery: still acknowledged, not stored again.
			require.Equal(t, http.StatusOK, cariktest.Deliver(h, body, header).StatusCode)
			assert.Equal(t, map[string]int{inbox.StateDiscarded: 1}, stats(t, ib))

			dead, err := ib.Dead(context.Background(), 10)
			require.NoError(t, err)
			require.Len(t, dead, 1)
			assert.Equal(t, id, dead[0].DeliveryID)
			require.Len(t, dead[0].Errors, 2, "one error per attempt")
			assert.Equal(t, 1, dead[0].Errors[0].Attempt)
			assert.Contains(t, dead[0].Errors[1].Error, "downstream is down")

			failures.Store(1) // the retried delivery fails once more: it has attempts left
			n, err := ib.RetryDead(context.Background())
			require.NoError(t, err)
			assert.Equal(t, 1, n)
			waitFor(t, "completed", func() bool { return stats(t, ib)[inbox.StateCompleted] == 1 })
			require.Equal(t, http.StatusOK, cariktest.Deliver(h, body, header).StatusCode)
			assert.Equal(t, map[string]int{inbox.StateCompleted: 1}, stats(t, ib))
			r, _ := runs.Load(id)
			assert.EqualValues(t, 4, r.(*atomic.Int32).Load(), "two failed attempts, then a failed and a successful one after the retry")
		})
	}
}

// Retries: a handler that fails twice succeeds on its third attempt, with backoff.
func TestRetriesUntilSuccess(t *testing.T) {
	t.Parallel()
	for _, kind := range testdb.Kinds {
		t.Run(kind, func(t *testing.T) {
			t.Parallel()
			var attempts []int
			var mu sync.Mutex
			router := carik.NewRouter()
			router.OnMessage(func(ctx context.Context, _ *carik.MessageEvent) error {
				run, _ := inbox.RunFrom(ctx)
				mu.Lock()
				defer mu.Unlock()
				attempts = append(attempts, run.Attempt)
				if run.Attempt < 3 {
					panic("flaky") // a panic counts as a failed attempt
				}
				return nil
			})
			ib := newInbox(t, openStore(t, kind), router, inbox.WithMaxAttempts(5))
			h, signer := receiver(t, ib)
			body := cariktest.Payload(carik.EventMessage)
			require.Equal(t, http.StatusOK, signer.Deliver(h, body).StatusCode)
			waitFor(t, "completed", func() bool { return stats(t, ib)[inbox.StateCompleted] == 1 })
			mu.Lock()
			assert.Equal(t, []int{1, 2, 3}, attempts)
			mu.Unlock()
			list, err := ib.List(context.Background(), inbox.StateCompleted, 10)
			require.NoError(t, err)
			require.Len(t, list, 1)
			require.Len(t, list[0].Errors, 2)
			assert.Contains(t, list[0].Errors[0].Error, "panicked: flaky")
		})
	}
}

// Token-verified deliveries have no webhook-id: the body's hash dedupes them.
func TestDedupeWithoutWebhookID(t *testing.T) {
	t.Parallel()
	ib := newInbox(t, openStore(t, "sqlite"), nil)
	h := carik.NewReceiver(ib, carik.WithVerifier(carik.TokenHeader("Token", "t0k")))
	body := cariktest.Payload(carik.EventDevice)
	for range 3 {
		require.Equal(t, http.StatusOK, cariktest.Deliver(h, body, http.Header{"Token": {"t0k"}}).StatusCode)
	}
	list, err := ib.List(context.Background(), "", 10)
	require.NoError(t, err)
	require.Len(t, list, 1)
	assert.Equal(t, carik.NewDelivery(nil, body).ID, list[0].DeliveryID)
}

// When the store fails, the receiver answers 500 so that the sender retries.
func TestStoreFailureIsNotAcknowledged(t *testing.T) {
	t.Parallel()
	for _, kind := range testdb.Kinds {
		t.Run(kind, func(t *testing.T) {
			t.Parallel()
			store := openStore(t, kind)
			ib := newInbox(t, store, nil)
			h, signer := receiver(t, ib)
			store.(interface{ Close() error }).Close()
			res := signer.Deliver(h, cariktest.Payload(carik.EventMessage))
			assert.Equal(t, http.StatusInternalServerError, res.StatusCode)
		})
	}
}

// A stored body the worker can no longer parse (its parse options changed) is not retried: it
// is dead at once, for the operator.
func TestUnparseableStoredDeliveryIsDead(t *testing.T) {
	t.Parallel()
	router := carik.NewRouter()
	router.OnAny(func(context.Context, carik.Event) error { t.Error("handler called"); return nil })
	ib := newInbox(t, openStore(t, "sqlite"), router, inbox.WithParseOptions(carik.ParseOptions{Strict: true}))
	body := []byte(`{"event": "order", "data": {"order_id": "O1"}}`) // unknown: refused in strict mode
	ev, err := carik.Parse(body)
	require.NoError(t, err)
	require.NoError(t, ib.Dispatch(context.Background(), ev)) // no Delivery in ctx: id from the body
	waitFor(t, "dead", func() bool { return stats(t, ib)[inbox.StateCancelled] == 1 })
	dead, err := ib.Dead(context.Background(), 10)
	require.NoError(t, err)
	require.Len(t, dead, 1)
	assert.Equal(t, carik.NewDelivery(nil, body).ID, dead[0].DeliveryID)
	require.Len(t, dead[0].Errors, 1)
	assert.Contains(t, dead[0].Errors[0].Error, "no longer parses")
}
