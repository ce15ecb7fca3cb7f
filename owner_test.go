package main

import (
	"strings"
	"testing"
	"time"

	"github.com/cwbot/cwbot/chatwoot/chatwoottest"
)

// A customer without a router attribute types someone else's serial: the telco is told who
// asks (contact id, phone, typed) and answers 403, and the customer hears, in plain words,
// that the router isn't registered to their account, with an agent offered and no Try
// again. A contact's own attribute goes out as not typed.
func TestRouterOfAnotherAccountIsRefused(t *testing.T) {
	h := newRouterHarness(t, nil)
	h.sim.SetOwner("AB-5555-1234", "+5511900000000")
	conv := h.cw.NewConversation(chatwoottest.ConversationSpec{ContactName: "Maria Silva", Phone: "+5511987654321"})
	h.says(conv, "I want to update my router")
	h.settle()
	h.says(conv, "AB-5555-1234")
	h.settle()
	if last := h.lastText(conv); !strings.Contains(last, "update the software of router") {
		t.Fatalf("posted %q, want the confirmation", contents(h.public(conv)))
	}
	h.tap(conv, "yes")
	deadline := time.Now().Add(hangGuard)
	for !strings.Contains(h.lastText(conv), "isn't registered to your account") && time.Now().Before(deadline) {
		h.settle()
	}
	msgs := h.public(conv)
	last := msgs[len(msgs)-1]
	if !strings.Contains(last.Content, "isn't registered to your account") {
		t.Fatalf("posted %q, want the router refused as not theirs", contents(msgs))
	}
	var values []string
	for _, it := range last.Items {
		values = append(values, it.Value)
	}
	if got := strings.Join(values, ","); strings.Contains(got, "retry") || !strings.Contains(got, "agent") {
		t.Fatalf("choices %q, want an agent and no Try again", got)
	}
	starts := h.sim.Starts()
	if len(starts) != 1 || starts[0].Phone != "+5511987654321" || !starts[0].Typed || starts[0].ContactID == 0 {
		t.Fatalf("the telco read %+v, want the contact, its phone and typed", starts)
	}
	if len(h.sim.Operations()) != 0 {
		t.Fatal("the telco started someone else's router")
	}

	own := h.cw.NewConversation(chatwoottest.ConversationSpec{ContactName: "Ana", Phone: "+5511911111111",
		ContactAttributes: map[string]any{"router_id": "ZX-9900-AB12"}})
	h.askAndConfirm(own)
	h.started(1)
	starts = h.sim.Starts()
	if len(starts) != 2 || starts[1].Router != "ZX-9900-AB12" || starts[1].Typed || starts[1].Phone != "+5511911111111" {
		t.Fatalf("the telco read %+v, want the contact's own router, not typed", starts)
	}
}
