package carik_test

import (
	"encoding/json"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/CarikBot/carik-go/carik"
	"github.com/CarikBot/carik-go/schema"
)

// TestEveryEventTypeIsWired proves that each event type is wired everywhere: a schema, a
// typed event, a router method, a valid fixture and a line in the README's event table; and
// that every event schema has an event type.
func TestEveryEventTypeIsWired(t *testing.T) {
	t.Parallel()
	readme, err := os.ReadFile("../README.md")
	require.NoError(t, err)
	types := carik.EventTypes()
	require.NotEmpty(t, types)
	routerType := reflect.TypeOf(carik.NewRouter())
	for _, et := range types {
		t.Run(string(et), func(t *testing.T) {
			file := string(et) + schema.Suffix
			_, err := fs.Stat(schema.FS, file)
			assert.NoError(t, err, "schema/%s", file)

			body, err := os.ReadFile(filepath.Join(payloadDir, "valid", string(et)+".json"))
			require.NoError(t, err, "every event type needs the fixture testdata/payloads/valid/%s.json", et)
			ev, err := carik.ParseOptions{Strict: true}.Parse(body)
			require.NoError(t, err)
			assert.Equal(t, et, ev.Type())

			typeName := reflect.TypeOf(ev).Elem().Name()
			require.True(t, strings.HasSuffix(typeName, "Event"), typeName)
			method, ok := routerType.MethodByName("On" + strings.TrimSuffix(typeName, "Event"))
			require.True(t, ok, "Router has no On method for %s", typeName)
			assert.Equal(t, reflect.TypeOf(ev), method.Type.In(1).In(1), "On method takes the typed event")

			assert.Contains(t, string(readme), "| `"+string(et)+"` | [`"+typeName+"`]", "README event table")
		})
	}

	files, err := fs.Glob(schema.FS, "*"+schema.Suffix)
	require.NoError(t, err)
	known := map[string]bool{schema.EnvelopeFile: true, schema.DefsFile: true, schema.WebhookFile: true}
	for _, et := range types {
		known[string(et)+schema.Suffix] = true
	}
	for _, f := range files {
		assert.True(t, known[f], "schema/%s has no event type; run go generate ./...", f)
	}
}

// TestEnvelopeMatchesEventFields checks that the generated Envelope has a field per member of
// envelope.schema.json (but event and data, which every event reads itself) and that every
// event embeds it, so that adding a member to the schema reaches every event.
func TestEnvelopeMatchesEventFields(t *testing.T) {
	t.Parallel()
	raw, err := fs.ReadFile(schema.FS, schema.EnvelopeFile)
	require.NoError(t, err)
	var env struct {
		Properties map[string]any `json:"properties"`
	}
	require.NoError(t, json.Unmarshal(raw, &env))
	envType := reflect.TypeFor[carik.Envelope]()
	assert.Equal(t, len(env.Properties)-2, envType.NumField(), "one field per envelope member but event and data")
	for _, ev := range []carik.Event{&carik.MessageEvent{}, &carik.DeviceEvent{}, &carik.PaymentEvent{}, &carik.ModuleEvent{}, &carik.UnknownEvent{}} {
		f, ok := reflect.TypeOf(ev).Elem().FieldByName("Envelope")
		require.True(t, ok, "%T embeds Envelope", ev)
		assert.True(t, f.Anonymous, "%T embeds Envelope", ev)
	}
}
