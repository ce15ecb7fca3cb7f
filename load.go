package main

import (
	"bufio"
	"bytes"
	"context"
	"crypto/rand"
	"database/sql"
	_ "embed"
	"encoding/hex"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"runtime/pprof"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"text/tabwriter"
	"time"

	"github.com/cwbot/cwbot/chatwoot"
	"github.com/cwbot/cwbot/chatwoot/chatwoottest"
)

// loadPayload is a real message_created webhook of a WhatsApp inbox (about 3.4 KB).
//
//go:embed chatwoot/testdata/payloads/message_created_incoming_whatsapp.json
var loadPayload []byte

// loadTexts are what the simulated customers say: greetings, thanks and questions the
// bot answers itself (nothing that hands the conversation to an agent).
var loadTexts = []string{"hola", "hello", "gracias", "thanks", "what can you do?", "buenas tardes", "ok", "mi internet está lento"}

// loadOptions are the flags of cwbot load.
type loadOptions struct {
	Bin           string
	Rate          int
	Duration      time.Duration
	Concurrency   int
	Conversations int
	Echo          bool
	Drain         time.Duration
	JSON          bool
	Keep          bool
	CPUProfile    string
	// ChatwootLimit makes the fake Chatwoot throttle like rack-attack (requests a minute).
	ChatwootLimit int
	// BotRateLimit is the bot's CHATWOOT_RATE_LIMIT; -1: none when Chatwoot does not
	// throttle (the bot's own pace is measured), its default when it does.
	BotRateLimit int
	// BotParallel is the bot's BOT_OUTBOX_PARALLEL (0: its default).
	BotParallel int
	// DownAt and DownFor take the fake Chatwoot's API down (503) for a while.
	DownAt, DownFor time.Duration
	// Ready is the longest wait for the bot to be ready (it trains its reader of acts at
	// start: seconds on a loaded machine); 0 is two minutes.
	Ready time.Duration
}

// LoadReport is what one load run measured.
type LoadReport struct {
	Target        string  `json:"target"` // "cwbot" or "echo"
	Rate          int     `json:"rate"`   // requested events/s, 0 = as fast as possible
	Concurrency   int     `json:"concurrency"`
	Conversations int     `json:"conversations"`
	PayloadBytes  int     `json:"payload_bytes"`
	DurationS     float64 `json:"duration_s"`
	Sent          int64   `json:"sent"`
	Acknowledged  int64   `json:"acknowledged"`
	Failed        int64   `json:"failed"`
	Behind        int64   `json:"behind_schedule"` // sends started more than 5 ms late (--rate)
	EventsPerSec  float64 `json:"events_per_s"`
	AckP50Ms      float64 `json:"ack_p50_ms"`
	AckP99Ms      float64 `json:"ack_p99_ms"`
	AckMaxMs      float64 `json:"ack_max_ms"`
	// End to end: from sending a customer message to the bot's first reply reaching the
	// fake Chatwoot (one measurement per message that had no earlier one unanswered).
	Replies     int64   `json:"replies_measured"`
	E2EP50Ms    float64 `json:"e2e_p50_ms"`
	E2EP99Ms    float64 `json:"e2e_p99_ms"`
	E2EMaxMs    float64 `json:"e2e_max_ms"`
	DrainS      float64 `json:"drain_s"`       // after the last send, until nothing is left to do
	HandledPerS float64 `json:"handled_per_s"` // events handled from the first send to drained
	RSSMB       float64 `json:"rss_mb"`        // child's resident set at the end of sending
	PeakRSSMB   float64 `json:"peak_rss_mb"`   // child's VmHWM
	DBMB        float64 `json:"db_mb"`         // database + WAL at the end
	// CPU time from the first send until drained: the bot's, per event it acknowledged,
	// and this process's (the senders and the fake Chatwoot). Unlike events/s, these do
	// not depend on what else the machine runs.
	BotCPUS       float64 `json:"bot_cpu_s"`
	BotCPUPerEvMs float64 `json:"bot_cpu_ms_per_event"`
	LoadCPUS      float64 `json:"load_cpu_s"`
	Unhandled     int64   `json:"unhandled"`      // events not handled when the run ended
	OutboxQueued  int64   `json:"outbox_pending"` // outbox rows not delivered when the run ended
	// The disk under the database, probed while sending: a 16 KB write and its fsync in a
	// file beside it every diskProbeEvery. A webhook is answered after the fsync of its
	// commit, so the disk's slow fsyncs show in the acknowledgement's tail whatever the bot
	// does.
	DiskFsyncs     int     `json:"disk_fsyncs"`
	DiskFsyncP50Ms float64 `json:"disk_fsync_p50_ms"`
	DiskFsyncP99Ms float64 `json:"disk_fsync_p99_ms"`
	DiskFsyncMaxMs float64 `json:"disk_fsync_max_ms"`
	// The bot's own transactions while sending and draining (its cwbot_store_commit_*
	// metrics): how many, how many took over 10 ms, and their mean units of work.
	Commits         int64   `json:"commits"`
	CommitsOver10ms int64   `json:"commits_over_10ms"`
	CommitUnits     float64 `json:"commit_units_mean"`
	// Delivery toward a Chatwoot that throttles (--chatwoot-limit) or goes down
	// (--chatwoot-down-for): how many calls it answered 429, replies parked dead,
	// conversations handed to the agents (open), conversations whose replies were posted out
	// of their outbox order, replies posted twice, and when the last reply came after
	// Chatwoot was back up.
	Throttled     int     `json:"chatwoot_429s"`
	Dead          int64   `json:"outbox_dead"`
	HandedOff     int     `json:"handed_off"`
	OutOfOrder    int     `json:"conversations_out_of_order"`
	Doubled       int     `json:"replies_posted_twice"`
	LastAfterUpS  float64 `json:"backlog_done_after_up_s,omitempty"` // the last reply to a message sent while down
	FirstAfterUpS float64 `json:"first_reply_after_up_s,omitempty"`
	ChatwootLimit int     `json:"chatwoot_limit_per_min,omitempty"`
	BotRateLimit  int     `json:"bot_rate_limit_per_min"`
	ChatwootDownS float64 `json:"chatwoot_down_s,omitempty"`
	BusiestMinute int     `json:"busiest_minute_calls"`
}

func runLoad(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("load", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var o loadOptions
	fs.StringVar(&o.Bin, "bin", "", "the cwbot binary to run as the service (default: this one)")
	fs.IntVar(&o.Rate, "rate", 0, "events per second to send; 0 sends as fast as --concurrency senders can")
	fs.DurationVar(&o.Duration, "duration", 10*time.Second, "how long to send")
	fs.IntVar(&o.Concurrency, "concurrency", 32, "concurrent senders (connections)")
	fs.IntVar(&o.Conversations, "conversations", 10000, "conversations the messages are spread over")
	fs.BoolVar(&o.Echo, "echo", false, "send to a bare handler that only answers 200 instead (the baseline)")
	fs.DurationVar(&o.Drain, "drain", 60*time.Second, "how long to wait after sending for the bot to finish")
	fs.BoolVar(&o.JSON, "json", false, "print only the JSON report")
	fs.BoolVar(&o.Keep, "keep", false, "keep the temporary database folder")
	fs.StringVar(&o.CPUProfile, "cpuprofile", "", "write this process's CPU profile (senders and fake Chatwoot) to `file`; profile the bot with BOT_PPROF_ADDR")
	fs.IntVar(&o.ChatwootLimit, "chatwoot-limit", 0, "the fake Chatwoot throttles like rack-attack at `N` requests a minute (Chatwoot's default is 3000); 0: never")
	fs.IntVar(&o.BotRateLimit, "bot-rate-limit", -1, "the bot's CHATWOOT_RATE_LIMIT; -1: none without --chatwoot-limit (the bot's own pace), its default with it")
	fs.IntVar(&o.BotParallel, "bot-parallel", 32, "the bot's BOT_OUTBOX_PARALLEL (its default is 8, for at most 8 replies posted twice a kill; the load measures its capacity with 32 by default)")
	fs.DurationVar(&o.DownAt, "chatwoot-down-at", 0, "take the fake Chatwoot's API down (503) this long after sending starts")
	fs.DurationVar(&o.DownFor, "chatwoot-down-for", 0, "for this long (0: never down)")
	fs.Usage = func() {
		fmt.Fprintln(stderr, `Usage: cwbot load [flags]

Starts a fake Chatwoot and the bot (this binary, "serve", in a child process on loopback,
with a temporary database), sends signed message_created webhooks (the real 3.4 KB
WhatsApp payload) over many conversations, and reports events/s, acknowledgement and
end-to-end latency, the bot's memory and the database size. --echo runs the same load
against a bare handler that only answers 200, the baseline.

Flags:`)
		fs.PrintDefaults()
	}
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return usageError{"load: unexpected arguments"}
	}
	if o.Concurrency <= 0 || o.Conversations <= 0 || o.Duration <= 0 {
		return usageError{"load: --concurrency, --conversations and --duration must be positive"}
	}
	if o.Rate < 0 {
		return usageError{"load: --rate cannot be negative (0 sends as fast as possible)"}
	}
	if o.BotParallel <= 0 {
		return usageError{"load: --bot-parallel must be positive"}
	}
	if o.ChatwootLimit < 0 || o.DownAt < 0 || o.DownFor < 0 {
		return usageError{"load: --chatwoot-limit, --chatwoot-down-at and --chatwoot-down-for cannot be negative"}
	}
	if o.CPUProfile != "" {
		f, err := os.Create(o.CPUProfile)
		if err != nil {
			return err
		}
		defer f.Close()
		if err := pprof.StartCPUProfile(f); err != nil {
			return err
		}
		defer pprof.StopCPUProfile()
	}
	rep, err := load(ctx, o, stderr)
	if err != nil {
		return err
	}
	if o.JSON {
		return json.NewEncoder(stdout).Encode(rep)
	}
	writeLoadReport(stdout, rep)
	b, _ := json.Marshal(rep)
	fmt.Fprintf(stdout, "%s\n", b)
	return nil
}

// replyClock measures end-to-end latency: the send time of each conversation's oldest
// unanswered customer message, matched with the first bot message the fake receives.
type replyClock struct {
	mu      sync.Mutex
	pending map[int64]time.Time
	lat     []time.Duration
}

func (c *replyClock) sent(conv int64, t time.Time) {
	c.mu.Lock()
	if _, ok := c.pending[conv]; !ok {
		c.pending[conv] = t
	}
	c.mu.Unlock()
}

// replied notes a reply, and returns when the message it answers was sent (zero when it
// answers none waiting).
func (c *replyClock) replied(conv int64, t time.Time) time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	t0, ok := c.pending[conv]
	if ok {
		delete(c.pending, conv)
		c.lat = append(c.lat, t.Sub(t0))
	}
	return t0
}

// payloadTemplate is the payload cut around what varies: conversation id, message id, text.
type payloadTemplate struct {
	parts [][]byte
	holes []byte // 'c', 'm' or 't' per hole
}

func newPayloadTemplate(p []byte) payloadTemplate {
	var text string
	var probe struct {
		Content string `json:"content"`
	}
	_ = json.Unmarshal(p, &probe)
	text = probe.Content
	quoted, _ := json.Marshal(text)
	marks := []struct {
		old  string
		hole byte
	}{
		{`"id": 318,`, 'c'}, {`"conversation_id": 318,`, 'C'}, {`"id": 9001,`, 'm'}, {string(quoted), 't'},
	}
	for _, m := range marks {
		p = bytes.ReplaceAll(p, []byte(m.old), []byte{0, m.hole, 0})
	}
	var t payloadTemplate
	for {
		i := bytes.IndexByte(p, 0)
		if i < 0 {
			t.parts = append(t.parts, p)
			return t
		}
		t.parts = append(t.parts, p[:i])
		t.holes = append(t.holes, p[i+1])
		p = p[i+3:]
	}
}

func (t payloadTemplate) build(buf []byte, conv, msg int64, text string) []byte {
	buf = buf[:0]
	for i, h := range t.holes {
		buf = append(buf, t.parts[i]...)
		switch h {
		case 'c':
			buf = append(buf, `"id": `...)
			buf = strconv.AppendInt(buf, conv, 10)
			buf = append(buf, ',')
		case 'C':
			buf = append(buf, `"conversation_id": `...)
			buf = strconv.AppendInt(buf, conv, 10)
			buf = append(buf, ',')
		case 'm':
			buf = append(buf, `"id": `...)
			buf = strconv.AppendInt(buf, msg, 10)
			buf = append(buf, ',')
		case 't':
			q, _ := json.Marshal(text)
			buf = append(buf, q...)
		}
	}
	return append(buf, t.parts[len(t.parts)-1]...)
}

func load(ctx context.Context, o loadOptions, logw io.Writer) (*LoadReport, error) {
	secret := randomToken()
	rep := &LoadReport{Target: "cwbot", Rate: o.Rate, Concurrency: o.Concurrency, Conversations: o.Conversations,
		PayloadBytes: len(loadPayload)}
	clock := &replyClock{pending: map[int64]time.Time{}}

	// The fake Chatwoot, behind a wrapper that notes when each bot message arrives.
	cw := chatwoottest.New(chatwoottest.Options{WebhookSecret: secret, NoEcho: true, RateLimit: o.ChatwootLimit})
	rep.ChatwootLimit, rep.BotRateLimit = o.ChatwootLimit, o.BotRateLimit
	if rep.BotRateLimit < 0 {
		rep.BotRateLimit = 0
		if o.ChatwootLimit > 0 {
			rep.BotRateLimit = DefaultConfig().ChatwootRateLimit
		}
	}
	var upAt atomic.Int64 // when the API came back up (unix ns), after --chatwoot-down-for
	defer cw.Close()
	convs := make([]int64, o.Conversations)
	for i := range convs {
		convs[i] = cw.NewConversation(chatwoottest.ConversationSpec{ContactName: "Maria Silva", Phone: "+5511987654321"})
	}
	cwLn, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	// The first reply after the API came back, and the last reply to a message sent before.
	var firstUp, lastUp atomic.Int64
	cwSrv := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		cw.ServeHTTP(w, r)
		// POST /api/v1/accounts/{a}/conversations/{c}/messages
		if r.Method == http.MethodPost && strings.HasSuffix(r.URL.Path, "/messages") {
			parts := strings.Split(r.URL.Path, "/")
			if len(parts) >= 2 {
				if id, err := strconv.ParseInt(parts[len(parts)-2], 10, 64); err == nil {
					now := time.Now()
					t0 := clock.replied(id, now)
					if up := upAt.Load(); up > 0 {
						firstUp.CompareAndSwap(0, now.UnixNano())
						if !t0.IsZero() && t0.UnixNano() < up {
							lastUp.Store(now.UnixNano())
						}
					}
				}
			}
		}
	})}
	go cwSrv.Serve(cwLn)
	defer cwSrv.Close()

	// The target: the bot in a child process, or the bare handler.
	var target string
	var child *exec.Cmd
	var dbPath string
	if o.Echo {
		rep.Target = "echo"
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			return nil, err
		}
		srv := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			_, _ = io.Copy(io.Discard, r.Body)
			w.Header().Set("Content-Type", "application/json")
			_, _ = io.WriteString(w, `{"status":"stored"}`+"\n")
		})}
		go srv.Serve(ln)
		defer srv.Close()
		target = "http://" + ln.Addr().String()
	} else {
		bin := o.Bin
		if bin == "" {
			if bin, err = os.Executable(); err != nil {
				return nil, err
			}
		}
		dir, err := os.MkdirTemp("", "cwbot-load-")
		if err != nil {
			return nil, err
		}
		if o.Keep {
			fmt.Fprintln(logw, "load: database folder", dir)
		} else {
			defer os.RemoveAll(dir)
		}
		dbPath = filepath.Join(dir, "bot.db")
		addr, err := freeLoopbackAddr()
		if err != nil {
			return nil, err
		}
		child = exec.Command(bin, "serve")
		child.Env = append(childEnv(),
			"BOT_ADDR="+addr, "BOT_DB="+dbPath, "BOT_LOG_LEVEL=warn",
			"CHATWOOT_URL=http://"+cwLn.Addr().String(), "CHATWOOT_BOT_TOKEN=bot-token",
			"CHATWOOT_WEBHOOK_SECRET="+secret,
			// Every message is answered, however often a customer writes: the full work each time,
			// and at once (no turn window): the end-to-end latency is the bot's, not a wait.
			"BOT_MAX_REPLIES_PER_MINUTE=100000", "BOT_TURN_WINDOW=0",
			fmt.Sprintf("CHATWOOT_RATE_LIMIT=%d", rep.BotRateLimit))
		if o.BotParallel > 0 {
			child.Env = append(child.Env, fmt.Sprintf("BOT_OUTBOX_PARALLEL=%d", o.BotParallel))
		}
		child.Stdout, child.Stderr = logw, logw
		if err := child.Start(); err != nil {
			return nil, fmt.Errorf("load: start %s serve: %w", bin, err)
		}
		exited := make(chan struct{})
		go func() { child.Wait(); close(exited) }()
		defer func() {
			_ = child.Process.Signal(os.Interrupt)
			select {
			case <-exited:
			case <-time.After(15 * time.Second):
				_ = child.Process.Kill()
				<-exited
			}
		}()
		target = "http://" + addr
		if err := waitReady(ctx, target+"/readyz", exited, o.Ready); err != nil {
			return nil, err
		}
	}

	// Send.
	url := target + "/webhooks/chatwoot"
	tmpl := newPayloadTemplate(loadPayload)
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: o.Concurrency, MaxConnsPerHost: o.Concurrency,
		DisableCompression: true}, Timeout: 30 * time.Second}
	runID := randomToken()[:8]
	var botCPU0 time.Duration
	if child != nil {
		botCPU0, _ = procCPU(child.Process.Pid)
	}
	loadCPU0 := selfCPU()
	var next, sent, acked, failed, behind atomic.Int64
	lats := make([][]time.Duration, o.Concurrency)
	start := time.Now()
	end := start.Add(o.Duration)
	var rssMu sync.Mutex
	var peakSampled float64
	stopSampling := make(chan struct{})
	var sampler sync.WaitGroup
	if child != nil {
		sampler.Add(1)
		go func() {
			defer sampler.Done()
			t := time.NewTicker(250 * time.Millisecond)
			defer t.Stop()
			for {
				select {
				case <-stopSampling:
					return
				case <-t.C:
					if rss, _, err := procMemory(child.Process.Pid); err == nil {
						rssMu.Lock()
						peakSampled = max(peakSampled, rss)
						rssMu.Unlock()
					}
				}
			}
		}()
	}
	var disk *diskProbe
	var commits0 commitStats
	commitsKnown := false
	if child != nil {
		// An older --bin may not have the commit metrics: the run goes on without them.
		if commits0, err = scrapeCommits(target + "/metrics"); err != nil {
			fmt.Fprintln(logw, err)
		}
		commitsKnown = err == nil
		if disk, err = startDiskProbe(filepath.Dir(dbPath), diskProbeEvery); err != nil {
			return nil, err
		}
	}
	if o.DownFor > 0 {
		rep.ChatwootDownS = o.DownFor.Seconds()
		downTimer := time.AfterFunc(o.DownAt, func() {
			cw.SetDown(chatwoottest.DownUnavailable)
			time.AfterFunc(o.DownFor, func() {
				upAt.Store(time.Now().UnixNano())
				cw.SetDown(chatwoottest.Up)
			})
		})
		defer downTimer.Stop()
	}
	var wg sync.WaitGroup
	for w := 0; w < o.Concurrency; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			buf := make([]byte, 0, len(loadPayload)+64)
			lat := make([]time.Duration, 0, 4096)
			defer func() { lats[w] = lat }()
			for ctx.Err() == nil {
				i := next.Add(1) - 1
				if o.Rate > 0 {
					at := start.Add(time.Duration(i) * time.Second / time.Duration(o.Rate))
					if at.After(end) {
						return
					}
					if d := time.Until(at); d > 0 {
						time.Sleep(d)
					} else if d < -5*time.Millisecond {
						behind.Add(1)
					}
				} else if time.Now().After(end) {
					return
				}
				conv := convs[int(i)%len(convs)]
				body := tmpl.build(buf, conv, 10_000_000+i, loadTexts[(int(i)/len(convs))%len(loadTexts)])
				ts := time.Now().Unix()
				req, _ := http.NewRequestWithContext(ctx, http.MethodPost, url, bytes.NewReader(body))
				req.Header.Set("Content-Type", "application/json")
				req.Header.Set("User-Agent", chatwoottest.UserAgent)
				req.Header.Set(chatwoot.HeaderTimestamp, strconv.FormatInt(ts, 10))
				req.Header.Set(chatwoot.HeaderSignature, chatwoot.Sign(secret, ts, body))
				req.Header.Set(chatwoot.HeaderDelivery, runID+"-"+strconv.FormatInt(i, 10))
				t0 := time.Now()
				clock.sent(conv, t0)
				sent.Add(1)
				resp, err := client.Do(req)
				d := time.Since(t0)
				if err == nil {
					_, _ = io.Copy(io.Discard, resp.Body)
					resp.Body.Close()
				}
				if err != nil || resp.StatusCode != http.StatusOK {
					failed.Add(1)
					continue
				}
				acked.Add(1)
				lat = append(lat, d)
			}
		}(w)
	}
	wg.Wait()
	sendTime := time.Since(start)
	if disk != nil {
		probes := disk.stop()
		rep.DiskFsyncs = len(probes)
		rep.DiskFsyncP50Ms, rep.DiskFsyncP99Ms, rep.DiskFsyncMaxMs = percentiles(probes)
	}
	rep.DurationS = sendTime.Seconds()
	rep.Sent, rep.Acknowledged, rep.Failed, rep.Behind = sent.Load(), acked.Load(), failed.Load(), behind.Load()
	rep.EventsPerSec = float64(rep.Acknowledged) / sendTime.Seconds()
	all := slices.Concat(lats...)
	rep.AckP50Ms, rep.AckP99Ms, rep.AckMaxMs = percentiles(all)
	if child != nil {
		if rss, _, err := procMemory(child.Process.Pid); err == nil {
			rep.RSSMB = rss
		}
	}

	// Drain: wait until every event is handled and every reply delivered.
	if child != nil {
		drainStart := time.Now()
		deadline := drainStart.Add(o.Drain)
		for {
			u, p, err := pendingWork(dbPath)
			rep.Unhandled, rep.OutboxQueued = u, p
			if err == nil && u == 0 && p == 0 {
				break
			}
			if time.Now().After(deadline) || ctx.Err() != nil {
				break
			}
			time.Sleep(50 * time.Millisecond)
		}
		rep.DrainS = time.Since(drainStart).Seconds()
		if rep.Unhandled == 0 {
			rep.HandledPerS = float64(rep.Acknowledged) / time.Since(start).Seconds()
		}
		close(stopSampling)
		sampler.Wait()
		if _, hwm, err := procMemory(child.Process.Pid); err == nil {
			rep.PeakRSSMB = max(hwm, peakSampled)
		}
		rep.DBMB = fileMB(dbPath) + fileMB(dbPath+"-wal")
		if c, err := scrapeCommits(target + "/metrics"); err == nil && commitsKnown {
			c = c.minus(commits0)
			rep.Commits, rep.CommitsOver10ms = int64(c.count), int64(c.count-c.upTo10ms)
			if c.count > 0 {
				rep.CommitUnits = c.units / c.count
			}
		}
		if cpu, err := procCPU(child.Process.Pid); err == nil {
			rep.BotCPUS = (cpu - botCPU0).Seconds()
			if rep.Acknowledged > 0 {
				rep.BotCPUPerEvMs = rep.BotCPUS * 1000 / float64(rep.Acknowledged)
			}
		}
	}
	rep.LoadCPUS = (selfCPU() - loadCPU0).Seconds()
	if child != nil {
		rep.Dead = deadRows(dbPath)
		rep.Throttled = cw.Throttled()
		rep.HandedOff, rep.OutOfOrder, rep.Doubled = deliveryOrder(cw, convs)
		perMinute := map[int64]int{}
		for _, r := range cw.Requests() {
			perMinute[r.At.Unix()/60]++
		}
		for _, n := range perMinute {
			rep.BusiestMinute = max(rep.BusiestMinute, n)
		}
		if up := upAt.Load(); up > 0 && lastUp.Load() > 0 {
			rep.FirstAfterUpS = float64(firstUp.Load()-up) / 1e9
			rep.LastAfterUpS = float64(lastUp.Load()-up) / 1e9
		}
	}
	clock.mu.Lock()
	rep.Replies = int64(len(clock.lat))
	rep.E2EP50Ms, rep.E2EP99Ms, rep.E2EMaxMs = percentiles(clock.lat)
	clock.mu.Unlock()
	return rep, nil
}

// childEnv is this process's environment without the bot's configuration, so the child
// runs on the defaults plus what load sets (BOT_PPROF_ADDR passes through, for profiling).
func childEnv() []string {
	var env []string
	for _, kv := range os.Environ() {
		name, _, _ := strings.Cut(kv, "=")
		if name != "BOT_PPROF_ADDR" && slices.ContainsFunc([]string{"BOT_", "CHATWOOT_", "TELCO_", "GENIEACS_", "NLU_", "RASA_",
			"OPENAI_", "ROUTER_", "WHATSAPP_", "HANDOFF_"}, func(p string) bool { return strings.HasPrefix(name, p) }) {
			continue
		}
		env = append(env, kv)
	}
	return env
}

func percentiles(d []time.Duration) (p50, p99, mx float64) {
	if len(d) == 0 {
		return 0, 0, 0
	}
	slices.Sort(d)
	ms := func(v time.Duration) float64 { return float64(v.Microseconds()) / 1000 }
	return ms(d[len(d)/2]), ms(d[len(d)*99/100]), ms(d[len(d)-1])
}

func randomToken() string {
	b := make([]byte, 16)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

func freeLoopbackAddr() (string, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", err
	}
	defer ln.Close()
	return ln.Addr().String(), nil
}

func waitReady(ctx context.Context, url string, exited <-chan struct{}, wait time.Duration) error {
	if wait <= 0 {
		wait = 2 * time.Minute
	}
	deadline := time.Now().Add(wait)
	for time.Now().Before(deadline) {
		select {
		case <-exited:
			return errors.New("load: the bot exited before it was ready")
		case <-ctx.Done():
			return ctx.Err()
		default:
		}
		if resp, err := http.Get(url); err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return nil
			}
		}
		time.Sleep(50 * time.Millisecond)
	}
	return fmt.Errorf("load: the bot was not ready within %v", wait)
}

// procMemory reads a process's resident set and its peak (VmRSS, VmHWM), in MB.
func procMemory(pid int) (rss, hwm float64, err error) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0, 0, err
	}
	for _, line := range strings.Split(string(b), "\n") {
		f := strings.Fields(line)
		if len(f) < 2 {
			continue
		}
		kb, _ := strconv.ParseFloat(f[1], 64)
		switch f[0] {
		case "VmRSS:":
			rss = kb / 1024
		case "VmHWM:":
			hwm = kb / 1024
		}
	}
	return rss, hwm, nil
}

// procCPU reads the user and system time a process has used (/proc/PID/stat, in the
// kernel's USER_HZ ticks, 100 a second on Linux).
func procCPU(pid int) (time.Duration, error) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return 0, err
	}
	// The command name, field 2, is in parentheses and may hold spaces: count after it.
	i := bytes.LastIndexByte(b, ')')
	if i < 0 {
		return 0, errors.New("load: unreadable /proc stat")
	}
	f := strings.Fields(string(b[i+1:]))
	if len(f) < 13 {
		return 0, errors.New("load: short /proc stat")
	}
	utime, err1 := strconv.ParseInt(f[11], 10, 64)
	stime, err2 := strconv.ParseInt(f[12], 10, 64)
	if err := errors.Join(err1, err2); err != nil {
		return 0, err
	}
	return time.Duration(utime+stime) * 10 * time.Millisecond, nil
}

// selfCPU is the user and system time this process has used.
func selfCPU() time.Duration {
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// pendingWork counts the events not yet handled and the outbox rows not yet delivered,
// reading the bot's database beside it.
func pendingWork(path string) (unhandled, pending int64, err error) {
	db, err := sql.Open("sqlite3", "file:"+path+"?mode=ro&_busy_timeout=5000")
	if err != nil {
		return -1, -1, err
	}
	defer db.Close()
	if err := db.QueryRow(`SELECT COUNT(*) FROM events WHERE processed_at IS NULL`).Scan(&unhandled); err != nil {
		return -1, -1, err
	}
	if err := db.QueryRow(`SELECT COUNT(*) FROM outbox WHERE status = 'pending'`).Scan(&pending); err != nil {
		return -1, -1, err
	}
	return unhandled, pending, nil
}

// deadRows counts the outbox rows given up on (-1 when the database cannot be read).
func deadRows(path string) int64 {
	db, err := sql.Open("sqlite3", "file:"+path+"?mode=ro&_busy_timeout=5000")
	if err != nil {
		return -1
	}
	defer db.Close()
	var n int64
	if err := db.QueryRow(`SELECT COUNT(*) FROM outbox WHERE status = 'dead'`).Scan(&n); err != nil {
		return -1
	}
	return n
}

// deliveryOrder reads what the fake Chatwoot holds: conversations handed to the agents
// (open), conversations whose bot messages are not in the order of their outbox rows (each
// carries its row in content_attributes.cwbot_ref), and messages posted twice (the same
// reference again).
func deliveryOrder(cw *chatwoottest.Server, convs []int64) (open, outOfOrder, doubled int) {
	for _, id := range convs {
		c := cw.Conversation(id)
		if c.Status == chatwoot.StatusOpen {
			open++
		}
		seen := map[string]bool{}
		var lastRow int64
		ordered := true
		for _, m := range c.Messages {
			ref, _ := m.Attributes["cwbot_ref"].(string)
			if ref == "" {
				continue
			}
			if seen[ref] {
				doubled++
				continue
			}
			seen[ref] = true
			row, _ := strconv.ParseInt(strings.SplitN(strings.TrimPrefix(ref, "cwbot-outbox-"), "-", 2)[0], 10, 64)
			if row < lastRow {
				ordered = false
			}
			lastRow = row
		}
		if !ordered {
			outOfOrder++
		}
	}
	return open, outOfOrder, doubled
}

func fileMB(path string) float64 {
	st, err := os.Stat(path)
	if err != nil {
		return 0
	}
	return float64(st.Size()) / (1 << 20)
}

// diskProbeEvery is how often the disk probe fsyncs while the load runs: a few percent of
// the fsyncs of the bot at 1,000 events/s.
const diskProbeEvery = 20 * time.Millisecond

// diskProbe writes 16 KB (a commit of a few webhooks) to a file in a folder and fsyncs it,
// at a steady pace, recording how long each fsync took.
type diskProbe struct {
	quit chan struct{}
	done chan []time.Duration
}

func startDiskProbe(dir string, every time.Duration) (*diskProbe, error) {
	f, err := os.CreateTemp(dir, "disk-probe-")
	if err != nil {
		return nil, fmt.Errorf("load: disk probe: %w", err)
	}
	p := &diskProbe{quit: make(chan struct{}), done: make(chan []time.Duration, 1)}
	go func() {
		defer os.Remove(f.Name())
		defer f.Close()
		block := make([]byte, 16<<10)
		var lat []time.Duration
		t := time.NewTicker(every)
		defer t.Stop()
		for i := 0; ; i++ {
			select {
			case <-p.quit:
				p.done <- lat
				return
			case <-t.C:
			}
			// Rewrite the same 1 MB over and over, like a write-ahead log after a checkpoint.
			if _, err := f.WriteAt(block, int64(i%64)*int64(len(block))); err != nil {
				continue
			}
			t0 := time.Now()
			if f.Sync() == nil {
				lat = append(lat, time.Since(t0))
			}
		}
	}()
	return p, nil
}

// stop ends the probe and returns its fsync times.
func (p *diskProbe) stop() []time.Duration {
	close(p.quit)
	return <-p.done
}

// commitStats are the bot's cwbot_store_commit_* metrics at one time.
type commitStats struct{ count, upTo10ms, units float64 }

func (c commitStats) minus(o commitStats) commitStats {
	return commitStats{c.count - o.count, c.upTo10ms - o.upTo10ms, c.units - o.units}
}

// scrapeCommits reads the bot's commit metrics from its /metrics.
func scrapeCommits(url string) (commitStats, error) {
	var c commitStats
	resp, err := http.Get(url)
	if err != nil {
		return c, fmt.Errorf("load: read the bot's metrics: %w", err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return c, fmt.Errorf("load: read the bot's metrics: %s", resp.Status)
	}
	found := 0
	sc := bufio.NewScanner(resp.Body)
	for sc.Scan() {
		name, value, ok := strings.Cut(sc.Text(), " ")
		if !ok {
			continue
		}
		var dst *float64
		switch name {
		case "cwbot_store_commit_seconds_count":
			dst = &c.count
		case `cwbot_store_commit_seconds_bucket{le="0.01"}`:
			dst = &c.upTo10ms
		case "cwbot_store_commit_units_sum":
			dst = &c.units
		default:
			continue
		}
		if *dst, err = strconv.ParseFloat(value, 64); err != nil {
			return c, fmt.Errorf("load: the bot's metrics: %s: %w", name, err)
		}
		found++
	}
	if err := sc.Err(); err != nil {
		return c, fmt.Errorf("load: read the bot's metrics: %w", err)
	}
	if found != 3 {
		return c, errors.New("load: the bot's metrics lack cwbot_store_commit_*")
	}
	return c, nil
}

func writeLoadReport(w io.Writer, r *LoadReport) {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	rate := "as fast as possible"
	if r.Rate > 0 {
		rate = fmt.Sprintf("%d/s", r.Rate)
	}
	fmt.Fprintf(tw, "target\t%s (rate %s, %d senders, %d conversations, %d-byte payload)\n", r.Target, rate, r.Concurrency, r.Conversations, r.PayloadBytes)
	fmt.Fprintf(tw, "sent / acknowledged / failed\t%d / %d / %d in %.1fs\n", r.Sent, r.Acknowledged, r.Failed, r.DurationS)
	fmt.Fprintf(tw, "events/s (acknowledged, durable)\t%.0f\n", r.EventsPerSec)
	fmt.Fprintf(tw, "ack latency p50 / p99 / max\t%.2f / %.2f / %.2f ms\n", r.AckP50Ms, r.AckP99Ms, r.AckMaxMs)
	if r.Target == "cwbot" {
		fmt.Fprintf(tw, "end-to-end to first reply p50 / p99 / max\t%.1f / %.1f / %.1f ms (%d replies)\n", r.E2EP50Ms, r.E2EP99Ms, r.E2EMaxMs, r.Replies)
		fmt.Fprintf(tw, "drained after sending / handled per s\t%.1fs / %.0f\n", r.DrainS, r.HandledPerS)
		fmt.Fprintf(tw, "bot RSS end of sending / peak\t%.1f / %.1f MB\n", r.RSSMB, r.PeakRSSMB)
		fmt.Fprintf(tw, "database + WAL\t%.1f MB\n", r.DBMB)
		fmt.Fprintf(tw, "CPU: bot / per event / load and fake Chatwoot\t%.1fs / %.2f ms / %.1fs\n", r.BotCPUS, r.BotCPUPerEvMs, r.LoadCPUS)
		fmt.Fprintf(tw, "left unhandled / outbox pending\t%d / %d\n", r.Unhandled, r.OutboxQueued)
		fmt.Fprintf(tw, "bot's commits / over 10 ms / units each\t%d / %d / %.1f\n", r.Commits, r.CommitsOver10ms, r.CommitUnits)
		fmt.Fprintf(tw, "disk fsync beside the database p50 / p99 / max\t%.2f / %.2f / %.1f ms (%d probes, one per %v)\n",
			r.DiskFsyncP50Ms, r.DiskFsyncP99Ms, r.DiskFsyncMaxMs, r.DiskFsyncs, diskProbeEvery)
		fmt.Fprintf(tw, "Chatwoot limit / bot's limit / busiest minute\t%d / %d / %d calls a minute (0: none)\n", r.ChatwootLimit, r.BotRateLimit, r.BusiestMinute)
		fmt.Fprintf(tw, "429s / dead / handed off / out of order / posted twice\t%d / %d / %d / %d / %d\n", r.Throttled, r.Dead, r.HandedOff, r.OutOfOrder, r.Doubled)
		if r.ChatwootDownS > 0 {
			fmt.Fprintf(tw, "Chatwoot down / after it was back: first reply, backlog delivered\t%.0fs / %.1fs, %.1fs\n", r.ChatwootDownS, r.FirstAfterUpS, r.LastAfterUpS)
		}
	}
	if r.Behind > 0 {
		fmt.Fprintf(tw, "sends started late (>5 ms)\t%d\n", r.Behind)
	}
	tw.Flush()
}
