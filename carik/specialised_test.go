package carik_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/CarikBot/carik-go/carik"
	"github.com/CarikBot/carik-go/internal/jsontree"
	"github.com/CarikBot/carik-go/internal/validate"
	"github.com/CarikBot/carik-go/schema"
)

// referenceValidators compile webhook.schema.json as published, with its if/then dispatch and
// $refs left to the library, in both modes.
func referenceValidators(t testing.TB) map[bool]*validate.Validator {
	t.Helper()
	out := map[bool]*validate.Validator{}
	for strict, transform := range map[bool]func(any) any{false: nil, true: schema.Strict} {
		vs, err := validate.Compile(schema.FS, schema.BaseURI, map[string]any{"ref": map[string]any{"$ref": schema.WebhookFile}}, transform)
		require.NoError(t, err)
		out[strict] = vs["ref"]
	}
	return out
}

// referenceVerdict applies the published schema to body, or says it does not apply (a body
// that is not a JSON object, or numbers beyond the SDK's limits, which Parse refuses first).
func referenceVerdict(t testing.TB, ref *validate.Validator, body []byte) (valid, applies bool) {
	tree, err := jsontree.Parse(body)
	obj, isObject := tree.(map[string]any)
	if err != nil || !isObject || hasOutOfLimitNumber(obj) {
		return false, false
	}
	found, err := ref.Validate(obj)
	require.NoError(t, err)
	return len(found) == 0, true
}

func hasOutOfLimitNumber(v any) bool {
	err := carik.Validate(mustMarshal(map[string]any{"event": "module", "data": map[string]any{"v": v}}))
	return err != nil
}

// TestSpecialisedSchemas checks that the per-event schemas Parse compiles (webhook.schema.json
// split on its event dispatch, $refs inlined) give the published schema's verdict on every
// fixture, in both modes.
func TestSpecialisedSchemas(t *testing.T) {
	t.Parallel()
	refs := referenceValidators(t)
	checked := 0
	for _, f := range loadFixtures(t) {
		for _, strict := range []bool{false, true} {
			want, applies := referenceVerdict(t, refs[strict], f.body)
			if !applies {
				continue
			}
			checked++
			got := carik.ParseOptions{Strict: strict}.Validate(f.body) == nil
			assert.Equal(t, want, got, "%s (strict %v)", f.path, strict)
		}
	}
	assert.Greater(t, checked, 60)
}
