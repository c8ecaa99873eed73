package inbox_test

import (
	"os/exec"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Each store links only its own database driver, and the carik package none of them.
func TestDependencies(t *testing.T) {
	t.Parallel()
	tests := []struct {
		pkg     string
		linked  []string
		avoided []string
	}{
		{"github.com/CarikBot/carik-go/carik", nil, []string{"riverqueue", "modernc.org/sqlite", "jackc/pgx"}},
		{"github.com/CarikBot/carik-go/inbox", []string{"github.com/riverqueue/river"}, []string{"modernc.org/sqlite", "jackc/pgx"}},
		{"github.com/CarikBot/carik-go/inbox/sqlite", []string{"modernc.org/sqlite", "riversqlite"}, []string{"jackc/pgx", "riverpgxv5"}},
		{"github.com/CarikBot/carik-go/inbox/postgres", []string{"jackc/pgx/v5", "riverpgxv5"}, []string{"modernc.org/sqlite", "riversqlite"}},
	}
	for _, tt := range tests {
		t.Run(tt.pkg, func(t *testing.T) {
			t.Parallel()
			out, err := exec.Command("go", "list", "-deps", tt.pkg).CombinedOutput()
			require.NoError(t, err, "%s", out)
			deps := string(out)
			for _, s := range tt.linked {
				assert.True(t, strings.Contains(deps, s), "%s should link %s", tt.pkg, s)
			}
			for _, s := range tt.avoided {
				assert.False(t, strings.Contains(deps, s), "%s links %s", tt.pkg, s)
			}
		})
	}
}
