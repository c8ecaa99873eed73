// Package benchmark holds the benchmarks of the SDK, so that go test -bench (carik's
// bench_test.go) and the table printer (go run ./carik/internal/benchmark/table) run the same code.
// Every comparison is a ratio against a baseline measured in the same run.
package benchmark

import (
	"embed"
	"encoding/json"
	"testing"

	"github.com/CarikBot/carik-go/carik"
	"github.com/CarikBot/carik-go/carik/internal/benchmark/validating"
)

//go:embed testdata/*.json
var fixtures embed.FS

// Fixture is a payload the parse benchmarks decode.
type Fixture struct {
	Name string
	Body []byte
	// Event is the payload's event type, which picks the data struct of the one-pass decoders.
	Event carik.EventType
}

// Fixtures returns the spec's 165-byte message, a ~2 KB and a ~64 KB payment.
func Fixtures() []Fixture {
	var out []Fixture
	for _, f := range []struct {
		name, file string
		event      carik.EventType
	}{
		{"message_165B", "message_spec.json", carik.EventMessage},
		{"payment_2KB", "payment_2k.json", carik.EventPayment},
		{"payment_64KB", "payment_64k.json", carik.EventPayment},
	} {
		body, err := fixtures.ReadFile("testdata/" + f.file)
		if err != nil {
			panic(err)
		}
		out = append(out, Fixture{f.name, body, f.event})
	}
	return out
}

// Decoder is one way to turn a payload into Go values.
type Decoder struct {
	// Name identifies it in benchmark names and tables.
	Name string
	// What says what it checks, for the table.
	What string
	// For returns the function that decodes payloads like f.
	For func(f Fixture) func(body []byte) error
}

// typedEnvelope is a payload decoded into the generated structs, without any validation.
type typedEnvelope[D any] struct {
	Event     string `json:"event"`
	Platform  string `json:"platform"`
	VendorID  string `json:"vendor_id"`
	ChannelID string `json:"channel_id"`
	Data      D      `json:"data"`
}

func unmarshalInto[T any](body []byte) error {
	var v T
	return json.Unmarshal(body, &v)
}

// oneTyped returns a one-pass encoding/json decode of f's payloads into the envelope with the
// data struct of its event: the user already knows the event, a floor no decoder that first
// reads the event can beat.
func oneTyped[M, P any](f Fixture) func([]byte) error {
	if f.Event == carik.EventMessage {
		return unmarshalInto[typedEnvelope[M]]
	}
	return unmarshalInto[typedEnvelope[P]]
}

// Floor is the first of Decoders, the baseline of every ratio.
const Floor = "floor_encoding_json"

// Decoders returns, in order: the floor (one encoding/json pass into the generated structs, no
// validation), go-jsonschema's generated validating UnmarshalJSON (one pass likewise),
// carik.Parse, and (when built with GOEXPERIMENT=jsonv2) encoding/json/v2's strict syntax check.
func Decoders() []Decoder {
	out := []Decoder{
		{Floor, "encoding/json into the generated structs, one pass, nothing checked", oneTyped[carik.MessageData, carik.PaymentData]},
		{"gojsonschema_validating", "go-jsonschema's UnmarshalJSON: required fields and bounds of data, first failure only, no path",
			oneTyped[validating.MessageData, validating.PaymentData]},
		{"carik_Parse", "the whole schema, every violation with its pointer, strict syntax, typed event", func(Fixture) func([]byte) error {
			return func(body []byte) error {
				_, err := carik.Parse(body)
				return err
			}
		}},
	}
	if jsonv2 != nil {
		out = append(out, *jsonv2)
	}
	return out
}

// jsonv2 is set by jsonv2.go when encoding/json/v2 is built in.
var jsonv2 *Decoder

// Parse benchmarks one decoder on one fixture.
func Parse(b *testing.B, d Decoder, f Fixture) {
	decode := d.For(f)
	if err := decode(f.Body); err != nil {
		b.Fatalf("%s on %s: %v", d.Name, f.Name, err)
	}
	b.SetBytes(int64(len(f.Body)))
	b.ReportAllocs()
	for b.Loop() {
		if err := decode(f.Body); err != nil {
			b.Fatal(err)
		}
	}
}
