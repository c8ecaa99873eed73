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

// chargeCustomer is a handler with a bug.
func chargeCustomer(_ context.Context, e *carik.PaymentEvent) error {
	var fees map[string]int
	fees[e.Data.TransactionID]++ // assignment to entry in nil map
	return nil
}

// A handler's panic is a failed attempt whose stack the operator can read: where the handler
// panicked, not only the panic's value (the receiver logs the stack of a panic in the request;
// the inbox kept "handler panicked: assignment to entry in nil map" and nothing else).
func TestHandlerPanicKeepsItsStack(t *testing.T) {
	t.Parallel()
	router := carik.NewRouter()
	router.OnPayment(chargeCustomer)
	ib := newInbox(t, openStore(t, "sqlite"), router, inbox.WithMaxAttempts(1))
	h, signer := receiver(t, ib)
	require.Equal(t, http.StatusOK, signer.Deliver(h, cariktest.Payload(carik.EventPayment)).StatusCode)
	waitFor(t, "dead", func() bool { return stats(t, ib)[inbox.StateDiscarded] == 1 })
	dead, err := ib.Dead(context.Background(), 1)
	require.NoError(t, err)
	require.Len(t, dead, 1)
	require.Len(t, dead[0].Errors, 1)
	ae := dead[0].Errors[0]
	assert.Equal(t, "carik: inbox: handler panicked: assignment to entry in nil map", ae.Error)
	assert.Contains(t, ae.Trace, "inbox_test.chargeCustomer", "the stack names the handler")
	assert.Contains(t, ae.Trace, "panic_test.go:", "and its line")
}
