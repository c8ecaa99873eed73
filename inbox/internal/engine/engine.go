// Package engine is the inbox's use of River, generic over River's database drivers. The
// public packages (inbox, inbox/sqlite, inbox/postgres) keep River's types out of their API.
package engine

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver"
	"github.com/riverqueue/river/rivermigrate"
	"github.com/riverqueue/river/rivertype"

	"github.com/CarikBot/carik-go/carik"
	"github.com/CarikBot/carik-go/internal/excerpt"
)

// Config is what the inbox asks of the engine; zero fields are filled by the inbox package.
type Config struct {
	Handler      carik.Dispatcher // nil: this process only stores deliveries
	Parse        carik.ParseOptions
	Workers      int
	MaxAttempts  int
	MinBackoff   time.Duration
	MaxBackoff   time.Duration
	JobTimeout   time.Duration
	RescueAfter  time.Duration
	DedupeWindow time.Duration // completed jobs are kept this long
	DeadFor      time.Duration // discarded and cancelled (dead) jobs are kept this long
	PollInterval time.Duration
	Logger       *slog.Logger
	Redact       []string // header names whose values are stored as [redacted], besides the built-in ones
}

// Job is one stored delivery as the operator sees it.
type Job struct {
	JobID       int64
	DeliveryID  string
	State       string
	Attempt     int
	MaxAttempts int
	CreatedAt   time.Time
	FinalizedAt *time.Time
	Header      http.Header
	Body        []byte
	Errors      []AttemptError
}

// AttemptError is one failed attempt.
type AttemptError struct {
	Attempt int
	At      time.Time
	Error   string
	Trace   string // where the handler panicked, when it did
}

// Engine is what the inbox package uses; [New] returns one.
type Engine interface {
	Insert(ctx context.Context, d carik.Delivery, body []byte) (duplicate bool, err error)
	Start(ctx context.Context) error
	Stop(ctx context.Context) error
	List(ctx context.Context, state string, limit int) ([]Job, error)
	Get(ctx context.Context, jobID int64) (*Job, error)
	Find(ctx context.Context, deliveryID string) (*Job, error)
	Retry(ctx context.Context, jobID int64) error
	Dead(ctx context.Context, limit int) ([]Job, error)
}

// Kind is the River job kind of a delivery.
const Kind = "carik_delivery"

// Queue is the River queue deliveries go to.
const Queue = "carik"

// ErrNotFound is returned for a job or delivery the inbox does not hold.
var ErrNotFound = errors.New("carik: inbox: no such delivery")

type engine[TTx any] struct {
	cfg    Config
	drv    riverdriver.Driver[TTx]
	client *river.Client[TTx]
}

// Migrate brings the River schema up to date. River's migrator takes no lock: processes that
// open a new database together (replicas of one deployment, a receiver and a worker) each
// read which migrations are missing and apply them, and all but the first fail on a table
// or row the first created (each migration's transaction rolls back). So a failure is
// retried, reading the applied migrations again, as long as another process is seen
// applying them; a failure that is this process's own is returned, starting "migrate: ".
func Migrate[TTx any](ctx context.Context, drv riverdriver.Driver[TTx]) error {
	m, err := rivermigrate.New(drv, nil)
	if err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	tries := len(m.AllVersions()) + 3 // each failure but the last few follows another's step
	for try := 1; ; try++ {
		before := applied(ctx, m)
		_, err = m.Migrate(ctx, rivermigrate.DirectionUp, nil)
		if err == nil {
			return nil
		}
		after := applied(ctx, m)
		if try == tries || ctx.Err() != nil || after < 0 || (after <= before && try > 2) {
			return fmt.Errorf("migrate: %w", err)
		}
		select { // let the other process finish its step
		case <-ctx.Done():
		case <-time.After(time.Duration(10+rand.N(40)) * time.Millisecond):
		}
	}
}

// applied returns how many migrations the database holds, or -1 when it cannot be read.
func applied[TTx any](ctx context.Context, m *rivermigrate.Migrator[TTx]) int {
	versions, err := m.ExistingVersions(ctx)
	if err != nil {
		return -1
	}
	return len(versions)
}

// New returns an engine on drv. The schema must be migrated ([Migrate]).
func New[TTx any](drv riverdriver.Driver[TTx], cfg Config) (Engine, error) {
	client, err := river.NewClient(drv, riverConfig(cfg))
	if err != nil {
		return nil, fmt.Errorf("carik: inbox: %w", err)
	}
	return &engine[TTx]{cfg: cfg, drv: drv, client: client}, nil
}

// riverConfig returns River's configuration for cfg.
func riverConfig(cfg Config) *river.Config {
	rc := &river.Config{
		Logger:                      cfg.Logger,
		MaxAttempts:                 cfg.MaxAttempts,
		JobTimeout:                  cfg.JobTimeout,
		RescueStuckJobsAfter:        cfg.RescueAfter,
		CompletedJobRetentionPeriod: cfg.DedupeWindow,
		CancelledJobRetentionPeriod: cfg.DeadFor, // cancelled jobs are dead too
		DiscardedJobRetentionPeriod: cfg.DeadFor,
		RetryPolicy:                 &backoff{min: cfg.MinBackoff, max: cfg.MaxBackoff},
		FetchPollInterval:           cfg.PollInterval,
		FetchCooldown:               min(cfg.PollInterval, 100*time.Millisecond),
	}
	if cfg.Handler != nil {
		workers := river.NewWorkers()
		river.AddWorker(workers, &worker{cfg: cfg})
		rc.Workers = workers
		rc.Queues = map[string]river.QueueConfig{Queue: {MaxWorkers: cfg.Workers}}
	}
	return rc
}

func (e *engine[TTx]) Insert(ctx context.Context, d carik.Delivery, body []byte) (bool, error) {
	args := newArgs(d, body, e.cfg.Redact)
	res, err := e.client.Insert(ctx, args, &river.InsertOpts{
		Queue:       Queue,
		MaxAttempts: e.cfg.MaxAttempts,
		// Every state: River's default leaves out discarded and cancelled jobs, so a dead
		// delivery sent again would be stored (and handled) a second time.
		UniqueOpts: river.UniqueOpts{ByArgs: true, ByState: rivertype.JobStates()},
	})
	if err != nil {
		return false, fmt.Errorf("carik: inbox: store delivery %s: %w", excerpt.Quote(d.ID), err)
	}
	return res.UniqueSkippedAsDuplicate, nil
}

// Start starts the workers. Cancelling ctx does not stop them: River takes the cancellation
// of its start context for a hard stop that cancels running jobs at once, which would skip
// [engine.Stop]'s grace period. Only ctx's values reach the jobs; Stop stops them.
func (e *engine[TTx]) Start(ctx context.Context) error {
	if e.cfg.Handler == nil {
		return errors.New("carik: inbox: Start needs a handler")
	}
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("carik: inbox: start: %w", err)
	}
	if err := e.client.Start(context.WithoutCancel(ctx)); err != nil {
		return fmt.Errorf("carik: inbox: start: %w", err)
	}
	return nil
}

// Stop lets running jobs finish until ctx is done, then cancels them: a cancelled handler's
// job is retried later, by this process or another.
func (e *engine[TTx]) Stop(ctx context.Context) error {
	err := e.client.Stop(ctx)
	if err == nil {
		return nil
	}
	if ctx.Err() == nil {
		return fmt.Errorf("carik: inbox: stop: %w", err)
	}
	cctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := e.client.StopAndCancel(cctx); err != nil {
		return fmt.Errorf("carik: inbox: stop and cancel: %w", err)
	}
	return nil
}

func (e *engine[TTx]) List(ctx context.Context, state string, limit int) ([]Job, error) {
	params := river.NewJobListParams().Kinds(Kind).OrderBy(river.JobListOrderByID, river.SortOrderAsc)
	if state != "" {
		params = params.States(rivertype.JobState(state))
	}
	jobs, err := e.list(ctx, params, limit)
	if err != nil {
		return nil, fmt.Errorf("carik: inbox: list: %w", err)
	}
	return jobs, nil
}

// maxPage is the most jobs River lists at once (JobListParams.First panics above it); a
// variable for the tests.
var maxPage = 10_000

// list returns up to limit jobs that params select, in pages of at most maxPage.
func (e *engine[TTx]) list(ctx context.Context, params *river.JobListParams, limit int) ([]Job, error) {
	var jobs []Job
	for len(jobs) < limit {
		page := min(limit-len(jobs), maxPage)
		res, err := e.client.JobList(ctx, params.First(page))
		if err != nil {
			return nil, err
		}
		for _, row := range res.Jobs {
			jobs = append(jobs, toJob(row))
		}
		if len(res.Jobs) < page {
			break
		}
		params = params.After(res.LastCursor)
	}
	return jobs, nil
}

func (e *engine[TTx]) Get(ctx context.Context, jobID int64) (*Job, error) {
	row, err := e.client.JobGet(ctx, jobID)
	if errors.Is(err, rivertype.ErrNotFound) || (err == nil && row.Kind != Kind) {
		return nil, ErrNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("carik: inbox: get: %w", err)
	}
	j := toJob(row)
	return &j, nil
}

// Find looks the id up by its text form (see [Args]), then keeps the job whose exact id it is.
func (e *engine[TTx]) Find(ctx context.Context, deliveryID string) (*Job, error) {
	id := deliveryID
	if !isText(id) {
		id = textID(id)
	}
	params := river.NewJobListParams().Kinds(Kind).First(100).
		Where("args->>'id' = @id", river.NamedArgs{"id": id})
	res, err := e.client.JobList(ctx, params)
	if err != nil {
		return nil, fmt.Errorf("carik: inbox: find: %w", err)
	}
	for _, row := range res.Jobs {
		if j := toJob(row); j.DeliveryID == deliveryID {
			return &j, nil
		}
	}
	return nil, ErrNotFound
}

// Dead lists discarded and cancelled jobs together, in the order they died.
func (e *engine[TTx]) Dead(ctx context.Context, limit int) ([]Job, error) {
	params := river.NewJobListParams().Kinds(Kind).
		States(rivertype.JobStateDiscarded, rivertype.JobStateCancelled).
		OrderBy(river.JobListOrderByFinalizedAt, river.SortOrderAsc)
	jobs, err := e.list(ctx, params, limit)
	if err != nil {
		return nil, fmt.Errorf("carik: inbox: dead: %w", err)
	}
	return jobs, nil
}

// retrySQL gives a job a fresh set of attempts: River's JobRetry raises max_attempts only to
// attempt+1 when they are used up, so that a retried dead job would get one more try. It also
// records in the job's metadata how many errors the job had ([retryErrorsKey]), so that the
// backoff of the new set starts from the shortest wait. The placeholders are numbered: pgx
// and SQLite (where $N is a parameter too) both take them; the JSON functions differ.
var retrySQL = map[string]string{
	riverdriver.DatabaseNamePostgres: `UPDATE river_job SET max_attempts = attempt + $1,
		metadata = jsonb_set(metadata, '{` + retryErrorsKey + `}', to_jsonb(coalesce(array_length(errors, 1), 0)))
		WHERE id = $2 AND kind = $3 AND state <> 'running'`,
	riverdriver.DatabaseNameSQLite: `UPDATE river_job SET max_attempts = attempt + $1,
		metadata = jsonb_set(metadata, '$.` + retryErrorsKey + `', coalesce(json_array_length(errors), 0))
		WHERE id = $2 AND kind = $3 AND state <> 'running'`,
}

// retryErrorsKey is the metadata key holding how many errors a job had when it was retried.
const retryErrorsKey = "carik_retry_errors"

// Retry gives the job cfg.MaxAttempts more attempts and makes it available; a running job is
// left alone.
func (e *engine[TTx]) Retry(ctx context.Context, jobID int64) error {
	if _, err := e.Get(ctx, jobID); err != nil {
		return err
	}
	query, ok := retrySQL[e.drv.DatabaseName()]
	if !ok {
		return fmt.Errorf("carik: inbox: retry %d: no retry for a %s database", jobID, e.drv.DatabaseName())
	}
	if err := e.drv.GetExecutor().Exec(ctx, query, e.cfg.MaxAttempts, jobID, Kind); err != nil {
		return fmt.Errorf("carik: inbox: retry %d: %w", jobID, err)
	}
	if _, err := e.client.JobRetry(ctx, jobID); err != nil {
		return fmt.Errorf("carik: inbox: retry %d: %w", jobID, err)
	}
	return nil
}

func toJob(row *rivertype.JobRow) Job {
	j := Job{JobID: row.ID, State: string(row.State), Attempt: row.Attempt, MaxAttempts: row.MaxAttempts,
		CreatedAt: row.CreatedAt, FinalizedAt: row.FinalizedAt}
	var args Args
	if err := decodeArgs(row.EncodedArgs, &args); err == nil {
		j.DeliveryID, j.Header, j.Body = args.deliveryID(), args.header(), args.Body
	}
	for _, ae := range row.Errors {
		j.Errors = append(j.Errors, AttemptError{Attempt: ae.Attempt, At: ae.At, Error: ae.Error, Trace: ae.Trace})
	}
	return j
}

// backoff is exponential backoff with jitter: the n-th failure of a set of attempts (since the
// delivery was stored, or since it was last retried) waits a random time in [d/2, d] with
// d = min * 2^(n-1), capped at max.
type backoff struct{ min, max time.Duration }

func (b *backoff) NextRetry(job *rivertype.JobRow) time.Time {
	n := len(job.Errors) + 1 // the errors of this set of attempts, this one included
	var meta map[string]any
	if json.Unmarshal(job.Metadata, &meta) == nil {
		if before, ok := meta[retryErrorsKey].(float64); ok && int(before) < n {
			n -= int(before)
		}
	}
	d := b.min
	for i := 1; i < n && d < b.max; i++ {
		if d > b.max/2 { // doubling would pass the cap, or overflow near the largest duration
			d = b.max
			break
		}
		d *= 2
	}
	d = min(d, b.max)
	d = d/2 + rand.N(d/2+1)
	return time.Now().Add(d)
}
