package carik_test

import (
	"testing"

	"github.com/CarikBot/carik-go/carik/internal/benchmark"
)

// BenchmarkParse compares carik.Parse with the floor (encoding/json into the generated structs,
// no validation) and go-jsonschema's validating UnmarshalJSON on each fixture. For the ratios,
// run go run ./carik/internal/benchmark/table.
func BenchmarkParse(b *testing.B) {
	for _, f := range benchmark.Fixtures() {
		for _, d := range benchmark.Decoders() {
			b.Run(f.Name+"/"+d.Name, func(b *testing.B) { benchmark.Parse(b, d, f) })
		}
	}
}

// BenchmarkReceiver compares carik.NewReceiver (Standard Webhooks verification on) with a bare
// net/http handler that only decodes the JSON, under the same loopback load.
func BenchmarkReceiver(b *testing.B) {
	body := benchmark.Fixtures()[0].Body
	for _, s := range benchmark.Servers() {
		b.Run(s.Name, func(b *testing.B) { benchmark.Deliveries(b, s, body) })
	}
}
