package carik

import (
	"context"
	"log/slog"
	"net/http"
)

// ReceiverOption configures [NewReceiver]. Options never fail; a degenerate value (nil, zero or
// negative) is a no-op that keeps the default.
type ReceiverOption interface {
	applyToReceiver(*receiverConfig)
}

type receiverOptionFunc func(*receiverConfig)

func (f receiverOptionFunc) applyToReceiver(c *receiverConfig) { f(c) }

// DefaultMaxBodyBytes is the largest body a receiver reads unless [WithMaxBodyBytes] says
// otherwise.
const DefaultMaxBodyBytes = 1 << 20

type receiverConfig struct {
	verifier     Verifier
	unverified   bool
	maxBodyBytes int64
	parse        ParseOptions
	logger       *slog.Logger
	onReject     func(context.Context, *Rejection)
}

// WithVerifier makes the receiver authenticate every request with v before parsing it, and
// answer 401 to those that fail. A nil v is a no-op.
func WithVerifier(v Verifier) ReceiverOption {
	return receiverOptionFunc(func(c *receiverConfig) {
		if v != nil {
			c.verifier = v
		}
	})
}

// WithoutVerification accepts requests without authenticating them. Verification is never off
// by accident: [NewReceiver] needs this option or [WithVerifier]. Use it only behind something
// else that authenticates, or locally.
func WithoutVerification() ReceiverOption {
	return receiverOptionFunc(func(c *receiverConfig) { c.unverified = true })
}

// WithMaxBodyBytes sets the largest body the receiver reads; a larger one is answered 413
// without reading past the limit. The default is [DefaultMaxBodyBytes]; n <= 0 is a no-op, and
// n above 2 GiB - 1 (the largest body [Parse] reads) means 2 GiB - 1.
func WithMaxBodyBytes(n int64) ReceiverOption {
	return receiverOptionFunc(func(c *receiverConfig) {
		if n > 0 {
			c.maxBodyBytes = n
		}
	})
}

// WithParseOptions sets how the receiver parses payloads; ParseOptions{Strict: true} rejects
// unknown event types, properties and status values with 422. The default is lenient, so that
// a production receiver does not refuse events Carik adds later.
func WithParseOptions(o ParseOptions) ReceiverOption {
	return receiverOptionFunc(func(c *receiverConfig) { c.parse = o })
}

// WithLogger sets the logger the receiver logs every request to, once. The default is
// [slog.Default]; nil is a no-op.
func WithLogger(l *slog.Logger) ReceiverOption {
	return receiverOptionFunc(func(c *receiverConfig) {
		if l != nil {
			c.logger = l
		}
	})
}

// WithRejectHook calls hook with every request the receiver does not answer 200, except for a
// wrong method, before it answers: the body as read, the headers, the status and the error, so
// that the application can keep a copy (a dead-letter queue) of what it refused. The hook runs
// on the request's goroutine and should return quickly; a panic in it is recovered and logged.
// A nil hook is a no-op.
func WithRejectHook(hook func(ctx context.Context, r *Rejection)) ReceiverOption {
	return receiverOptionFunc(func(c *receiverConfig) {
		if hook != nil {
			c.onReject = hook
		}
	})
}

// Rejection describes a request the receiver refused or failed to handle; see
// [WithRejectHook].
type Rejection struct {
	// Status is the HTTP status the receiver answers.
	Status int
	// Err says why: a verification error, a [*SyntaxError], a [*ValidationError], a
	// [*http.MaxBytesError], a [*HandlerError], or an error reading the body.
	Err error
	// Body holds the bytes read: the whole body; for a body over the limit, what was read
	// before the limit was hit (nothing when its Content-Length announced the size).
	Body []byte
	// Header holds the request's headers.
	Header http.Header
	// Event is the parsed event when the handler failed, nil otherwise.
	Event Event
}
