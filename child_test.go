package main

import (
	"bytes"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

// The real binary, built once per test run for the tests that run it as a child process
// (kill -9 cannot be done to an App inside the test process).
var (
	binOnce sync.Once
	binPath string
	binErr  error
)

// cwbotBinary builds the service once per test run. Under go test the test binary lives
// in go's temporary work folder, which go removes when the run ends, so the built binary
// goes beside it; otherwise (a test binary run by hand) in a temporary folder of its own.
func cwbotBinary(t *testing.T) string {
	t.Helper()
	binOnce.Do(func() {
		dir := ""
		if exe, err := os.Executable(); err == nil && strings.HasPrefix(exe, os.TempDir()) {
			dir = filepath.Dir(exe)
		} else if dir, binErr = os.MkdirTemp("", "cwbot-faults-"); binErr != nil {
			return
		}
		binPath = filepath.Join(dir, "cwbot-child")
		cmd := exec.Command("go", "build", "-o", binPath, ".")
		var out bytes.Buffer
		cmd.Stdout, cmd.Stderr = &out, &out
		if err := cmd.Run(); err != nil {
			binErr = fmt.Errorf("go build: %v\n%s", err, out.String())
		}
	})
	if binErr != nil {
		t.Fatal(binErr)
	}
	return binPath
}

// child is the real service running as a child process on loopback.
type child struct {
	t    *testing.T
	bin  string
	env  []string
	addr string

	mu   sync.Mutex
	cmd  *exec.Cmd
	done chan struct{} // closed when the current process has exited
	logs lockedBuffer  // stderr of every run, for failure reports
}

type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// newChild prepares `cwbot serve` on a free loopback port with its database in a temporary
// folder; extra is added to the environment (KEY=value). The child is killed when the test
// ends, and its log is printed if the test failed.
func newChild(t *testing.T, chatwootURL string, extra ...string) *child {
	t.Helper()
	c := &child{t: t, bin: cwbotBinary(t), addr: freeAddr(t)}
	c.env = append(os.Environ(),
		"CHATWOOT_URL="+chatwootURL,
		"CHATWOOT_BOT_TOKEN=bot-token",
		"CHATWOOT_WEBHOOK_SECRET="+testSecret,
		"BOT_WEBHOOK_TOKEN=",
		"CHATWOOT_USER_TOKEN=",
		"BOT_DB="+filepath.Join(t.TempDir(), "bot.db"),
		"BOT_ADDR="+c.addr,
		"BOT_LOG_LEVEL=warn",
		"BOT_TURN_WINDOW=0", // each message handled as it comes, as testConfig has it
		"TELCO_KIND=http",
		"TELCO_URL=",
	)
	c.env = append(c.env, extra...)
	t.Cleanup(func() {
		c.kill()
		if t.Failed() {
			t.Logf("child log:\n%s", c.logs.String())
		}
	})
	return c
}

// URL is the child's base URL.
func (c *child) URL() string { return "http://" + c.addr }

// start runs the child and waits until /readyz answers 200.
func (c *child) start() {
	c.t.Helper()
	cmd := exec.Command(c.bin, "serve")
	cmd.Env = c.env
	cmd.Stdout, cmd.Stderr = &c.logs, &c.logs
	if err := cmd.Start(); err != nil {
		c.t.Fatal(err)
	}
	done := make(chan struct{})
	go func() {
		_ = cmd.Wait()
		close(done)
	}()
	c.mu.Lock()
	c.cmd, c.done = cmd, done
	c.mu.Unlock()
	hc := &http.Client{Timeout: time.Second}
	deadline := time.Now().Add(hangGuard)
	for {
		select {
		case <-done:
			c.t.Fatalf("the child exited before it was ready: %v\n%s", cmd.ProcessState, c.logs.String())
		default:
		}
		if resp, err := hc.Get(c.URL() + "/readyz"); err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return
			}
		}
		if time.Now().After(deadline) {
			c.t.Fatalf("the child was not ready within %v\n%s", hangGuard, c.logs.String())
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// kill sends SIGKILL (kill -9) and waits for the process to be gone.
func (c *child) kill() {
	c.mu.Lock()
	cmd, done := c.cmd, c.done
	c.cmd = nil
	c.mu.Unlock()
	if cmd == nil {
		return
	}
	_ = cmd.Process.Kill()
	<-done
}

// stop asks the child to shut down (SIGTERM) and waits, failing the test if it takes more
// than hangGuard or exits with an error.
func (c *child) stop() {
	c.t.Helper()
	c.mu.Lock()
	cmd, done := c.cmd, c.done
	c.cmd = nil
	c.mu.Unlock()
	if cmd == nil {
		return
	}
	if err := cmd.Process.Signal(os.Interrupt); err != nil {
		c.t.Fatal(err)
	}
	select {
	case <-done:
	case <-time.After(hangGuard):
		_ = cmd.Process.Kill()
		<-done
		c.t.Fatalf("the child did not stop within %v of SIGINT", hangGuard)
	}
	if !cmd.ProcessState.Success() {
		c.t.Fatalf("the child exited with %v", cmd.ProcessState)
	}
}

// dbPath is the child's database file.
func (c *child) dbPath() string {
	for _, kv := range c.env {
		if v, ok := strings.CutPrefix(kv, "BOT_DB="); ok {
			return v
		}
	}
	return ""
}
