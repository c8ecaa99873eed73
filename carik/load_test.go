package carik_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"runtime"
	"sort"
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

// TestLoadNoLoss sends 20,000 signed deliveries to a receiver on a loopback port over
// keep-alive connections, 32 at a time: 90% valid, 5% invalid, 5% whose handler fails. Every
// valid delivery must be dispatched exactly once, every status counted exactly, no connection
// may fail, and the heap must not grow with the number of deliveries. Then it shuts the server
// down while 100 deliveries are in flight: all of them must complete with 200, dispatched.
// Set CARIK_LOAD_REPORT to a file to get the throughput and latency line there too.
func TestLoadNoLoss(t *testing.T) {
	if testing.Short() {
		t.Skip("load test")
	}
	const total, concurrency = 20_000, 32

	secret := cariktest.NewSecret()
	verifier, err := carik.StandardWebhooks(secret)
	require.NoError(t, err)
	var dispatched sync.Map // message id to *atomic.Int32
	var inFlight sync.WaitGroup
	entered, release := make(chan struct{}, 100), make(chan struct{})
	router := carik.NewRouter()
	router.OnMessage(func(ctx context.Context, e *carik.MessageEvent) error {
		n, _ := dispatched.LoadOrStore(e.Data.MessageID, new(atomic.Int32))
		n.(*atomic.Int32).Add(1)
		switch {
		case strings.HasPrefix(e.Data.MessageID, "fail-"):
			return errors.New("handler refuses")
		case strings.HasPrefix(e.Data.MessageID, "slow-"):
			entered <- struct{}{}
			<-release
		}
		return nil
	})
	receiver := carik.NewReceiver(router, carik.WithVerifier(verifier), carik.WithLogger(slog.New(slog.DiscardHandler)))
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	srv := &http.Server{Handler: receiver, ReadHeaderTimeout: 5 * time.Second}
	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }()
	url := "http://" + ln.Addr().String() + "/webhook"

	signer := cariktest.NewSigner(secret)
	transport := &http.Transport{MaxIdleConnsPerHost: concurrency, MaxConnsPerHost: concurrency}
	defer transport.CloseIdleConnections()
	client := &http.Client{Transport: transport, Timeout: 30 * time.Second}
	deliverWith := func(client *http.Client, body []byte) (int, time.Duration, error) {
		req, _ := http.NewRequest(http.MethodPost, url, bytes.NewReader(body))
		req.Header = signer.Sign(body)
		start := time.Now()
		res, err := client.Do(req)
		if err != nil {
			return 0, 0, err
		}
		io.Copy(io.Discard, res.Body)
		res.Body.Close()
		return res.StatusCode, time.Since(start), nil
	}
	deliver := func(body []byte) (int, time.Duration, error) { return deliverWith(client, body) }
	// Delivery i: every 20th is invalid, every 20th (offset 10) fails in the handler.
	payload := func(i int) (body []byte, want int) {
		switch i % 20 {
		case 0:
			return cariktest.Payload(carik.EventMessage, cariktest.Set("/data/message_id", fmt.Sprintf("bad-%d", i)), cariktest.Delete("/data/status")), 422
		case 10:
			return cariktest.Payload(carik.EventMessage, cariktest.Set("/data/message_id", fmt.Sprintf("fail-%d", i))), 500
		default:
			return cariktest.Payload(carik.EventMessage, cariktest.Set("/data/message_id", fmt.Sprintf("ok-%d", i))), 200
		}
	}

	runtime.GC()
	var before runtime.MemStats
	runtime.ReadMemStats(&before)
	var (
		mu        sync.Mutex
		statuses  = map[int]int{}
		latencies = make([]time.Duration, 0, total)
		connErrs  atomic.Int64
		next      atomic.Int64
		wrong     atomic.Int64
	)
	start := time.Now()
	var wg sync.WaitGroup
	for range concurrency {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				i := int(next.Add(1)) - 1
				if i >= total {
					return
				}
				body, want := payload(i)
				status, latency, err := deliver(body)
				if err != nil {
					connErrs.Add(1)
					continue
				}
				if status != want {
					wrong.Add(1)
				}
				mu.Lock()
				statuses[status]++
				latencies = append(latencies, latency)
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	elapsed := time.Since(start)
	runtime.GC()
	var after runtime.MemStats
	runtime.ReadMemStats(&after)

	assert.Zero(t, connErrs.Load(), "connection errors")
	assert.Zero(t, wrong.Load(), "deliveries answered with another status than expected")
	assert.Equal(t, map[int]int{200: total * 18 / 20, 422: total / 20, 500: total / 20}, statuses)
	var once, valid, failing int
	dispatched.Range(func(k, v any) bool {
		id, n := k.(string), v.(*atomic.Int32).Load()
		switch {
		case strings.HasPrefix(id, "ok-"):
			valid++
			if n == 1 {
				once++
			}
		case strings.HasPrefix(id, "fail-"):
			failing++
		default:
			t.Errorf("%s was dispatched but is invalid", id)
		}
		return true
	})
	assert.Equal(t, total*18/20, valid, "every valid delivery dispatched")
	assert.Equal(t, valid, once, "each exactly once")
	assert.Equal(t, total/20, failing)
	growth := int64(after.HeapAlloc) - int64(before.HeapAlloc)
	assert.Less(t, growth, int64(16<<20), "heap grew by %d bytes", growth)

	sort.Slice(latencies, func(i, j int) bool { return latencies[i] < latencies[j] })
	report := fmt.Sprintf("load: %d deliveries, concurrency %d, %.0f deliveries/s, p50 %s, p99 %s, heap growth %d KiB (race detector: %v)",
		total, concurrency, float64(total)/elapsed.Seconds(),
		latencies[len(latencies)/2].Round(time.Microsecond), latencies[len(latencies)*99/100].Round(time.Microsecond),
		growth>>10, raceEnabled)
	t.Log(report)
	if path := os.Getenv("CARIK_LOAD_REPORT"); path != "" {
		require.NoError(t, os.WriteFile(path, []byte(report+"\n"), 0o644))
	}

	// Graceful shutdown with 100 deliveries in flight, on 100 connections of their own.
	const slow = 100
	slowTransport := &http.Transport{MaxIdleConnsPerHost: slow}
	defer slowTransport.CloseIdleConnections()
	slowClient := &http.Client{Transport: slowTransport, Timeout: 30 * time.Second}
	results := make(chan int, slow)
	for i := range slow {
		inFlight.Add(1)
		go func() {
			defer inFlight.Done()
			status, _, err := deliverWith(slowClient, cariktest.Payload(carik.EventMessage, cariktest.Set("/data/message_id", fmt.Sprintf("slow-%d", i))))
			if err != nil {
				status = -1
			}
			results <- status
		}()
	}
	for i := range slow {
		select {
		case <-entered:
		case <-time.After(20 * time.Second):
			close(release)
			t.Fatalf("only %d of %d deliveries reached the handler", i, slow)
		}
	}
	shutdown := make(chan error, 1)
	go func() { shutdown <- srv.Shutdown(context.Background()) }()
	select {
	case err := <-shutdown:
		t.Fatalf("Shutdown returned with deliveries in flight: %v", err)
	case <-time.After(200 * time.Millisecond):
	}
	close(release)
	inFlight.Wait()
	close(results)
	ok := 0
	for status := range results {
		if status == 200 {
			ok++
		}
	}
	assert.Equal(t, slow, ok, "every delivery in flight completes with 200")
	require.NoError(t, <-shutdown)
	assert.ErrorIs(t, <-served, http.ErrServerClosed)
	for i := range slow {
		n, found := dispatched.Load(fmt.Sprintf("slow-%d", i))
		assert.True(t, found && n.(*atomic.Int32).Load() == 1, "slow-%d dispatched once", i)
	}
}
