package cariktest

import (
	"bytes"
	"crypto/rand"
	"encoding/base64"
	"net/http"
	"net/http/httptest"

	"github.com/CarikBot/carik-go/carik"
)

// NewSecret returns a fresh random Standard Webhooks secret, "whsec_" and 32 bytes in base64.
func NewSecret() string {
	key := make([]byte, 32)
	rand.Read(key)
	return "whsec_" + base64.StdEncoding.EncodeToString(key)
}

// Signer is a [carik.Signer] for tests: it signs payloads the way Carik does under the
// Standard Webhooks scheme and delivers them to a handler in memory. It is safe for concurrent
// use.
type Signer struct {
	*carik.Signer
}

// NewSigner returns a Signer for a "whsec_..." secret. It panics when the secret does not
// decode, as that is a mistake in the test; outside tests use [carik.NewSigner].
func NewSigner(secret string) *Signer {
	s, err := carik.NewSigner(secret)
	if err != nil {
		panic("cariktest: " + err.Error())
	}
	return &Signer{Signer: s}
}

// Deliver signs body and sends it through h as Carik would; see [Deliver].
func (s *Signer) Deliver(h http.Handler, body []byte) *http.Response {
	return Deliver(h, body, s.Sign(body))
}

// Deliver sends body to h as a POST with the given headers (and Content-Type
// application/json) and returns the response, all in memory.
func Deliver(h http.Handler, body []byte, header http.Header) *http.Response {
	req := httptest.NewRequest(http.MethodPost, "/webhook", bytes.NewReader(body))
	for k, v := range header {
		req.Header[k] = append([]string(nil), v...)
	}
	if req.Header.Get("Content-Type") == "" {
		req.Header.Set("Content-Type", "application/json")
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec.Result()
}
