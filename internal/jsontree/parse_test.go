package jsontree

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

// stdlib decodes like the SDK did before this parser: encoding/json, UseNumber, one value.
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

func TestParseMatchesEncodingJSON(t *testing.T) {
	t.Parallel()
	for _, in := range []string{
		`{}`, `[]`, `{"a": [1, -2.5e+3, 0, -0, 1E9, true, false, null, "s"]}`, ` {"a" : {"b" : [ ] } } `,
		`"\u00e9\ud83d\ude00\n\t\"\\\/"`, `"\ud800"`, `"\udc00x"`, `"\ud800\u0041"`, `"é😀"`, `123`, `-0.0e-0`,
		`{"a":1,}`, `[1,]`, `01`, `1.`, `.5`, `-`, `1e`, `tru`, `nul`, `"\x"`, "\"a\x01\"", `{"a" 1}`, `{1: 2}`,
		`[1 2]`, `"\u12"`, `"\u12G4"`, `{"a":1}}`, ``, ` `, `"`,
	} {
		want, werr := stdlib([]byte(in))
		got, gerr := Parse([]byte(in))
		assert.Equal(t, werr == nil, gerr == nil, "%q: encoding/json %v, Parse %v", in, werr, gerr)
		if werr == nil && gerr == nil {
			assert.Equal(t, want, got, "%q", in)
		}
	}
}

func TestParseIsStricter(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in     string
		offset int
		msg    string
	}{
		{`{"a": 1, "b": 2, "a": 3}`, 17, `duplicate key "a" in object`},
		{`{"x": {"k": 1, "k": 1}}`, 15, `duplicate key "k"`},
		{"{\"a\": \"\xff\"}", 7, "invalid UTF-8 in string"},
		{"{\"a\": \"ok\xc3\"}", 9, "invalid UTF-8 in string"},
		{"{\"\xed\xa0\x80\": 1}", 2, "invalid UTF-8"},
		{"{\"a\": 1}\xff", 8, "unexpected data"},
		{strings.Repeat("[", MaxDepth+1) + strings.Repeat("]", MaxDepth+1), MaxDepth, "exceeded max depth"},
		{`{"a": tru}`, 9, "in literal true"},
		{`{"a": 1`, 7, "unexpected end of JSON input"},
	}
	for _, tt := range tests {
		_, err := Parse([]byte(tt.in))
		var se *SyntaxError
		require.ErrorAs(t, err, &se, tt.in)
		assert.Equal(t, tt.offset, se.Offset, tt.in)
		assert.Contains(t, se.Msg, tt.msg, tt.in)
	}
	_, err := Parse([]byte(strings.Repeat("[", MaxDepth) + strings.Repeat("]", MaxDepth)))
	assert.NoError(t, err, "MaxDepth itself is allowed")
}

// FuzzParse checks the parser against encoding/json on any input: the same verdict and the
// same tree, except where Parse is stricter by design (invalid UTF-8, duplicate keys, keys that
// differ only in case).
func FuzzParse(f *testing.F) {
	files, _ := filepath.Glob("../../testdata/payloads/*/*.json")
	for _, file := range files {
		if b, err := os.ReadFile(file); err == nil {
			f.Add(b)
		}
	}
	f.Add([]byte(`{"a": "\ud83d\ude00", "b": [1, {"c": null}], "d": -1.5e-3}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		slow := time.AfterFunc(10*time.Second, func() { panic(fmt.Sprintf("slow input %q", data)) })
		defer slow.Stop()
		got, gerr := Parse(data)
		if gerr != nil {
			var se *SyntaxError
			if !errors.As(gerr, &se) || se.Offset < 0 || se.Offset > len(data) {
				t.Fatalf("bad error %v", gerr)
			}
			if strings.Contains(se.Msg, "duplicate key") || strings.Contains(se.Msg, "differs only in case") || !utf8.Valid(data) {
				return // stricter than encoding/json on purpose
			}
		}
		want, werr := stdlib(data)
		if (werr == nil) != (gerr == nil) {
			t.Fatalf("encoding/json: %v; Parse: %v", werr, gerr)
		}
		if werr == nil && !assert.ObjectsAreEqual(want, got) {
			t.Fatalf("trees differ:\nencoding/json %#v\nParse         %#v", want, got)
		}
	})
}
