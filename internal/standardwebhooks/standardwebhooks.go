// Package standardwebhooks holds the signing primitive of the Standard Webhooks scheme
// (https://www.standardwebhooks.com), shared by the SDK's verifier and its test kit's signer.
package standardwebhooks

import (
	"bytes"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"hash"
	"io"
	"strings"
	"sync"
)

// The scheme's header names and secret prefix.
const (
	HeaderID        = "Webhook-Id"
	HeaderTimestamp = "Webhook-Timestamp"
	HeaderSignature = "Webhook-Signature"
	SecretPrefix    = "whsec_"
	Version         = "v1"
)

// DecodeSecret returns the key of a secret written as "whsec_" followed by standard base64
// (the prefix is optional, as in the official libraries).
func DecodeSecret(secret string) ([]byte, error) {
	key, err := base64.StdEncoding.DecodeString(strings.TrimPrefix(secret, SecretPrefix))
	if err != nil {
		return nil, errors.New("secret is not whsec_ followed by base64")
	}
	if len(key) == 0 {
		return nil, errors.New("secret is empty")
	}
	return key, nil
}

// Key computes the MACs of one secret. It keeps HMAC states for reuse, so that a busy
// receiver does not allocate one per request; it is safe for concurrent use.
type Key struct {
	pool sync.Pool
}

// NewKey returns the Key of a decoded secret.
func NewKey(key []byte) *Key {
	k := &Key{}
	key = bytes.Clone(key)
	k.pool.New = func() any { return hmac.New(sha256.New, key) }
	return k
}

// MAC appends HMAC-SHA256(key, id "." timestamp "." body), the bytes a v1 signature encodes,
// to dst.
func (k *Key) MAC(dst []byte, id, timestamp string, body []byte) []byte {
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

// Signature returns the webhook-signature entry "v1,<base64 MAC>".
func (k *Key) Signature(id, timestamp string, body []byte) string {
	return Version + "," + base64.StdEncoding.EncodeToString(k.MAC(nil, id, timestamp, body))
}
