package schema_test

import (
	"encoding/json"
	"io/fs"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/CarikBot/carik-go/internal/validate"
	"github.com/CarikBot/carik-go/schema"
)

// TestDraft2020 proves the schemas use draft 2020-12, the newest draft, and that the run-time
// validator handles what they use of it: every file declares it and compiles against its
// meta-schema, and a rule reached through "$defs" (2020-12's name for definitions) is enforced.
// gen's tests prove the same files generate Go code.
func TestDraft2020(t *testing.T) {
	t.Parallel()
	names, err := fs.Glob(schema.FS, "*"+schema.Suffix)
	require.NoError(t, err)
	require.Len(t, names, 7, "envelope, defs, webhook and four events")
	for _, name := range names {
		raw, err := fs.ReadFile(schema.FS, name)
		require.NoError(t, err)
		var doc map[string]any
		require.NoError(t, json.Unmarshal(raw, &doc), name)
		assert.Equal(t, "https://json-schema.org/draft/2020-12/schema", doc["$schema"], name)
		assert.Equal(t, schema.BaseURI+name, doc["$id"], name)
		_, err = validate.Compile(schema.FS, schema.BaseURI, map[string]any{"root": map[string]any{"$ref": name}}, nil)
		assert.NoError(t, err, name)
		_, err = validate.Compile(schema.FS, schema.BaseURI, map[string]any{"root": map[string]any{"$ref": name}}, schema.Strict)
		assert.NoError(t, err, "strict "+name)
	}

	vs, err := validate.Compile(schema.FS, schema.BaseURI, map[string]any{"root": map[string]any{"$ref": "message.schema.json"}}, nil)
	require.NoError(t, err)
	found, err := vs["root"].Validate(map[string]any{"message_id": "", "status": "read"})
	require.NoError(t, err)
	assert.Equal(t, []validate.Violation{{Path: "/message_id", Message: `expected a non-empty string, found ""`}}, found,
		"minLength of defs.schema.json#/$defs/id applies through $ref")
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
