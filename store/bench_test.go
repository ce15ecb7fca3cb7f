package store_test

import (
	"context"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/cwbot/cwbot/store"
)

// BenchmarkIngest is the store alone: 32 writers storing 3.4 KB webhook bodies, each
// acknowledged only once committed (synchronous=FULL), as the intake does. It reports
// durable events per second; the group commit is what makes the figure.
//
//	go test -run '^$' -bench Ingest -benchtime 20000x ./store
func BenchmarkIngest(b *testing.B) {
	ctx := context.Background()
	db := MustOpenDB(b)
	body := make([]byte, 3408)
	for i := range body {
		body[i] = 'a' + byte(i%26)
	}
	const writers = 32
	var next atomic.Int64
	var wg sync.WaitGroup
	b.ResetTimer()
	start := time.Now()
	for range writers {
		wg.Go(func() {
			for {
				i := next.Add(1)
				if i > int64(b.N) {
					return
				}
				ev := &store.Event{Source: "chatwoot", Name: "message_created", DeliveryID: fmt.Sprint("d-", i),
					ConversationID: i % 10000, Body: body}
				if _, err := db.Ingest(ctx, ev); err != nil {
					b.Error(err)
					return
				}
			}
		})
	}
	wg.Wait()
	b.ReportMetric(float64(b.N)/time.Since(start).Seconds(), "events/s")
}
