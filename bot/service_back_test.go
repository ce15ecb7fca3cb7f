package bot_test

import (
	"context"
	"testing"
	"time"

	"github.com/cwbot/cwbot/bot"
)

// A customer told of an outage who says their service is back hears no notice of its
// end, whether they had asked for it or not.
func TestServiceBack_NoNoticeOfTheEnd(t *testing.T) {
	for _, subscribe := range []bool{false, true} {
		b := newBot(t)
		b.Outages = &fakeOutages{o: bot.Outage{Active: true, ID: "out_1"}}
		c := outageConv("en")
		say(b, c, "my internet is not working", outageNow)
		if subscribe {
			say(b, c, "Tell me when fixed", outageNow.Add(time.Minute))
		}
		acts := say(b, c, "great it works now", outageNow.Add(2*time.Minute))
		if len(acts) != 1 || c.Outage == nil || c.Outage.Subscribed || c.State != bot.StateIdle {
			t.Fatalf("subscribed first %v: got %q, outage %+v, state %s", subscribe, texts(acts), c.Outage, c.State)
		}
		if acts := b.Handle(context.Background(), c, bot.Event{Kind: bot.OutageEnded, OutageID: "out_1", Now: outageNow.Add(time.Hour)}); len(acts) != 0 {
			t.Fatalf("subscribed first %v: the end told %q", subscribe, texts(acts))
		}
	}
}
