package carik_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/CarikBot/carik-go/carik"
	"github.com/CarikBot/carik-go/carik/cariktest"
)

// recorder is a dispatcher that counts the events it handles and can fail or panic.
type recorder struct {
	mu     sync.Mutex
	events []carik.Event
	fail   error
	panics bool
}

func (r *recorder) Dispatch(_ context.Context, e carik.Event) error {
	if r.panics {
		panic("handler bug")
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	r.events = append(r.events, e)
	return r.fail
}

func (r *recorder) count() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return len(r.events)
}

type response struct {
	Error      string            `json:"error"`
	Violations []carik.Violation `json:"violations"`
	OK         bool              `json:"ok"`
}

func decodeResponse(t *testing.T, res *http.Response) response {
	t.Helper()
	assert.Equal(t, "application/json", res.Header.Get("Content-Type"))
	var r response
	require.NoError(t, json.NewDecoder(res.Body).Decode(&r))
	return r
}

func quietLogger() *slog.Logger { return slog.New(slog.NewTextHandler(io.Discard, nil)) }

func TestReceiverStatusTable(t *testing.T) {
	t.Parallel()
	secret := cariktest.NewSecret()
	signer := cariktest.NewSigner(secret)
	verifier, err := carik.StandardWebhooks(secret)
	require.NoError(t, err)
	valid := cariktest.Payload(carik.EventMessage)

	tests := []struct {
		name       string
		dispatcher *recorder
		method     string
		body       []byte
		header     func(body []byte) http.Header
		status     int
		dispatched int
		errSubstr  string
	}{
		{"valid event", &recorder{}, "POST", valid, signer.Sign, 200, 1, ""},
		{"unknown event", &recorder{}, "POST", cariktest.Payload("order"), signer.Sign, 200, 1, ""},
		{"lenient: new status and field", &recorder{}, "POST",
			cariktest.Payload(carik.EventMessage, cariktest.Set("/data/status", "seen"), cariktest.Set("/data/extra", 1)), signer.Sign, 200, 1, ""},
		{"GET", &recorder{}, "GET", nil, signer.Sign, 405, 0, "use POST"},
		{"PUT", &recorder{}, "PUT", valid, signer.Sign, 405, 0, "use POST"},
		{"too large", &recorder{}, "POST", bytes.Repeat([]byte(" "), 2<<20), signer.Sign, 413, 0, "larger than 1048576 bytes"},
		{"unsigned", &recorder{}, "POST", valid, func([]byte) http.Header { return nil }, 401, 0, "verification failed"},
		{"wrong secret", &recorder{}, "POST", valid, cariktest.NewSigner(cariktest.NewSecret()).Sign, 401, 0, "verification failed"},
		{"tampered", &recorder{}, "POST", valid, func(b []byte) http.Header { return signer.Sign(append(b, ' ')) }, 401, 0, ""},
		{"stale", &recorder{}, "POST", valid, func(b []byte) http.Header { return signer.SignAt("m", time.Now().Add(-time.Hour), b) }, 401, 0, ""},
		{"not JSON", &recorder{}, "POST", []byte("hello"), signer.Sign, 400, 0, "at byte 0"},
		{"array", &recorder{}, "POST", []byte(`[]`), signer.Sign, 400, 0, "found an array"},
		{"empty body", &recorder{}, "POST", nil, signer.Sign, 400, 0, "empty body"},
		{"schema violation", &recorder{}, "POST", cariktest.Payload(carik.EventMessage, cariktest.Delete("/data/message_id")), signer.Sign, 422, 0, "breaks the schema"},
		{"handler error", &recorder{fail: errors.New("db down: password=hunter2")}, "POST", valid, signer.Sign, 500, 1, "handler failed"},
		{"handler panic", &recorder{panics: true}, "POST", valid, signer.Sign, 500, 0, "handler failed"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			h := carik.NewReceiver(tt.dispatcher, carik.WithVerifier(verifier), carik.WithLogger(quietLogger()))
			req := httptest.NewRequest(tt.method, "/webhook", bytes.NewReader(tt.body))
			for k, v := range tt.header(tt.body) {
				req.Header[k] = v
			}
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, req)
			res := rec.Result()
			assert.Equal(t, tt.status, res.StatusCode)
			assert.Equal(t, tt.dispatched, tt.dispatcher.count())
			r := decodeResponse(t, res)
			if tt.status == 200 {
				assert.True(t, r.OK)
				return
			}
			assert.Contains(t, r.Error, tt.errSubstr)
			assert.NotContains(t, r.Error, "hunter2", "handler errors are not echoed")
			assert.NotContains(t, r.Error, "goroutine", "no stack traces")
			if tt.status == 405 {
				assert.Equal(t, "POST", res.Header.Get("Allow"))
			}
			if tt.status == 422 {
				assert.Equal(t, []carik.Violation{{Path: "/data/message_id", Message: "required property is missing"}}, r.Violations)
			} else {
				assert.Empty(t, r.Violations)
			}
		})
	}
}

func TestReceiverStrict(t *testing.T) {
	t.Parallel()
	d := &recorder{}
	h := carik.NewReceiver(d, carik.WithoutVerification(), carik.WithParseOptions(carik.ParseOptions{Strict: true}), carik.WithLogger(quietLogger()))
	res := cariktest.Deliver(h, cariktest.Payload(carik.EventMessage, cariktest.Set("/data/status", "seen")), nil)
	assert.Equal(t, 422, res.StatusCode)
	assert.Equal(t, "/data/status", decodeResponse(t, res).Violations[0].Path)
	res = cariktest.Deliver(h, cariktest.Payload("order"), nil)
	assert.Equal(t, 422, res.StatusCode)
	assert.Equal(t, 0, d.count())
}

func TestReceiverMaxBodyBytes(t *testing.T) {
	t.Parallel()
	d := &recorder{}
	body := cariktest.Payload(carik.EventPayment, cariktest.Set("/data/note", strings.Repeat("x", 3000)))
	small := carik.NewReceiver(d, carik.WithoutVerification(), carik.WithMaxBodyBytes(1000), carik.WithLogger(quietLogger()))
	assert.Equal(t, 413, cariktest.Deliver(small, body, nil).StatusCode)

	// Without a Content-Length, reading stops at the limit too.
	req := httptest.NewRequest("POST", "/", io.MultiReader(bytes.NewReader(body)))
	req.ContentLength = -1
	rec := httptest.NewRecorder()
	small.ServeHTTP(rec, req)
	assert.Equal(t, 413, rec.Code)

	exact := carik.NewReceiver(d, carik.WithoutVerification(), carik.WithMaxBodyBytes(int64(len(body))), carik.WithLogger(quietLogger()))
	assert.Equal(t, 200, cariktest.Deliver(exact, body, nil).StatusCode, "a body of exactly the limit is read")
	ignored := carik.NewReceiver(d, carik.WithoutVerification(), carik.WithMaxBodyBytes(-1), carik.WithLogger(quietLogger()))
	assert.Equal(t, 200, cariktest.Deliver(ignored, body, nil).StatusCode, "a negative limit keeps the default")
	assert.Equal(t, 2, d.count())
}

func TestReceiverRejectHookSeesEveryRefusal(t *testing.T) {
	t.Parallel()
	var mu sync.Mutex
	var got []*carik.Rejection
	hook := func(_ context.Context, r *carik.Rejection) { mu.Lock(); got = append(got, r); mu.Unlock() }
	secret := cariktest.NewSecret()
	v, _ := carik.StandardWebhooks(secret)
	d := &recorder{fail: errors.New("busy")}
	h := carik.NewReceiver(d, carik.WithVerifier(v), carik.WithRejectHook(hook), carik.WithMaxBodyBytes(4096), carik.WithLogger(quietLogger()))
	signer := cariktest.NewSigner(secret)

	invalid := cariktest.Payload(carik.EventDevice, cariktest.Set("/data/status", 5))
	valid := cariktest.Payload(carik.EventDevice)
	cariktest.Deliver(h, invalid, nil)                 // 401
	signer.Deliver(h, []byte("{"))                     // 400
	signer.Deliver(h, invalid)                         // 422
	signer.Deliver(h, valid)                           // 500, handler error
	signer.Deliver(h, bytes.Repeat([]byte("a"), 5000)) // 413
	req := httptest.NewRequest("GET", "/", nil)        // 405: no hook
	h.ServeHTTP(httptest.NewRecorder(), req)

	require.Len(t, got, 5)
	statuses := []int{got[0].Status, got[1].Status, got[2].Status, got[3].Status, got[4].Status}
	assert.Equal(t, []int{401, 400, 422, 500, 413}, statuses)
	assert.Equal(t, invalid, got[0].Body, "the hook gets the exact body, so nothing is lost")
	assert.ErrorIs(t, got[0].Err, carik.ErrMissingSignature)
	var verr *carik.ValidationError
	assert.ErrorAs(t, got[2].Err, &verr)
	var herr *carik.HandlerError
	require.ErrorAs(t, got[3].Err, &herr)
	assert.EqualError(t, herr.Err, "busy")
	assert.Equal(t, carik.EventDevice, got[3].Event.Type())
	assert.NotEmpty(t, got[3].Header.Get("webhook-id"))
	var tooLarge *http.MaxBytesError
	assert.ErrorAs(t, got[4].Err, &tooLarge)
}

func TestReceiverSurvivesPanicsInHandlerAndHook(t *testing.T) {
	t.Parallel()
	var logs bytes.Buffer
	logger := slog.New(slog.NewJSONHandler(&syncWriter{w: &logs}, nil))
	h := carik.NewReceiver(&recorder{panics: true}, carik.WithoutVerification(), carik.WithLogger(logger),
		carik.WithRejectHook(func(context.Context, *carik.Rejection) { panic("hook bug") }))
	srv := httptest.NewServer(h)
	defer srv.Close()
	for range 3 {
		res, err := http.Post(srv.URL, "application/json", bytes.NewReader(cariktest.Payload(carik.EventMessage)))
		require.NoError(t, err)
		assert.Equal(t, 500, res.StatusCode)
		body, _ := io.ReadAll(res.Body)
		res.Body.Close()
		assert.NotContains(t, string(body), "handler bug")
	}
	assert.Equal(t, 3, strings.Count(logs.String(), `"verdict":"handler_panic"`), "one line per request")
	assert.Contains(t, logs.String(), "reject hook panicked")
	assert.Contains(t, logs.String(), "goroutine", "the stack goes to the log")
}

func TestReceiverLogsEachRequestOnce(t *testing.T) {
	t.Parallel()
	var logs bytes.Buffer
	logger := slog.New(slog.NewJSONHandler(&syncWriter{w: &logs}, &slog.HandlerOptions{Level: slog.LevelDebug}))
	secret := cariktest.NewSecret()
	v, _ := carik.StandardWebhooks(secret)
	h := carik.NewReceiver(carik.NewRouter(), carik.WithVerifier(v), carik.WithLogger(logger))
	signer := cariktest.NewSigner(secret)
	signer.Deliver(h, cariktest.Payload(carik.EventPayment))
	signer.Deliver(h, cariktest.Payload(carik.EventPayment, cariktest.Delete("/data/transaction_id")))
	cariktest.Deliver(h, cariktest.Payload(carik.EventPayment), nil)

	var lines []map[string]any
	for _, l := range strings.Split(strings.TrimSpace(logs.String()), "\n") {
		var m map[string]any
		require.NoError(t, json.Unmarshal([]byte(l), &m))
		lines = append(lines, m)
	}
	require.Len(t, lines, 3)
	assert.Equal(t, []any{"INFO", "WARN", "WARN"}, []any{lines[0]["level"], lines[1]["level"], lines[2]["level"]})
	assert.Equal(t, []any{"delivered", "invalid", "unverified"}, []any{lines[0]["verdict"], lines[1]["verdict"], lines[2]["verdict"]})
	assert.Equal(t, "payment", lines[0]["event"])
	assert.Equal(t, "payment", lines[1]["event"])
	assert.Contains(t, lines[0], "latency")
	assert.Contains(t, lines[0], "webhook_id")
	assert.NotContains(t, logs.String(), secret)
}

func TestNewReceiverPanicsOnMisuse(t *testing.T) {
	t.Parallel()
	assert.PanicsWithValue(t, "carik: NewReceiver: pass WithVerifier(v), for example with carik.StandardWebhooks(secret), "+
		"or WithoutVerification() to accept unauthenticated requests", func() { carik.NewReceiver(carik.NewRouter()) })
	assert.Panics(t, func() { carik.NewReceiver(carik.NewRouter(), carik.WithVerifier(nil)) }, "a nil verifier is a no-op")
	assert.Panics(t, func() {
		carik.NewReceiver(carik.NewRouter(), carik.WithVerifier(carik.TokenHeader("t", "x")), carik.WithoutVerification())
	})
	assert.Panics(t, func() { carik.NewReceiver(nil, carik.WithoutVerification()) })
}

func TestReceiverConcurrentDeliveries(t *testing.T) {
	t.Parallel()
	secret := cariktest.NewSecret()
	v, _ := carik.StandardWebhooks(secret)
	var seen sync.Map
	var dup atomic.Int64
	router := carik.NewRouter()
	router.OnMessage(func(_ context.Context, e *carik.MessageEvent) error {
		if _, loaded := seen.LoadOrStore(e.Data.MessageID, true); loaded {
			dup.Add(1)
		}
		return nil
	})
	srv := httptest.NewServer(carik.NewReceiver(router, carik.WithVerifier(v), carik.WithLogger(quietLogger())))
	defer srv.Close()
	signer := cariktest.NewSigner(secret)
	const workers, each = 16, 25
	var wg sync.WaitGroup
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range each {
				body := cariktest.Payload(carik.EventMessage, cariktest.Set("/data/message_id", idOf(w, i)))
				req, _ := http.NewRequest("POST", srv.URL, bytes.NewReader(body))
				req.Header = signer.Sign(body)
				res, err := srv.Client().Do(req)
				if !assert.NoError(t, err) {
					return
				}
				io.Copy(io.Discard, res.Body)
				res.Body.Close()
				assert.Equal(t, 200, res.StatusCode)
			}
		}()
	}
	wg.Wait()
	n := 0
	seen.Range(func(any, any) bool { n++; return true })
	assert.Equal(t, workers*each, n, "every delivery dispatched")
	assert.Zero(t, dup.Load(), "none dispatched twice")
}

func idOf(w, i int) string {
	return "m-" + string(rune('a'+w)) + "-" + string(rune('0'+i/10)) + string(rune('0'+i%10))
}

// syncWriter serializes writes from concurrent requests to one buffer.
type syncWriter struct {
	mu sync.Mutex
	w  io.Writer
}

func (s *syncWriter) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.w.Write(p)
}

func TestReceiverBoundsTheViolationsItAnswers(t *testing.T) {
	t.Parallel()
	h := carik.NewReceiver(carik.NewRouter(), carik.WithoutVerification(), carik.WithLogger(quietLogger()),
		carik.WithParseOptions(carik.ParseOptions{Strict: true}))
	opts := []cariktest.Option{}
	for i := range 500 {
		opts = append(opts, cariktest.Set(fmt.Sprintf("/data/extra_%03d", i), i))
	}
	res := cariktest.Deliver(h, cariktest.Payload(carik.EventMessage, opts...), nil)
	assert.Equal(t, 422, res.StatusCode)
	assert.Less(t, res.ContentLength, int64(8<<10), "the answer stays small")
	r := decodeResponse(t, res)
	require.NotEmpty(t, r.Violations)
	assert.LessOrEqual(t, len(r.Violations), 100)
	assert.Equal(t, fmt.Sprintf("payload breaks the schema: 500 violations, the first %d listed", len(r.Violations)), r.Error)
	assert.Equal(t, "/data/extra_000", r.Violations[0].Path)
}

// TestReceiverAnswersTheRealTotal: past MaxViolations, the 422 answer gives the real number of
// violations, and lists no "N more violations not listed" entry as if it were one.
func TestReceiverAnswersTheRealTotal(t *testing.T) {
	t.Parallel()
	h := carik.NewReceiver(carik.NewRouter(), carik.WithoutVerification(), carik.WithLogger(quietLogger()))
	body := []byte(`{"event":"message","data":{"message_id":"a","status":"read","x":[` + repeatJoin("1e999", 5000) + `]}}`)
	res := cariktest.Deliver(h, body, nil)
	assert.Equal(t, 422, res.StatusCode)
	r := decodeResponse(t, res)
	require.NotEmpty(t, r.Violations)
	assert.Equal(t, fmt.Sprintf("payload breaks the schema: 5000 violations, the first %d listed", len(r.Violations)), r.Error)
	for _, v := range r.Violations {
		assert.NotEmpty(t, v.Path, "only violations are listed: %v", v)
	}
}

// TestReceiverBodyLongerThanItsContentLength: middleware in front of the receiver that replaces
// the body (a decompressing one, say) may leave Content-Length as it was. The receiver reads the
// body it is given, up to its limit, rather than refusing a delivery its sender got right.
func TestReceiverBodyLongerThanItsContentLength(t *testing.T) {
	t.Parallel()
	body := []byte(`{"event":"message","data":{"message_id":"m1","status":"read","phone":"` + strings.Repeat("6", 40<<10) + `"}}`)
	tests := []struct {
		name          string
		contentLength int64
		limit         int64
		status        int
	}{
		{"announced small, under 16 KiB", 40, carik.DefaultMaxBodyBytes, http.StatusOK},
		{"announced a little less", int64(len(body)) - 1, carik.DefaultMaxBodyBytes, http.StatusOK},
		{"announced 20 KiB", 20 << 10, carik.DefaultMaxBodyBytes, http.StatusOK},
		{"announced under the limit, body over it", 100, 32 << 10, http.StatusRequestEntityTooLarge},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			rec := &recorder{}
			h := carik.NewReceiver(rec, carik.WithoutVerification(), carik.WithMaxBodyBytes(tt.limit), carik.WithLogger(quietLogger()))
			req := httptest.NewRequest(http.MethodPost, "/webhook", bytes.NewReader(body))
			req.ContentLength = tt.contentLength // what the body was before the middleware changed it
			w := httptest.NewRecorder()
			h.ServeHTTP(w, req)
			assert.Equal(t, tt.status, w.Code, w.Body.String())
			if tt.status == http.StatusOK {
				require.Equal(t, 1, rec.count())
				assert.Equal(t, body, []byte(rec.events[0].Raw()))
			}
		})
	}
}

// TestReceiverLogLineStaysSmallWhateverTheHandlerSays: a handler's error often quotes the
// payload (fmt.Errorf("order %q not found", id)), and a panic's value may too; the log line
// still stays under 8 KiB, with the start of the error and of the stack, and says how long
// they were.
func TestReceiverLogLineStaysSmallWhateverTheHandlerSays(t *testing.T) {
	t.Parallel()
	long := strings.Repeat("x", 1<<20)
	for name, d := range map[string]carik.DispatchFunc{
		"error": func(context.Context, carik.Event) error { return fmt.Errorf("order %q not found", long) },
		"panic": func(context.Context, carik.Event) error { panic("order " + long) },
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			var logs lineRecorder
			var text bytes.Buffer
			logger := slog.New(slog.NewJSONHandler(io.MultiWriter(&syncWriter{w: &text}, &logs), nil))
			h := carik.NewReceiver(d, carik.WithoutVerification(), carik.WithLogger(logger))
			res := cariktest.Deliver(h, cariktest.Payload(carik.EventMessage), nil)
			assert.Equal(t, http.StatusInternalServerError, res.StatusCode)
			assert.LessOrEqual(t, logs.longest(), 8<<10, "log line")
			assert.Contains(t, text.String(), "order ")
			assert.Regexp(t, `\.\.\.\(104\d{4} bytes\)`, text.String(), "says how long the error was")
		})
	}
}

// TestReceiverHugeLimit: a limit as large as an int64 goes (a way to say "no limit") still
// reads bodies, with or without a Content-Length, instead of panicking on the limit + 1.
func TestReceiverHugeLimit(t *testing.T) {
	t.Parallel()
	body := cariktest.Payload(carik.EventMessage)
	for name, contentLength := range map[string]int64{"chunked": -1, "announced": int64(len(body)), "announced less": 10} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			rec := &recorder{}
			h := carik.NewReceiver(rec, carik.WithoutVerification(), carik.WithMaxBodyBytes(math.MaxInt64), carik.WithLogger(quietLogger()))
			req := httptest.NewRequest(http.MethodPost, "/webhook", bytes.NewReader(body))
			req.ContentLength = contentLength
			w := httptest.NewRecorder()
			require.NotPanics(t, func() { h.ServeHTTP(w, req) })
			assert.Equal(t, http.StatusOK, w.Code, w.Body.String())
			assert.Equal(t, 1, rec.count())
		})
	}
}
