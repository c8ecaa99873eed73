package main

import (
	"context"
	"log/slog"
	"sync"
	"time"

	"github.com/CarikBot/carik-go/carik"
	"github.com/CarikBot/carik-go/inbox"
)

// newRouter is the application: what to do with each event. Handlers run at least once: a
// process that dies after a handler finished but before the inbox recorded it runs the
// handler again. So every handler here is idempotent.
func newRouter(l *ledger, logger *slog.Logger) *carik.Router {
	router := carik.NewRouter()
	// One log line per handled event, whatever its type.
	router.Use(func(next carik.Dispatcher) carik.Dispatcher {
		return carik.DispatchFunc(func(ctx context.Context, e carik.Event) error {
			start := time.Now()
			err := next.Dispatch(ctx, e)
			d, _ := carik.DeliveryFrom(ctx)
			run, _ := inbox.RunFrom(ctx)
			logger.InfoContext(ctx, "handled", "event", e.Type(), "delivery", d.ID, "attempt", run.Attempt,
				"took", time.Since(start), "error", err)
			return err
		})
	})
	router.OnPayment(func(ctx context.Context, e *carik.PaymentEvent) error {
		d, _ := carik.DeliveryFrom(ctx)
		status := ""
		if e.Data.Status != nil {
			status = string(*e.Data.Status)
		}
		// Keyed on the delivery id: running this twice for one delivery records it once.
		l.record(d.ID, e.Data.TransactionID, status)
		return nil
	})
	router.OnMessage(func(ctx context.Context, e *carik.MessageEvent) error {
		d, _ := carik.DeliveryFrom(ctx)
		l.record(d.ID, e.Data.MessageID, string(e.Data.Status)) // setting a status again changes nothing
		return nil
	})
	return router
}

// ledger stands for the application's database: it records each delivery's effect once, keyed
// on the delivery id (in SQL: INSERT ... ON CONFLICT (delivery_id) DO NOTHING, in the same
// transaction as the effect).
type ledger struct {
	mu      sync.Mutex
	applied map[string]string // delivery id -> "subject=status"
	runs    int
}

func newLedger() *ledger { return &ledger{applied: map[string]string{}} }

func (l *ledger) record(deliveryID, subject, status string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.runs++
	if _, done := l.applied[deliveryID]; done {
		return
	}
	l.applied[deliveryID] = subject + "=" + status
}

func (l *ledger) snapshot() (map[string]string, int) {
	l.mu.Lock()
	defer l.mu.Unlock()
	m := make(map[string]string, len(l.applied))
	for k, v := range l.applied {
		m[k] = v
	}
	return m, l.runs
}
