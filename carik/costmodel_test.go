package carik_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/CarikBot/carik-go/carik"
)

// A hostile shape builds a body of exactly size bytes (or a few less) meant to make the SDK
// spend as much as possible on it.
type hostileShape struct {
	name   string
	strict bool
	status int // the receiver's answer
	body   func(size int) []byte
}

// fill ends a body: prefix, then item repeated (comma-separated) to reach about size bytes,
// then suffix.
func fill(size int, prefix, item, suffix string) []byte {
	n := (size - len(prefix) - len(suffix)) / (len(item) + 1)
	if n < 1 {
		n = 1
	}
	return []byte(prefix + repeatJoin(item, n) + suffix)
}

var hostileShapes = []hostileShape{
	{"long key above refused numbers", false, 422, func(size int) []byte {
		return fill(size, `{"event":"module","data":{"`+strings.Repeat("k", size/2)+`":[`, "1e999", `]}}`)
	}},
	{"key of slashes above refused numbers", false, 422, func(size int) []byte {
		return fill(size, `{"event":"module","data":{"`+strings.Repeat("/", size/2)+`":[`, "1e999", `]}}`)
	}},
	{"deep nesting above refused numbers", false, 422, func(size int) []byte {
		const depth = 9_000
		return fill(size, `{"event":"module","data":{"a":`+strings.Repeat(`[`, depth), "1e999", strings.Repeat(`]`, depth)+`}}`)
	}},
	{"objects nested ever deeper above refused numbers", false, 422, func(size int) []byte {
		depth := size / 1000 // grows with the body: a cost per level and per byte below it is quadratic
		return fill(size, `{"event":"module","data":`+strings.Repeat(`{"a":`, depth)+`[`, "1e999", `]`+strings.Repeat(`}`, depth)+`}`)
	}},
	{"refused numbers under a long key, each listed before the last", false, 422, func(size int) []byte {
		var b strings.Builder
		b.WriteString(`{"event":"module","data":{"` + strings.Repeat("k", 500) + `":{`)
		for i := 9_999_999; b.Len() < size-20; i-- {
			fmt.Fprintf(&b, `"%d":1e999,`, i)
		}
		return []byte(b.String() + `"x":0}}}`)
	}},
	{"many refused numbers", false, 422, func(size int) []byte {
		return fill(size, `{"event":"module","data":{"n":[`, "-1e99999", `]}}`)
	}},
	{"many underflowing numbers", false, 422, func(size int) []byte {
		return fill(size, `{"event":"module","data":{"n":[`, "1e-1000001", `]}}`)
	}},
	{"many unknown properties, strict", true, 422, func(size int) []byte {
		var b strings.Builder
		for i := 0; b.Len() < size-100; i++ {
			fmt.Fprintf(&b, `"p%d":0,`, i)
		}
		return []byte(`{"event":"message","data":{` + b.String() + `"message_id":"m","status":"read"}}`)
	}},
	{"many unknown properties kept in Extra", false, 200, func(size int) []byte {
		var b strings.Builder
		for i := 0; b.Len() < size-100; i++ {
			fmt.Fprintf(&b, `"%x":0,`, i)
		}
		return []byte(`{"event":"payment","data":{` + b.String() + `"transaction_id":"t"}}`)
	}},
	{"long unknown property keys, strict", true, 422, func(size int) []byte {
		var b strings.Builder
		for i := 0; b.Len() < size-(64<<10)-100; i++ {
			fmt.Fprintf(&b, `"%d%s":0,`, i, strings.Repeat("/", 60<<10))
		}
		return []byte(`{"event":"message","data":{` + b.String() + `"message_id":"m","status":"read"}}`)
	}},
	{"long unknown status, strict", true, 422, func(size int) []byte {
		return []byte(`{"event":"message","data":{"message_id":"m","status":"` + strings.Repeat("s", size-60) + `"}}`)
	}},
	{"long unknown event type, strict", true, 422, func(size int) []byte {
		return []byte(`{"event":"` + strings.Repeat("e", size-30) + `","data":{}}`)
	}},
	{"long unknown event type", false, 200, func(size int) []byte {
		return []byte(`{"event":"` + strings.Repeat("e", size-30) + `","data":{}}`)
	}},
	{"many escapes", false, 200, func(size int) []byte {
		return fill(size, `{"event":"payment","data":{"transaction_id":"T","note":"`, `\u00e9\n\"`, `"}}`)
	}},
	{"long duplicate key", false, 400, func(size int) []byte {
		k := strings.Repeat("d", size/2-40)
		return []byte(`{"event":"module","data":{"` + k + `":1,"` + k + `":2}}`)
	}},
	{"long keys differing in case", false, 400, func(size int) []byte {
		k := strings.Repeat("d", size/2-40)
		return []byte(`{"event":"module","data":{"` + k + `":1,"D` + k[1:] + `":2}}`)
	}},
	{"many wrong types in module data", false, 200, func(size int) []byte {
		return fill(size, `{"event":"module","data":{"x":[`, `{"a":[true,null,"s",{}]}`, `]}}`)
	}},
	{"one-member objects in module data", false, 200, func(size int) []byte {
		return fill(size, `{"event":"module","data":{"x":[`, `{"":0}`, `]}}`)
	}},
	{"one-member objects in an unknown event's data", false, 200, func(size int) []byte {
		return fill(size, `{"event":"zzz","data":{"x":[`, `{"":0}`, `]}}`)
	}},
	{"many numbers in module data", false, 200, func(size int) []byte {
		return fill(size, `{"event":"module","data":{"x":[`, `0`, `]}}`)
	}},
	{"refused numbers before many objects", false, 422, func(size int) []byte {
		return fill(size, `{"event":"payment","data":{"transaction_id":"t","x":[`+repeatJoin("1e999", 1001)+`,`, `{"":0}`, `]}}`)
	}},
	{"nested one-member objects in module data", false, 200, func(size int) []byte {
		return fill(size, `{"event":"module","data":{"x":[`, strings.Repeat(`{"":`, 500)+`0`+strings.Repeat(`}`, 500), `]}}`)
	}},
}

// likeEncodingJSON names the shapes whose cost is that of the open data they are: a module or
// unknown event keeps its data as map[string]any, and a map costs about 300 bytes whatever it
// holds, so an object of one member nested in another (5 bytes: {"":...}) costs more than 64
// times its bytes to anyone who decodes it into an any. Their bound is encoding/json's own
// allocation decoding the same body into an any, plus the body (the copy Raw returns).
var likeEncodingJSON = map[string]bool{"nested one-member objects in module data": true}

// encodingJSONAlloc is what json.Unmarshal into an any allocates on body.
func encodingJSONAlloc(body []byte) uint64 {
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	var v any
	_ = json.Unmarshal(body, &v)
	runtime.ReadMemStats(&after)
	return after.TotalAlloc - before.TotalAlloc
}

// Bounds every hostile body must keep, whatever its shape.
const (
	maxAllocPerBodyByte = 64      // bytes allocated by Parse per byte of body
	maxAnswerBytes      = 8 << 10 // a 422 or 400 answer
	maxLogLineBytes     = 8 << 10 // the receiver's log line for the request
	smallBodyBytes      = 128 << 10
	// time at 1 MiB over time at 128 KiB: linear is 8, quadratic 64. The sizes are far apart
	// so that a shared machine's noise (ratios of 10-12 seen for linear shapes between 256 KiB
	// and 1 MiB, bound 10) stays far from the bound and a quadratic cost still far above it.
	maxTimeGrowth = 24.0
)

// cost is what one body cost the SDK.
type cost struct {
	parse     time.Duration // best of a few runs
	allocated uint64        // bytes allocated by one Parse
	answer    int           // bytes of the receiver's answer
	logLine   int           // bytes of the receiver's log line
	status    int
}

func measureCost(t *testing.T, s hostileShape, body []byte) cost {
	t.Helper()
	opts := carik.ParseOptions{Strict: s.strict}
	var c cost
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	_, err := opts.Parse(body)
	runtime.ReadMemStats(&after)
	c.allocated = after.TotalAlloc - before.TotalAlloc
	if s.status == http.StatusOK {
		require.NoError(t, err)
	} else {
		require.Error(t, err)
	}
	c.parse = bestParseTime(opts, body, 3)

	var logs lineRecorder
	receiver := carik.NewReceiver(carik.NewRouter(), carik.WithoutVerification(), carik.WithParseOptions(opts),
		carik.WithLogger(slog.New(slog.NewTextHandler(&logs, nil))))
	req := httptest.NewRequest(http.MethodPost, "/webhook", bytes.NewReader(body))
	req.Header.Set("Webhook-Id", "msg_"+strings.Repeat("i", 1<<20))
	rec := httptest.NewRecorder()
	receiver.ServeHTTP(rec, req)
	c.status = rec.Code
	c.answer = rec.Body.Len()
	c.logLine = logs.longest()
	return c
}

// bestParseTime returns the shortest of n parses of body.
func bestParseTime(opts carik.ParseOptions, body []byte, n int) time.Duration {
	best := time.Hour
	for range n {
		start := time.Now()
		opts.Parse(body)
		best = min(best, time.Since(start))
	}
	return best
}

// lineRecorder keeps the length of the longest line written to it.
type lineRecorder struct {
	mu      sync.Mutex
	maxLine int
	current int
}

func (l *lineRecorder) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	for _, b := range p {
		if b == '\n' {
			l.maxLine = max(l.maxLine, l.current)
			l.current = 0
			continue
		}
		l.current++
	}
	return len(p), nil
}

func (l *lineRecorder) longest() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return max(l.maxLine, l.current)
}

// TestHostileCostModel builds every hostile shape at 128 KiB and at the default 1 MiB limit
// and checks the cost model: allocation at most 64x the body, time linear in the body, the
// answer and the log line small. It runs alone (not parallel): it reads the process's
// allocation counters. CARIK_COST_REPORT=file appends the measured table to file.
func TestHostileCostModel(t *testing.T) {
	if testing.Short() {
		t.Skip("measures time and memory")
	}
	var report strings.Builder
	fmt.Fprintf(&report, "| body (1 MiB) | Parse time | allocated | answer | log line |\n|---|---|---|---|---|\n")
	for _, s := range hostileShapes {
		t.Run(s.name, func(t *testing.T) {
			small := s.body(smallBodyBytes)
			large := s.body(carik.DefaultMaxBodyBytes)
			require.LessOrEqual(t, len(large), carik.DefaultMaxBodyBytes)
			cs := measureCost(t, s, small)
			cl := measureCost(t, s, large)
			// Other packages' tests share the machine: time both sizes in turn, keep the best.
			for range 4 {
				cs.parse = min(cs.parse, bestParseTime(carik.ParseOptions{Strict: s.strict}, small, 1))
				cl.parse = min(cl.parse, bestParseTime(carik.ParseOptions{Strict: s.strict}, large, 1))
			}
			t.Logf("1 MiB: %s, %.1f MiB allocated (%.1fx the body), answer %d B, log line %d B; 128 KiB: %s",
				cl.parse, float64(cl.allocated)/(1<<20), float64(cl.allocated)/float64(len(large)), cl.answer, cl.logLine, cs.parse)
			fmt.Fprintf(&report, "| %s | %s | %.1f MiB | %d B | %d B |\n", s.name, cl.parse.Round(10*time.Microsecond),
				float64(cl.allocated)/(1<<20), cl.answer, cl.logLine)

			assert.Equal(t, s.status, cl.status, "the receiver's answer")
			if likeEncodingJSON[s.name] {
				floor := encodingJSONAlloc(large)
				t.Logf("encoding/json into an any: %.1fx the body", float64(floor)/float64(len(large)))
				assert.LessOrEqual(t, cl.allocated, floor+uint64(len(large)), "allocation beyond encoding/json's")
			} else {
				assert.LessOrEqual(t, cl.allocated, uint64(maxAllocPerBodyByte*len(large)), "allocation per body byte")
			}
			assert.LessOrEqual(t, cl.answer, maxAnswerBytes, "answer size")
			assert.LessOrEqual(t, cl.logLine, maxLogLineBytes, "log line size")
			// Tiny times are all noise; linearity matters once parsing takes a while.
			if cl.parse > 2*time.Millisecond {
				growth := float64(cl.parse) / float64(cs.parse)
				assert.LessOrEqual(t, growth, maxTimeGrowth, "time grows faster than the body: %s at 128 KiB, %s at 1 MiB", cs.parse, cl.parse)
			}
		})
	}
	fmt.Fprintf(&report, "\n%s\n", attackerRates(t))
	t.Log("\n" + report.String())
	if path := os.Getenv("CARIK_COST_REPORT"); path != "" {
		require.NoError(t, os.WriteFile(path, []byte(report.String()), 0o644))
	}
}

// slowestShape names the hostile shape that takes Parse the longest, for attackerRates.
const slowestShape = "refused numbers under a long key, each listed before the last"

// attackerRates measures what a 1 MiB body costs the receiver with and without a verifier,
// and says how many such requests per second would keep 2 cores busy.
func attackerRates(t *testing.T) string {
	t.Helper()
	secret := "whsec_" + "MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
	verifier, err := carik.StandardWebhooks(secret)
	require.NoError(t, err)
	quiet := carik.WithLogger(slog.New(slog.DiscardHandler))
	serve := func(h http.Handler, body []byte, signed bool) time.Duration {
		best := time.Hour
		for range 5 {
			req := httptest.NewRequest(http.MethodPost, "/webhook", bytes.NewReader(body))
			if signed {
				req.Header.Set("Webhook-Id", "msg_1")
				req.Header.Set("Webhook-Timestamp", fmt.Sprint(time.Now().Unix()))
				req.Header.Set("Webhook-Signature", "v1,"+strings.Repeat("A", 43)+"=")
			}
			start := time.Now()
			h.ServeHTTP(httptest.NewRecorder(), req)
			best = min(best, time.Since(start))
		}
		return best
	}
	var worst []byte // the slowest shape, lenient
	for _, s := range hostileShapes {
		if s.name == slowestShape {
			worst = s.body(carik.DefaultMaxBodyBytes)
		}
	}
	require.NotNil(t, worst, slowestShape)
	open := serve(carik.NewReceiver(carik.NewRouter(), carik.WithoutVerification(), quiet), worst, false)
	verified := serve(carik.NewReceiver(carik.NewRouter(), carik.WithVerifier(verifier), quiet), worst, true)
	return fmt.Sprintf("worst lenient body through the receiver: %s without a verifier (2 cores busy at %.0f requests/s, %.0f MB/s); "+
		"refused by StandardWebhooks before parsing: %s (2 cores busy at %.0f requests/s, %.0f MB/s)",
		open.Round(10*time.Microsecond), 2/open.Seconds(), 2/open.Seconds(),
		verified.Round(10*time.Microsecond), 2/verified.Seconds(), 2/verified.Seconds())
}
