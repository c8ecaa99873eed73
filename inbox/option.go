package inbox

import (
	"log/slog"
	"time"

	"github.com/CarikBot/carik-go/carik"
	"github.com/CarikBot/carik-go/inbox/internal/engine"
)

// Defaults of the options.
const (
	// DefaultWorkers is how many deliveries one process handles at once.
	DefaultWorkers = 10
	// DefaultMaxAttempts is how many times a delivery's handler runs before it is dead: with
	// the default backoff (1 s doubling up to 1 h, with jitter) the attempts span 6 to 8 hours.
	DefaultMaxAttempts = 20
	// DefaultJobTimeout is how long a handler may run before its context is cancelled.
	DefaultJobTimeout = time.Minute
	// DefaultDedupeWindow is how long a handled delivery is remembered, so that a re-sent copy
	// is recognised: 7 days, well past the retry horizon of Standard Webhooks senders (Svix
	// retries for about 28 hours).
	DefaultDedupeWindow = 7 * 24 * time.Hour
	// DefaultDeadRetention is how long a dead delivery is kept for an operator: 30 days.
	DefaultDeadRetention = 30 * 24 * time.Hour
)

// Option configures [New]. A zero or negative value is a no-op that keeps the default.
type Option interface{ apply(*engine.Config) }

type optionFunc func(*engine.Config)

func (f optionFunc) apply(c *engine.Config) { f(c) }

// WithWorkers sets how many deliveries this process handles at once ([DefaultWorkers]).
func WithWorkers(n int) Option {
	return optionFunc(func(c *engine.Config) {
		if n > 0 {
			c.Workers = n
		}
	})
}

// WithMaxAttempts sets how many times a handler runs on one delivery before the delivery is
// dead ([DefaultMaxAttempts]). The number is stored with the delivery: the setting of the
// process that stores it counts (a receiver process's, with workers elsewhere), and, for a
// retried delivery, that of the process that retries it ([Inbox.Retry]).
func WithMaxAttempts(n int) Option {
	return optionFunc(func(c *engine.Config) {
		if n > 0 {
			c.MaxAttempts = n
		}
	})
}

// WithBackoff sets the wait before a retry: attempt n waits a random time between half and
// all of min*2^(n-1), capped at max (1 s and 1 h by default). River's scheduler runs every
// 5 s, so shorter waits end on its tick.
func WithBackoff(min, max time.Duration) Option {
	return optionFunc(func(c *engine.Config) {
		if min > 0 && max >= min {
			c.MinBackoff, c.MaxBackoff = min, max
		}
	})
}

// WithJobTimeout sets how long a handler may run before its context is cancelled and the
// attempt counts as failed ([DefaultJobTimeout]). A delivery whose process died while
// handling it is handed out again once it has been running for [WithRescueAfter] (by default
// this timeout plus a minute).
func WithJobTimeout(d time.Duration) Option {
	return optionFunc(func(c *engine.Config) {
		if d > 0 {
			c.JobTimeout = d
		}
	})
}

// WithRescueAfter sets how long a delivery may stay running before it is taken to belong to
// a dead process and retried. It must exceed the job timeout; the default, and any value
// that does not, is the job timeout plus one minute.
func WithRescueAfter(d time.Duration) Option {
	return optionFunc(func(c *engine.Config) {
		if d > 0 {
			c.RescueAfter = d
		}
	})
}

// WithDedupeWindow sets how long a handled delivery is kept, and so how long a re-sent copy
// is recognised and dropped ([DefaultDedupeWindow]). Keep it longer than the sender's retry
// horizon.
func WithDedupeWindow(d time.Duration) Option {
	return optionFunc(func(c *engine.Config) {
		if d > 0 {
			c.DedupeWindow = d
		}
	})
}

// WithDeadRetention sets how long a dead delivery is kept for an operator to retry
// ([DefaultDeadRetention]); never less than the dedupe window.
func WithDeadRetention(d time.Duration) Option {
	return optionFunc(func(c *engine.Config) {
		if d > 0 {
			c.DeadFor = d
		}
	})
}

// WithPollInterval sets how often idle workers look for new deliveries (1 s by default, at
// least 1 ms, River's minimum; Postgres also wakes them on insert through LISTEN/NOTIFY).
func WithPollInterval(d time.Duration) Option {
	return optionFunc(func(c *engine.Config) {
		if d > 0 {
			c.PollInterval = max(d, time.Millisecond)
		}
	})
}

// WithParseOptions sets how workers parse stored bodies; use the receiver's options.
func WithParseOptions(o carik.ParseOptions) Option {
	return optionFunc(func(c *engine.Config) { c.Parse = o })
}

// WithLogger sets River's logger ([slog.Default] by default); nil is a no-op.
func WithLogger(l *slog.Logger) Option {
	return optionFunc(func(c *engine.Config) {
		if l != nil {
			c.Logger = l
		}
	})
}

// WithRedactedHeaders names more headers whose values the inbox stores as "[redacted]"
// (case-insensitive), besides Authorization, Proxy-Authorization, Cookie and every header
// whose name holds auth, token, secret, password, passwd, credential, session, api-key,
// api_key, apikey, access-key or private-key (with - or _).
func WithRedactedHeaders(names ...string) Option {
	return optionFunc(func(c *engine.Config) { c.Redact = append(c.Redact, names...) })
}
