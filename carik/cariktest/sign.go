package cariktest

import (
	"bytes"
	"crypto/rand"
	"encoding/base64"
	"encoding/hex"
	"net/http"
	"net/http/httptest"
	"strconv"
	"time"

	"github.com/CarikBot/carik-go/internal/standardwebhooks"
)

// NewSecret returns a fresh random Standard Webhooks secret, "whsec_" and 32 bytes in base64.
func NewSecret() string {
	key := make([]byte, 32)
	rand.Read(key)
	return standardwebhooks.SecretPrefix + base64.StdEncoding.EncodeToString(key)
}

// Signer signs payloads the way Carik does under the Standard Webhooks scheme, for tests and
// tools; [carik.StandardWebhooks] with the same secret accepts what it signs. It is safe for
// concurrent use.
type Signer struct {
	key *standardwebhooks.Key
}

// NewSigner returns a Signer for a "whsec_..." secret. It panics when the secret does not
// decode, as that is a mistake in the test.
func NewSigner(secret string) *Signer {
	key, err := standardwebhooks.DecodeSecret(secret)
	if err != nil {
		panic("cariktest: NewSigner: " + err.Error())
	}
	return &Signer{key: standardwebhooks.NewKey(key)}
}

// Sign returns the webhook-id, webhook-timestamp and webhook-signature headers for body, with
// a fresh random id and the current time.
func (s *Signer) Sign(body []byte) http.Header {
	id := make([]byte, 12)
	rand.Read(id)
	return s.SignAt("msg_"+hex.EncodeToString(id), time.Now(), body)
}

// SignAt returns the signature headers for body with the given id and timestamp, for tests of
// stale or replayed deliveries.
func (s *Signer) SignAt(id string, at time.Time, body []byte) http.Header {
	ts := strconv.FormatInt(at.Unix(), 10)
	h := http.Header{}
	h.Set(standardwebhooks.HeaderID, id)
	h.Set(standardwebhooks.HeaderTimestamp, ts)
	h.Set(standardwebhooks.HeaderSignature, s.key.Signature(id, ts, body))
	return h
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
