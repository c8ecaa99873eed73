package jsontree

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestFoldAgreesWithEqualFold(t *testing.T) {
	t.Parallel()
	keys := []string{"status", "Status", "STATUS", "sTaTuS", "status_", "kelvin", "\u212aelvin", "Kelvin",
		"\u017ftatus", "ſ", "s", "S", "é", "É", "straße", "STRASSE", "Σ", "σ", "ς", "", "event", "Event", "id", "ID", "İd", "ıd"}
	for _, a := range keys {
		for _, b := range keys {
			assert.Equal(t, strings.EqualFold(a, b), fold(a) == fold(b), "%q vs %q", a, b)
		}
	}
}

func TestFoldOfLowerCaseASCIIAllocatesNothing(t *testing.T) {
	allocs := testing.AllocsPerRun(100, func() { fold("message_id") })
	assert.Zero(t, allocs, "a lower-case ASCII key costs nothing")
}

func TestKeysDifferingInCaseAreRefused(t *testing.T) {
	t.Parallel()
	for _, body := range []string{
		`{"status":"paid","Status":"failed"}`,
		`{"Status":"failed","status":"paid"}`,
		`{"STATUS":1,"Status":2}`,
		`{"a":{"kind":1,"\u212aind":2}}`,
		"{\"a\":[{\"kind\":1,\"\u212aind\":2}]}",
		`{"event":"x","Event":"y"}`,
	} {
		_, err := Parse([]byte(body))
		var se *SyntaxError
		require.ErrorAs(t, err, &se, body)
		assert.Contains(t, se.Msg, "differs only in case", body)
	}
	for _, body := range []string{`{"status":1,"statuses":2}`, `{"a":1,"b":{"A":2}}`} {
		_, err := Parse([]byte(body))
		assert.NoError(t, err, body)
	}
}
