package engine

import (
	"net/http"
	"sort"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/CarikBot/carik-go/carik"
)

// Args is a delivery as River stores it, as JSON. Body is []byte, so JSON carries it as
// base64: a jsonb column keeps the exact bytes. JSON strings cannot carry every byte string
// (invalid UTF-8 becomes U+FFFD, and Postgres' jsonb refuses NUL), so an id or a header that
// is not plain text is also kept as bytes: IDRaw (part of the unique key, so that two ids
// differing only in such bytes stay two deliveries) and HeaderRaw (instead of Header).
type Args struct {
	ID         string      `json:"id" river:"unique"`
	IDRaw      []byte      `json:"id_raw,omitempty" river:"unique"`
	IDFromBody bool        `json:"id_from_body,omitempty"`
	Timestamp  int64       `json:"timestamp,omitempty"`
	Attempt    int         `json:"attempt,omitempty"`
	Header     http.Header `json:"header,omitempty"`
	HeaderRaw  []RawField  `json:"header_raw,omitempty"`
	Body       []byte      `json:"body"`
}

// RawField is a header field kept as bytes (base64 in JSON).
type RawField struct {
	Name   []byte   `json:"n"`
	Values [][]byte `json:"v"`
}

// Kind returns [Kind].
func (Args) Kind() string { return Kind }

// newArgs returns the stored form of d and body; credentials in the header are redacted
// (see [storedHeader]).
func newArgs(d carik.Delivery, body []byte, redact []string) Args {
	a := Args{ID: d.ID, IDFromBody: d.IDFromBody, Attempt: d.Attempt, Body: body}
	if !isText(d.ID) {
		a.ID, a.IDRaw = textID(d.ID), []byte(d.ID)
	}
	if !d.Timestamp.IsZero() {
		a.Timestamp = d.Timestamp.Unix()
	}
	h := storedHeader(d.Header, redact)
	if headerIsText(h) {
		a.Header = h
		return a
	}
	names := make([]string, 0, len(h))
	for name := range h {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		f := RawField{Name: []byte(name)}
		for _, v := range h[name] {
			f.Values = append(f.Values, []byte(v))
		}
		a.HeaderRaw = append(a.HeaderRaw, f)
	}
	return a
}

// deliveryID returns the exact delivery id.
func (a *Args) deliveryID() string {
	if a.IDRaw != nil {
		return string(a.IDRaw)
	}
	return a.ID
}

// header returns the exact stored header.
func (a *Args) header() http.Header {
	if a.HeaderRaw == nil {
		return a.Header
	}
	h := make(http.Header, len(a.HeaderRaw))
	for _, f := range a.HeaderRaw {
		values := make([]string, 0, len(f.Values))
		for _, v := range f.Values {
			values = append(values, string(v))
		}
		h[string(f.Name)] = values
	}
	return h
}

// delivery returns the carik.Delivery the receiver saw (credentials redacted).
func (a *Args) delivery() carik.Delivery {
	d := carik.Delivery{ID: a.deliveryID(), IDFromBody: a.IDFromBody, Attempt: a.Attempt, Header: a.header()}
	if a.Timestamp != 0 {
		d.Timestamp = time.Unix(a.Timestamp, 0).UTC()
	}
	return d
}

// isText reports whether JSON (and Postgres' jsonb) keeps s exactly: valid UTF-8 without NUL.
func isText(s string) bool { return utf8.ValidString(s) && !strings.ContainsRune(s, 0) }

// textID is the searchable text form of an id that is not text: invalid bytes as U+FFFD, NUL
// dropped.
func textID(id string) string {
	return strings.ReplaceAll(strings.ToValidUTF8(id, "\uFFFD"), "\x00", "")
}

func headerIsText(h http.Header) bool {
	for name, values := range h {
		if !isText(name) {
			return false
		}
		for _, v := range values {
			if !isText(v) {
				return false
			}
		}
	}
	return true
}
