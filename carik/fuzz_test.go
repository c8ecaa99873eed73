package carik_test

import (
	"bytes"
	"errors"
	"testing"

	"github.com/CarikBot/carik-go/carik"
)

// FuzzParse checks, for any body, in both modes: Parse never panics; it fails exactly when
// Validate does, with an error of a documented kind; its verdict on a JSON object is the
// published webhook.schema.json's (santhosh-tekuri/jsonschema v5), with the same violation paths; and a parsed event parses again, from its Raw bytes, to the
// same type.
func FuzzParse(f *testing.F) {
	ref := newOracle(f)
	for _, fx := range loadFixtures(f) {
		f.Add(fx.body, false)
		f.Add(fx.body, true)
	}
	f.Fuzz(func(t *testing.T, body []byte, strict bool) {
		opts := carik.ParseOptions{Strict: strict}
		ev, err := opts.Parse(body)
		verr := opts.Validate(body)
		if (err == nil) != (verr == nil) {
			t.Fatalf("Parse error %v, Validate error %v", err, verr)
		}
		if diff, _ := ref.differ(t, body, strict); diff != "" {
			t.Fatal(diff)
		}
		if err != nil {
			var ve *carik.ValidationError
			switch {
			case errors.Is(err, carik.ErrMalformed):
			case errors.As(err, &ve):
				if len(ve.Violations) == 0 {
					t.Fatal("ValidationError without violations")
				}
			default:
				t.Fatalf("undocumented error kind %T: %v", err, err)
			}
			if ev != nil {
				t.Fatal("event returned with an error")
			}
			return
		}
		if !bytes.Equal(ev.Raw(), body) {
			t.Fatal("Raw differs from the body")
		}
		again, err := opts.Parse(ev.Raw())
		if err != nil {
			t.Fatalf("a parsed event does not parse again: %v", err)
		}
		if again.Type() != ev.Type() {
			t.Fatalf("type changed from %q to %q", ev.Type(), again.Type())
		}
	})
}
