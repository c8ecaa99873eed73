package carik_test

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestREADMESnippetsAreCompiled checks that every Go snippet of the README appears, line for
// line, in an example file (carik/*example*_test.go, carik/cariktest/*example*_test.go), where it is compiled and run by go test; .ci/consumer-smoke also
// builds the README's snippets in a module of their own.
func TestREADMESnippetsAreCompiled(t *testing.T) {
	t.Parallel()
	readme, err := os.ReadFile("../README.md")
	require.NoError(t, err)
	var examples strings.Builder
	files, err := filepath.Glob("*example*_test.go")
	require.NoError(t, err)
	more, err := filepath.Glob("cariktest/*example*_test.go")
	require.NoError(t, err)
	for _, f := range append(files, more...) {
		b, err := os.ReadFile(f)
		require.NoError(t, err)
		examples.WriteString(dedent(string(b)))
	}
	blocks := regexp.MustCompile("(?s)```go\n(.*?)```").FindAllStringSubmatch(string(readme), -1)
	require.NotEmpty(t, blocks)
	checked := 0
	for _, b := range blocks {
		code := b[1]
		if strings.HasPrefix(code, "import ") {
			continue // the import line
		}
		checked++
		assert.Contains(t, examples.String(), dedent(code), "a README snippet that no example compiles; copy it from the example files")
	}
	assert.GreaterOrEqual(t, checked, 4, "Quick start, router, receiver and cariktest snippets")
}

// dedent removes leading tabs from every line, so that a snippet matches its copy inside a
// function body.
func dedent(s string) string {
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		lines[i] = strings.TrimLeft(l, "\t")
	}
	return strings.Join(lines, "\n")
}
