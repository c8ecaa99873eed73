package inbox_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/CarikBot/carik-go/carik"
	"github.com/CarikBot/carik-go/carik/cariktest"
	"github.com/CarikBot/carik-go/inbox"
	"github.com/CarikBot/carik-go/inbox/internal/testdb"
)

// Retry gives a dead delivery a fresh set of attempts (River's own retry gives one more).
func TestRetryGivesFreshAttempts(t *testing.T) {
	t.Parallel()
	for _, kind := range testdb.Kinds {
		t.Run(kind, func(t *testing.T) {
			t.Parallel()
			var runs atomic.Int32
			router := carik.NewRouter()
			router.OnAny(func(context.Context, carik.Event) error {
				runs.Add(1)
				return errors.New("down")
			})
			ib := newInbox(t, openStore(t, kind), router, inbox.WithMaxAttempts(3))
			h, signer := receiver(t, ib)
			require.Equal(t, http.StatusOK, signer.Deliver(h, cariktest.Payload(carik.EventMessage)).StatusCode)
			waitFor(t, "dead", func() bool { return stats(t, ib)[inbox.StateDiscarded] == 1 })
			dead, err := ib.Dead(context.Background(), 10)
			require.NoError(t, err)
			require.Len(t, dead, 1)
			assert.Equal(t, 3, dead[0].Attempt)

			require.NoError(t, ib.Retry(context.Background(), dead[0].JobID))
			waitFor(t, "dead again", func() bool {
				e, err := ib.Get(context.Background(), dead[0].JobID)
				require.NoError(t, err)
				return e.State == inbox.StateDiscarded && e.Attempt > 3
			})
			e, err := ib.Get(context.Background(), dead[0].JobID)
			require.NoError(t, err)
			assert.Equal(t, 6, e.Attempt, "three more attempts")
			assert.Equal(t, 6, e.MaxAttempts)
			assert.EqualValues(t, 6, runs.Load())
			assert.Len(t, e.Errors, 6)
		})
	}
}

// RetryDead retries the deliveries that were dead when it was called, once each: one that dies
// again while it runs (here at once, its body no longer parses) is not retried again, which
// made `carik-inbox retry -all` loop while the workers ran (390 retries for 200 dead ones).
func TestRetryDeadRetriesEachOnce(t *testing.T) {
	t.Parallel()
	for _, kind := range testdb.Kinds {
		t.Run(kind, func(t *testing.T) {
			t.Parallel()
			router := carik.NewRouter()
			router.OnAny(func(context.Context, carik.Event) error { return nil })
			ib := newInbox(t, openStore(t, kind), router, inbox.WithParseOptions(carik.ParseOptions{Strict: true}))
			const n = 50 // each retry is a few fsynced writes on SQLite, shared with the workers
			for i := range n {
				body := fmt.Appendf(nil, `{"event": "order", "data": {"order_id": "O%d"}}`, i) // refused in strict mode
				ev, err := carik.Parse(body)
				require.NoError(t, err)
				require.NoError(t, ib.Dispatch(context.Background(), ev))
			}
			waitFor(t, "dead", func() bool { return stats(t, ib)[inbox.StateCancelled] == n })
			ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute) // -race on a loaded machine
			defer cancel()
			retried, err := ib.RetryDead(ctx)
			require.NoError(t, err)
			assert.Equal(t, n, retried)
		})
	}
}

// A retried delivery's backoff starts again from the shortest wait: it counted every error
// the delivery ever had, so after a retry each failure waited the longest (an hour by
// default) and the "fresh" attempts spanned a day instead of hours.
func TestRetriedDeliveryBacksOffFromTheStart(t *testing.T) {
	t.Parallel()
	for _, kind := range testdb.Kinds {
		t.Run(kind, func(t *testing.T) {
			t.Parallel()
			router := carik.NewRouter()
			router.OnAny(func(context.Context, carik.Event) error { return errors.New("down") })
			ib, err := inbox.New(openStore(t, kind), router, append(fast(), inbox.WithMaxAttempts(4),
				inbox.WithBackoff(200*time.Millisecond, time.Hour))...)
			require.NoError(t, err)
			require.NoError(t, ib.Start(context.Background()))
			t.Cleanup(func() { ib.Stop(context.Background()) })
			h, signer := receiver(t, ib)
			require.Equal(t, http.StatusOK, signer.Deliver(h, cariktest.Payload(carik.EventMessage)).StatusCode)
			waitFor(t, "dead", func() bool { return stats(t, ib)[inbox.StateDiscarded] == 1 })
			dead, err := ib.Dead(context.Background(), 1)
			require.NoError(t, err)
			require.NoError(t, ib.Retry(context.Background(), dead[0].JobID))
			var e *inbox.Entry
			waitFor(t, "two failures after the retry", func() bool {
				e, err = ib.Get(context.Background(), dead[0].JobID)
				require.NoError(t, err)
				return len(e.Errors) >= 6
			})
			// The wait after the first failure of the new set: 100 to 200 ms, as for a new
			// delivery (counting all five errors it was 1.6 to 3.2 s). The bound leaves a
			// loaded machine a second of scheduling delay.
			gap := e.Errors[5].At.Sub(e.Errors[4].At)
			assert.Less(t, gap, 1200*time.Millisecond, "wait after the first failure of the retried set")
		})
	}
}
