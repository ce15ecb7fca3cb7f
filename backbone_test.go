package main

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/cwbot/cwbot/chatwoot/chatwoottest"
	"github.com/cwbot/cwbot/store"
)

func TestReply(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		lang, text, greeting, button string
	}{
		{"en", "hello", "Hi Maria!", "Update my router"},
		{"es", "hola, buenas tardes", "¡Hola, Maria!", "Actualizar mi router"},
		{"pt", "oi, bom dia", "Olá, Maria!", "Atualizar roteador"},
	} {
		t.Run(tc.lang, func(t *testing.T) {
			h := newHarness(t, nil, nil)
			conv := h.cw.NewConversation(chatwoottest.ConversationSpec{ContactName: "Maria Silva"})
			h.says(conv, tc.text)
			h.settle()
			got := h.public(conv)
			if len(got) != 1 {
				t.Fatalf("posted %d messages %q, want the greeting with the menu's buttons", len(got), contents(got))
			}
			if !strings.HasPrefix(got[0].Content, tc.greeting) {
				t.Fatalf("greeting=%q, want it to start with %q", got[0].Content, tc.greeting)
			}
			if got[0].ContentType != "input_select" || len(got[0].Items) != 2 || got[0].Items[0].Title != tc.button {
				t.Fatalf("menu=%+v, want input_select starting with %q", got[0], tc.button)
			}
		})
	}
	t.Run("Fallback", func(t *testing.T) {
		h := newHarness(t, nil, nil)
		conv := h.cw.NewConversation(chatwoottest.ConversationSpec{ContactName: "Maria Silva"})
		h.says(conv, "purple monkey dishwasher on mars")
		h.settle()
		got := h.public(conv)
		if len(got) != 1 || !strings.Contains(got[0].Content, "didn't understand") || len(got[0].Items) == 0 {
			t.Fatalf("posted %q, want the polite fallback and the menu", contents(got))
		}
	})
}

func TestWebhookAuth(t *testing.T) {
	t.Parallel()
	body, err := os.ReadFile("chatwoot/testdata/payloads/message_created_incoming_whatsapp.json")
	if err != nil {
		t.Fatal(err)
	}
	post := func(t *testing.T, url string, hdr http.Header) (int, string) {
		t.Helper()
		req, _ := http.NewRequest(http.MethodPost, url, bytes.NewReader(body))
		for k, v := range hdr {
			req.Header[k] = v
		}
		req.Header.Set("Content-Type", "application/json")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var b bytes.Buffer
		b.ReadFrom(resp.Body)
		return resp.StatusCode, b.String()
	}
	t.Run("Signature", func(t *testing.T) {
		h := newHarness(t, nil, nil)
		url := h.app.URL() + "/webhooks/chatwoot"
		now := time.Now()
		var bodies []string
		for name, hdr := range map[string]http.Header{
			"WrongSecret": chatwoottest.SignedHeaders("not-the-secret", now, body, "d1"),
			"Stale":       chatwoottest.SignedHeaders(testSecret, now.Add(-6*time.Minute), body, "d2"),
			"Future":      chatwoottest.SignedHeaders(testSecret, now.Add(6*time.Minute), body, "d3"),
			"Unsigned":    {},
		} {
			code, b := post(t, url, hdr)
			if code != http.StatusUnauthorized {
				t.Fatalf("%s: status=%d, want 401", name, code)
			}
			bodies = append(bodies, b)
		}
		for _, b := range bodies[1:] {
			if b != bodies[0] {
				t.Fatalf("401 bodies differ: %q and %q", bodies[0], b)
			}
		}
		code, _ := post(t, url, chatwoottest.SignedHeaders(testSecret, now, body, "d4"))
		if code != http.StatusOK {
			t.Fatalf("good signature: status=%d, want 200", code)
		}
		h.settle()
		var stored int
		if err := h.app.DB.SQL().QueryRow(`SELECT COUNT(*) FROM events WHERE source = 'chatwoot'`).Scan(&stored); err != nil {
			t.Fatal(err)
		}
		if stored != 1 {
			t.Fatalf("stored %d webhooks, want only the signed one", stored)
		}
	})
	t.Run("Token", func(t *testing.T) {
		h := newHarness(t, &chatwoottest.Options{WebhookToken: "tok-123"}, func(c *Config) {
			c.WebhookSecret, c.WebhookToken = "", "tok-123"
		})
		base := h.app.URL() + "/webhooks/chatwoot"
		for _, url := range []string{base, base + "?token=wrong", base + "?token="} {
			if code, _ := post(t, url, nil); code != http.StatusUnauthorized {
				t.Fatalf("%s: status=%d, want 401", url, code)
			}
		}
		conv := h.cw.NewConversation(chatwoottest.ConversationSpec{ContactName: "Maria"})
		h.says(conv, "hi")
		h.settle()
		if n := len(h.public(conv)); n != 1 {
			t.Fatalf("posted %d messages with the right token, want 1", n)
		}
	})
	t.Run("BadInput", func(t *testing.T) {
		h := newHarness(t, nil, nil)
		url := h.app.URL() + "/webhooks/chatwoot"
		send := func(b []byte) int {
			req, _ := http.NewRequest(http.MethodPost, url, bytes.NewReader(b))
			req.Header = chatwoottest.SignedHeaders(testSecret, time.Now(), b, "")
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			return resp.StatusCode
		}
		for name, tc := range map[string]struct {
			body []byte
			want int
		}{
			"NotJSON":      {[]byte("hello"), 400},
			"NoEvent":      {[]byte(`{"id": 1}`), 400},
			"UnusedEvent":  {[]byte(`{"event": "webwidget_triggered"}`), 200},
			"TooLarge":     {bytes.Repeat([]byte("a"), 1<<20+1), 413},
			"UnknownEvent": {[]byte(`{"event": "contact_created"}`), 200},
		} {
			if got := send(tc.body); got != tc.want {
				t.Fatalf("%s: status=%d, want %d", name, got, tc.want)
			}
		}
		total, _, _ := h.app.DB.EventCounts(h.ctx)
		if total != 0 {
			t.Fatalf("stored %d events, want none", total)
		}
	})
}

func TestDuplicates(t *testing.T) {
	t.Parallel()
	t.Run("SameDelivery", func(t *testing.T) {
		h := newHarness(t, nil, nil)
		conv := h.cw.NewConversation(chatwoottest.ConversationSpec{ContactName: "Maria"})
		d := h.says(conv, "hi")
		if _, err := h.cw.Redeliver(h.ctx, d); err != nil {
			t.Fatal(err)
		}
		h.settle()
		if n := len(h.public(conv)); n != 1 {
			t.Fatalf("posted %d messages, want one answer", n)
		}
	})
	t.Run("SameMessageNewDelivery", func(t *testing.T) {
		h := newHarness(t, nil, nil)
		conv := h.cw.NewConversation(chatwoottest.ConversationSpec{ContactName: "Maria"})
		d := h.says(conv, "hi")
		d2, err := h.cw.SendRaw(h.ctx, d.Body, "another-delivery-id")
		if err != nil || d2.Status != 200 {
			t.Fatalf("resend: status=%d err=%v", d2.Status, err)
		}
		h.settle()
		if n := len(h.public(conv)); n != 1 {
			t.Fatalf("posted %d messages, want one answer", n)
		}
	})
	// A conversation event has no message id: the same body under another delivery id (a
	// replay within the signature's window, or a double dispatch) is known by its content.
	t.Run("SameConversationEventNewDelivery", func(t *testing.T) {
		h := newHarness(t, nil, nil)
		conv := h.cw.NewConversation(chatwoottest.ConversationSpec{ContactName: "Maria"})
		h.says(conv, "hi")
		h.settle()
		ds, err := h.cw.SetStatus(h.ctx, conv, "open")
		if err != nil || len(ds) == 0 {
			t.Fatalf("set status: %v (%d deliveries)", err, len(ds))
		}
		h.settle()
		before, _, _ := h.app.DB.EventCounts(h.ctx)
		for i, d := range ds {
			d2, err := h.cw.SendRaw(h.ctx, d.Body, fmt.Sprint("replayed-", i))
			if err != nil || d2.Status != 200 {
				t.Fatalf("replay of %s: status=%d err=%v", d.Event, d2.Status, err)
			}
		}
		h.settle()
		if after, _, _ := h.app.DB.EventCounts(h.ctx); after != before {
			t.Fatalf("%d events stored after replaying %d conversation events under new delivery ids, want %d", after, len(ds), before)
		}
	})
}

func TestSilence(t *testing.T) {
	t.Parallel()
	const agent = 12
	h := newHarness(t, nil, nil)
	h.cw.AddAgent(chatwoottest.Agent{ID: agent, Name: "John Agent", AvailabilityStatus: "online"})
	ctx := h.ctx
	own, err := os.ReadFile("chatwoot/testdata/payloads/message_created_outgoing_own_bot_message.json")
	if err != nil {
		t.Fatal(err)
	}
	type setup struct {
		name   string
		spec   chatwoottest.ConversationSpec
		before func(conv int64) error
		// customer says something after before(), unless false
		customer bool
	}
	cases := []setup{
		{name: "OwnMessage", before: func(int64) error {
			_, err := h.cw.SendRaw(ctx, own, "")
			return err
		}},
		{name: "AgentReply", before: func(c int64) error { _, err := h.cw.AgentSays(ctx, c, agent, "Hello, John here"); return err }},
		{name: "PrivateNote", before: func(c int64) error { _, err := h.cw.AgentNote(ctx, c, agent, "checking"); return err }},
		{name: "Template", before: func(c int64) error { _, err := h.cw.TemplateMessage(ctx, c, "We are closed"); return err }},
		{name: "Open", spec: chatwoottest.ConversationSpec{Status: "open"}, customer: true},
		{name: "PendingAssigned", spec: chatwoottest.ConversationSpec{AssigneeID: agent}, customer: true},
		{name: "PendingAgentReplied", before: func(c int64) error { _, err := h.cw.AgentSays(ctx, c, agent, "Hi"); return err }, customer: true},
	}
	convs := map[string]int64{}
	for _, tc := range cases {
		tc.spec.ContactName = "Maria " + tc.name
		conv := h.cw.NewConversation(tc.spec)
		convs[tc.name] = conv
		if tc.before != nil {
			if err := tc.before(conv); err != nil {
				t.Fatalf("%s: %v", tc.name, err)
			}
		}
		if tc.customer {
			h.says(conv, "hello, I need help")
		}
	}
	h.settle()
	for _, tc := range cases {
		if got := h.public(convs[tc.name]); len(got) != 0 {
			t.Errorf("%s: the bot posted %q, want silence", tc.name, contents(got))
		}
	}
	// An agent hands each back by setting it to pending: the bot answers again.
	for _, name := range []string{"Open", "PendingAssigned", "PendingAgentReplied"} {
		conv := convs[name]
		if h.cw.Conversation(conv).Status == "pending" {
			if _, err := h.cw.SetStatus(ctx, conv, "open"); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := h.cw.SetStatus(ctx, conv, "pending"); err != nil {
			t.Fatal(err)
		}
		h.settle()
		before := len(h.public(conv))
		if before == 0 {
			t.Errorf("%s: no welcome back after the hand-back", name)
		}
		h.says(conv, "hi")
		h.settle()
		if got := h.public(conv); len(got) <= before {
			t.Errorf("%s: not answered after the hand-back: %q", name, contents(got))
		}
	}
}

func TestChatwootFailures(t *testing.T) {
	t.Parallel()
	t.Run("503ThreeTimes", func(t *testing.T) {
		h := newHarness(t, nil, nil)
		conv := h.cw.NewConversation(chatwoottest.ConversationSpec{ContactName: "Maria"})
		h.cw.FailNext(3, http.StatusServiceUnavailable)
		h.says(conv, "hi")
		h.settle()
		got := h.public(conv)
		if len(got) != 1 || len(got[0].Items) == 0 {
			t.Fatalf("posted %q, want the greeting with its menu once", contents(got))
		}
		failed := 0
		for _, r := range h.cw.Requests() {
			if r.Status == http.StatusServiceUnavailable {
				failed++
			}
		}
		if failed != 3 {
			t.Fatalf("%d requests answered 503, want 3", failed)
		}
	})
	t.Run("429RetryAfter", func(t *testing.T) {
		h := newHarness(t, nil, nil)
		conv := h.cw.NewConversation(chatwoottest.ConversationSpec{ContactName: "Maria"})
		h.cw.RateLimitNext(1, time.Second)
		h.says(conv, "hi")
		h.settle()
		var limited, next time.Time
		for _, r := range h.cw.Requests() {
			if !strings.HasSuffix(r.Path, "/messages") {
				continue
			}
			if r.Status == http.StatusTooManyRequests {
				limited = r.At
			} else if !limited.IsZero() && next.IsZero() {
				next = r.At
			}
		}
		if limited.IsZero() || next.IsZero() {
			t.Fatal("no 429 followed by a retry")
		}
		if gap := next.Sub(limited); gap < 900*time.Millisecond {
			t.Fatalf("retried %v after a 429 with Retry-After: 1, want at least 1s", gap)
		}
		if n := len(h.public(conv)); n != 1 {
			t.Fatalf("posted %d, want 1", n)
		}
	})
	t.Run("ValidationIsDead", func(t *testing.T) {
		h := newHarness(t, nil, nil)
		conv := h.cw.NewConversation(chatwoottest.ConversationSpec{ContactName: "Maria"})
		h.cw.FailPath("/messages", 1, http.StatusUnprocessableEntity)
		h.says(conv, "hi")
		h.settle()
		dead := h.outbox(store.OutboxDead)
		if len(dead) != 1 || dead[0].Attempts != 1 || !strings.Contains(dead[0].LastError, "422") {
			t.Fatalf("dead rows=%+v, want the one 422 row, tried once", dead)
		}
		// The bot cannot reach the customer: the agents get the conversation, with a note
		// saying why. Those rows, queued after the dead one, are delivered.
		notes := h.notes(conv)
		if st := h.cw.Conversation(conv).Status; st != "open" || len(notes) != 1 || !strings.Contains(notes[0].Content, "refused the bot's message") {
			t.Fatalf("status %s, notes %q: want the rows after the dead one delivered (the handoff and its note)", st, contents(notes))
		}
	})
}

func TestRestartDeliversOnce(t *testing.T) {
	t.Parallel()
	h := newHarness(t, nil, nil)
	chatwoot := h.cfg.ChatwootURL
	// First run: Chatwoot is unreachable, so the replies stay in the outbox.
	h.stop()
	h.cfg.ChatwootURL = "http://127.0.0.1:1"
	h.start()
	var convs []int64
	for i := 0; i < 3; i++ {
		conv := h.cw.NewConversation(chatwoottest.ConversationSpec{ContactName: fmt.Sprint("Maria ", i)})
		convs = append(convs, conv)
		h.says(conv, "hi")
		h.says(conv, "thanks")
	}
	deadline := time.Now().Add(hangGuard)
	for {
		_, unprocessed, _ := h.app.DB.EventCounts(h.ctx)
		st, _ := h.app.DB.OutboxStats(h.ctx)
		if unprocessed == 0 && st.Pending == 6 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("outbox pending=%d unhandled=%d, want 6 and 0", st.Pending, unprocessed)
		}
		time.Sleep(20 * time.Millisecond)
	}
	h.stop()
	// Second run: Chatwoot is back.
	h.cfg.ChatwootURL = chatwoot
	h.start()
	h.settle()
	for _, conv := range convs {
		if got := h.public(conv); len(got) != 2 || len(got[0].Items) == 0 || !strings.Contains(got[1].Content, "welcome") {
			t.Fatalf("conversation %d got %q, want the greeting with its menu, then the thanks answered, exactly once", conv, contents(got))
		}
	}
}

func TestRestartHandlesStoredEvents(t *testing.T) {
	t.Parallel()
	h := newHarness(t, nil, nil)
	conv := h.cw.NewConversation(chatwoottest.ConversationSpec{ContactName: "Maria"})
	d := h.says(conv, "hi")
	h.settle()
	h.stop()
	// An event stored by an earlier run that stopped before handling it.
	db, err := store.Open(h.ctx, h.cfg.DB)
	if err != nil {
		t.Fatal(err)
	}
	body := bytes.Replace(d.Body, []byte(`"content":"hi"`), []byte(`"content":"thanks"`), 1)
	body = bytes.Replace(body, []byte(fmt.Sprintf(`"id":%d,`, d.MessageID)), []byte(fmt.Sprintf(`"id":%d,`, d.MessageID+1000)), 1)
	if _, err := db.Ingest(h.ctx, &store.Event{Source: "chatwoot", Name: "message_created", ConversationID: conv, Body: body}); err != nil {
		t.Fatal(err)
	}
	db.Close()
	h.start()
	h.settle()
	got := h.public(conv)
	if len(got) != 2 || !strings.Contains(got[1].Content, "welcome") {
		t.Fatalf("posted %q, want the stored thanks answered after restart", contents(got))
	}
}

func TestConcurrentConversationsInOrder(t *testing.T) {
	t.Parallel()
	h := newHarness(t, &chatwoottest.Options{NoEcho: true}, nil)
	const nConv, perConv = 20, 10
	texts := []string{"hi", "thanks", "help", "hello", "thank you"}
	var convs []int64
	for i := 0; i < nConv; i++ {
		convs = append(convs, h.cw.NewConversation(chatwoottest.ConversationSpec{ContactName: fmt.Sprint("C", i)}))
	}
	var wg sync.WaitGroup
	errs := make(chan error, nConv*perConv)
	for _, conv := range convs {
		for j := 0; j < perConv; j++ {
			wg.Add(1)
			go func(conv int64, j int) {
				defer wg.Done()
				d, err := h.cw.CustomerSays(context.Background(), conv, texts[j%len(texts)])
				if err == nil && d.Status != 200 {
					err = fmt.Errorf("status %d", d.Status)
				}
				if err != nil {
					errs <- err
				}
			}(conv, j)
		}
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	h.settle()
	rows := h.outbox(store.OutboxSent)
	perConvRows := map[int64][]*store.OutboxRow{}
	for i := len(rows) - 1; i >= 0; i-- { // ListOutbox is newest first
		perConvRows[rows[i].ConversationID] = append(perConvRows[rows[i].ConversationID], rows[i])
	}
	for _, conv := range convs {
		rs := perConvRows[conv]
		posted := h.public(conv)
		if len(posted) != len(rs) || len(rs) < perConv {
			t.Fatalf("conversation %d: %d posted, %d rows, want equal and at least %d", conv, len(posted), len(rs), perConv)
		}
		for i := range rs {
			if i > 0 && rs[i].EventID < rs[i-1].EventID {
				t.Fatalf("conversation %d: row %d answers event %d after event %d", conv, rs[i].ID, rs[i].EventID, rs[i-1].EventID)
			}
			if i > 0 && rs[i].SentAt.Before(rs[i-1].SentAt) {
				t.Fatalf("conversation %d: row %d sent before row %d", conv, rs[i].ID, rs[i-1].ID)
			}
			if !bytes.Contains(rs[i].Payload, []byte(jsonText(posted[i].Content))) {
				t.Fatalf("conversation %d: message %d is %q, row says %s", conv, i, posted[i].Content, rs[i].Payload)
			}
		}
	}
}

func jsonText(s string) string {
	var b bytes.Buffer
	fmt.Fprintf(&b, "%q", s)
	return strings.Trim(b.String(), `"`)
}
