package carik_test

import (
	"errors"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/CarikBot/carik-go/carik"
)

// payloadDir holds the fixture corpus: each NAME.json beside NAME.golden, which gives the
// expected outcome in each mode. valid/ holds payloads valid in both modes (one per event type
// is named after it), lenient/ those only the default mode accepts, invalid/ those that break
// the schema in both, limits/ those the schema allows but the SDK's limits on numbers refuse,
// malformed/ bodies that are not a single JSON object.
const payloadDir = "../testdata/payloads"

type fixture struct {
	path string
	body []byte
	want map[string]string // mode ("lenient", "strict") to outcome
}

func loadFixtures(t testing.TB) []fixture {
	t.Helper()
	paths, err := filepath.Glob(filepath.Join(payloadDir, "*", "*.json"))
	require.NoError(t, err)
	require.NotEmpty(t, paths)
	var out []fixture
	for _, p := range paths {
		body, err := os.ReadFile(p)
		require.NoError(t, err)
		golden, err := os.ReadFile(strings.TrimSuffix(p, ".json") + ".golden")
		require.NoError(t, err, "every fixture needs a .golden file beside it")
		want := map[string]string{}
		for _, line := range strings.Split(strings.TrimSpace(string(golden)), "\n") {
			mode, outcome, ok := strings.Cut(line, ": ")
			require.True(t, ok, "%s: bad golden line %q", p, line)
			want[mode] = outcome
		}
		require.Len(t, want, 2, "%s.golden must give the lenient and the strict outcome", p)
		out = append(out, fixture{path: p, body: body, want: want})
	}
	return out
}

// outcome renders what Parse did in the golden files' words.
func outcome(ev carik.Event, err error) string {
	var verr *carik.ValidationError
	switch {
	case err == nil:
		if u, ok := ev.(*carik.UnknownEvent); ok {
			return "unknown " + string(u.Type())
		}
		return string(ev.Type())
	case errors.Is(err, carik.ErrMalformed):
		return "malformed"
	case errors.As(err, &verr):
		paths := make([]string, len(verr.Violations))
		for i, v := range verr.Violations {
			paths[i] = v.Path
		}
		return "invalid " + strings.Join(paths, " ")
	default:
		return "error " + err.Error()
	}
}

func TestFixtures(t *testing.T) {
	t.Parallel()
	for _, f := range loadFixtures(t) {
		name, _ := filepath.Rel(payloadDir, f.path)
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			for mode, opts := range map[string]carik.ParseOptions{"lenient": {}, "strict": {Strict: true}} {
				ev, err := opts.Parse(f.body)
				assert.Equal(t, f.want[mode], outcome(ev, err), "%s mode", mode)
				assert.Equal(t, err, opts.Validate(f.body), "Validate must agree with Parse (%s mode)", mode)
				if err != nil {
					assert.Nil(t, ev)
					assert.True(t, strings.HasPrefix(err.Error(), "carik: "), err.Error())
					continue
				}
				assert.Equal(t, f.body, []byte(ev.Raw()), "Raw returns the parsed bytes")
			}
			// The folder states the class; the golden file must agree with it.
			class := filepath.Base(filepath.Dir(f.path))
			lenient, strict := f.want["lenient"], f.want["strict"]
			switch class {
			case "valid":
				assert.NotContains(t, lenient+strict, "invalid")
				assert.NotContains(t, lenient+strict, "unknown")
			case "lenient":
				assert.False(t, strings.HasPrefix(lenient, "invalid"))
				assert.True(t, strings.HasPrefix(strict, "invalid"))
			case "invalid", "limits":
				assert.True(t, strings.HasPrefix(lenient, "invalid") && strings.HasPrefix(strict, "invalid"))
			case "malformed":
				assert.Equal(t, "malformed", lenient)
			default:
				t.Errorf("unknown fixture folder %q", class)
			}
		})
	}
}

// TestViolationsSortedAndStable checks that every violation list is sorted by path and the
// same on every run, whatever the map order of the decoded payload.
func TestViolationsSortedAndStable(t *testing.T) {
	t.Parallel()
	body := []byte(`{"event": "message", "z": 1, "a": 2, "platform": 3, "data": {"status": 4, "queue_id": 5, "phone": 6, "x": 7, "b": 8}}`)
	first := carik.ParseOptions{Strict: true}.Validate(body)
	var verr *carik.ValidationError
	require.ErrorAs(t, first, &verr)
	paths := make([]string, len(verr.Violations))
	for i, v := range verr.Violations {
		paths[i] = v.Path
	}
	assert.True(t, sort.StringsAreSorted(paths), "%v", paths)
	assert.Equal(t, []string{"/a", "/data/b", "/data/message_id", "/data/phone", "/data/queue_id", "/data/status", "/data/x", "/platform", "/z"}, paths)
	for range 20 {
		assert.Equal(t, first, carik.ParseOptions{Strict: true}.Validate(body))
	}
}
