package carik_test

import (
	"bufio"
	"bytes"
	"encoding/json"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/CarikBot/carik-go/carik"
	"github.com/CarikBot/carik-go/schema"
)

// TestIndependentValidatorAgrees runs every fixture through Ajv, Node's standard JSON Schema
// validator, against the published schemas (and their strict variants) and requires the SDK's
// verdict to match. CARIK_AJV_NODE_PATH names a node_modules folder holding ajv; .ci/run
// installs one. Without it the test is skipped, except under CI, where it fails.
func TestIndependentValidatorAgrees(t *testing.T) {
	t.Parallel()
	nodePath := os.Getenv("CARIK_AJV_NODE_PATH")
	if nodePath == "" {
		if os.Getenv("CI") != "" {
			t.Fatal("CARIK_AJV_NODE_PATH is not set; .ci/run installs ajv and sets it")
		}
		t.Skip("CARIK_AJV_NODE_PATH not set: run .ci/run, or npm install ajv@8 and point it at node_modules")
	}
	fixtures := loadFixtures(t)
	var files []string
	for _, f := range fixtures {
		abs, err := filepath.Abs(f.path)
		require.NoError(t, err)
		files = append(files, abs)
	}
	script, err := filepath.Abs("testdata/ajv-verdicts.cjs")
	require.NoError(t, err)

	for mode, strict := range map[string]bool{"lenient": false, "strict": true} {
		t.Run(mode, func(t *testing.T) {
			dir := writeSchemas(t, strict)
			cmd := exec.Command("node", append([]string{script, dir}, files...)...)
			cmd.Env = append(os.Environ(), "NODE_PATH="+nodePath)
			var stderr bytes.Buffer
			cmd.Stderr = &stderr
			out, err := cmd.Output()
			require.NoError(t, err, stderr.String())
			ajv := map[string]bool{}
			sc := bufio.NewScanner(bytes.NewReader(out))
			for sc.Scan() {
				var v struct {
					File  string `json:"file"`
					Valid bool   `json:"valid"`
				}
				require.NoError(t, json.Unmarshal(sc.Bytes(), &v))
				ajv[v.File] = v.Valid
			}
			require.Len(t, ajv, len(files))
			for i, f := range fixtures {
				sdkValid := carik.ParseOptions{Strict: strict}.Validate(f.body) == nil
				assert.Equal(t, sdkValid, ajv[files[i]], "%s: SDK valid=%v, Ajv valid=%v", f.path, sdkValid, ajv[files[i]])
			}
		})
	}
}

// writeSchemas writes the embedded schemas, or their strict variants, to a temporary folder.
func writeSchemas(t *testing.T, strict bool) string {
	t.Helper()
	dir := t.TempDir()
	names, err := fs.Glob(schema.FS, "*"+schema.Suffix)
	require.NoError(t, err)
	for _, name := range names {
		raw, err := fs.ReadFile(schema.FS, name)
		require.NoError(t, err)
		if strict {
			var doc any
			require.NoError(t, json.Unmarshal(raw, &doc))
			raw, err = json.Marshal(schema.Strict(doc))
			require.NoError(t, err)
		}
		require.NoError(t, os.WriteFile(filepath.Join(dir, name), raw, 0o644))
	}
	return dir
}
