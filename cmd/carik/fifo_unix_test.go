//go:build unix

package main

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/CarikBot/carik-go/carik"
	"github.com/CarikBot/carik-go/carik/cariktest"
)

// TestValidateSkipsFIFOsAndDevices: a directory holding a named pipe called *.json is
// validated without blocking; the pipe is named as skipped, symbolic links to regular files
// are checked, and the exit code says something was not checked.
func TestValidateSkipsFIFOsAndDevices(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	require.NoError(t, syscall.Mkfifo(filepath.Join(dir, "a-pipe.json"), 0o644))
	valid := filepath.Join(dir, "b-valid.json")
	require.NoError(t, os.WriteFile(valid, cariktest.Payload(carik.EventDevice), 0o644))
	require.NoError(t, os.Symlink(valid, filepath.Join(dir, "c-link.json")))
	require.NoError(t, os.Symlink("/dev/zero", filepath.Join(dir, "d-zero.json")))

	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	for _, args := range [][]string{{"validate", dir}, {"validate", filepath.Join(dir, "a-pipe.json"), valid}} {
		cmd := exec.CommandContext(ctx, binary, args...)
		cmd.WaitDelay = time.Second
		var out, errb strings.Builder
		cmd.Stdout, cmd.Stderr = &out, &errb
		err := cmd.Run()
		require.NoError(t, ctx.Err(), "validate blocked on the pipe")
		var ee *exec.ExitError
		require.ErrorAs(t, err, &ee)
		assert.Equal(t, 2, ee.ExitCode(), "not everything was checked: exit 2")
		assert.Contains(t, errb.String(), "a-pipe.json: skipped: a named pipe (FIFO), not a regular file")
		assert.Contains(t, out.String(), "ok  "+valid+"  (device)")
		if len(args) == 2 {
			assert.Contains(t, out.String(), "ok  "+filepath.Join(dir, "c-link.json")+"  (device)", "a link to a regular file is checked")
			assert.Contains(t, errb.String(), "d-zero.json: skipped: a device, not a regular file")
			assert.Contains(t, out.String(), "2 file(s): 2 valid, 0 invalid, 2 not checked")
		}
	}
}
