// Package standardwebhooks holds the signing primitive of the Standard Webhooks scheme
// (https://www.standardwebhooks.com), shared by the SDK's verifier and its test kit's signer.
package standardwebhooks

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"strings"
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

// MAC returns HMAC-SHA256(key, id "." timestamp "." body), the bytes a v1 signature encodes.
func MAC(key []byte, id, timestamp string, body []byte) []byte {
	m := hmac.New(sha256.New, key)
	m.Write([]byte(id))
	m.Write([]byte{'.'})
	m.Write([]byte(timestamp))
	m.Write([]byte{'.'})
	m.Write(body)
	return m.Sum(nil)
}

// Signature returns the webhook-signature entry "v1,<base64 MAC>".
func Signature(key []byte, id, timestamp string, body []byte) string {
	return Version + "," + base64.StdEncoding.EncodeToString(MAC(key, id, timestamp, body))
}
