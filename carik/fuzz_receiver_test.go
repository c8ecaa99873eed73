package carik_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/CarikBot/carik-go/carik"
	"github.com/CarikBot/carik-go/carik/cariktest"
)

// documentedStatuses are the only answers NewReceiver gives (see its doc and the README).
var documentedStatuses = map[int]bool{200: true, 400: true, 401: true, 405: true, 413: true, 422: true, 500: true}

// FuzzReceiver sends any method, body and signature headers to a verifying receiver whose
// handler fails on some events: every answer is a documented status with a JSON body, and
// the handler runs exactly for the deliveries answered 200 or (when it fails) 500.
func FuzzReceiver(f *testing.F) {
	secret := "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
	signer := cariktest.NewSigner(secret)
	for _, fx := range loadFixtures(f) {
		h := signer.Sign(fx.body)
		f.Add("POST", fx.body, h.Get("webhook-id"), h.Get("webhook-timestamp"), h.Get("webhook-signature"), true)
		f.Add("POST", fx.body, "", "", "", false)
	}
	f.Add("GET", []byte(nil), "", "", "", false)
	f.Add("POST", bytes.Repeat([]byte("["), 3000), "x", "1", "v1,AAAA", false)

	verifier, err := carik.StandardWebhooks(secret)
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, method string, body []byte, id, ts, sig string, resign bool) {
		if !validMethod(method) {
			method = "POST"
		}
		var calls int
		dispatch := carik.DispatchFunc(func(_ context.Context, e carik.Event) error {
			calls++
			if e.Type() == carik.EventPayment {
				return errors.New("fail")
			}
			return nil
		})
		h := carik.NewReceiver(dispatch, carik.WithVerifier(verifier), carik.WithMaxBodyBytes(64<<10),
			carik.WithLogger(slog.New(slog.DiscardHandler)))

		req := httptest.NewRequest(method, "/", bytes.NewReader(body))
		if resign {
			req.Header = signer.Sign(body) // a signed delivery: verification passes
		} else {
			req.Header.Set("webhook-id", id)
			req.Header.Set("webhook-timestamp", ts)
			req.Header.Set("webhook-signature", sig)
		}
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)

		if !documentedStatuses[rec.Code] {
			t.Fatalf("undocumented status %d", rec.Code)
		}
		if !json.Valid(rec.Body.Bytes()) {
			t.Fatalf("response is not JSON: %q", rec.Body.String())
		}
		if strings.Contains(rec.Body.String(), secret) || strings.Contains(rec.Body.String(), "goroutine") {
			t.Fatal("response leaks a secret or a stack")
		}
		handled := rec.Code == 200 || rec.Code == 500
		if handled && calls != 1 || !handled && calls != 0 {
			t.Fatalf("status %d with %d handler calls", rec.Code, calls)
		}
		if rec.Code == 200 || rec.Code == 422 {
			if err := carik.Validate(body); (err == nil) != (rec.Code == 200) {
				t.Fatalf("status %d but Validate says %v", rec.Code, err)
			}
		}
	})
}

func validMethod(m string) bool {
	if m == "" || len(m) > 16 {
		return false
	}
	for _, r := range m {
		if r < 'A' || r > 'Z' {
			return false
		}
	}
	return m != http.MethodConnect
}
