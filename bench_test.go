package main

import (
	"bytes"
	"context"
	"fmt"
	"net"
	"net/http"
	"os"
	"sort"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/cwbot/cwbot/chatwoot"
	"github.com/cwbot/cwbot/chatwoot/chatwoottest"
	"github.com/cwbot/cwbot/server"
	"github.com/cwbot/cwbot/store"
)

// BenchmarkWebhookAck drives the running service over loopback with signed message_created
// webhooks (the real WhatsApp payload, about 3.5 KB) from 32 concurrent senders spread over
// 500 conversations, and reports acknowledgement latency (p50, p99, max) and sustained
// acknowledged events per second. Every acknowledged event is durable (synchronous=FULL,
// group commit). The bot handles the events and posts replies to the fake Chatwoot at the
// same time, as in production.
//
//	go test -run '^$' -bench WebhookAck -benchtime 5000x .
func BenchmarkWebhookAck(b *testing.B) {
	tmpl, err := os.ReadFile("chatwoot/testdata/payloads/message_created_incoming_whatsapp.json")
	if err != nil {
		b.Fatal(err)
	}
	cw := chatwoottest.New(chatwoottest.Options{WebhookSecret: testSecret, NoEcho: true})
	defer cw.Close()
	cfg, err := LoadConfig()
	if err != nil {
		b.Fatal(err)
	}
	cfg.Addr, cfg.DB = "127.0.0.1:0", b.TempDir()+"/bench.db"
	cfg.ChatwootURL, cfg.BotToken, cfg.WebhookSecret = cw.URL, "bot-token", testSecret
	cfg.TurnWindow = 0 // each message handled as it comes, as before the window
	app, err := NewApp(b.Context(), cfg, testLogger(nil))
	if err != nil {
		b.Fatal(err)
	}
	if err := app.Start(b.Context()); err != nil {
		b.Fatal(err)
	}
	defer app.Close()
	benchWebhooks(b, app.URL()+"/webhooks/chatwoot", tmpl)
}

// BenchmarkWebhookIntake is BenchmarkWebhookAck with no worker handling the events: the
// HTTP server, signature check and group-committed store (synchronous=FULL) of the
// service, on loopback, alone. It measures how many durable events a second the intake
// takes in, and checks that every acknowledged event is in the database.
//
//	go test -run '^$' -bench WebhookIntake -benchtime 20000x .
func BenchmarkWebhookIntake(b *testing.B) {
	tmpl, err := os.ReadFile("chatwoot/testdata/payloads/message_created_incoming_whatsapp.json")
	if err != nil {
		b.Fatal(err)
	}
	db, err := store.Open(b.Context(), b.TempDir()+"/bench.db")
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		b.Fatal(err)
	}
	hs := server.HTTPServer(ln.Addr().String(), server.New(server.Config{WebhookSecret: testSecret}, db, testLogger(nil)))
	go hs.Serve(ln)
	defer hs.Close()
	benchWebhooks(b, "http://"+ln.Addr().String()+"/webhooks/chatwoot", tmpl)
	total, _, err := db.EventCounts(context.Background())
	if err != nil || total != int64(b.N) {
		b.Fatalf("%d events stored (%v), want %d", total, err, b.N)
	}
}

// benchWebhooks sends b.N signed message_created webhooks to url from 32 concurrent
// senders over 500 conversations and reports acknowledgement latency and events/s.
func benchWebhooks(b *testing.B, url string, tmpl []byte) {
	b.Helper()
	const senders, conversations = 32, 500
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: senders}}
	lat := make([]time.Duration, b.N)
	var next atomic.Int64
	var failed atomic.Int64
	var wg sync.WaitGroup
	b.ResetTimer()
	start := time.Now()
	for s := 0; s < senders; s++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				i := int(next.Add(1)) - 1
				if i >= b.N {
					return
				}
				body := bytes.ReplaceAll(tmpl, []byte(`"id": 318`), []byte(`"id": `+strconv.Itoa(1000+i%conversations)))
				body = bytes.Replace(body, []byte(`"id": 9001,`), []byte(fmt.Sprintf(`"id": %d,`, 100000+i)), -1)
				ts := time.Now().Unix()
				req, _ := http.NewRequest(http.MethodPost, url, bytes.NewReader(body))
				req.Header.Set("Content-Type", "application/json")
				req.Header.Set(chatwoot.HeaderTimestamp, strconv.FormatInt(ts, 10))
				req.Header.Set(chatwoot.HeaderSignature, chatwoot.Sign(testSecret, ts, body))
				req.Header.Set(chatwoot.HeaderDelivery, fmt.Sprintf("bench-%d", i))
				t0 := time.Now()
				resp, err := client.Do(req)
				lat[i] = time.Since(t0)
				if err != nil || resp.StatusCode != 200 {
					failed.Add(1)
				}
				if resp != nil {
					resp.Body.Close()
				}
			}
		}()
	}
	wg.Wait()
	elapsed := time.Since(start)
	b.StopTimer()
	if failed.Load() > 0 {
		b.Fatalf("%d webhooks not acknowledged with 200", failed.Load())
	}
	sort.Slice(lat, func(i, j int) bool { return lat[i] < lat[j] })
	ms := func(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }
	b.ReportMetric(ms(lat[len(lat)/2]), "p50_ms")
	b.ReportMetric(ms(lat[len(lat)*99/100]), "p99_ms")
	b.ReportMetric(ms(lat[len(lat)-1]), "max_ms")
	b.ReportMetric(float64(b.N)/elapsed.Seconds(), "events/s")
	b.ReportMetric(float64(len(tmpl)), "payload_bytes")
}
