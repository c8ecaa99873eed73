package inbox

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/CarikBot/carik-go/carik"
	"github.com/CarikBot/carik-go/inbox/internal/engine"
)

// Store is the database an [Inbox] keeps deliveries in: inbox/sqlite and inbox/postgres
// provide one. Its methods use internal types, so that only those packages implement it.
type Store interface {
	// OpenEngine returns the queue on this store.
	OpenEngine(cfg engine.Config) (engine.Engine, error)
	// Counts returns the number of deliveries in each state.
	Counts(ctx context.Context) (map[string]int, error)
}

// Entry is a stored delivery as an operator sees it: its job id, delivery id, state,
// attempts, headers, exact body and the error of every failed attempt.
type Entry = engine.Job

// AttemptError is the error of one failed attempt at handling a delivery.
type AttemptError = engine.AttemptError

// Run describes the attempt a handler is part of; see [RunFrom].
type Run = engine.Run

// ErrNotFound is returned for a job or delivery id the inbox does not hold.
var ErrNotFound = engine.ErrNotFound

// States a stored delivery can be in. Dead deliveries are discarded (attempts used up) or
// cancelled (the stored body no longer parses).
const (
	StateAvailable = "available"
	StateRunning   = "running"
	StateRetryable = "retryable"
	StateScheduled = "scheduled"
	StateCompleted = "completed"
	StateDiscarded = "discarded"
	StateCancelled = "cancelled"
)

// Inbox stores deliveries durably and hands them to a handler with retries. It implements
// [carik.Dispatcher]: give it to [carik.NewReceiver], which then answers 200 once the
// delivery is committed and 500 when the store fails (so that Carik retries). Methods are safe
// for concurrent use.
type Inbox struct {
	e   engine.Engine
	s   Store
	cfg engine.Config
}

// New returns an inbox on s. Deliveries are handed to handler (usually a [*carik.Router]) by
// the workers that [Inbox.Start] starts; with a nil handler the inbox only stores deliveries
// (a receiver process, with workers running elsewhere on the same Postgres database).
func New(s Store, handler carik.Dispatcher, opts ...Option) (*Inbox, error) {
	if s == nil {
		return nil, errors.New("carik: inbox: nil Store")
	}
	cfg := defaults()
	for _, o := range opts {
		o.apply(&cfg)
	}
	cfg.Handler = handler
	if cfg.RescueAfter <= cfg.JobTimeout {
		cfg.RescueAfter = cfg.JobTimeout + time.Minute
	}
	cfg.DeadFor = max(cfg.DeadFor, cfg.DedupeWindow)
	e, err := s.OpenEngine(cfg)
	if err != nil {
		return nil, err
	}
	return &Inbox{e: e, s: s, cfg: cfg}, nil
}

func defaults() engine.Config {
	return engine.Config{
		Workers:      DefaultWorkers,
		MaxAttempts:  DefaultMaxAttempts,
		MinBackoff:   time.Second,
		MaxBackoff:   time.Hour,
		JobTimeout:   DefaultJobTimeout,
		DedupeWindow: DefaultDedupeWindow,
		DeadFor:      DefaultDeadRetention,
		PollInterval: time.Second,
		Logger:       slog.Default(),
	}
}

// Dispatch stores the delivery that ctx carries ([carik.DeliveryFrom]) with the exact bytes of
// e, and returns once it is committed; a delivery already stored (same id, in any state) is
// acknowledged without storing it again. Without a delivery in ctx, or with one whose ID is
// empty, the id is derived from the body (see [carik.Delivery.ID]). An event without bytes
// (built by hand, not by [carik.Parse]) is refused. An error means nothing was stored.
func (ib *Inbox) Dispatch(ctx context.Context, e carik.Event) error {
	if e == nil {
		return carik.ErrNilEvent
	}
	if len(e.Raw()) == 0 { // stored empty, every such event would share one body id
		return fmt.Errorf("carik: inbox: a %q event without bytes (Raw is empty): the inbox stores and "+
			"re-parses the exact body, so dispatch the events carik.Parse returns", e.Type())
	}
	d, ok := carik.DeliveryFrom(ctx)
	switch {
	case !ok:
		d = carik.NewDelivery(nil, e.Raw())
	case d.ID == "": // stored under "", it would be taken for a copy of every other such one
		d.ID, d.IDFromBody = carik.NewDelivery(nil, e.Raw()).ID, true
	}
	_, err := ib.e.Insert(ctx, d, e.Raw())
	return err
}

// Start starts the workers; it needs a handler (see [New]). They run until [Inbox.Stop]:
// cancelling ctx does not stop them (a signal context passed here would otherwise cancel
// running handlers at once, with no grace period). ctx's values reach the handlers; an
// already cancelled ctx makes Start fail.
func (ib *Inbox) Start(ctx context.Context) error { return ib.e.Start(ctx) }

// Stop stops fetching deliveries and waits for the running handlers to finish; when ctx ends
// first, it cancels their contexts and returns once they have given up, so that their
// deliveries are retried later (by this process or another); a handler that returns its
// context's error (wrapped or not) uses up no attempt. A handler that ignores its context for
// 10 s more is left running and Stop returns an error; like the in-flight handlers of a
// process that dies without Stop, its delivery is rescued once it has been running for
// [WithRescueAfter] (by default [WithJobTimeout] plus a minute).
func (ib *Inbox) Stop(ctx context.Context) error { return ib.e.Stop(ctx) }

// List returns up to limit stored deliveries in state (all states when empty), oldest first.
func (ib *Inbox) List(ctx context.Context, state string, limit int) ([]Entry, error) {
	if limit <= 0 {
		limit = 100
	}
	return ib.e.List(ctx, state, limit)
}

// Dead returns up to limit dead deliveries (discarded and cancelled together), in the order
// they died, oldest first; [Inbox.Stats] counts them all.
func (ib *Inbox) Dead(ctx context.Context, limit int) ([]Entry, error) {
	if limit <= 0 {
		limit = 100
	}
	return ib.e.Dead(ctx, limit)
}

// Get returns the stored delivery with River job id jobID, or [ErrNotFound].
func (ib *Inbox) Get(ctx context.Context, jobID int64) (*Entry, error) { return ib.e.Get(ctx, jobID) }

// Find returns the stored delivery with delivery id deliveryID, or [ErrNotFound].
func (ib *Inbox) Find(ctx context.Context, deliveryID string) (*Entry, error) {
	return ib.e.Find(ctx, deliveryID)
}

// Retry makes the delivery with job id jobID available to the workers again, with a fresh set
// of attempts (this inbox's [WithMaxAttempts] more, their backoff starting again from the
// shortest wait), whatever its state: a completed delivery is handled again. A running one
// is left alone. It returns [ErrNotFound] for an unknown id.
func (ib *Inbox) Retry(ctx context.Context, jobID int64) error { return ib.e.Retry(ctx, jobID) }

// RetryDead retries every dead delivery, once, and returns how many it retried. A delivery
// that dies again while RetryDead runs (workers are running and it fails at once) is not
// retried a second time.
func (ib *Inbox) RetryDead(ctx context.Context) (int, error) {
	retried := map[int64]bool{}
	for {
		// Dead lists in the order of death: the ones not yet retried died before any that
		// died again after its retry, so a page with none of them means all were retried.
		dead, err := ib.Dead(ctx, 1000)
		if err != nil {
			return len(retried), err
		}
		fresh := 0
		for _, d := range dead {
			if retried[d.JobID] {
				continue
			}
			if err := ib.Retry(ctx, d.JobID); err != nil {
				return len(retried), fmt.Errorf("carik: inbox: retry %d: %w", d.JobID, err)
			}
			retried[d.JobID] = true
			fresh++
		}
		if fresh == 0 {
			return len(retried), nil
		}
	}
}

// Stats returns the number of stored deliveries in each state (states with none are left out).
func (ib *Inbox) Stats(ctx context.Context) (map[string]int, error) { return ib.s.Counts(ctx) }

// RunFrom returns the worker's attempt a handler's ctx belongs to (job id, attempt number,
// attempts allowed), and whether ctx comes from an inbox worker.
func RunFrom(ctx context.Context) (Run, bool) { return engine.RunFrom(ctx) }
