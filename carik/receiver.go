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
	return &receiver{d: d, c: c}
}

// maxAnswered bounds the violations a 422 answer lists, so that a small hostile body cannot
// draw a large answer.
const maxAnswered = 100

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
			o := outcome{status: http.StatusUnprocessableEntity, verdict: "invalid", err: err, body: body, eventType: verr.Event,
				public: "payload breaks the schema", violations: verr.Violations}
			if len(o.violations) > maxAnswered {
				o.public = fmt.Sprintf("payload breaks the schema: %d violations, the first %d listed", len(o.violations), maxAnswered)
				o.violations = o.violations[:maxAnswered]
			}
			return o
		default:
			return outcome{status: http.StatusInternalServerError, verdict: "parse_error", err: err, body: body,
				public: "could not check the payload; retry later"}
		}
	}
	if herr := rc.dispatch(r.Context(), ev); herr != nil {
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
// limit, holding at most about the limit. With a Content-Length (net/http then delivers
// exactly that many bytes) it reads into one buffer of that size. Through w, the server closes
// the connection after a body that was too large rather than read the rest of it.
func (rc *receiver) readBody(w http.ResponseWriter, r *http.Request) ([]byte, error) {
	limit := rc.c.maxBodyBytes
	if r.ContentLength > limit {
		return nil, &http.MaxBytesError{Limit: limit}
	}
	body := http.MaxBytesReader(w, r.Body, limit)
	if r.ContentLength < 0 {
		return io.ReadAll(body)
	}
	buf := make([]byte, r.ContentLength)
	n, err := io.ReadFull(body, buf)
	return buf[:n], err
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
	if o.eventType != "" {
		attrs = append(attrs, slog.String("event", string(o.eventType)))
	}
	if id := r.Header.Get("Webhook-Id"); id != "" {
		attrs = append(attrs, slog.String("webhook_id", id))
	}
	if o.err != nil {
		attrs = append(attrs, slog.String("error", o.err.Error()))
	}
	var herr *HandlerError
	if errors.As(o.err, &herr) && herr.stack != nil {
		attrs = append(attrs, slog.String("stack", string(herr.stack)))
	}
	rc.c.logger.LogAttrs(ctx, level, "carik webhook", attrs...)
}
