package server_test

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/cwbot/cwbot/chatwoot/chatwoottest"
	"github.com/cwbot/cwbot/process"
	"github.com/cwbot/cwbot/server"
	"github.com/cwbot/cwbot/store"
)

// live is the real intake behind server.HTTPServer on a loopback port.
type live struct {
	t        *testing.T
	srv      *http.Server
	db       *store.DB
	addr     string
	notified atomic.Int64
	observed atomic.Int64
}

// startLive serves the intake with the production limits of server.HTTPServer; tune may
// shorten one of them, so a test of that limit does not wait for the real value.
func startLive(t *testing.T, cfg server.Config, tune func(*http.Server)) *live {
	t.Helper()
	if cfg.WebhookSecret == "" {
		cfg.WebhookSecret = fuzzSecret
	}
	l := &live{t: t, db: openDB(t)}
	l.db.OnEvents(func(evs []*store.Event) { l.notified.Add(int64(len(evs))) })
	s := server.New(cfg, l.db, quietLogger())
	s.TelcoCallbacks(fuzzTelcoSecret, func(context.Context, process.Status) (bool, error) {
		l.observed.Add(1)
		return true, nil
	})
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	l.addr = ln.Addr().String()
	l.srv = server.HTTPServer(l.addr, s)
	if tune != nil {
		tune(l.srv)
	}
	done := make(chan struct{})
	go func() {
		defer close(done)
		if err := l.srv.Serve(ln); !errors.Is(err, http.ErrServerClosed) {
			t.Errorf("serve: %v", err)
		}
	}()
	t.Cleanup(func() {
		l.srv.Close()
		<-done
	})
	return l
}

func (l *live) url(path string) string { return "http://" + l.addr + path }

// post sends body signed at ts with the webhook secret and returns the status and answer.
func (l *live) post(body []byte, ts time.Time, delivery string) (int, map[string]string) {
	l.t.Helper()
	req, err := http.NewRequest(http.MethodPost, l.url("/webhooks/chatwoot"), bytes.NewReader(body))
	if err != nil {
		l.t.Fatal(err)
	}
	for k, v := range chatwoottest.SignedHeaders(fuzzSecret, ts, body, delivery) {
		req.Header[k] = v
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		l.t.Fatal(err)
	}
	defer resp.Body.Close()
	var answer map[string]string
	if err := json.NewDecoder(resp.Body).Decode(&answer); err != nil {
		l.t.Fatalf("status %d: %v", resp.StatusCode, err)
	}
	return resp.StatusCode, answer
}

func (l *live) events() int64 {
	l.t.Helper()
	n, _, err := l.db.EventCounts(context.Background())
	if err != nil {
		l.t.Fatal(err)
	}
	return n
}

func (l *live) dial() net.Conn {
	l.t.Helper()
	c, err := net.Dial("tcp", l.addr)
	if err != nil {
		l.t.Fatal(err)
	}
	l.t.Cleanup(func() { c.Close() })
	return c
}

func payload(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile("../chatwoot/testdata/payloads/" + name + ".json")
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// edit decodes a payload, changes it and encodes it again.
func edit(t *testing.T, body []byte, change func(m map[string]any)) []byte {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(body, &m); err != nil {
		t.Fatal(err)
	}
	change(m)
	b, err := json.Marshal(m)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// hangGuard is how long a test waits for something that must happen before it calls it
// a hang: no measure of speed, since a loaded machine may take many times longer than an
// idle one.
const hangGuard = time.Minute

// readAnswer reads one response from c, failing the test after d or hangGuard, whichever
// is longer.
func readAnswer(t *testing.T, c net.Conn, d time.Duration) *http.Response {
	t.Helper()
	c.SetReadDeadline(time.Now().Add(max(d, hangGuard)))
	resp, err := http.ReadResponse(bufio.NewReader(c), nil)
	if err != nil {
		t.Fatalf("no answer: %v", err)
	}
	resp.Body.Close()
	return resp
}

// waitClosed waits until the server closes c (a read ends with EOF or a reset) and says
// how long that took; the test fails if it does not happen within d or hangGuard,
// whichever is longer.
func waitClosed(t *testing.T, c net.Conn, d time.Duration) time.Duration {
	t.Helper()
	start := time.Now()
	d = max(d, hangGuard)
	c.SetReadDeadline(start.Add(d))
	buf := make([]byte, 4096)
	for {
		_, err := c.Read(buf)
		if err == nil {
			continue // an answer (408, 400) before the close
		}
		var ne net.Error
		if errors.As(err, &ne) && ne.Timeout() {
			t.Fatalf("connection still open after %v", d)
		}
		return time.Since(start)
	}
}

func TestHTTPServerLimits(t *testing.T) {
	srv := server.HTTPServer(":8080", http.NotFoundHandler())
	if srv.ReadHeaderTimeout != 5*time.Second || srv.ReadTimeout != 15*time.Second || srv.WriteTimeout != 15*time.Second ||
		srv.IdleTimeout != 60*time.Second || srv.MaxHeaderBytes != 64<<10 {
		t.Fatalf("limits %v %v %v %v %d, want 5s 15s 15s 60s 64KiB", srv.ReadHeaderTimeout, srv.ReadTimeout,
			srv.WriteTimeout, srv.IdleTimeout, srv.MaxHeaderBytes)
	}
}

// A delivery captured and replayed after the window is refused and leaves nothing behind.
func TestReplayedSignature(t *testing.T) {
	l := startLive(t, server.Config{}, nil)
	body := payload(t, "message_created_incoming_whatsapp")
	now := time.Now()
	for _, age := range []time.Duration{6 * time.Minute, -6 * time.Minute, 24 * time.Hour} {
		code, answer := l.post(body, now.Add(-age), "replay-"+age.String())
		if code != http.StatusUnauthorized || answer["error"] != "unauthorized" {
			t.Fatalf("signed %v ago: %d %v, want 401", age, code, answer)
		}
	}
	if n := l.events(); n != 0 {
		t.Fatalf("stored %d events from replays", n)
	}
	// Within the window the same bytes are taken, once.
	if code, answer := l.post(body, now.Add(-4*time.Minute), "fresh"); code != http.StatusOK || answer["status"] != "stored" {
		t.Fatalf("signed 4 minutes ago: %d %v, want 200 stored", code, answer)
	}
	if code, answer := l.post(body, now, "fresh"); code != http.StatusOK || answer["status"] != "duplicate" {
		t.Fatalf("replayed inside the window: %d %v, want 200 duplicate", code, answer)
	}
	if n := l.events(); n != 1 {
		t.Fatalf("stored %d events, want 1", n)
	}
}

// An oversized body is answered 413 without being read to its end, however its size is
// announced.
func TestOversizedBody(t *testing.T) {
	t.Parallel()
	for _, path := range []string{"/webhooks/chatwoot", "/webhooks/telco"} {
		t.Run(strings.Trim(path, "/"), func(t *testing.T) {
			l := startLive(t, server.Config{}, nil)
			t.Run("ContentLength", func(t *testing.T) {
				// 2 MiB announced, 1 KiB sent: the answer comes without the rest.
				c := l.dial()
				fmt.Fprintf(c, "POST %s HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n", path, 2<<20)
				c.Write(bytes.Repeat([]byte(" "), 1024))
				if resp := readAnswer(t, c, 5*time.Second); resp.StatusCode != http.StatusRequestEntityTooLarge || !resp.Close {
					t.Fatalf("status %d close=%v, want 413 and the connection closed", resp.StatusCode, resp.Close)
				}
			})
			t.Run("LyingContentLength", func(t *testing.T) {
				// A terabyte announced, a few bytes sent, the client then waits.
				c := l.dial()
				fmt.Fprintf(c, "POST %s HTTP/1.1\r\nHost: x\r\nContent-Length: %d\r\n\r\n{\"event\":", path, int64(1)<<40)
				if resp := readAnswer(t, c, 5*time.Second); resp.StatusCode != http.StatusRequestEntityTooLarge {
					t.Fatalf("status %d, want 413", resp.StatusCode)
				}
			})
			t.Run("Signed", func(t *testing.T) {
				// A valid signature does not buy a larger body.
				body := append([]byte(`{"event":"message_created","content":"`), bytes.Repeat([]byte("a"), MiB+10)...)
				body = append(body, `"}`...)
				req, _ := http.NewRequest(http.MethodPost, l.url(path), bytes.NewReader(body))
				for k, v := range chatwoottest.SignedHeaders(fuzzSecret, time.Now(), body, "big") {
					req.Header[k] = v
				}
				ts := strconv.FormatInt(time.Now().Unix(), 10)
				req.Header.Set(process.HeaderTimestamp, ts)
				req.Header.Set(process.HeaderSignature, process.SignCallback(fuzzTelcoSecret, time.Now().Unix(), body))
				resp, err := http.DefaultClient.Do(req)
				if err != nil {
					t.Fatal(err)
				}
				resp.Body.Close()
				if resp.StatusCode != http.StatusRequestEntityTooLarge {
					t.Fatalf("status %d, want 413", resp.StatusCode)
				}
			})
			t.Run("Chunked", func(t *testing.T) {
				// No length at all: the server stops reading after 1 MiB, answers 413 and
				// closes; the client cannot push its 256 MiB.
				c := l.dial()
				fmt.Fprintf(c, "POST %s HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n", path)
				var sent atomic.Int64
				writerDone := make(chan error, 1)
				go func() {
					chunk := fmt.Appendf(nil, "%x\r\n%s\r\n", 32<<10, bytes.Repeat([]byte("a"), 32<<10))
					for sent.Load() < 256<<20 {
						c.SetWriteDeadline(time.Now().Add(5 * time.Second))
						n, err := c.Write(chunk)
						sent.Add(int64(n))
						if err != nil {
							writerDone <- err
							return
						}
					}
					writerDone <- nil
				}()
				if resp := readAnswer(t, c, 10*time.Second); resp.StatusCode != http.StatusRequestEntityTooLarge || !resp.Close {
					t.Fatalf("status %d close=%v, want 413 and close", resp.StatusCode, resp.Close)
				}
				select {
				case err := <-writerDone:
					if err == nil {
						t.Fatal("the server took 256 MiB")
					}
				case <-time.After(hangGuard):
					t.Fatalf("client still writing after %d bytes", sent.Load())
				}
				// The kernel buffers a few MiB on loopback; the server itself read 1 MiB.
				if n := sent.Load(); n > 32<<20 {
					t.Fatalf("the client pushed %d bytes before the connection was cut", n)
				}
				t.Logf("client pushed %d KiB before the connection was cut", sent.Load()>>10)
			})
			if n := l.events(); n != 0 || l.observed.Load() != 0 {
				t.Fatalf("stored %d events, observed %d callbacks", n, l.observed.Load())
			}
		})
	}
}

const MiB = 1 << 20

// Headers beyond MaxHeaderBytes are answered 431; below it the request goes through.
func TestOversizedHeaders(t *testing.T) {
	l := startLive(t, server.Config{}, nil)
	for _, tc := range []struct {
		name string
		size int
		want int
	}{
		{"32KiB", 32 << 10, http.StatusUnauthorized}, // reaches the handler, unsigned
		{"100KiB", 100 << 10, http.StatusRequestHeaderFieldsTooLarge},
		{"ManySmall", -1, http.StatusRequestHeaderFieldsTooLarge},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := l.dial()
			var hdr bytes.Buffer
			if tc.size > 0 {
				fmt.Fprintf(&hdr, "X-Big: %s\r\n", strings.Repeat("a", tc.size))
			} else {
				for i := range 4000 { // 4000 × 24 bytes ≈ 94 KiB
					fmt.Fprintf(&hdr, "X-H-%05d: %012d\r\n", i, i)
				}
			}
			fmt.Fprintf(c, "POST /webhooks/chatwoot HTTP/1.1\r\nHost: x\r\n%sContent-Length: 2\r\n\r\n{}", hdr.Bytes())
			if resp := readAnswer(t, c, 5*time.Second); resp.StatusCode != tc.want {
				t.Fatalf("status %d, want %d", resp.StatusCode, tc.want)
			}
		})
	}
	if n := l.events(); n != 0 {
		t.Fatalf("stored %d events", n)
	}
}

// A client that sends its headers a byte at a time, or nothing at all, is cut off at
// ReadHeaderTimeout.
func TestSlowHeaders(t *testing.T) {
	t.Parallel()
	const timeout = 300 * time.Millisecond
	l := startLive(t, server.Config{}, func(s *http.Server) { s.ReadHeaderTimeout = timeout })
	t.Run("ByteByByte", func(t *testing.T) {
		// The server's clock for the headers starts once it has the connection: after
		// start, so the cut comes no earlier than start+timeout on any machine.
		start := time.Now()
		c := l.dial()
		req := "POST /webhooks/chatwoot HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nX-Padding: " +
			strings.Repeat("a", 2000) + "\r\nContent-Length: 2\r\n\r\n{}"
		var sent atomic.Int64
		go func() {
			for i := range len(req) {
				if _, err := c.Write([]byte{req[i]}); err != nil {
					return
				}
				sent.Add(1)
				time.Sleep(20 * time.Millisecond) // the whole request would take 45 s
			}
		}()
		waitClosed(t, c, 0)
		// Cut by the header timeout, not by anything sooner, and before the client
		// finished: no upper bound in time, which a loaded machine could pass.
		if took := time.Since(start); took < timeout {
			t.Fatalf("closed after %v, before the %v header timeout", took, timeout)
		}
		if n := sent.Load(); n >= int64(len(req)) {
			t.Fatal("the client finished its request")
		}
	})
	t.Run("Silent", func(t *testing.T) {
		conns := make([]net.Conn, 20)
		for i := range conns {
			conns[i] = l.dial()
		}
		for _, c := range conns {
			waitClosed(t, c, 0)
		}
	})
	if n := l.events(); n != 0 {
		t.Fatalf("stored %d events", n)
	}
}

// A body trickled in (Slowloris on the body) is cut at ReadTimeout.
func TestSlowBody(t *testing.T) {
	t.Parallel()
	const timeout = 500 * time.Millisecond
	l := startLive(t, server.Config{}, func(s *http.Server) { s.ReadTimeout = timeout })
	body := payload(t, "message_created_incoming_whatsapp")
	var hdr bytes.Buffer
	for k, v := range chatwoottest.SignedHeaders(fuzzSecret, time.Now(), body, "slow") {
		fmt.Fprintf(&hdr, "%s: %s\r\n", k, v[0])
	}
	// The server's clock for the request starts once it has the connection: after start,
	// so the cut comes no earlier than start+timeout on any machine.
	start := time.Now()
	c := l.dial()
	fmt.Fprintf(c, "POST /webhooks/chatwoot HTTP/1.1\r\nHost: x\r\n%sContent-Length: %d\r\n\r\n", hdr.Bytes(), len(body))
	var sent atomic.Int64
	go func() {
		for i := range body {
			if _, err := c.Write(body[i : i+1]); err != nil {
				return
			}
			sent.Add(1)
			time.Sleep(10 * time.Millisecond) // 3.4 KiB would take 35 s
		}
	}()
	c.SetReadDeadline(time.Now().Add(hangGuard))
	resp, err := http.ReadResponse(bufio.NewReader(c), nil)
	took := time.Since(start)
	if err == nil {
		resp.Body.Close()
		if resp.StatusCode != http.StatusBadRequest {
			t.Fatalf("status %d, want 400 (body cut) or the connection closed", resp.StatusCode)
		}
	} else if ne, ok := err.(net.Error); ok && ne.Timeout() {
		t.Fatal("the server is still waiting for the body")
	}
	// Cut by the read timeout, not by anything sooner, and before the client finished:
	// no upper bound in time, which a loaded machine could pass.
	if took < timeout {
		t.Fatalf("cut after %v, before the %v read timeout", took, timeout)
	}
	if n := sent.Load(); n >= int64(len(body)) {
		t.Fatalf("the client sent its whole body (%d bytes) before the cut", n)
	}
	waitClosed(t, c, 0)
	if n := l.events(); n != 0 {
		t.Fatalf("stored %d events from a cut body", n)
	}
}

// Many keep-alive connections left idle after a request are closed at IdleTimeout.
func TestIdleConnections(t *testing.T) {
	t.Parallel()
	const timeout = 300 * time.Millisecond
	l := startLive(t, server.Config{}, func(s *http.Server) { s.IdleTimeout = timeout })
	const n = 50
	conns := make([]net.Conn, n)
	for i := range conns {
		conns[i] = l.dial()
		fmt.Fprintf(conns[i], "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
	}
	for _, c := range conns {
		if resp := readAnswer(t, c, 0); resp.StatusCode != http.StatusOK || resp.Close {
			t.Fatalf("healthz: %d close=%v, want 200 kept alive", resp.StatusCode, resp.Close)
		}
	}
	// Every idle connection is closed by the server; how soon is the machine's business
	// (the hang guard catches one left open).
	var wg sync.WaitGroup
	for _, c := range conns {
		wg.Go(func() {
			c.SetReadDeadline(time.Now().Add(hangGuard))
			_, err := c.Read(make([]byte, 1))
			if ne, ok := err.(net.Error); ok && ne.Timeout() {
				t.Errorf("idle connection still open after %v", hangGuard)
			}
		})
	}
	wg.Wait()
}

// With BOT_ACCOUNT_ID=1 and BOT_INBOX_IDS=7, signed webhooks of another account or inbox
// are answered 200 "ignored" (so Chatwoot does not retry) and nothing is stored.
//
// Conversation events carry no account object; the intake takes the account from the
// conversation's last message (messages[0].account_id) and the inbox from inbox_id. An
// event with neither messages nor account passes the account filter (the inbox filter
// still applies) and is stored under its conversation id; the worker handles it under the
// account the bot already knows for that conversation, or BOT_ACCOUNT_ID for one it has
// never seen.
func TestUnknownAccountsAndInboxes(t *testing.T) {
	l := startLive(t, server.Config{AccountID: 1, InboxIDs: []int64{7}}, nil)
	msg := payload(t, "message_created_incoming_whatsapp")
	conv := payload(t, "conversation_opened")
	for i, tc := range []struct {
		name string
		body []byte
		want string
	}{
		{"MessageAccount2", edit(t, msg, func(m map[string]any) { m["account"].(map[string]any)["id"] = 2 }), "ignored"},
		{"MessageInbox9", edit(t, msg, func(m map[string]any) {
			m["inbox"].(map[string]any)["id"] = 9
			m["conversation"].(map[string]any)["inbox_id"] = 9
		}), "ignored"},
		{"MessageNoInbox", edit(t, msg, func(m map[string]any) {
			delete(m, "inbox")
			delete(m["conversation"].(map[string]any), "inbox_id")
		}), "ignored"},
		{"ConversationAccount2", edit(t, conv, func(m map[string]any) {
			m["messages"].([]any)[0].(map[string]any)["account_id"] = 2
		}), "ignored"},
		{"ConversationInbox9", edit(t, conv, func(m map[string]any) { m["inbox_id"] = 9 }), "ignored"},
		{"ConversationNoInbox", edit(t, conv, func(m map[string]any) { delete(m, "inbox_id") }), "ignored"},
		{"ConversationNoAccountInbox9", edit(t, conv, func(m map[string]any) { m["messages"] = []any{}; m["inbox_id"] = 9 }), "ignored"},
		{"Message", msg, "stored"},
		{"Conversation", conv, "stored"},
		{"ConversationNoAccount", edit(t, conv, func(m map[string]any) { m["messages"] = []any{}; m["id"] = 319 }), "stored"},
	} {
		before, notified := l.events(), l.notified.Load()
		code, answer := l.post(tc.body, time.Now(), fmt.Sprintf("d%d", i))
		if code != http.StatusOK || answer["status"] != tc.want {
			t.Errorf("%s: %d %v, want 200 %s", tc.name, code, answer, tc.want)
		}
		stored := map[bool]int64{true: 1}[tc.want == "stored"]
		if got := l.events() - before; got != stored {
			t.Errorf("%s: stored %d events, want %d", tc.name, got, stored)
		}
		if got := l.notified.Load() - notified; got != stored {
			t.Errorf("%s: woke the worker %d times, want %d", tc.name, got, stored)
		}
	}
}
