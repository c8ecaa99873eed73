package carik_test

import (
	"errors"
	"fmt"
	"math/rand"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/CarikBot/carik-go/carik"
)

// TestRefusedNumbersListedWhateverTheOrder: past MaxViolations refused numbers, which ones are
// listed does not depend on the order of the members (objects are walked in key order, keys
// compared unescaped), and finding them builds no tree.
func TestRefusedNumbersListedWhateverTheOrder(t *testing.T) {
	t.Parallel()
	var members []string
	for i := range 1500 {
		key := fmt.Sprintf("k%04d", i)
		if i%3 == 0 {
			key = `\u006b` + key[1:] // the same key, escaped
		}
		members = append(members, fmt.Sprintf(`"%s":{"n":[1e999,0,{"m":-1e999}]}`, key))
	}
	var want []carik.Violation
	for _, seed := range []int64{1, 2, 3} {
		r := rand.New(rand.NewSource(seed))
		r.Shuffle(len(members), func(i, j int) { members[i], members[j] = members[j], members[i] })
		body := []byte(`{"data":{` + strings.Join(members, ",") + `},"event":"module"}`)
		_, err := carik.Parse(body)
		var verr *carik.ValidationError
		require.True(t, errors.As(err, &verr), "%v", err)
		require.NotEmpty(t, verr.Violations)
		assert.Equal(t, "/data/k0000/n/0", verr.Violations[0].Path)
		if want == nil {
			want = verr.Violations
			continue
		}
		assert.Equal(t, want, verr.Violations, "seed %d", seed)
	}
	last := want[len(want)-1]
	assert.Equal(t, "", last.Path)
	assert.True(t, strings.HasSuffix(last.Message, "more violations not listed"), last.Message)
}
