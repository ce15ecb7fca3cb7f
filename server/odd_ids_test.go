package server_test

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"testing"

	"github.com/cwbot/cwbot/server"
)

// Ids sent as text ("9001", "318") are read at the intake as the worker reads them: the
// message is stored under its conversation and recognised again by its id, not dropped
// or refused.
func TestIntakeReadsIDsSentAsText(t *testing.T) {
	db := openDB(t)
	srv := httptest.NewServer(server.New(server.Config{WebhookToken: "tok-123456"}, db, quietLogger()))
	t.Cleanup(srv.Close)
	raw, err := os.ReadFile(filepath.Join("..", "chatwoot", "testdata", "payloads", "message_created_incoming_whatsapp.json"))
	if err != nil {
		t.Fatal(err)
	}
	var p map[string]any
	if err := json.Unmarshal(raw, &p); err != nil {
		t.Fatal(err)
	}
	p["id"] = "9001"
	p["conversation"].(map[string]any)["id"] = "318"
	p["account"].(map[string]any)["id"] = "1"
	body, _ := json.Marshal(p)
	post := func() string {
		t.Helper()
		resp, err := http.Post(srv.URL+"/webhooks/chatwoot?token=tok-123456", "application/json", bytes.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var out map[string]string
		json.NewDecoder(resp.Body).Decode(&out)
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("answered %d %v", resp.StatusCode, out)
		}
		return out["status"]
	}
	if got := post(); got != "stored" {
		t.Fatalf("first delivery: %q, want stored", got)
	}
	if got := post(); got != "duplicate" {
		t.Fatalf("second delivery: %q, want duplicate", got)
	}
	var conv int64
	var key string
	if err := db.SQL().QueryRow(`SELECT conversation_id, dedupe_key FROM events`).Scan(&conv, &key); err != nil {
		t.Fatal(err)
	}
	if conv != 318 || key != "message:9001" {
		t.Fatalf("stored under conversation %d, key %q; want 318, message:9001", conv, key)
	}
}
