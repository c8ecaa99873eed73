//go:build tools

// This file pins github.com/atombender/go-jsonschema in go.mod: gen (run by `go generate ./...`)
// drives its generator to write the benchmark baseline, carik/internal/benchmark/validating's
// validating UnmarshalJSON, and the pin makes that file the same on every machine (gen writes
// the SDK's own types and decoders itself). The file is never built (the "tools" build tag is
// never set), and it is why the module root is not a package to import: an application
// installs the SDK with `go get github.com/CarikBot/carik-go/carik`, and its builds never
// compile go-jsonschema.
package tools

import _ "github.com/atombender/go-jsonschema"
