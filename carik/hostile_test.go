package carik_test

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"runtime"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/CarikBot/carik-go/carik"
	"github.com/CarikBot/carik-go/carik/cariktest"
)

// hostile is a body anyone could POST to a public webhook URL, with what must become of it.
type hostile struct {
	name   string
	body   func() []byte
	parse  string // "ok", "malformed" or "invalid"
	status int    // the receiver's answer, with a 16 MiB limit
}

func repeatJoin(item string, n int) string {
	return strings.TrimSuffix(strings.Repeat(item+",", n), ",")
}

var hostileBodies = []hostile{
	{"nesting 100,000 deep", func() []byte {
		return []byte(`{"event": "module", "data": {"x": ` + strings.Repeat("[", 100_000) + strings.Repeat("]", 100_000) + `}}`)
	}, "malformed", 400},
	{"nesting 100,000 deep, unclosed", func() []byte { return []byte(strings.Repeat(`{"a":`, 100_000)) }, "malformed", 400},
	{"10 MB string", func() []byte {
		return []byte(`{"event": "payment", "data": {"transaction_id": "T", "note": "` + strings.Repeat("x", 10<<20) + `"}}`)
	}, "ok", 200},
	{"10 MB of escapes", func() []byte {
		return []byte(`{"event": "payment", "data": {"transaction_id": "T", "note": "` + strings.Repeat(`\u00e9`, 2<<20) + `"}}`)
	}, "ok", 200},
	{"invalid UTF-8 in a value", func() []byte {
		return []byte("{\"event\": \"message\", \"data\": {\"message_id\": \"m\xff\", \"status\": \"read\"}}")
	}, "malformed", 400},
	{"invalid UTF-8 in a key", func() []byte { return []byte("{\"event\": \"module\", \"data\": {\"\xc3\x28\": 1}}") }, "malformed", 400},
	{"UTF-16 surrogate encoded in UTF-8", func() []byte { return []byte("{\"event\": \"module\", \"data\": {\"s\": \"\xed\xa0\x80\"}}") }, "malformed", 400},
	{"duplicate key at the top", func() []byte {
		return []byte(`{"event": "message", "event": "device", "data": {"device_id": "D", "status": "connected"}}`)
	}, "malformed", 400},
	{"duplicate key in data", func() []byte {
		return []byte(`{"event": "message", "data": {"message_id": "m", "status": "read", "status": "seen"}}`)
	}, "malformed", 400},
	{"byte-order mark", func() []byte { return append([]byte{0xEF, 0xBB, 0xBF}, cariktest.Payload(carik.EventDevice)...) }, "malformed", 400},
	{"raw NUL byte in a string", func() []byte {
		return []byte("{\"event\": \"message\", \"data\": {\"message_id\": \"m\x00\", \"status\": \"read\"}}")
	}, "malformed", 400},
	{"NUL byte after the object", func() []byte { return append(cariktest.Payload(carik.EventDevice), 0) }, "malformed", 400},
	{"escaped NUL in a string", func() []byte {
		return []byte(`{"event": "message", "data": {"message_id": "m\u0000", "status": "read"}}`)
	}, "ok", 200},
	{"array", func() []byte { return []byte(`[` + string(cariktest.Payload(carik.EventDevice)) + `]`) }, "malformed", 400},
	{"string", func() []byte { return []byte(`"message"`) }, "malformed", 400},
	{"number", func() []byte { return []byte(`1e999999999`) }, "malformed", 400},
	{"null", func() []byte { return []byte(`null`) }, "malformed", 400},
	{"trailing data", func() []byte { return append(cariktest.Payload(carik.EventDevice), []byte(` {"event": "x"}`)...) }, "malformed", 400},
	{"number far beyond float64", func() []byte { return []byte(`{"event": "module", "data": {"n": 1e999999999}}`) }, "invalid", 422},
	{"number with a million digits", func() []byte {
		return []byte(`{"event": "payment", "data": {"transaction_id": "T", "amount": ` + strings.Repeat("9", 1_000_000) + `}}`)
	}, "invalid", 422},
	{"100,000 numbers far beyond float64", func() []byte {
		return []byte(`{"event": "module", "data": {"n": [` + repeatJoin("-1e999999999", 100_000) + `]}}`)
	}, "invalid", 422},
	{"10,000 numbers of 64 digits", func() []byte {
		return []byte(`{"event": "module", "data": {"n": [` + repeatJoin("0."+strings.Repeat("7", 62), 10_000) + `]}}`)
	}, "ok", 200},
	{"number underflowing a bounded field", func() []byte {
		return []byte(`{"event": "payment", "data": {"transaction_id": "T", "amount": 1e-1000001}}`)
	}, "invalid", 422},
	{"zero with a huge exponent in a bounded field", func() []byte {
		return []byte(`{"event": "payment", "data": {"transaction_id": "T", "amount": 0.0e-99999999999999999999}}`)
	}, "invalid", 422},
	{"keys differing only in case in data", func() []byte {
		return []byte(`{"event": "payment", "data": {"transaction_id": "T", "status": "paid", "Status": "failed"}}`)
	}, "malformed", 400},
	{"keys differing only in case at the top", func() []byte {
		return []byte(`{"event": "payment", "Event": "message", "data": {"transaction_id": "T"}}`)
	}, "malformed", 400},
	{"keys differing only by the Kelvin sign", func() []byte {
		return []byte(`{"event": "module", "data": {"kind": 1, "\u212aind": 2}}`)
	}, "malformed", 400},
	{"null data", func() []byte { return []byte(`{"event": "device", "data": null}`) }, "invalid", 422},
	{"null event", func() []byte { return []byte(`{"event": null, "data": {}}`) }, "invalid", 422},
	{"null required string", func() []byte {
		return []byte(`{"event": "message", "data": {"message_id": null, "status": null}}`)
	}, "invalid", 422},
	{"null optional fields", func() []byte {
		return []byte(`{"event": "payment", "platform": null, "data": {"transaction_id": "T", "amount": null}}`)
	}, "invalid", 422},
}

// TestHostileBodies feeds Parse and the receiver what an attacker might: each gets an error
// or the right status, without a panic and in bounded time.
func TestHostileBodies(t *testing.T) {
	t.Parallel()
	receiver := carik.NewReceiver(carik.NewRouter(), carik.WithoutVerification(), carik.WithMaxBodyBytes(16<<20),
		carik.WithLogger(slog.New(slog.DiscardHandler)))
	for _, h := range hostileBodies {
		t.Run(h.name, func(t *testing.T) {
			t.Parallel()
			body := h.body()
			start := time.Now()
			ev, err := carik.Parse(body)
			elapsed := time.Since(start)
			var verr *carik.ValidationError
			switch h.parse {
			case "ok":
				require.NoError(t, err)
				assert.NotNil(t, ev)
			case "malformed":
				assert.ErrorIs(t, err, carik.ErrMalformed)
			case "invalid":
				require.ErrorAs(t, err, &verr)
				assert.NotEmpty(t, verr.Violations)
			}
			// Linear work: even 10 MB parse in well under a second without -race.
			bound := 5 * time.Second
			if raceEnabled {
				bound *= 6
			}
			assert.Less(t, elapsed, bound, "Parse took %s", elapsed)
			res := cariktest.Deliver(receiver, body, nil)
			assert.Equal(t, h.status, res.StatusCode)
		})
	}
}

// TestHostileBodyOverTheLimit runs alone (not parallel): it measures the process's allocations.
func TestHostileBodyOverTheLimit(t *testing.T) {
	receiver := carik.NewReceiver(carik.NewRouter(), carik.WithoutVerification(), carik.WithLogger(slog.New(slog.DiscardHandler)))
	body := bytes.Repeat([]byte("a"), 50<<20)
	req, _ := http.NewRequest("POST", "/", io.NopCloser(bytes.NewReader(body)))
	req.ContentLength = -1 // no Content-Length: the limit must stop the read itself
	rec := &countingRecorder{header: http.Header{}}
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	receiver.ServeHTTP(rec, req)
	runtime.ReadMemStats(&after)
	assert.Equal(t, 413, rec.status)
	allocated := after.TotalAlloc - before.TotalAlloc
	t.Logf("a 50 MB body against the 1 MiB limit allocated %d KiB", allocated>>10)
	assert.Less(t, allocated, uint64(12<<20), "memory stays near the 1 MiB limit, not the 50 MB body")
}

type countingRecorder struct {
	header http.Header
	status int
}

func (r *countingRecorder) Header() http.Header         { return r.header }
func (r *countingRecorder) Write(p []byte) (int, error) { return len(p), nil }
func (r *countingRecorder) WriteHeader(status int)      { r.status = status }

// TestParseTimeIsLinear checks that parsing time grows with the size of a string, not faster.
func TestParseTimeIsLinear(t *testing.T) {
	if testing.Short() {
		t.Skip("timing")
	}
	best := func(n int) time.Duration {
		body := []byte(`{"event": "payment", "data": {"transaction_id": "T", "note": "` + strings.Repeat("é", n/2) + `"}}`)
		min := time.Hour
		for range 3 {
			start := time.Now()
			_, err := carik.Parse(body)
			require.NoError(t, err)
			if d := time.Since(start); d < min {
				min = d
			}
		}
		return min
	}
	small, large := best(1<<20), best(10<<20)
	t.Logf("1 MB string: %s; 10 MB: %s (x%.1f)", small, large, float64(large)/float64(small))
	assert.Less(t, float64(large)/float64(small), 30.0, "1 MB: %s, 10 MB: %s", small, large)
}

// TestManyOutOfRangeNumbersCostMicroseconds measures the cost of each number the limits
// refuse, so that a body packed with them cannot tie up a CPU.
func TestManyOutOfRangeNumbersCostMicroseconds(t *testing.T) {
	if testing.Short() {
		t.Skip("timing")
	}
	const n = 100_000
	for _, number := range []string{"1e999999999", "-1" + strings.Repeat("0", 400), "0." + strings.Repeat("1", 70)} {
		body := []byte(`{"event": "module", "data": {"n": [` + repeatJoin(number, n) + `]}}`)
		start := time.Now()
		_, err := carik.Parse(body)
		per := time.Since(start) / n
		var verr *carik.ValidationError
		require.True(t, errors.As(err, &verr))
		listed := len(verr.Violations) - 1
		require.LessOrEqual(t, listed, carik.MaxViolations, "the list is capped")
		assert.Greater(t, listed, 500, "64 KiB of violations hold hundreds of short ones")
		assert.Equal(t, carik.Violation{Path: "", Message: fmt.Sprintf("%d more violations not listed", n-listed)},
			verr.Violations[listed])
		assert.Less(t, len(err.Error()), 2000, "the message lists the first few only")
		limit := 20 * time.Microsecond
		if raceEnabled {
			limit *= 10
		}
		t.Logf("%s... (%d characters): %s per number", number[:8], len(number), per)
		assert.Less(t, per, limit, "%s: %s per number", number[:8], per)
	}
}

// TestLongPathsAreCut: a violation under a long key or deep nesting keeps a short, valid
// prefix of its pointer and says so, however many values sit there.
func TestLongPathsAreCut(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, body string
	}{
		{"long key", `{"event":"module","data":{"` + strings.Repeat("k", 100_000) + `":[1e999,1e999]}}`},
		{"key of slashes", `{"event":"module","data":{"` + strings.Repeat("/", 100_000) + `":[1e999,1e999]}}`},
		{"deep nesting", `{"event":"module","data":{"a":` + strings.Repeat("[", 5000) + "1e999" + strings.Repeat("]", 5000) + `}}`},
		{"long unknown key, strict", `{"event":"device","data":{"device_id":"d","status":"connected","` + strings.Repeat("~", 100_000) + `":1}}`},
		{"envelope key cut inside a character, strict", `{"event":"module","data":{},"` + strings.Repeat("a", 510) + "😀" + `":1}`},
		{"refused number under an envelope key cut inside a character", `{"event":"module","data":{},"` + strings.Repeat("a", 510) + "😀" + `":1e999}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			err := carik.ParseOptions{Strict: true}.Validate([]byte(tt.body))
			var verr *carik.ValidationError
			require.ErrorAs(t, err, &verr)
			for _, v := range verr.Violations {
				assert.LessOrEqual(t, len(v.Path), carik.MaxPathBytes)
				assert.Greater(t, len(v.Path), carik.MaxPathBytes-4, "cut no more than needed")
				assert.True(t, strings.HasPrefix(v.Path, "/data/") || strings.HasPrefix(v.Path, "/aaaa"), v.Path[:20])
				assert.True(t, utf8.ValidString(v.Path), "a valid pointer holds no half character")
				assert.NotRegexp(t, `~[^01]|~$`, v.Path, "a valid pointer: never ends inside an escape")
				assert.True(t, strings.HasSuffix(v.Message, " (path cut to its first 512 bytes)"), v.Message)
			}
			assert.Less(t, len(err.Error()), 4<<10)
		})
	}
}

// TestReceiverMemoryFollowsTheBytesReceived: a request head that announces a large body costs
// nothing until the bytes arrive; a sender that stalls holds a small buffer, not the announced
// size. It runs alone (not parallel): it reads the process's allocation counters.
func TestReceiverMemoryFollowsTheBytesReceived(t *testing.T) {
	receiver := carik.NewReceiver(carik.NewRouter(), carik.WithoutVerification(), carik.WithMaxBodyBytes(2<<30),
		carik.WithLogger(slog.New(slog.DiscardHandler)))
	stalled := &stallingBody{first: []byte(`{"event":`), release: make(chan struct{}), reading: make(chan struct{})}
	req, _ := http.NewRequest("POST", "/", stalled)
	req.ContentLength = 1 << 30 // a 1 GiB announcement, with 9 bytes sent
	rec := &countingRecorder{header: http.Header{}}
	var before, during runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	done := make(chan struct{})
	go func() {
		defer close(done)
		receiver.ServeHTTP(rec, req)
	}()
	<-stalled.reading
	runtime.ReadMemStats(&during)
	close(stalled.release)
	<-done
	allocated := during.TotalAlloc - before.TotalAlloc
	t.Logf("a stalled request announcing 1 GiB holds %d KiB", allocated>>10)
	assert.Less(t, allocated, uint64(1<<20), "memory follows the bytes received, not Content-Length")
	assert.Equal(t, 400, rec.status, "the body ended early")
}

// stallingBody returns first, then blocks until release, then ends early.
type stallingBody struct {
	first   []byte
	sent    bool
	release chan struct{}
	reading chan struct{}
}

func (b *stallingBody) Read(p []byte) (int, error) {
	if !b.sent {
		b.sent = true
		return copy(p, b.first), nil
	}
	close(b.reading)
	<-b.release
	return 0, io.ErrUnexpectedEOF
}

func (b *stallingBody) Close() error { return nil }
