package bot

import (
	"context"
	"strings"
	"testing"
	"time"
)

// startJob runs the conversation to the confirmed update and returns what the bot asks
// the jobs worker to start.
func startJob(t *testing.T, b *Bot, c *Conversation, serial string, now time.Time) *StartUpdate {
	t.Helper()
	ctx := context.Background()
	b.Handle(ctx, c, internalSay("update my router", now))
	if serial != "" {
		b.Handle(ctx, c, internalSay(serial, now))
	}
	for _, a := range b.Handle(ctx, c, internalSay("yes", now)) {
		if a.Kind == StartJob {
			return a.Update
		}
	}
	t.Fatalf("no update started (router %q)", c.RouterID)
	return nil
}

// The start names who asks, and says whether the serial is the contact's attribute or
// one the customer typed.
func TestStartUpdateNamesTheRequester(t *testing.T) {
	b := internalBot(t)
	now := time.Now()
	withAttr := &Conversation{AccountID: 1, ID: 318, Status: StatusPending, CanReply: true, Language: "en",
		Contact: Contact{ID: 1203, Phone: "+5511987654321", Attributes: map[string]any{"router_id": "ZX-9900-AB12"}}}
	u := startJob(t, b, withAttr, "", now)
	if u.RouterID != "ZX-9900-AB12" || u.ContactID != 1203 || u.Phone != "+5511987654321" || u.Typed {
		t.Fatalf("start from the contact's attribute: %+v", u)
	}
	typed := &Conversation{AccountID: 1, ID: 319, Status: StatusPending, CanReply: true, Language: "en",
		Contact: Contact{ID: 1204, Phone: "+5511900000000"}}
	u = startJob(t, b, typed, "AB-5555-1234", now)
	if u.RouterID != "AB-5555-1234" || u.ContactID != 1204 || u.Phone != "+5511900000000" || !u.Typed {
		t.Fatalf("start of a typed serial: %+v", u)
	}
}

// A router the telco says is not the contact's (or that cannot be checked) is told in
// plain words, in the customer's language, with an agent offered and no Try again.
func TestNotYoursOffersAnAgentWithoutRetry(t *testing.T) {
	for _, tc := range []struct{ lang, reason, want string }{
		{"en", ReasonNotYours, "isn't registered to your account"},
		{"es", ReasonNotYours, "no está registrado en tu cuenta"},
		{"pt", ReasonNotYours, "não está registrado na sua conta"},
		{"en", ReasonUnverified, "can't confirm from here that this router is yours"},
	} {
		t.Run(tc.lang+"/"+tc.reason, func(t *testing.T) {
			b := internalBot(t)
			now := time.Now()
			c := &Conversation{AccountID: 1, ID: 318, Status: StatusPending, CanReply: true, Language: "en",
				Contact: Contact{ID: 1203, Phone: "+5511987654321"}}
			u := startJob(t, b, c, "AB-5555-1234", now)
			c.Language = tc.lang
			acts := b.Handle(context.Background(), c, Event{Kind: JobProgress, Now: now.Add(time.Second),
				Job: &JobUpdate{Attempt: u.Attempt, State: JobFailed, Reason: tc.reason, RouterID: u.RouterID}})
			var told *Action
			for i := range acts {
				if acts[i].Kind == SendMessage && len(acts[i].Items) > 0 {
					told = &acts[i]
				}
			}
			if told == nil || !strings.Contains(told.Text, tc.want) {
				t.Fatalf("told %+v, want %q", acts, tc.want)
			}
			var values []string
			for _, it := range told.Items {
				values = append(values, it.Value)
			}
			if strings.Contains(strings.Join(values, ","), valRetry) || !strings.Contains(strings.Join(values, ","), valAgent) {
				t.Fatalf("choices %v: want an agent and no Try again", values)
			}
		})
	}
}
