package carik

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"runtime/debug"
	"strconv"
	"time"

	"github.com/CarikBot/carik-go/internal/excerpt"
)

// NewReceiver returns an [http.Handler] that receives Carik's webhook deliveries: it reads the
// body once (up to a limit), verifies it, parses and validates it, and hands the event to d with
// the request's context. Mount it on any router that speaks net/http.
//
// It answers:
//
//	200  the event was handled (d returned nil), including unknown events and events without a handler
//	405  the method is not POST (with Allow: POST)
//	413  the body is larger than the limit (reading stops at the limit)
//	401  verification failed (d is not called)
//	400  the body is not a single JSON object
//	422  the JSON breaks the schema (the response lists the violations)
//	500  d returned an error or panicked, so that Carik retries; the server keeps serving
//
// Error responses are JSON: {"error": "...", "violations": [{"path": "...", "message": "..."}]}.
// They never include secrets, handler errors or stack traces.
//
// Verification is never off by accident: NewReceiver panics unless opts hold [WithVerifier] or
// [WithoutVerification] (and not both), and when d is nil. The handler is safe for concurrent use.
func NewReceiver(d Dispatcher, opts ...ReceiverOption) http.Handler {
	if d == nil {
		panic("carik: NewReceiver: nil Dispatcher")
	}
	c := receiverConfig{maxBodyBytes: DefaultMaxBodyBytes}
	for _, o := range opts {
		o.applyToReceiver(&c)
	}
	switch {
	case c.verifier == nil && !c.unverified:
		panic("carik: NewReceiver: pass WithVerifier(v), for example with carik.StandardWebhooks(secret), " +
			"or WithoutVerification() to accept unauthenticated requests")
	case c.verifier != nil && c.unverified:
		panic("carik: NewReceiver: WithVerifier and WithoutVerification are both given")
	}
	if c.logger == nil {
		c.logger = slog.Default()
	}
	c.maxBodyBytes = min(c.maxBodyBytes, maxParseBytes)
	return &receiver{d: d, c: c}
}

// A 422 answer lists at most maxAnswered violations, taking at most maxAnsweredBytes as JSON,
// so that a small hostile body cannot draw a large answer.
const (
	maxAnswered      = 100
	maxAnsweredBytes = 7 << 10
)

// answered returns the violations a 422 answer lists: the first of v, within both bounds.
func answered(v []Violation) []Violation {
	size := 0
	for i, vi := range v {
		encoded, _ := json.Marshal(vi) // as the answer will write it, escapes and all
		size += len(encoded) + 1
		if i == maxAnswered || size > maxAnsweredBytes {
			return v[:i]
		}
	}
	return v
}

// The log line keeps at most maxLoggedError bytes of a handler's error and maxLoggedStack of a
// panic's stack, so that it stays under 8 KiB whatever the handler says.
const (
	maxLoggedError = 1 << 10
	maxLoggedStack = 4 << 10
)

type receiver struct {
	d Dispatcher
	c receiverConfig
}

// outcome is what became of one request, for the response, the log and the reject hook.
type outcome struct {
	status     int
	verdict    string
	err        error
	public     string // the error text the sender may see
	violations []Violation
	event      Event
	eventType  EventType // also known when the payload was invalid
	body       []byte
}

func (rc *receiver) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	start := time.Now()
	o := rc.handle(w, r)
	if o.status != http.StatusOK && o.status != http.StatusMethodNotAllowed && rc.c.onReject != nil {
		rc.reject(r, o)
	}
	writeResponse(w, o)
	rc.log(r, o, time.Since(start))
}

func (rc *receiver) handle(w http.ResponseWriter, r *http.Request) outcome {
	if r.Method != http.MethodPost {
		return outcome{status: http.StatusMethodNotAllowed, verdict: "method_not_allowed",
			err: fmt.Errorf("carik: method %s not allowed", r.Method), public: "method not allowed; use POST"}
	}
	body, err := rc.readBody(w, r)
	if err != nil {
		var tooLarge *http.MaxBytesError
		if errors.As(err, &tooLarge) {
			return outcome{status: http.StatusRequestEntityTooLarge, verdict: "too_large", err: err, body: body,
				public: fmt.Sprintf("body larger than %d bytes", rc.c.maxBodyBytes)}
		}
		return outcome{status: http.StatusBadRequest, verdict: "read_error", err: err, body: body, public: "could not read the body"}
	}
	if rc.c.verifier != nil {
		if err := rc.c.verifier.Verify(r.Header, body); err != nil {
			return outcome{status: http.StatusUnauthorized, verdict: "unverified", err: err, body: body,
				public: "verification failed"}
		}
	}
	ev, err := rc.c.parse.parse(body, false)
	if err != nil {
		var verr *ValidationError
		switch {
		case errors.Is(err, ErrMalformed):
			return outcome{status: http.StatusBadRequest, verdict: "malformed", err: err, body: body, public: err.Error()}
		case errors.As(err, &verr):
			listed, total := verr.counts()
			o := outcome{status: http.StatusUnprocessableEntity, verdict: "invalid", err: err, body: body, eventType: verr.Event,
				public: "payload breaks the schema", violations: answered(listed)}
			if len(o.violations) < total {
				o.public = fmt.Sprintf("payload breaks the schema: %d violations, the first %d listed", total, len(o.violations))
			}
			return o
		default:
			return outcome{status: http.StatusInternalServerError, verdict: "parse_error", err: err, body: body,
				public: "could not check the payload; retry later"}
		}
	}
	if herr := rc.dispatch(ContextWithDelivery(r.Context(), NewDelivery(r.Header, body)), ev); herr != nil {
		verdict := "handler_error"
		if herr.Panicked {
			verdict = "handler_panic"
		}
		return outcome{status: http.StatusInternalServerError, verdict: verdict, err: herr, body: body, event: ev,
			eventType: ev.Type(), public: "handler failed; retry later"}
	}
	return outcome{status: http.StatusOK, verdict: "delivered", event: ev, eventType: ev.Type(), body: body}
}

// readBody reads the whole body, or answers with an *http.MaxBytesError once it passes the
// limit. Memory grows with the bytes that actually arrive, never with what Content-Length
// announces: a request head alone, or a sender that stalls, costs at most firstReadBytes.
// Through w, the server closes the connection after a body that was too large rather than
// read the rest of it.
func (rc *receiver) readBody(w http.ResponseWriter, r *http.Request) ([]byte, error) {
	limit := rc.c.maxBodyBytes
	if r.ContentLength > limit {
		return nil, &http.MaxBytesError{Limit: limit}
	}
	// With a Content-Length, net/http delivers exactly that many bytes: a small body is read
	// into a buffer of its size (+1, so that the last read sees io.EOF without growing it), a
	// large one into a buffer that doubles as bytes arrive. Without one, or when the body turns
	// out longer than announced (middleware that replaced the body, a decompressing one say,
	// may leave Content-Length as it was), the buffer grows up to the limit + 1, the byte that
	// makes MaxBytesReader fail.
	guess := limit + 1
	if r.ContentLength >= 0 {
		guess = r.ContentLength + 1
	}
	return readAll(http.MaxBytesReader(w, r.Body, limit), int(min(guess, firstReadBytes)), guess, limit+1)
}

// firstReadBytes is the buffer a body is first read into: most webhooks fit.
const firstReadBytes = 16 << 10

// readAll is io.ReadAll starting with a buffer of size bytes, doubling it as bytes arrive, up to
// guess bytes while the body fits there, and never past most bytes.
func readAll(r io.Reader, size int, guess, most int64) ([]byte, error) {
	buf := make([]byte, 0, size)
	for {
		if len(buf) == cap(buf) {
			bound := guess
			if int64(cap(buf)) >= guess {
				bound = most // longer than announced: keep reading, up to the limit
			}
			grown := make([]byte, len(buf), int(min(int64(2*cap(buf)), bound)))
			copy(grown, buf)
			buf = grown
		}
		n, err := r.Read(buf[len(buf):cap(buf)])
		buf = buf[:len(buf)+n]
		if err == io.EOF {
			return buf, nil
		}
		if err != nil {
			return buf, err
		}
	}
}

// dispatch hands ev to the dispatcher, turning an error or a panic into a *HandlerError. The
// panic's stack goes to the request's log line.
func (rc *receiver) dispatch(ctx context.Context, ev Event) (herr *HandlerError) {
	defer func() {
		if p := recover(); p != nil {
			if p == http.ErrAbortHandler {
				panic(p)
			}
			herr = &HandlerError{Event: ev, Err: fmt.Errorf("panic: %v", p), Panicked: true, stack: debug.Stack()}
		}
	}()
	if err := rc.d.Dispatch(ctx, ev); err != nil {
		return &HandlerError{Event: ev, Err: err}
	}
	return nil
}

func (rc *receiver) reject(r *http.Request, o outcome) {
	defer func() {
		if p := recover(); p != nil {
			rc.c.logger.LogAttrs(r.Context(), slog.LevelError, "carik: reject hook panicked", slog.Any("panic", p))
		}
	}()
	rc.c.onReject(r.Context(), &Rejection{Status: o.status, Err: o.err, Body: o.body, Header: r.Header, Event: o.event})
}

// Header values shared by every response, so that answering does not allocate them.
var (
	jsonContentType = []string{"application/json"}
	noSniff         = []string{"nosniff"}
	allowPOST       = []string{http.MethodPost}
	okBody          = []byte(`{"ok":true}` + "\n")
	okLength        = []string{strconv.Itoa(len(okBody))}
)

func writeResponse(w http.ResponseWriter, o outcome) {
	h := w.Header()
	h["Content-Type"] = jsonContentType
	h["X-Content-Type-Options"] = noSniff
	if o.status == http.StatusOK {
		h["Content-Length"] = okLength
		w.WriteHeader(http.StatusOK)
		w.Write(okBody)
		return
	}
	if o.status == http.StatusMethodNotAllowed {
		h["Allow"] = allowPOST
	}
	body, _ := json.Marshal(struct {
		Error      string      `json:"error"`
		Violations []Violation `json:"violations,omitempty"`
	}{o.public, o.violations})
	body = append(body, '\n')
	h.Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(o.status)
	w.Write(body)
}

func (rc *receiver) log(r *http.Request, o outcome, latency time.Duration) {
	level := slog.LevelInfo
	switch {
	case o.status >= 500:
		level = slog.LevelError
	case o.status >= 400:
		level = slog.LevelWarn
	}
	ctx := r.Context()
	if !rc.c.logger.Enabled(ctx, level) {
		return
	}
	attrs := []slog.Attr{
		slog.Int("status", o.status),
		slog.String("verdict", o.verdict),
		slog.Duration("latency", latency),
	}
	// What the sender wrote is cut short: the line must not grow with the body or the headers.
	if o.eventType != "" {
		attrs = append(attrs, slog.String("event", excerpt.Cut(string(o.eventType))))
	}
	if id := r.Header.Get("Webhook-Id"); id != "" {
		attrs = append(attrs, slog.String("webhook_id", excerpt.Cut(id)))
	}
	// The SDK's own errors are bounded already; a handler's error may quote the payload, and a
	// panic's stack may be deep: their start is what tells the cause.
	var herr *HandlerError
	handler := errors.As(o.err, &herr)
	if o.err != nil {
		text := o.err.Error()
		if handler {
			text = excerpt.CutTo(text, maxLoggedError)
		}
		attrs = append(attrs, slog.String("error", text))
	}
	if handler && herr.stack != nil {
		attrs = append(attrs, slog.String("stack", excerpt.CutTo(string(herr.stack), maxLoggedStack)))
	}
	rc.c.logger.LogAttrs(ctx, level, "carik webhook", attrs...)
}
