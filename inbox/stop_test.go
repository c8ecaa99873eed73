package inbox_test

import (
	"context"
	"net/http"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/CarikBot/carik-go/carik"
	"github.com/CarikBot/carik-go/carik/cariktest"
	"github.com/CarikBot/carik-go/inbox"
)

// Stop lets a running handler finish when it can, and otherwise cancels it so that its
// delivery is handled again by the next process.
func TestStopFinishesOrReleasesRunningDeliveries(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name      string
		handling  time.Duration // how long the handler takes unless cancelled
		stopAfter time.Duration // how long Stop waits
		want      string        // the delivery's state after Stop
	}{
		// Far apart, so that a loaded machine's scheduling delays cannot swap the outcomes
		// (CI once saw the 1 s handler finish inside a 100 ms grace period).
		{"finishes within the grace period", time.Second, 30 * time.Second, inbox.StateCompleted},
		{"released when the grace period ends", time.Minute, 100 * time.Millisecond, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			store := openStore(t, "sqlite")
			started := make(chan struct{}, 1)
			var cancelled atomic.Bool
			router := carik.NewRouter()
			router.OnAny(func(ctx context.Context, _ carik.Event) error {
				started <- struct{}{}
				select {
				case <-time.After(tt.handling):
					return nil
				case <-ctx.Done():
					cancelled.Store(true)
					return ctx.Err()
				}
			})
			ib, err := inbox.New(store, router, fast()...)
			require.NoError(t, err)
			require.NoError(t, ib.Start(context.Background()))
			h, signer := receiver(t, ib)
			require.Equal(t, http.StatusOK, signer.Deliver(h, cariktest.Payload(carik.EventMessage)).StatusCode)
			<-started
			ctx, cancel := context.WithTimeout(context.Background(), tt.stopAfter)
			defer cancel()
			require.NoError(t, ib.Stop(ctx))
			list, err := ib.List(context.Background(), "", 10)
			require.NoError(t, err)
			require.Len(t, list, 1)
			if tt.want != "" {
				assert.Equal(t, tt.want, list[0].State)
				assert.False(t, cancelled.Load())
				return
			}
			assert.True(t, cancelled.Load())
			assert.Contains(t, []string{inbox.StateAvailable, inbox.StateRetryable}, list[0].State)
			// The next process handles it.
			var handled atomic.Bool
			next := carik.NewRouter()
			next.OnAny(func(context.Context, carik.Event) error { handled.Store(true); return nil })
			newInbox(t, store, next)
			waitFor(t, "handled by the next process", handled.Load)
		})
	}
}

// As examples/inbox does: Start with the signal context, and on the signal Stop with a grace
// period. Cancelling Start's context must not cancel the running handler: it finishes.
func TestStartContextDoesNotStopWorkers(t *testing.T) {
	t.Parallel()
	store := openStore(t, "sqlite")
	started := make(chan struct{}, 1)
	var cancelled atomic.Bool
	router := carik.NewRouter()
	router.OnAny(func(ctx context.Context, _ carik.Event) error {
		started <- struct{}{}
		select {
		case <-time.After(2 * time.Second):
			return nil
		case <-ctx.Done():
			cancelled.Store(true)
			return ctx.Err()
		}
	})
	ib, err := inbox.New(store, router, fast()...)
	require.NoError(t, err)
	sigCtx, signal := context.WithCancel(context.Background())
	require.NoError(t, ib.Start(sigCtx))
	h, signer := receiver(t, ib)
	require.Equal(t, http.StatusOK, signer.Deliver(h, cariktest.Payload(carik.EventMessage)).StatusCode)
	<-started
	signal() // SIGTERM
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	require.NoError(t, ib.Stop(ctx))
	assert.False(t, cancelled.Load(), "the handler was cancelled instead of given the grace period")
	assert.Equal(t, map[string]int{inbox.StateCompleted: 1}, stats(t, ib))

	done, stop := context.WithCancel(context.Background())
	stop()
	assert.ErrorIs(t, ib.Start(done), context.Canceled, "a cancelled context does not start workers")
}
