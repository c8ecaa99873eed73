package inbox_test

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/CarikBot/carik-go/carik"
	"github.com/CarikBot/carik-go/carik/cariktest"
	"github.com/CarikBot/carik-go/inbox"
	"github.com/CarikBot/carik-go/inbox/internal/testdb"
)

// BenchmarkAck measures acknowledged deliveries per second and the ack latency (p50, p99)
// of a verifying receiver over loopback HTTP with 4x GOMAXPROCS clients: without an inbox (the
// handler runs in the request and does nothing), and with the inbox on SQLite and on Postgres
// (the answer waits for the durable commit; workers not running).
func BenchmarkAck(b *testing.B) {
	for _, kind := range []string{"none", "sqlite", "postgres"} {
		b.Run(kind, func(b *testing.B) {
			var d carik.Dispatcher = carik.NewRouter()
			if kind != "none" {
				store := benchStore(b, kind)
				ib, err := inbox.New(store, nil, inbox.WithLogger(slog.New(slog.NewTextHandler(io.Discard, nil))))
				if err != nil {
					b.Fatal(err)
				}
				d = ib
			}
			secret := cariktest.NewSecret()
			v, _ := carik.StandardWebhooks(secret)
			srv := httptest.NewServer(carik.NewReceiver(d, carik.WithVerifier(v),
				carik.WithLogger(slog.New(slog.NewTextHandler(io.Discard, nil)))))
			defer srv.Close()
			client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 64}}
			signer := cariktest.NewSigner(secret)
			body := cariktest.Payload(carik.EventMessage)
			var seq atomic.Int64
			var mu sync.Mutex
			var lat []time.Duration
			b.SetParallelism(4)
			b.ResetTimer()
			start := time.Now()
			b.RunParallel(func(pb *testing.PB) {
				var mine []time.Duration
				for pb.Next() {
					header := signer.SignAt(fmt.Sprintf("bench-%d", seq.Add(1)), time.Now(), body)
					req, _ := http.NewRequest(http.MethodPost, srv.URL, bytes.NewReader(body))
					req.Header = header
					t0 := time.Now()
					res, err := client.Do(req)
					if err != nil {
						b.Error(err)
						return
					}
					io.Copy(io.Discard, res.Body)
					res.Body.Close()
					if res.StatusCode != http.StatusOK {
						b.Errorf("status %d", res.StatusCode)
						return
					}
					mine = append(mine, time.Since(t0))
				}
				mu.Lock()
				lat = append(lat, mine...)
				mu.Unlock()
			})
			elapsed := time.Since(start)
			b.StopTimer()
			slices.Sort(lat)
			if len(lat) > 0 {
				b.ReportMetric(float64(len(lat))/elapsed.Seconds(), "acks/s")
				b.ReportMetric(float64(lat[len(lat)/2].Microseconds())/1000, "p50-ms")
				b.ReportMetric(float64(lat[len(lat)*99/100].Microseconds())/1000, "p99-ms")
			}
		})
	}
}

func benchStore(b *testing.B, kind string) inbox.Store {
	ctx := context.Background()
	if kind == "sqlite" {
		s, err := openSQLite(ctx, b.TempDir())
		if err != nil {
			b.Fatal(err)
		}
		b.Cleanup(func() { s.Close() })
		return s
	}
	s, err := openPostgres(ctx, testdb.PostgresURL(b))
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { s.Close() })
	return s
}
