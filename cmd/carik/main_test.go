package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/CarikBot/carik-go/carik"
	"github.com/CarikBot/carik-go/carik/cariktest"
)

// knownEvents lists the event types as the command's errors do: "device, message, ...".
func knownEvents() string {
	var names []string
	for _, et := range carik.EventTypes() {
		names = append(names, string(et))
	}
	return strings.Join(names, ", ")
}

// binary is the carik command, built once for all tests.
var binary string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "carik-cli")
	if err != nil {
		panic(err)
	}
	binary = filepath.Join(dir, "carik")
	if out, err := exec.Command("go", "build", "-o", binary, ".").CombinedOutput(); err != nil {
		fmt.Fprintf(os.Stderr, "building carik: %v\n%s", err, out)
		os.Exit(1)
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

const payloads = "../../testdata/payloads"

type result struct {
	stdout, stderr string
	code           int
}

func carikCmd(t *testing.T, stdin string, args ...string) result {
	t.Helper()
	return carikEnv(t, nil, stdin, args...)
}

// cleanEnv is the environment without the variables carik reads secrets and config from.
func cleanEnv() []string {
	var env []string
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "CARIK_WEBHOOK_") && !strings.HasPrefix(kv, "XDG_CONFIG_HOME=") {
			env = append(env, kv)
		}
	}
	return env
}

// carikEnv runs the carik binary with extra environment variables (KEY=value); a run that
// does not end within a minute (a listen that should have refused to start) is killed.
func carikEnv(t *testing.T, env []string, stdin string, args ...string) result {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, binary, args...)
	cmd.Env = append(cleanEnv(), env...)
	cmd.Stdin = strings.NewReader(stdin)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	code := 0
	if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
	} else {
		require.NoError(t, err)
	}
	assert.NotContains(t, errb.String(), "goroutine ", "no stack traces")
	return result{out.String(), errb.String(), code}
}

// TestValidateCorpusJSON runs validate --json over the whole fixture corpus in both modes and
// checks each line against carik.Validate and the fixture's .golden verdict.
func TestValidateCorpusJSON(t *testing.T) {
	t.Parallel()
	for _, mode := range []string{"lenient", "strict"} {
		t.Run(mode, func(t *testing.T) {
			t.Parallel()
			args := []string{"validate", "--json", payloads}
			if mode == "strict" {
				args = append(args, "--strict")
			}
			r := carikCmd(t, "", args...)
			assert.Equal(t, 1, r.code, "the corpus holds invalid payloads")
			lines := strings.Split(strings.TrimSpace(r.stdout), "\n")
			files, _ := filepath.Glob(filepath.Join(payloads, "*", "*.json"))
			require.Len(t, lines, len(files))
			for _, line := range lines {
				var got struct {
					File    string            `json:"file"`
					Valid   *bool             `json:"valid"`
					Event   *string           `json:"event"`
					Errors  []carik.Violation `json:"errors"`
					Problem *struct {
						Kind    string `json:"kind"`
						Message string `json:"message"`
						Offset  *int64 `json:"offset"`
						Line    int    `json:"line"`
						Column  int    `json:"column"`
					} `json:"problem"`
				}
				dec := json.NewDecoder(strings.NewReader(line))
				dec.DisallowUnknownFields()
				require.NoError(t, dec.Decode(&got), line)
				require.NotNil(t, got.Valid)
				require.NotNil(t, got.Errors, "errors is [] when valid, never null")

				body, err := os.ReadFile(got.File)
				require.NoError(t, err)
				verr := carik.ParseOptions{Strict: mode == "strict"}.Validate(body)
				assert.Equal(t, verr == nil, *got.Valid, got.File)
				golden, _ := os.ReadFile(strings.TrimSuffix(got.File, ".json") + ".golden")
				want := regexp.MustCompile(mode + `: (\S+)`).FindStringSubmatch(string(golden))[1]
				switch want {
				case "malformed":
					assert.Nil(t, got.Event, got.File)
					require.Len(t, got.Errors, 1)
					assert.Equal(t, "", got.Errors[0].Path)
					require.NotNil(t, got.Problem, got.File)
					assert.Equal(t, "syntax", got.Problem.Kind)
					var serr *carik.SyntaxError
					require.ErrorAs(t, verr, &serr)
					require.NotNil(t, got.Problem.Offset)
					assert.Equal(t, serr.Offset, *got.Problem.Offset)
					assert.Positive(t, got.Problem.Line)
					assert.Positive(t, got.Problem.Column)
				case "invalid":
					assert.False(t, *got.Valid)
					var ve *carik.ValidationError
					require.ErrorAs(t, verr, &ve)
					assert.Equal(t, ve.Violations, got.Errors, got.File)
				case "unknown":
					assert.True(t, *got.Valid)
				default:
					assert.True(t, *got.Valid, got.File)
					require.NotNil(t, got.Event)
					assert.Equal(t, want, *got.Event)
					assert.Empty(t, got.Errors)
				}
			}
		})
	}
}

func TestValidateText(t *testing.T) {
	t.Parallel()
	r := carikCmd(t, "", "validate", "--strict", payloads+"/valid")
	assert.Equal(t, 0, r.code, r.stderr)
	assert.Contains(t, r.stdout, "ok  "+payloads+"/valid/message.json  (message)\n")
	fixtures, err := filepath.Glob(payloads + "/valid/*.json")
	require.NoError(t, err)
	assert.Contains(t, r.stdout, fmt.Sprintf("%d file(s): %d valid, 0 invalid (strict)\n", len(fixtures), len(fixtures)))

	r = carikCmd(t, "", "validate", payloads+"/invalid/message_many_errors.json", payloads+"/valid/device.json", "--strict")
	assert.Equal(t, 1, r.code)
	assert.Contains(t, r.stdout, payloads+"/invalid/message_many_errors.json: /data/status: expected string, found a boolean\n")
	assert.Contains(t, r.stdout, payloads+"/invalid/message_many_errors.json: /platform: expected string, found a number\n")
	assert.Contains(t, r.stdout, "ok  "+payloads+"/valid/device.json  (device)\n")
	assert.True(t, strings.HasSuffix(r.stdout, "2 file(s): 1 valid, 1 invalid (strict)\n"), r.stdout)

	r = carikCmd(t, "", "validate", payloads+"/malformed/truncated.json")
	assert.Equal(t, 1, r.code)
	assert.Contains(t, r.stdout, "truncated.json:1:51: body is not a single JSON object: at byte 50", "FILE:LINE:COLUMN, as compilers print")

	r = carikCmd(t, "", "validate", payloads+"/lenient/message_new_status.json")
	assert.Equal(t, 0, r.code, "lenient by default")
}

func TestValidateStdinAndErrors(t *testing.T) {
	t.Parallel()
	r := carikCmd(t, string(cariktest.Payload(carik.EventDevice)), "validate", "-")
	assert.Equal(t, 0, r.code)
	assert.Contains(t, r.stdout, "ok  -  (device)")
	r = carikCmd(t, `{"event": "device"}`, "validate", "--json", "-")
	assert.Equal(t, 1, r.code)
	assert.JSONEq(t, `{"file": "-", "valid": false, "event": "device", "errors": [{"path": "/data", "message": "required property is missing"}]}`, r.stdout)

	r = carikCmd(t, "", "validate", "no-such-file.json")
	assert.Equal(t, 2, r.code)
	assert.Contains(t, r.stderr, "no-such-file.json")
	r = carikCmd(t, "", "validate")
	assert.Equal(t, 2, r.code)
	r = carikCmd(t, "", "validate", "--nope", payloads)
	assert.Equal(t, 2, r.code)
	assert.Equal(t, "carik validate: unknown flag --nope\nRun \"carik validate --help\" for usage.\n", r.stderr,
		"flags spelled as the usage lines spell them")
	r = carikCmd(t, "", "send", "--sample", "message", "--url")
	assert.Equal(t, 2, r.code)
	assert.Contains(t, r.stderr, "carik send: flag needs an argument: --url\n")
	r = carikCmd(t, "", "validate", "--max-bytes", "lots", payloads)
	assert.Equal(t, 2, r.code)
	assert.Contains(t, r.stderr, `carik validate: invalid value "lots" for flag --max-bytes: parse error`)
	assert.Less(t, strings.Count(r.stderr, "\n"), 3, "a short usage error")
}

func TestSchema(t *testing.T) {
	t.Parallel()
	r := carikCmd(t, "", "schema", "--list")
	assert.Equal(t, 0, r.code)
	var want []string
	for _, et := range carik.EventTypes() {
		want = append(want, string(et))
	}
	assert.Equal(t, strings.Join(want, "\n")+"\n", r.stdout)

	r = carikCmd(t, "", "schema", "message")
	file, err := os.ReadFile("../../schema/message.schema.json")
	require.NoError(t, err)
	assert.Equal(t, string(file), r.stdout)
	r = carikCmd(t, "", "schema")
	assert.Contains(t, r.stdout, `"$id": "https://carik.id/schema/webhook/envelope.schema.json"`)
	r = carikCmd(t, "", "schema", "--strict", "device")
	assert.Contains(t, r.stdout, `"additionalProperties": false`)
	assert.Contains(t, r.stdout, `"enum": [`)
	r = carikCmd(t, "", "schema", "nosuch")
	assert.Equal(t, 2, r.code)
	assert.Contains(t, r.stderr, `no schema "nosuch"; known: envelope, webhook, defs, `+knownEvents())
}

func TestHelpVersionAndUsageErrors(t *testing.T) {
	t.Parallel()
	for _, cmd := range []string{"validate", "schema", "listen", "send", "sign", "version"} {
		r := carikCmd(t, "", cmd, "--help")
		assert.Equal(t, 0, r.code, cmd)
		assert.Contains(t, r.stdout, "Usage: carik "+cmd, cmd)
		assert.Contains(t, r.stdout, "Example:", cmd)
		assert.NotContains(t, r.stdout, " \n", "%s: no trailing blanks", cmd)
		assert.NotContains(t, r.stdout, "Flags:\n\n", "%s: no empty flag list", cmd)
	}
	r := carikCmd(t, "", "help")
	assert.Equal(t, 0, r.code)
	assert.Contains(t, r.stdout, "listen")
	r = carikCmd(t, "", "version")
	assert.Equal(t, 0, r.code)
	assert.Regexp(t, `^carik \S+ go1\.\d+`, r.stdout)
	r = carikCmd(t, "", "frobnicate")
	assert.Equal(t, 2, r.code)
	assert.Equal(t, "carik: unknown command \"frobnicate\"\nRun \"carik help\" for the commands.\n", r.stderr)
	r = carikCmd(t, "")
	assert.Equal(t, 2, r.code)
	r = carikCmd(t, "", "send", "--sample", "message")
	assert.Equal(t, 2, r.code)
	assert.Contains(t, r.stderr, "--url is required")
}

// listener runs "carik listen" and reads its output as it comes.
type listener struct {
	cmd   *exec.Cmd
	url   string
	lines chan string
	err   bytes.Buffer
}

func startListen(t *testing.T, args ...string) *listener {
	t.Helper()
	return startListenEnv(t, nil, args...)
}

// startListenEnv runs "carik listen" with extra environment variables (KEY=value); the
// secrets of the test's own environment are never inherited.
func startListenEnv(t *testing.T, env []string, args ...string) *listener {
	t.Helper()
	l := &listener{lines: make(chan string, 100)}
	l.cmd = exec.Command(binary, append([]string{"listen", "--addr", "127.0.0.1:0"}, args...)...)
	l.cmd.Env = append(cleanEnv(), env...)
	l.cmd.Stderr = &l.err
	stdout, err := l.cmd.StdoutPipe()
	require.NoError(t, err)
	require.NoError(t, l.cmd.Start())
	t.Cleanup(func() { l.cmd.Process.Kill(); l.cmd.Wait() })
	sc := bufio.NewScanner(stdout)
	go func() {
		for sc.Scan() {
			l.lines <- sc.Text()
		}
		close(l.lines)
	}()
	first := l.next(t)
	m := regexp.MustCompile(`^listening on (http://\S+) `).FindStringSubmatch(first)
	require.NotNil(t, m, first)
	l.url = m[1]
	return l
}

// next returns the next report line, skipping the indented lines under the previous one.
func (l *listener) next(t *testing.T) string {
	t.Helper()
	for {
		line := l.raw(t)
		if !strings.HasPrefix(line, "    ") {
			return line
		}
	}
}

// sub returns the next line, which must be an indented line under the last report.
func (l *listener) sub(t *testing.T) string {
	t.Helper()
	line := l.raw(t)
	require.True(t, strings.HasPrefix(line, "    "), "want an indented line, got %q", line)
	return strings.TrimPrefix(line, "    ")
}

func (l *listener) raw(t *testing.T) string {
	t.Helper()
	select {
	case line, ok := <-l.lines:
		require.True(t, ok, "listen ended early")
		return line
	case <-time.After(10 * time.Second):
		t.Fatal("no output from listen")
		return ""
	}
}

// stop interrupts listen, checks that it shut down cleanly and returns its standard error.
func (l *listener) stop(t *testing.T) string {
	t.Helper()
	require.NoError(t, l.cmd.Process.Signal(syscall.SIGINT))
	var rest []string
	for line := range l.lines {
		if !strings.HasPrefix(line, "    ") {
			rest = append(rest, line)
		}
	}
	require.NoError(t, l.cmd.Wait(), "listen exits 0 on SIGINT")
	assert.Equal(t, []string{"stopped"}, rest)
	return l.err.String()
}

func TestListenAndSendSigned(t *testing.T) {
	t.Parallel()
	secret := cariktest.NewSecret()
	l := startListen(t, "--secret", secret)

	r := carikCmd(t, "", "send", "--url", l.url, "--secret", secret, "--sample", "message", "--set", "/data/status=failed", "--set", `/data/extra={"a":1}`)
	assert.Equal(t, 0, r.code, r.stderr)
	assert.Equal(t, "200 OK\n| {\"ok\":true}\n", r.stdout)
	assert.Regexp(t, `^\d\d:\d\d:\d\d  200  message   delivered \(lenient: strict mode refuses it\)  id=msg_[0-9a-f]{24}$`, l.next(t))
	assert.Equal(t, "strict: /data/extra: unknown property: the schema does not declare it", l.sub(t))
	assert.Contains(t, l.sub(t), `"status":"failed"`)

	r = carikCmd(t, "", "send", "--url", l.url, "--sample", "device") // unsigned
	assert.Equal(t, 1, r.code)
	assert.Contains(t, r.stdout, "401 Unauthorized")
	assert.Contains(t, l.next(t), "401  -         carik: signature headers missing")

	r = carikCmd(t, "", "send", "--url", l.url, "--secret", secret, payloads+"/invalid/device_missing_id.json")
	assert.Equal(t, 1, r.code)
	assert.Contains(t, r.stdout, "422 Unprocessable Entity")
	assert.Contains(t, l.next(t), "422  device    invalid")
	assert.Equal(t, "/data/device_id: required property is missing", l.sub(t))

	r = carikCmd(t, "", "send", "--url", l.url, "--secret", secret, "--strict", "--sample", "message", "--set", "/data/status=seen")
	assert.Equal(t, 1, r.code)
	assert.Contains(t, r.stderr, "not sent")

	body := string(cariktest.Payload(carik.EventPayment))
	r = carikCmd(t, body, "send", "--url", l.url, "--secret", secret, "-")
	assert.Equal(t, 0, r.code, r.stderr)
	assert.Contains(t, l.next(t), "200  payment   delivered  id=msg_")
	assert.Equal(t, "| "+body, l.sub(t), "the exact bytes received")
	assert.NotContains(t, l.stop(t), "UNVERIFIED")
}

func TestListenAndSendUnsignedAndToken(t *testing.T) {
	t.Parallel()
	l := startListen(t, "--strict")
	r := carikCmd(t, "", "send", "--url", l.url, "--sample", "module", "--set", "/event=order")
	assert.Equal(t, 1, r.code, "strict listen refuses unknown events")
	assert.Contains(t, l.next(t), "422  order     invalid")
	r = carikCmd(t, "", "send", "--url", l.url, "--sample", "module")
	assert.Equal(t, 0, r.code)
	assert.Contains(t, l.next(t), "200  module    delivered")
	assert.Contains(t, l.stop(t), "UNVERIFIED")

	l = startListen(t, "--token-header", "X-Carik-Token", "--token", "s3cret")
	r = carikCmd(t, "", "send", "--url", l.url, "--token-header", "x-carik-token", "--token", "s3cret", "--sample", "device")
	assert.Equal(t, 0, r.code, r.stdout)
	assert.Contains(t, l.next(t), "200  device    delivered")
	r = carikCmd(t, "", "send", "--url", l.url, "--token-header", "x-carik-token", "--token", "wrong", "--sample", "device")
	assert.Equal(t, 1, r.code)
	assert.Contains(t, l.next(t), "401")
	l.stop(t)
}

func TestSendConnectionRefused(t *testing.T) {
	t.Parallel()
	r := carikCmd(t, "", "send", "--url", "http://127.0.0.1:1/webhook", "--sample", "message", "--timeout", "2s")
	assert.Equal(t, 1, r.code)
	assert.Contains(t, r.stderr, "carik send:")
}
