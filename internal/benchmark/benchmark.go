// Package benchmark holds the benchmarks of the SDK, so that go test -bench (carik's
// bench_test.go) and the table printer (go run ./internal/benchmark/table) run the same code.
// Every comparison is a ratio against a baseline measured in the same run.
package benchmark

import (
	"embed"
	"encoding/json"
	"fmt"
	"testing"

	"github.com/CarikBot/carik-go/carik"
	"github.com/CarikBot/carik-go/internal/benchmark/validating"
)

//go:embed testdata/*.json
var fixtures embed.FS

// Fixture is a payload the parse benchmarks decode.
type Fixture struct {
	Name string
	Body []byte
}

// Fixtures returns the spec's 165-byte message, a ~2 KB and a ~64 KB payment.
func Fixtures() []Fixture {
	var out []Fixture
	for _, f := range []struct{ name, file string }{
		{"message_165B", "message_spec.json"},
		{"payment_2KB", "payment_2k.json"},
		{"payment_64KB", "payment_64k.json"},
	} {
		body, err := fixtures.ReadFile("testdata/" + f.file)
		if err != nil {
			panic(err)
		}
		out = append(out, Fixture{f.name, body})
	}
	return out
}

// Decoder is one way to turn a payload into Go values.
type Decoder struct {
	// Name identifies it in benchmark names and tables.
	Name string
	// Decode decodes one payload.
	Decode func(body []byte) error
}

// typedEnvelope is a payload decoded into the generated structs, without any validation.
type typedEnvelope[D any] struct {
	Event     string `json:"event"`
	Platform  string `json:"platform"`
	VendorID  string `json:"vendor_id"`
	ChannelID string `json:"channel_id"`
	Data      D      `json:"data"`
}

// decodeTyped decodes body into the struct of its event, found from the event field the way a
// user would: encoding/json alone, the floor of any validating decode.
func decodeTyped(body []byte, message, payment func([]byte) error) error {
	var head struct {
		Event string `json:"event"`
	}
	if err := json.Unmarshal(body, &head); err != nil {
		return err
	}
	switch head.Event {
	case "message":
		return message(body)
	case "payment":
		return payment(body)
	}
	return fmt.Errorf("unexpected event %q", head.Event)
}

func unmarshalInto[T any](body []byte) error {
	var v T
	return json.Unmarshal(body, &v)
}

// Decoders returns, in order: the floor (encoding/json into the generated structs, no
// validation), go-jsonschema's generated validating UnmarshalJSON, and carik.Parse.
func Decoders() []Decoder {
	return []Decoder{
		{"floor_encoding_json", func(body []byte) error {
			return decodeTyped(body,
				unmarshalInto[typedEnvelope[carik.MessageData]],
				unmarshalInto[typedEnvelope[carik.PaymentData]])
		}},
		{"gojsonschema_validating", func(body []byte) error {
			return decodeTyped(body,
				unmarshalInto[typedEnvelope[validating.MessageData]],
				unmarshalInto[typedEnvelope[validating.PaymentData]])
		}},
		{"carik_Parse", func(body []byte) error {
			_, err := carik.Parse(body)
			return err
		}},
	}
}

// Parse benchmarks one decoder on one fixture.
func Parse(b *testing.B, d Decoder, f Fixture) {
	if err := d.Decode(f.Body); err != nil {
		b.Fatalf("%s on %s: %v", d.Name, f.Name, err)
	}
	b.SetBytes(int64(len(f.Body)))
	b.ReportAllocs()
	for b.Loop() {
		if err := d.Decode(f.Body); err != nil {
			b.Fatal(err)
		}
	}
}
