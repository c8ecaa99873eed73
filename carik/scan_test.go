package carik

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// parseAny scans data, one JSON value of any kind, into a tree with the decoders' scanner.
func parseAny(data []byte) (v any, err error) {
	d := decoder{b: data}
	defer func() {
		if r := recover(); r != nil {
			if _, ok := r.(abortScan); !ok {
				panic(r)
			}
			v, err = nil, d.syntax
		}
	}()
	d.ws()
	v = d.tree(0)
	d.ws()
	if d.i < len(d.b) {
		d.fail(d.i, "unexpected data after the JSON value")
	}
	return v, nil
}

// stdlib decodes with encoding/json, UseNumber, one value.
func stdlib(data []byte) (any, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, err
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, errors.New("trailing data")
	}
	return v, nil
}

func TestScannerMatchesEncodingJSON(t *testing.T) {
	t.Parallel()
	for _, in := range []string{
		`{}`, `[]`, `{"a": [1, -2.5e+3, 0, -0, 1E9, true, false, null, "s"]}`, ` {"a" : {"b" : [ ] } } `,
		`"\u00e9\ud83d\ude00\n\t\"\\\/"`, `"\ud800"`, `"\udc00x"`, `"\ud800\u0041"`, `"\ud800\ud800"`, `"é😀"`, `123`, `-0.0e-0`,
		`{"a":1,}`, `[1,]`, `01`, `1.`, `.5`, `-`, `1e`, `tru`, `nul`, `"\x"`, "\"a\x01\"", `{"a" 1}`, `{1: 2}`,
		`[1 2]`, `"\u12"`, `"\u12G4"`, `{"a":1}}`, ``, ` `, `"`,
	} {
		want, werr := stdlib([]byte(in))
		got, gerr := parseAny([]byte(in))
		assert.Equal(t, werr == nil, gerr == nil, "%q: encoding/json %v, scanner %v", in, werr, gerr)
		if werr == nil && gerr == nil {
			assert.Equal(t, want, got, "%q", in)
		}
	}
}

func TestScannerIsStricter(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in     string
		offset int64
		msg    string
	}{
		{`{"a": 1, "b": 2, "a": 3}`, 17, `duplicate key "a" in object`},
		{`{"a": 1, "b": 2, "\u0061": 3}`, 17, `duplicate key "a" in object`},
		{`{"x": {"k": 1, "k": 1}}`, 15, `duplicate key "k"`},
		{`{"status": 1, "Status": 2}`, 14, `key "Status" differs only in case`},
		{`{"kind": 1, "\u212aind": 2}`, 12, `differs only in case`},
		{`{"a0":0,"a1":1,"a2":2,"a3":3,"a4":4,"a5":5,"a6":6,"a7":7,"a8":8,"A3":9}`, 64, `differs only in case`},
		{"{\"a\": \"\xff\"}", 7, "invalid UTF-8 in string"},
		{"{\"a\": \"ok\xc3\"}", 9, "invalid UTF-8 in string"},
		{"{\"\xed\xa0\x80\": 1}", 2, "invalid UTF-8"},
		{"{\"a\": 1}\xff", 8, "unexpected data"},
		{strings.Repeat("[", maxDepth+1) + strings.Repeat("]", maxDepth+1), maxDepth, "exceeded max depth"},
		{`{"a": tru}`, 9, "in literal true"},
		{`{"a": 1`, 7, "unexpected end of JSON input"},
	}
	for _, tt := range tests {
		_, err := parseAny([]byte(tt.in))
		var se *SyntaxError
		require.ErrorAs(t, err, &se, tt.in)
		assert.Equal(t, tt.offset, se.Offset, tt.in)
		assert.Contains(t, se.Reason, tt.msg, tt.in)
	}
	_, err := parseAny([]byte(strings.Repeat("[", maxDepth) + strings.Repeat("]", maxDepth)))
	assert.NoError(t, err, "maxDepth itself is allowed")
}

func TestFoldHashAgreesWithEqualFold(t *testing.T) {
	t.Parallel()
	keys := []string{"status", "Status", "STATUS", "sTaTuS", "status_", "kelvin", "\u212aelvin", "Kelvin",
		"\u017ftatus", "ſ", "s", "S", "é", "É", "straße", "STRASSE", "Σ", "σ", "ς", "", "event", "Event", "id", "ID", "İd", "ıd"}
	for _, a := range keys {
		for _, b := range keys {
			var d decoder
			assert.Equal(t, bytes.EqualFold([]byte(a), []byte(b)), string(foldKey(nil, []byte(a))) == string(foldKey(nil, []byte(b))), "%q vs %q", a, b)
			if bytes.EqualFold([]byte(a), []byte(b)) {
				assert.Equal(t, d.foldHash([]byte(a)), d.foldHash([]byte(b)), "%q vs %q", a, b)
			}
		}
	}
}

// FuzzScanner checks the scanner against encoding/json on any input: the same verdict and the
// same tree, except where it is stricter by design (invalid UTF-8, duplicate keys, keys that
// differ only in case).
func FuzzScanner(f *testing.F) {
	files, _ := filepath.Glob("../testdata/payloads/*/*.json")
	for _, file := range files {
		if b, err := os.ReadFile(file); err == nil {
			f.Add(b)
		}
	}
	f.Add([]byte(`{"a": "\ud83d\ude00", "b": [1, {"c": null}], "d": -1.5e-3}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		slow := time.AfterFunc(10*time.Second, func() { panic(fmt.Sprintf("slow input %q", data)) })
		defer slow.Stop()
		got, gerr := parseAny(data)
		if gerr != nil {
			var se *SyntaxError
			if !errors.As(gerr, &se) || se.Offset < 0 || se.Offset > int64(len(data)) {
				t.Fatalf("bad error %v", gerr)
			}
			if strings.Contains(se.Reason, "duplicate key") || strings.Contains(se.Reason, "differs only in case") || !utf8.Valid(data) {
				return // stricter than encoding/json on purpose
			}
		}
		want, werr := stdlib(data)
		if (werr == nil) != (gerr == nil) {
			t.Fatalf("encoding/json: %v; scanner: %v", werr, gerr)
		}
		if werr == nil && !assert.ObjectsAreEqual(want, got) {
			t.Fatalf("trees differ:\nencoding/json %#v\nscanner       %#v", want, got)
		}
	})
}
