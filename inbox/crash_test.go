package inbox_test

import (
	"bufio"
	"bytes"
	"database/sql"
	"fmt"
	"math/rand/v2"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/CarikBot/carik-go/carik"
	"github.com/CarikBot/carik-go/carik/cariktest"
	"github.com/CarikBot/carik-go/inbox/internal/testdb"
	"github.com/CarikBot/carik-go/inbox/sqlite"
)

// binDir holds the programs the crash tests start: node (receiver and/or worker) and the
// operator command.
var binDir string

func TestMain(m *testing.M) {
	code := m.Run()
	if binDir != "" {
		os.RemoveAll(binDir)
	}
	os.Exit(code)
}

var buildOnce sync.Once

func binaries(t *testing.T) (node, cli string) {
	t.Helper()
	var err error
	var out []byte
	buildOnce.Do(func() {
		binDir, err = os.MkdirTemp("", "carik-inbox-bin")
		if err != nil {
			return
		}
		cmd := exec.Command("go", "build", "-o", binDir, "./internal/killtest/node", "./cmd/carik-inbox")
		out, err = cmd.CombinedOutput()
	})
	require.NoError(t, err, "%s", out)
	node, cli = filepath.Join(binDir, "node"), filepath.Join(binDir, "carik-inbox")
	if _, err := os.Stat(node); err != nil {
		t.Fatal("the node program was not built")
	}
	return node, cli
}

// cluster is where the processes of one crash test keep their state.
type cluster struct {
	t       *testing.T
	kind    string
	node    string
	cli     string
	dir     string
	dbArgs  []string // how a node finds the inbox
	cliEnv  []string
	cliArgs []string
	effects *sql.DB
	secret  string
}

func newCluster(t *testing.T, kind string) *cluster {
	node, cli := binaries(t)
	c := &cluster{t: t, kind: kind, node: node, cli: cli, dir: t.TempDir(), secret: cariktest.NewSecret()}
	var err error
	if kind == "postgres" {
		url := testdb.PostgresURL(t)
		c.dbArgs = []string{"-url", url}
		c.cliEnv = []string{"CARIK_DATABASE_URL=" + url}
		c.effects, err = sql.Open("pgx", url)
	} else {
		db := filepath.Join(c.dir, "inbox.db")
		effects := filepath.Join(c.dir, "effects.db")
		c.dbArgs = []string{"-db", db, "-effects", effects}
		c.cliArgs = []string{"-db", db}
		c.effects, err = sql.Open("sqlite", sqlite.DSN(effects))
	}
	require.NoError(t, err)
	t.Cleanup(func() { c.effects.Close() })
	return c
}

// proc is a running node.
type proc struct {
	cmd    *exec.Cmd
	addr   string
	stderr *bytes.Buffer
}

// start starts a node and waits until it is listening (or ready, for a worker).
func (c *cluster) start(role, addr, name string, extra ...string) *proc {
	c.t.Helper()
	args := append([]string{"-role", role, "-addr", addr, "-secret", c.secret, "-name", name,
		"-heal", filepath.Join(c.dir, "heal")}, c.dbArgs...)
	cmd := exec.Command(c.node, append(args, extra...)...)
	p := &proc{cmd: cmd, stderr: &bytes.Buffer{}}
	cmd.Stderr = p.stderr
	stdout, err := cmd.StdoutPipe()
	require.NoError(c.t, err)
	require.NoError(c.t, cmd.Start())
	line := make(chan string, 1)
	go func() {
		s, _ := bufio.NewReader(stdout).ReadString('\n')
		line <- strings.TrimSpace(s)
	}()
	select {
	case l := <-line:
		if a, ok := strings.CutPrefix(l, "listening "); ok {
			p.addr = a
		} else if l != "ready" {
			cmd.Process.Kill()
			cmd.Wait()
			c.t.Fatalf("node %s did not start: %q %s", name, l, p.stderr)
		}
	case <-time.After(60 * time.Second):
		cmd.Process.Kill()
		c.t.Fatalf("node %s did not start in time: %s", name, p.stderr)
	}
	return p
}

func (p *proc) kill() {
	p.cmd.Process.Signal(syscall.SIGKILL)
	p.cmd.Wait()
}

func (p *proc) stop() {
	p.cmd.Process.Signal(syscall.SIGTERM)
	p.cmd.Wait()
}

// operator runs the operator command.
func (c *cluster) operator(args ...string) string {
	c.t.Helper()
	cmd := exec.Command(c.cli, append(append([]string{}, c.cliArgs...), args...)...)
	cmd.Env = append(os.Environ(), c.cliEnv...)
	out, err := cmd.CombinedOutput()
	require.NoError(c.t, err, "carik-inbox %v: %s", args, out)
	return string(out)
}

func (c *cluster) count(query string) int {
	c.t.Helper()
	var n int
	require.NoError(c.t, c.effects.QueryRow(query).Scan(&n))
	return n
}

// waitCompletions waits until n deliveries have their effect.
func (c *cluster) waitCompletions(n int, timeout time.Duration) {
	c.t.Helper()
	deadline := time.Now().Add(timeout)
	for {
		got := c.count(`SELECT count(DISTINCT delivery_id) FROM completions`)
		if got >= n {
			return
		}
		if time.Now().After(deadline) {
			c.t.Fatalf("%d of %d deliveries handled after %s; inbox: %s", got, n, timeout, c.operator("stats"))
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// sender is Carik: it re-sends every delivery until it is answered 2xx, and sends some again
// after a 2xx (duplicates).
type sender struct {
	signer  *cariktest.Signer
	urls    func() []string
	client  *http.Client
	posts   atomic.Int64
	failed  atomic.Int64
	dupes   atomic.Int64
	latency []time.Duration
	mu      sync.Mutex
}

func newSender(secret string, urls func() []string) *sender {
	return &sender{signer: cariktest.NewSigner(secret), urls: urls,
		client: &http.Client{Timeout: 10 * time.Second, Transport: &http.Transport{MaxIdleConnsPerHost: 16}}}
}

func deliveryID(i int) string { return fmt.Sprintf("d-%05d", i) }

func (s *sender) post(i int) bool {
	id := deliveryID(i)
	body := cariktest.Payload(carik.EventPayment, cariktest.Set("/data/transaction_id", id))
	urls := s.urls()
	url := urls[rand.N(len(urls))]
	req, err := http.NewRequest(http.MethodPost, url, bytes.NewReader(body))
	if err != nil {
		return false
	}
	req.Header = s.signer.SignAt(id, time.Now(), body)
	s.posts.Add(1)
	res, err := s.client.Do(req)
	if err != nil {
		s.failed.Add(1)
		return false
	}
	res.Body.Close()
	if res.StatusCode/100 != 2 {
		s.failed.Add(1)
		return false
	}
	return true
}

// sendAll delivers ids 0..n-1 with 8 connections until every one is answered 2xx; 10% are sent
// once more after their 2xx. It returns the ids answered 2xx (all of them).
func (s *sender) sendAll(n int) map[string]bool {
	acked := make(map[string]bool, n)
	var mu sync.Mutex
	next := make(chan int, n)
	for i := range n {
		next <- i
	}
	var left atomic.Int64
	left.Store(int64(n))
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			for left.Load() > 0 {
				var i int
				select {
				case i = <-next:
				case <-time.After(50 * time.Millisecond):
					continue
				}
				if !s.post(i) {
					time.Sleep(20 * time.Millisecond)
					next <- i
					continue
				}
				mu.Lock()
				acked[deliveryID(i)] = true
				mu.Unlock()
				left.Add(-1)
				if rand.N(10) == 0 {
					s.dupes.Add(1)
					s.post(i)
				}
			}
		})
	}
	wg.Wait()
	return acked
}

// report writes a line to $CARIK_INBOX_REPORT (CI prints it) and the test log.
func report(t *testing.T, format string, args ...any) {
	line := fmt.Sprintf(format, args...)
	t.Log(line)
	if path := os.Getenv("CARIK_INBOX_REPORT"); path != "" {
		f, err := os.OpenFile(path, os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o644)
		if err == nil {
			fmt.Fprintln(f, line)
			f.Close()
		}
	}
}

func freeAddr(t *testing.T) string {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	defer ln.Close()
	return ln.Addr().String()
}

const (
	crashDeliveries = 2000
	crashRounds     = 5
)

// deadIDs are the deliveries the node's handler fails until healed.
func deadIDs(n int) []string {
	var ids []string
	for i := range n {
		if i%100 == 13 {
			ids = append(ids, deliveryID(i))
		}
	}
	return ids
}

// finish checks the end state: every acknowledged delivery handled exactly once (after the
// operator retried the dead ones), and the inbox holding one job per delivery.
func (c *cluster) finish(name string, n int, acked map[string]bool, s *sender, kills int) {
	t := c.t
	require.Len(t, acked, n, "every delivery was answered 2xx in the end")
	dead := deadIDs(n)
	start := time.Now()
	c.waitCompletions(n-len(dead), 120*time.Second)
	t.Logf("all but the dead handled %s after the last 2xx", time.Since(start).Round(time.Millisecond))
	var listed string
	deadline := time.Now().Add(60 * time.Second)
	for {
		listed = c.operator("dead", "-limit", "1000")
		if strings.HasSuffix(listed, fmt.Sprintf("\n%d dead\n", len(dead))) { // all dead, all listed
			break
		}
		require.True(t, time.Now().Before(deadline), "dead deliveries: %s", listed)
		time.Sleep(200 * time.Millisecond)
	}
	for _, id := range dead {
		assert.Contains(t, listed, id)
	}
	shown := c.operator("show", dead[0])
	assert.Contains(t, shown, "downstream refuses this one")
	require.NoError(t, os.WriteFile(filepath.Join(c.dir, "heal"), nil, 0o644))
	retried := c.operator("retry", "-all")
	assert.Equal(t, fmt.Sprintf("retried %d\n", len(dead)), retried)
	c.waitCompletions(n, 60*time.Second)
	t.Logf("dead ones handled %s after the last 2xx", time.Since(start).Round(time.Millisecond))

	twice := c.count(`SELECT count(*) FROM (SELECT delivery_id FROM completions GROUP BY delivery_id HAVING count(*) > 1) AS d`)
	completions := c.count(`SELECT count(*) FROM completions`)
	runs := c.count(`SELECT count(*) FROM runs`)
	assert.Zero(t, twice, "deliveries completed twice")
	assert.Equal(t, n, completions) // n distinct ids among the n sent: every acknowledged one
	var stats string
	deadline = time.Now().Add(30 * time.Second)
	for {
		stats = c.operator("stats")
		if regexp.MustCompile(fmt.Sprintf(`completed\s+%d\s+total\s+%d`, n, n)).MatchString(stats) {
			break
		}
		require.True(t, time.Now().Before(deadline), "inbox: %s", stats)
		time.Sleep(100 * time.Millisecond)
	}
	report(t, "%s (%s): %d deliveries, %d posts (%d not answered 2xx, %d duplicates after 2xx), %d kill -9, "+
		"%d answered 2xx, %d handled, %d completed twice, %d handler runs committed (%d re-runs), %d dead listed and retried",
		name, c.kind, n, s.posts.Load(), s.failed.Load(), s.dupes.Load(), kills, len(acked), completions, twice, runs,
		runs-completions, len(dead))
}

// TestCrashReceiver kills -9 a process that receives and handles deliveries, at random
// moments, while a sender delivers thousands of deliveries with duplicates and failures.
func TestCrashReceiver(t *testing.T) {
	if testing.Short() {
		t.Skip("crash tests are skipped with -short")
	}
	t.Parallel()
	for _, kind := range testdb.Kinds {
		t.Run(kind, func(t *testing.T) {
			t.Parallel()
			c := newCluster(t, kind)
			addr := freeAddr(t)
			p := c.start("both", addr, "node0")
			began := time.Now()
			var mu sync.Mutex
			s := newSender(c.secret, func() []string { return []string{"http://" + addr + "/webhook"} })
			done := make(chan map[string]bool)
			go func() { done <- s.sendAll(crashDeliveries) }()
			kills := 0
			for round := range crashRounds {
				time.Sleep(time.Duration(200+rand.N(600)) * time.Millisecond)
				mu.Lock()
				p.kill()
				kills++
				p = c.start("both", addr, fmt.Sprintf("node%d", round+1))
				mu.Unlock()
			}
			acked := <-done
			t.Logf("sent in %s", time.Since(began).Round(time.Millisecond))
			defer p.stop()
			c.finish("receiver+worker killed", crashDeliveries, acked, s, kills)
		})
	}
}

// TestCrashWorker kills -9 a worker process mid-job, at random moments, while a separate
// receiver process keeps storing deliveries.
func TestCrashWorker(t *testing.T) {
	if testing.Short() {
		t.Skip("crash tests are skipped with -short")
	}
	t.Parallel()
	for _, kind := range testdb.Kinds {
		t.Run(kind, func(t *testing.T) {
			t.Parallel()
			c := newCluster(t, kind)
			r := c.start("receiver", "127.0.0.1:0", "receiver")
			defer r.stop()
			w := c.start("worker", "", "worker0", "-slow", "50ms")
			s := newSender(c.secret, func() []string { return []string{"http://" + r.addr + "/webhook"} })
			done := make(chan map[string]bool)
			go func() { done <- s.sendAll(crashDeliveries) }()
			kills := 0
			for round := range crashRounds {
				time.Sleep(time.Duration(300+rand.N(700)) * time.Millisecond)
				w.kill()
				kills++
				w = c.start("worker", "", fmt.Sprintf("worker%d", round+1), "-slow", "50ms")
			}
			acked := <-done
			defer w.stop()
			c.finish("worker killed mid-job", crashDeliveries, acked, s, kills)
		})
	}
}

// TestScaleOut runs 2 receiver and 2 worker processes on one Postgres database; every
// delivery is sent to both receivers at once (overlapping duplicates).
func TestScaleOut(t *testing.T) {
	if testing.Short() {
		t.Skip("scale-out test is skipped with -short")
	}
	t.Parallel()
	c := newCluster(t, "postgres")
	r1 := c.start("receiver", "127.0.0.1:0", "receiver1")
	r2 := c.start("receiver", "127.0.0.1:0", "receiver2")
	w1 := c.start("worker", "", "worker1")
	w2 := c.start("worker", "", "worker2")
	defer func() {
		for _, p := range []*proc{r1, r2, w1, w2} {
			p.stop()
		}
	}()
	const n = 3000
	urls := []string{"http://" + r1.addr + "/webhook", "http://" + r2.addr + "/webhook"}
	s1 := newSender(c.secret, func() []string { return urls[:1] })
	s2 := newSender(c.secret, func() []string { return urls[1:] })
	var acked1, acked2 map[string]bool
	var wg sync.WaitGroup
	wg.Go(func() { acked1 = s1.sendAll(n) })
	wg.Go(func() { acked2 = s2.sendAll(n) })
	wg.Wait()
	require.Len(t, acked1, n)
	require.Len(t, acked2, n)
	s1.posts.Add(s2.posts.Load())
	s1.failed.Add(s2.failed.Load())
	s1.dupes.Add(s2.dupes.Load())
	c.finish("scale-out, 2 receivers + 2 workers", n, acked1, s1, 0)
	byNode := c.count(`SELECT count(DISTINCT node) FROM completions`)
	assert.Equal(t, 2, byNode, "both workers handled deliveries")
}
