package carik_test

import (
	"context"
	"errors"
	"net/http"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/CarikBot/carik-go/carik"
	"github.com/CarikBot/carik-go/carik/cariktest"
)

// trace returns a middleware that records its name before and after the rest of the chain.
func trace(name string, log *[]string) carik.Middleware {
	return func(next carik.Dispatcher) carik.Dispatcher {
		return carik.DispatchFunc(func(ctx context.Context, e carik.Event) error {
			*log = append(*log, name+">")
			err := next.Dispatch(ctx, e)
			*log = append(*log, "<"+name)
			return err
		})
	}
}

func TestRouterUseWrapsEveryDispatchOnce(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		body string
		want []string
	}{
		{"event with a handler", messageBody, []string{"a>", "b>", "message", "<b", "<a"}},
		{"event without a handler", deviceBody, []string{"a>", "b>", "<b", "<a"}},
		{"unknown event", unknownBody, []string{"a>", "b>", "<b", "<a"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var log []string
			r := carik.NewRouter()
			r.OnMessage(func(context.Context, *carik.MessageEvent) error {
				log = append(log, "message")
				return nil
			})
			r.Use(trace("a", &log), nil)
			r.Use(trace("b", &log))
			require.NoError(t, r.Dispatch(context.Background(), mustParse(t, tt.body)))
			assert.Equal(t, tt.want, log)
		})
	}
}

func TestRouterMiddlewareCanStopAndSeeErrors(t *testing.T) {
	t.Parallel()
	boom := errors.New("boom")
	var seen error
	r := carik.NewRouter()
	r.OnMessage(func(context.Context, *carik.MessageEvent) error { return boom })
	r.Use(func(next carik.Dispatcher) carik.Dispatcher {
		return carik.DispatchFunc(func(ctx context.Context, e carik.Event) error {
			if e.Type() == carik.EventDevice {
				return nil // stop: the rest of the chain never runs
			}
			seen = next.Dispatch(ctx, e)
			return seen
		})
	})
	assert.ErrorIs(t, r.Dispatch(context.Background(), mustParse(t, messageBody)), boom)
	assert.ErrorIs(t, seen, boom)
	seen = nil
	assert.NoError(t, r.Dispatch(context.Background(), mustParse(t, deviceBody)))
	assert.NoError(t, seen)
	assert.ErrorIs(t, r.Dispatch(context.Background(), nil), carik.ErrNilEvent)
}

func TestRouterOnAny(t *testing.T) {
	t.Parallel()
	var got []string
	r := carik.NewRouter()
	r.OnMessage(func(context.Context, *carik.MessageEvent) error {
		got = append(got, "message")
		return nil
	})
	r.OnAny(func(_ context.Context, e carik.Event) error {
		got = append(got, "any "+string(e.Type()))
		return nil
	})
	for _, body := range []string{messageBody, deviceBody, unknownBody} {
		require.NoError(t, r.Dispatch(context.Background(), mustParse(t, body)))
	}
	r.OnUnknown(func(_ context.Context, e *carik.UnknownEvent) error {
		got = append(got, "unknown "+string(e.Type()))
		return nil
	})
	require.NoError(t, r.Dispatch(context.Background(), mustParse(t, unknownBody)))
	r.OnAny(nil)
	require.NoError(t, r.Dispatch(context.Background(), mustParse(t, paymentBody)))
	assert.Equal(t, []string{"message", "any device", "any order", "unknown order"}, got)
}

// dedupe is the README's dedupe middleware: it skips a delivery whose id was already handled.
func dedupe(seen *sync.Map) carik.Middleware {
	return func(next carik.Dispatcher) carik.Dispatcher {
		return carik.DispatchFunc(func(ctx context.Context, e carik.Event) error {
			d, _ := carik.DeliveryFrom(ctx)
			if _, dup := seen.Load(d.ID); dup {
				return nil
			}
			if err := next.Dispatch(ctx, e); err != nil {
				return err // not recorded: the retry runs the handler again
			}
			seen.Store(d.ID, true)
			return nil
		})
	}
}

func TestDedupeMiddlewareThroughReceiver(t *testing.T) {
	t.Parallel()
	secret := cariktest.NewSecret()
	v, err := carik.StandardWebhooks(secret)
	require.NoError(t, err)
	var handled []string
	fail := true
	r := carik.NewRouter()
	r.Use(dedupe(&sync.Map{}))
	r.OnMessage(func(ctx context.Context, e *carik.MessageEvent) error {
		if fail {
			fail = false
			return errors.New("database down")
		}
		d, _ := carik.DeliveryFrom(ctx)
		handled = append(handled, d.ID)
		return nil
	})
	h := carik.NewReceiver(r, carik.WithVerifier(v))
	signer := cariktest.NewSigner(secret)
	body := []byte(messageBody)
	header := signer.Sign(body)
	var statuses []int
	for range 3 { // Carik retries with the same webhook-id
		statuses = append(statuses, cariktest.Deliver(h, body, header).StatusCode)
	}
	other := signer.Sign(body) // a new delivery of the same payload
	statuses = append(statuses, cariktest.Deliver(h, body, other).StatusCode)
	assert.Equal(t, []int{http.StatusInternalServerError, http.StatusOK, http.StatusOK, http.StatusOK}, statuses)
	assert.Equal(t, []string{header.Get("Webhook-Id"), other.Get("Webhook-Id")}, handled)
}
