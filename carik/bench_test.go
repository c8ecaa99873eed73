package carik_test

import (
	"testing"

	"github.com/CarikBot/carik-go/internal/benchmark"
)

// BenchmarkParse compares carik.Parse with the floor (encoding/json into the generated structs,
// no validation) and go-jsonschema's validating UnmarshalJSON on each fixture. For the ratios,
// run go run ./internal/benchmark/table.
func BenchmarkParse(b *testing.B) {
	for _, f := range benchmark.Fixtures() {
		for _, d := range benchmark.Decoders() {
			b.Run(f.Name+"/"+d.Name, func(b *testing.B) { benchmark.Parse(b, d, f) })
		}
	}
}
