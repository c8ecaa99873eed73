//go:build tools

// This file pins the version of the code generator, github.com/atombender/go-jsonschema, in
// go.mod, so that `go generate ./...` (gen/) produces the same *_gen.go files on every machine.
// It is never built (the "tools" build tag is never set), and it is why the module root is not
// a package to import: an application installs the SDK with
// `go get github.com/CarikBot/carik-go/carik`, and its builds never compile the generator.
package tools

import _ "github.com/atombender/go-jsonschema"
