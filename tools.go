//go:build tools

// This file pins the code generator's version in go.mod; it is never built.
package tools

import _ "github.com/atombender/go-jsonschema"
