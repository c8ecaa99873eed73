package benchmark

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/CarikBot/carik-go/carik"
	"github.com/CarikBot/carik-go/carik/cariktest"
)

// Server is one way to receive webhooks over HTTP.
type Server struct {
	// Name identifies it in benchmark names and tables.
	Name string
	// New returns the handler, and the headers a delivery of body needs.
	New func(body []byte) (http.Handler, http.Header)
}

// Servers returns, in order: the baseline, a bare net/http handler that reads the body and
// decodes the JSON and nothing else, and carik.NewReceiver with Standard Webhooks
// verification, validation and a Router.
func Servers() []Server {
	secret := cariktest.NewSecret()
	signer := cariktest.NewSigner(secret)
	return []Server{
		{"bare_net_http_json", func(body []byte) (http.Handler, http.Header) {
			return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				raw, err := io.ReadAll(r.Body)
				var v any
				if err == nil {
					err = json.Unmarshal(raw, &v)
				}
				if err != nil {
					http.Error(w, err.Error(), http.StatusBadRequest)
					return
				}
				w.Write([]byte(`{"ok":true}` + "\n"))
			}), signer.Sign(body)
		}},
		{"carik_NewReceiver", func(body []byte) (http.Handler, http.Header) {
			v, err := carik.StandardWebhooks(secret)
			if err != nil {
				panic(err)
			}
			router := carik.NewRouter()
			router.OnMessage(func(context.Context, *carik.MessageEvent) error { return nil })
			h := carik.NewReceiver(router, carik.WithVerifier(v),
				carik.WithLogger(slog.New(slog.DiscardHandler))) // the bare handler logs nothing either
			return h, signer.Sign(body)
		}},
	}
}

// Deliveries benchmarks a server on a loopback port: every operation is one delivery of body
// over keep-alive connections from parallel clients, as Carik would send them.
func Deliveries(b *testing.B, s Server, body []byte) {
	handler, header := s.New(body)
	srv := httptest.NewServer(handler)
	defer srv.Close()
	transport := &http.Transport{MaxIdleConnsPerHost: 64, MaxConnsPerHost: 64}
	defer transport.CloseIdleConnections()
	client := &http.Client{Transport: transport}
	b.SetParallelism(4)
	b.ReportAllocs()
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			req, _ := http.NewRequest(http.MethodPost, srv.URL, bytes.NewReader(body))
			for k, v := range header {
				req.Header[k] = v
			}
			res, err := client.Do(req)
			if err != nil {
				b.Error(err)
				return
			}
			io.Copy(io.Discard, res.Body)
			res.Body.Close()
			if res.StatusCode != http.StatusOK {
				b.Errorf("%s answered %d", s.Name, res.StatusCode)
				return
			}
		}
	})
}
