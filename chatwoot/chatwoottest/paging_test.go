package chatwoottest_test

import (
	"fmt"
	"net/http"
	"testing"

	"github.com/cwbot/cwbot/chatwoot"
	"github.com/cwbot/cwbot/chatwoot/chatwoottest"
)

// TestListMessagesPages: the fake pages a conversation's messages as Chatwoot's
// MessageFinder does: the latest 20, 20 before an id, up to 100 after one, oldest first.
func TestListMessagesPages(t *testing.T) {
	s, _, c := setup(t, chatwoottest.Options{NoEcho: true})
	ctx := testContext(t)
	conv := s.NewConversation(chatwoottest.ConversationSpec{})
	var ids []int64
	for i := range 130 {
		m, err := c.CreateMessage(ctx, 1, conv, chatwoot.NewMessage{Content: fmt.Sprint(i)})
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, m.ID)
	}
	contents := func(ms []chatwoot.Message) (first, last string, n int) {
		return ms[0].Content, ms[len(ms)-1].Content, len(ms)
	}
	latest, err := c.ListMessages(ctx, 1, conv, 0)
	if err != nil {
		t.Fatal(err)
	}
	if f, l, n := contents(latest); f != "110" || l != "129" || n != 20 {
		t.Fatalf("latest: %s..%s (%d), want 110..129 (20)", f, l, n)
	}
	before, err := c.ListMessages(ctx, 1, conv, ids[110])
	if err != nil {
		t.Fatal(err)
	}
	if f, l, n := contents(before); f != "90" || l != "109" || n != 20 {
		t.Fatalf("before: %s..%s (%d), want 90..109 (20)", f, l, n)
	}
	start, err := c.ListMessages(ctx, 1, conv, ids[5])
	if err != nil {
		t.Fatal(err)
	}
	if f, l, n := contents(start); f != "0" || l != "4" || n != 5 {
		t.Fatalf("start: %s..%s (%d), want 0..4 (5)", f, l, n)
	}
	// after is not used by the client; the fake answers it as Chatwoot does.
	status, body := rawCall(t, http.MethodGet, fmt.Sprintf("%s/api/v1/accounts/1/conversations/%d/messages?after=%d", s.URL, conv, ids[9]), "user-token", "")
	var page struct {
		Payload []chatwoot.Message `json:"payload"`
	}
	if err := chatwoot.DecodeJSON([]byte(body), &page); err != nil || status != http.StatusOK {
		t.Fatalf("after: status %d, %v", status, err)
	}
	if f, l, n := contents(page.Payload); f != "10" || l != "109" || n != 100 {
		t.Fatalf("after: %s..%s (%d), want 10..109 (100)", f, l, n)
	}
}
