package main

import (
	"encoding/json"
	"io"
	"testing"
	"time"

	"github.com/cwbot/cwbot/chatwoot"
)

// The load payload is the real one with the conversation, message and text varied.
func TestLoadPayloadTemplate(t *testing.T) {
	tmpl := newPayloadTemplate(loadPayload)
	body := tmpl.build(nil, 4242, 777001, `dígame "algo"`)
	ev, err := chatwoot.ParseEvent(body)
	if err != nil {
		t.Fatal(err)
	}
	if ev.Name != "message_created" || ev.Message == nil || ev.Conversation == nil {
		t.Fatalf("parsed %+v", ev)
	}
	if ev.Conversation.ID != 4242 || ev.Message.ID != 777001 || ev.Message.Content != `dígame "algo"` {
		t.Fatalf("conversation %d, message %d, content %q", ev.Conversation.ID, ev.Message.ID, ev.Message.Content)
	}
	var raw map[string]any
	if err := json.Unmarshal(body, &raw); err != nil {
		t.Fatal(err)
	}
	if d := len(body) - len(loadPayload); d < -64 || d > 64 {
		t.Fatalf("body is %d bytes, the payload %d", len(body), len(loadPayload))
	}
}

// A short run against the real binary: every event acknowledged, handled and answered,
// and the figures filled in.
func TestLoadRun(t *testing.T) {
	t.Parallel()
	if testing.Short() {
		t.Skip("runs the binary")
	}
	rep, err := load(t.Context(), loadOptions{Bin: cwbotBinary(t), Rate: 200, Duration: time.Second, Concurrency: 8,
		Conversations: 50, Drain: hangGuard}, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("%+v", *rep)
	if rep.Sent == 0 || rep.Acknowledged != rep.Sent || rep.Failed != 0 {
		t.Fatalf("sent %d, acknowledged %d, failed %d", rep.Sent, rep.Acknowledged, rep.Failed)
	}
	if rep.Unhandled != 0 || rep.OutboxQueued != 0 {
		t.Fatalf("left %d events unhandled, %d outbox rows pending", rep.Unhandled, rep.OutboxQueued)
	}
	if rep.Replies == 0 || rep.E2EP50Ms <= 0 || rep.AckP99Ms <= 0 || rep.RSSMB <= 0 || rep.DBMB <= 0 {
		t.Fatalf("figures missing: %+v", *rep)
	}
	// The disk probe ran while sending (how many times is the disk's business: a loaded
	// one fsyncs slowly), and the bot's commits carried every webhook: at least one unit
	// (the webhook) per commit on average, and at most one commit per unit.
	if rep.DiskFsyncs < 1 || rep.DiskFsyncP50Ms <= 0 || rep.DiskFsyncMaxMs < rep.DiskFsyncP50Ms {
		t.Fatalf("disk probe: %d fsyncs, p50 %v ms, max %v ms", rep.DiskFsyncs, rep.DiskFsyncP50Ms, rep.DiskFsyncMaxMs)
	}
	if rep.Commits == 0 || rep.CommitUnits < 1 || float64(rep.Commits)*rep.CommitUnits < float64(rep.Acknowledged) ||
		rep.CommitsOver10ms < 0 || rep.CommitsOver10ms > rep.Commits {
		t.Fatalf("commits: %d of %.1f units each, %d over 10 ms, for %d webhooks", rep.Commits, rep.CommitUnits, rep.CommitsOver10ms, rep.Acknowledged)
	}
}

// The baseline: the same load against a handler that only answers 200.
func TestLoadEcho(t *testing.T) {
	t.Parallel()
	rep, err := load(t.Context(), loadOptions{Echo: true, Duration: 300 * time.Millisecond, Concurrency: 4,
		Conversations: 10}, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Target != "echo" || rep.Acknowledged == 0 || rep.Failed != 0 {
		t.Fatalf("%+v", *rep)
	}
}
