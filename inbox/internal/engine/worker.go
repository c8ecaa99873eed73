package engine

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/riverqueue/river"

	"github.com/CarikBot/carik-go/carik"
	"github.com/CarikBot/carik-go/internal/excerpt"
)

// worker runs the application's handler on a stored delivery: it parses the stored bytes
// again and hands the event over with the same carik.Delivery the receiver saw.
type worker struct {
	river.WorkerDefaults[Args]
	cfg Config
}

func (w *worker) Work(ctx context.Context, job *river.Job[Args]) error {
	a := job.Args
	ev, err := w.cfg.Parse.Parse(a.Body)
	if err != nil {
		// It parsed when it was received; only a change of parse options gets here. Retrying
		// will not help: the job goes dead for the operator to look at.
		return river.JobCancel(fmt.Errorf("carik: inbox: stored delivery %s no longer parses: %w", excerpt.Quote(a.deliveryID()), err))
	}
	ctx = carik.ContextWithDelivery(ctx, a.delivery())
	ctx = context.WithValue(ctx, runKey{}, Run{JobID: job.ID, Attempt: job.Attempt, MaxAttempts: job.MaxAttempts})
	return dispatch(ctx, w.cfg.Handler, ev)
}

// dispatch runs the handler. Its panic goes on to River, which records it as a failed attempt
// with the stack ([AttemptError.Trace]); the value is wrapped so that the error says what it is.
// (Recovered here, the stack was lost: an operator saw "nil map" and not where.)
func dispatch(ctx context.Context, h carik.Dispatcher, ev carik.Event) error {
	defer func() {
		if p := recover(); p != nil {
			panic(handlerPanic{p}) // from this deferred call: the handler's frames are still on the stack
		}
	}()
	return h.Dispatch(ctx, ev)
}

// handlerPanic is a handler's panic value; River records it with %v.
type handlerPanic struct{ value any }

func (p handlerPanic) String() string {
	return fmt.Sprintf("carik: inbox: handler panicked: %v", p.value)
}

// Run describes the worker's attempt at a stored delivery.
type Run struct {
	JobID       int64
	Attempt     int
	MaxAttempts int
}

type runKey struct{}

// RunFrom returns the run ctx carries.
func RunFrom(ctx context.Context) (Run, bool) {
	r, ok := ctx.Value(runKey{}).(Run)
	return r, ok
}

func decodeArgs(b []byte, a *Args) error { return json.Unmarshal(b, a) }
