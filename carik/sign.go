package carik

import (
	"bytes"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"hash"
	"io"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"
)

// The Standard Webhooks scheme's header names, secret prefix and signature version.
const (
	headerID        = "Webhook-Id"
	headerTimestamp = "Webhook-Timestamp"
	headerSignature = "Webhook-Signature"
	secretPrefix    = "whsec_"
	sigVersion      = "v1"
)

// Signer signs webhook bodies under the Standard Webhooks scheme
// (https://www.standardwebhooks.com), as Carik does: [StandardWebhooks] with the same secret
// accepts what it signs, and so do the official Standard Webhooks libraries. Use it to send
// deliveries from tools, to forward them, and in tests (package cariktest builds on it). It is
// safe for concurrent use.
type Signer struct {
	key *macKey
}

// NewSigner returns a Signer for a secret written as "whsec_" followed by standard base64 (the
// prefix is optional, as in the official libraries). It returns an error when the secret does
// not decode or is empty.
func NewSigner(secret string) (*Signer, error) {
	key, err := decodeSecret(secret)
	if err != nil {
		return nil, errors.New("carik: NewSigner: " + err.Error())
	}
	return &Signer{key: newMACKey(key)}, nil
}

// Sign returns the webhook-id, webhook-timestamp and webhook-signature headers for body, with
// a fresh random id ("msg_" and 24 hex digits) and the current time.
func (s *Signer) Sign(body []byte) http.Header {
	id := make([]byte, 12)
	rand.Read(id)
	return s.SignAt("msg_"+hex.EncodeToString(id), time.Now(), body)
}

// SignAt returns the signature headers for body with the given webhook-id and timestamp (in
// whole seconds), for re-sending a delivery under its own id or testing stale ones.
func (s *Signer) SignAt(id string, at time.Time, body []byte) http.Header {
	ts := strconv.FormatInt(at.Unix(), 10)
	h := http.Header{}
	h.Set(headerID, id)
	h.Set(headerTimestamp, ts)
	h.Set(headerSignature, sigVersion+","+base64.StdEncoding.EncodeToString(s.key.mac(nil, id, ts, body)))
	return h
}

// decodeSecret returns the key of a secret written as "whsec_" followed by standard base64.
func decodeSecret(secret string) ([]byte, error) {
	key, err := base64.StdEncoding.DecodeString(strings.TrimPrefix(secret, secretPrefix))
	if err != nil {
		return nil, errors.New("secret is not whsec_ followed by base64")
	}
	if len(key) == 0 {
		return nil, errors.New("secret is empty")
	}
	return key, nil
}

// macKey computes the MACs of one secret. It keeps HMAC states for reuse, so that a busy
// receiver does not allocate one per request; it is safe for concurrent use.
type macKey struct {
	pool sync.Pool
}

func newMACKey(key []byte) *macKey {
	k := &macKey{}
	key = bytes.Clone(key)
	k.pool.New = func() any { return hmac.New(sha256.New, key) }
	return k
}

// mac appends HMAC-SHA256(key, id "." timestamp "." body), the bytes a v1 signature encodes,
// to dst.
func (k *macKey) mac(dst []byte, id, timestamp string, body []byte) []byte {
	m := k.pool.Get().(hash.Hash)
	m.Reset()
	io.WriteString(m, id)
	m.Write(dot)
	io.WriteString(m, timestamp)
	m.Write(dot)
	m.Write(body)
	dst = m.Sum(dst)
	k.pool.Put(m)
	return dst
}

var dot = []byte{'.'}
