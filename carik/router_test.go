package carik_test

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/CarikBot/carik-go/carik"
)

func mustParse(t testing.TB, body string) carik.Event {
	t.Helper()
	ev, err := carik.Parse([]byte(body))
	require.NoError(t, err)
	return ev
}

const (
	messageBody = `{"event": "message", "data": {"message_id": "m1", "status": "read"}}`
	deviceBody  = `{"event": "device", "data": {"device_id": "D1", "status": "connected"}}`
	paymentBody = `{"event": "payment", "data": {"transaction_id": "T1"}}`
	moduleBody  = `{"event": "module", "data": {"module": "survey"}}`
	unknownBody = `{"event": "order", "data": {"order_id": "O1"}}`
)

func TestRouterDispatchesByType(t *testing.T) {
	t.Parallel()
	var got []string
	r := carik.NewRouter()
	r.OnMessage(func(_ context.Context, e *carik.MessageEvent) error {
		got = append(got, "message "+e.Data.MessageID)
		return nil
	})
	r.OnDevice(func(_ context.Context, e *carik.DeviceEvent) error {
		got = append(got, "device "+e.Data.DeviceID)
		return nil
	})
	r.OnPayment(func(_ context.Context, e *carik.PaymentEvent) error {
		got = append(got, "payment "+e.Data.TransactionID)
		return nil
	})
	r.OnModule(func(_ context.Context, e *carik.ModuleEvent) error {
		got = append(got, "module "+e.Data["module"].(string))
		return nil
	})
	r.OnUnknown(func(_ context.Context, e *carik.UnknownEvent) error {
		got = append(got, "unknown "+string(e.Type()))
		return nil
	})
	for _, body := range []string{messageBody, deviceBody, paymentBody, moduleBody, unknownBody} {
		require.NoError(t, r.Dispatch(context.Background(), mustParse(t, body)))
	}
	assert.Equal(t, []string{"message m1", "device D1", "payment T1", "module survey", "unknown order"}, got)
}

func TestRouterWithoutHandlerAcknowledges(t *testing.T) {
	t.Parallel()
	var r carik.Router // the zero value works too
	for _, body := range []string{messageBody, deviceBody, paymentBody, moduleBody, unknownBody} {
		assert.NoError(t, r.Dispatch(context.Background(), mustParse(t, body)))
	}
}

func TestRouterReturnsHandlerErrorAndContext(t *testing.T) {
	t.Parallel()
	type key struct{}
	boom := errors.New("boom")
	r := carik.NewRouter()
	r.OnDevice(func(ctx context.Context, _ *carik.DeviceEvent) error {
		assert.Equal(t, "v", ctx.Value(key{}))
		return boom
	})
	ctx := context.WithValue(context.Background(), key{}, "v")
	assert.ErrorIs(t, r.Dispatch(ctx, mustParse(t, deviceBody)), boom)
	assert.NoError(t, r.Dispatch(ctx, mustParse(t, messageBody)), "other types are not affected")
}

func TestRouterReplaceAndRemove(t *testing.T) {
	t.Parallel()
	var calls []string
	r := carik.NewRouter()
	r.OnMessage(func(context.Context, *carik.MessageEvent) error { calls = append(calls, "first"); return nil })
	r.OnMessage(func(context.Context, *carik.MessageEvent) error { calls = append(calls, "second"); return nil })
	require.NoError(t, r.Dispatch(context.Background(), mustParse(t, messageBody)))
	r.OnMessage(nil)
	r.OnUnknown(nil)
	require.NoError(t, r.Dispatch(context.Background(), mustParse(t, messageBody)))
	require.NoError(t, r.Dispatch(context.Background(), mustParse(t, unknownBody)))
	assert.Equal(t, []string{"second"}, calls)
}

func TestRouterNilEvent(t *testing.T) {
	t.Parallel()
	assert.ErrorIs(t, carik.NewRouter().Dispatch(context.Background(), nil), carik.ErrNilEvent)
}

func TestRouterConcurrentDispatch(t *testing.T) {
	t.Parallel()
	var n atomic.Int64
	r := carik.NewRouter()
	r.OnMessage(func(context.Context, *carik.MessageEvent) error { n.Add(1); return nil })
	ev := mustParse(t, messageBody)
	var wg sync.WaitGroup
	for range 16 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range 100 {
				assert.NoError(t, r.Dispatch(context.Background(), ev))
			}
		}()
	}
	wg.Wait()
	assert.Equal(t, int64(1600), n.Load())
}

func TestDispatchFunc(t *testing.T) {
	t.Parallel()
	var seen carik.EventType
	var d carik.Dispatcher = carik.DispatchFunc(func(_ context.Context, e carik.Event) error { seen = e.Type(); return nil })
	require.NoError(t, d.Dispatch(context.Background(), mustParse(t, paymentBody)))
	assert.Equal(t, carik.EventPayment, seen)
}
