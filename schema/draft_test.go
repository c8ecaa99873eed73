package schema_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"io/fs"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v5"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/CarikBot/carik-go/schema"
)

// compileAll compiles every schema file with santhosh-tekuri/jsonschema v5, offline, each under
// its $id, after transform, and returns the compiled schema of root.
func compileAll(t *testing.T, transform func(any) any, root string) *jsonschema.Schema {
	t.Helper()
	c := jsonschema.NewCompiler()
	c.Draft = jsonschema.Draft2020
	c.LoadURL = func(s string) (io.ReadCloser, error) { return nil, fmt.Errorf("offline: refusing %s", s) }
	names, err := fs.Glob(schema.FS, "*"+schema.Suffix)
	require.NoError(t, err)
	for _, name := range names {
		raw, err := fs.ReadFile(schema.FS, name)
		require.NoError(t, err)
		var doc any
		require.NoError(t, json.Unmarshal(raw, &doc))
		out, err := json.Marshal(transform(doc))
		require.NoError(t, err)
		require.NoError(t, c.AddResource(schema.BaseURI+name, bytes.NewReader(out)))
	}
	s, err := c.Compile(schema.BaseURI + root)
	require.NoError(t, err, root)
	return s
}

// TestDraft2020 proves the schemas use draft 2020-12, the newest draft, and that a standard
// validator (santhosh-tekuri/jsonschema v5, the tests' reference) handles what they use of it:
// every file declares it and compiles against its meta-schema in both modes, and a rule reached
// through "$defs" (2020-12's name for definitions) is enforced. gen's tests prove the same files
// generate Go code.
func TestDraft2020(t *testing.T) {
	t.Parallel()
	names, err := fs.Glob(schema.FS, "*"+schema.Suffix)
	require.NoError(t, err)
	require.GreaterOrEqual(t, len(names), 4, "envelope, defs, webhook and the events")
	for _, shared := range []string{schema.EnvelopeFile, "defs" + schema.Suffix, "webhook" + schema.Suffix} {
		require.Contains(t, names, shared)
	}
	same := func(doc any) any { return doc }
	for _, name := range names {
		raw, err := fs.ReadFile(schema.FS, name)
		require.NoError(t, err)
		var doc map[string]any
		require.NoError(t, json.Unmarshal(raw, &doc), name)
		assert.Equal(t, "https://json-schema.org/draft/2020-12/schema", doc["$schema"], name)
		assert.Equal(t, schema.BaseURI+name, doc["$id"], name)
		compileAll(t, same, name)
		compileAll(t, schema.Strict, name)
	}
	message := compileAll(t, same, "message.schema.json")
	err = message.Validate(map[string]any{"message_id": "", "status": "read"})
	var ve *jsonschema.ValidationError
	require.ErrorAs(t, err, &ve, "minLength of defs.schema.json#/$defs/id applies through $ref")
	assert.Contains(t, fmt.Sprintf("%#v", ve), "/message_id")
	assert.NoError(t, message.Validate(map[string]any{"message_id": "m", "status": "read"}))
}

// TestEveryPropertyIsDescribed holds the schemas to their own rule: a description on every
// property, so that generated Go fields and other languages' tools get documentation.
func TestEveryPropertyIsDescribed(t *testing.T) {
	t.Parallel()
	names, err := fs.Glob(schema.FS, "*"+schema.Suffix)
	require.NoError(t, err)
	for _, name := range names {
		if name == schema.WebhookFile {
			continue // generated; its only property narrows the envelope's described event
		}
		raw, err := fs.ReadFile(schema.FS, name)
		require.NoError(t, err)
		var doc any
		require.NoError(t, json.Unmarshal(raw, &doc))
		var walk func(path string, node any)
		walk = func(path string, node any) {
			m, ok := node.(map[string]any)
			if !ok {
				return
			}
			if props, ok := m["properties"].(map[string]any); ok {
				for p, s := range props {
					d, _ := s.(map[string]any)["description"].(string)
					assert.NotEmpty(t, d, "%s: %s/properties/%s has no description", name, path, p)
					walk(path+"/properties/"+p, s)
				}
			}
			if defs, ok := m["$defs"].(map[string]any); ok {
				for p, s := range defs {
					d, _ := s.(map[string]any)["description"].(string)
					assert.NotEmpty(t, d, "%s: $defs/%s has no description", name, p)
				}
			}
		}
		walk("", doc)
		assert.NotEmpty(t, doc.(map[string]any)["description"], name)
		if name != schema.DefsFile {
			assert.NotEmpty(t, doc.(map[string]any)["examples"], "%s has no examples", name)
		}
	}
}
