package carik_test

import (
	"errors"
	"fmt"
	"math/rand"
	"slices"
	"sort"
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

// TestRefusedNumbersListedAreTheFirst: the refused numbers listed past MaxViolations (or the
// byte bound) are exactly the first ones of the whole list in its order (path, then message),
// whatever the order and depth of the members; finding them costs a scan, not a scan per
// level of nesting.
func TestRefusedNumbersListedAreTheFirst(t *testing.T) {
	t.Parallel()
	var members []string
	var all []carik.Violation
	msg := func(n string) string { return "expected a number within the range of a float64, found " + n }
	for i := range 1500 {
		key := fmt.Sprintf("k%d", i) // k10 sorts before k9: listed order is the pointers'
		members = append(members, fmt.Sprintf(`"%s":{"a":{"b":[1e999,{"c":-1e999}]}}`, key))
		all = append(all,
			carik.Violation{Path: "/data/" + key + "/a/b/0", Message: msg("1e999")},
			carik.Violation{Path: "/data/" + key + "/a/b/1/c", Message: msg("-1e999")})
	}
	sort.Slice(all, func(i, j int) bool { return all[i].Path < all[j].Path })
	r := rand.New(rand.NewSource(4))
	r.Shuffle(len(members), func(i, j int) { members[i], members[j] = members[j], members[i] })
	_, err := carik.Parse([]byte(`{"event":"module","data":{` + strings.Join(members, ",") + `}}`))
	var verr *carik.ValidationError
	require.True(t, errors.As(err, &verr), "%v", err)
	listed := verr.Violations[:len(verr.Violations)-1]
	require.Greater(t, len(listed), 500) // then the 64 KiB bound stops the list
	assert.True(t, slices.Equal(all[:len(listed)], listed), "the listed ones are not the first of the whole list")
	assert.Equal(t, fmt.Sprintf("%d more violations not listed", len(all)-len(listed)), verr.Violations[len(listed)].Message)
}
