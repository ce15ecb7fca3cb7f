package intents

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"hash/fnv"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// hangGuard is how long a test waits for an answer before it calls it a hang: no measure
// of speed, since a loaded machine may take many times longer than an idle one. A fake
// that is "slow" waits this long, so that only the client's own timeout ends the call.
const hangGuard = time.Minute

// fakeServer answers POST path with answer(requestBody), after delay.
func fakeServer(t *testing.T, path string, delay time.Duration, answer func(body map[string]any) (int, string)) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodPost || r.URL.Path != path {
			http.Error(w, "not found", http.StatusNotFound)
			return
		}
		var body map[string]any
		if err := json.NewDecoder(r.Body).Decode(&body); err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		if auth := r.Header.Get("Authorization"); strings.HasPrefix(path, "/v1") && auth != "Bearer sk-test" {
			http.Error(w, "bad key "+auth, http.StatusUnauthorized)
			return
		}
		select {
		case <-time.After(delay):
		case <-r.Context().Done():
			return
		}
		code, s := answer(body)
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(code)
		io.WriteString(w, s)
	}))
	t.Cleanup(srv.Close)
	return srv
}

const rasaAnswer = `{"text": "%s", "intent": {"name": "human_agent", "confidence": 0.91},
 "entities": [], "intent_ranking": [{"name": "human_agent", "confidence": 0.91}, {"name": "greeting", "confidence": 0.05}]}`

func TestRasa(t *testing.T) {
	for _, tc := range []struct {
		name    string
		delay   time.Duration
		code    int
		body    string
		want    string
		wantErr bool
	}{
		{"ok", 0, 200, rasaAnswer, HumanAgent, false},
		{"fallback intent", 0, 200, `{"intent": {"name": "nlu_fallback", "confidence": 0.3}, "intent_ranking": []}`, OutOfScope, false},
		{"garbage", 0, 200, `<html>oops</html>`, "", true},
		{"no intent", 0, 200, `{"entities": []}`, "", true},
		{"server error", 0, 500, `{"error": "model not loaded"}`, "", true},
		{"slow", hangGuard, 200, rasaAnswer, "", true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var got atomic.Value
			srv := fakeServer(t, "/model/parse", tc.delay, func(body map[string]any) (int, string) {
				got.Store(body["text"])
				return tc.code, tc.body
			})
			// Only the slow case meets the timeout: the fake would answer after a minute, so
			// an error before that is the timeout's doing. The others get all the time a
			// loaded machine needs.
			timeout := hangGuard
			if tc.delay > 0 {
				timeout = 200 * time.Millisecond
			}
			r, err := NewRasa(srv.URL+"/", timeout).Classify(context.Background(), "quero falar com um atendente")
			if tc.wantErr {
				if err == nil {
					t.Fatalf("Classify succeeded with %+v, want error", r)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got, want := got.Load(), "quero falar com um atendente"; got != want {
				t.Fatalf("sent text %v, want %q", got, want)
			}
			if got, want := r.Intent, tc.want; got != want {
				t.Fatalf("Intent=%q, want %q", got, want)
			}
			if tc.want == HumanAgent {
				if r.Confidence != 0.91 || len(r.Ranked) != 2 || r.Ranked[1] != (Scored{Greeting, 0.05}) || r.Language != "pt" {
					t.Fatalf("Result=%+v", r)
				}
			}
		})
	}
}

func chatAnswer(content string) string {
	b, _ := json.Marshal(map[string]any{"choices": []map[string]any{{"index": 0, "message": map[string]string{"role": "assistant", "content": content}, "finish_reason": "stop"}}})
	return string(b)
}

func TestOpenAIChat(t *testing.T) {
	allowed := []string{UpdateRouter, HumanAgent, Greeting}
	for _, tc := range []struct {
		name    string
		delay   time.Duration
		body    string
		want    string
		wantErr bool
	}{
		{"json", 0, chatAnswer(`{"intent": "update_router"}`), UpdateRouter, false},
		{"bare name", 0, chatAnswer(`greeting`), Greeting, false},
		{"oos", 0, chatAnswer(`{"intent": "oos"}`), OutOfScope, false},
		{"not allowed", 0, chatAnswer(`{"intent": "billing"}`), OutOfScope, false},
		// Not an answer: the fallback classifier is asked, rather than "none of them".
		{"prose", 0, chatAnswer(`I think the user wants to talk about weather.`), "", true},
		{"refusal", 0, chatAnswer(``), "", true},
		{"no choices", 0, `{"choices": []}`, "", true},
		{"garbage", 0, `not json at all`, "", true},
		{"slow", hangGuard, chatAnswer(`{"intent": "greeting"}`), "", true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var req atomic.Value
			srv := fakeServer(t, "/v1/chat/completions", tc.delay, func(body map[string]any) (int, string) {
				req.Store(body)
				return 200, tc.body
			})
			// Only the slow case meets the timeout (see TestRasa): a 200 ms bound on every
			// case failed "oos" on a loaded machine.
			timeout := hangGuard
			if tc.delay > 0 {
				timeout = 200 * time.Millisecond
			}
			o := NewOpenAI(srv.URL+"/v1", "sk-test", "gpt-test", "chat", allowed, timeout)
			r, err := o.Classify(context.Background(), "kiero actualizar el router xfa")
			if tc.wantErr {
				if err == nil {
					t.Fatalf("Classify succeeded with %+v, want error", r)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got, want := r.Intent, tc.want; got != want {
				t.Fatalf("Intent=%q, want %q", got, want)
			}
			if got, want := r.Language, "es"; got != want {
				t.Fatalf("Language=%q, want %q", got, want)
			}
			body := req.Load().(map[string]any)
			if got, want := body["model"], "gpt-test"; got != want {
				t.Fatalf("model=%v, want %v", got, want)
			}
			if got, want := body["temperature"], 0.0; got != want {
				t.Fatalf("temperature=%v, want %v", got, want)
			}
			enum, _ := json.Marshal(body["response_format"].(map[string]any)["json_schema"].(map[string]any)["schema"].(map[string]any)["properties"].(map[string]any)["intent"].(map[string]any)["enum"])
			if got, want := string(enum), `["update_router","human_agent","greeting","oos"]`; got != want {
				t.Fatalf("enum=%s, want %s", got, want)
			}
			msgs := body["messages"].([]any)
			if got := msgs[0].(map[string]any)["content"].(string); !strings.Contains(got, "update_router, human_agent, greeting, oos") {
				t.Fatalf("system prompt %q does not list the intents", got)
			}
			if got, want := msgs[1].(map[string]any)["content"], "kiero actualizar el router xfa"; got != want {
				t.Fatalf("user message %v, want %q", got, want)
			}
		})
	}
}

// fakeEmbedding is a deterministic bag of character trigrams in 256 dimensions: enough for
// nearest-centroid to work on the default examples.
func fakeEmbedding(text string) []float64 {
	v := make([]float64, 256)
	for _, g := range trigrams(words(text)) {
		h := fnv.New32a()
		h.Write([]byte(g))
		v[h.Sum32()%256]++
	}
	return v
}

func TestOpenAIEmbeddings(t *testing.T) {
	var calls, bigCalls atomic.Int32
	var fail atomic.Bool
	fail.Store(true)
	srv := fakeServer(t, "/v1/embeddings", 0, func(body map[string]any) (int, string) {
		calls.Add(1)
		if fail.Load() {
			return 503, `{"error": {"message": "overloaded"}}`
		}
		in := body["input"].([]any)
		if len(in) > 1 {
			bigCalls.Add(1)
		}
		type item struct {
			Object    string    `json:"object"`
			Embedding []float64 `json:"embedding"`
			Index     int       `json:"index"`
		}
		var resp struct {
			Object string `json:"object"`
			Data   []item `json:"data"`
			Model  string `json:"model"`
		}
		resp.Object, resp.Model = "list", body["model"].(string)
		// Answer in reverse order: clients must use index.
		for i := len(in) - 1; i >= 0; i-- {
			resp.Data = append(resp.Data, item{"embedding", fakeEmbedding(in[i].(string)), i})
		}
		b, _ := json.Marshal(resp)
		return 200, string(b)
	})
	o := NewOpenAI(srv.URL+"/v1/", "sk-test", "text-embedding-3-small", "embeddings",
		[]string{UpdateRouter, UpdateStatus, HumanAgent, Cancel, Greeting, Thanks, Help}, hangGuard)
	if _, err := o.Classify(context.Background(), "hola"); err == nil {
		t.Fatal("Classify succeeded while the server fails")
	}
	fail.Store(false)
	for _, tc := range []struct{ text, want string }{
		{"quero falar com um atendente agora", HumanAgent},
		{"actualizar el router", UpdateRouter},
		{"muchas gracias", Thanks},
		{"zzzz qqqq xxxx", OutOfScope},
	} {
		t.Run(tc.text, func(t *testing.T) {
			r, err := o.Classify(context.Background(), tc.text)
			if err != nil {
				t.Fatal(err)
			}
			if got, want := r.Intent, tc.want; got != want {
				t.Fatalf("Intent=%q (%.2f, ranked %v), want %q", got, r.Confidence, r.Ranked[:3], want)
			}
		})
	}
	// 1 failed call, the examples in batches of 256, then one call per text.
	wantBatches := int32((len(o.Examples) + 255) / 256)
	if got, want := bigCalls.Load(), wantBatches; got != want {
		t.Fatalf("%d batch calls, want %d: examples must be embedded once", got, want)
	}
	if got, want := calls.Load(), 1+wantBatches+4; got != want {
		t.Fatalf("%d calls, want %d", got, want)
	}
	if o.threshold <= 0 || o.threshold >= 1 {
		t.Fatalf("threshold %v not chosen from the oos examples", o.threshold)
	}
}

func TestOpenAIBadMode(t *testing.T) {
	if _, err := NewOpenAI("http://127.0.0.1:1", "", "m", "completion", nil, time.Second).Classify(context.Background(), "hi"); err == nil {
		t.Fatal("unknown mode succeeded")
	}
}

type stubNLU struct {
	res Result
	err error
}

func (s stubNLU) Classify(context.Context, string) (Result, error) { return s.res, s.err }

func TestWithFallback(t *testing.T) {
	var logs bytes.Buffer
	old := slog.Default()
	slog.SetDefault(slog.New(slog.NewTextHandler(&logs, nil)))
	t.Cleanup(func() { slog.SetDefault(old) })

	slow := fakeServer(t, "/model/parse", hangGuard, func(map[string]any) (int, string) { return 200, rasaAnswer })
	garbage := fakeServer(t, "/model/parse", 0, func(map[string]any) (int, string) { return 200, `{"intent": 42` })
	good := fakeServer(t, "/model/parse", 0, func(map[string]any) (int, string) { return 200, rasaAnswer })
	builtin := defaultClassifier(t)
	for _, tc := range []struct {
		name    string
		primary NLU
		want    string
		warn    bool
	}{
		{"primary answers", NewRasa(good.URL, hangGuard), HumanAgent, false},
		{"timeout", NewRasa(slow.URL, 100*time.Millisecond), UpdateRouter, true},
		{"garbage", NewRasa(garbage.URL, hangGuard), UpdateRouter, true},
		{"down", NewRasa("http://127.0.0.1:1", time.Second), UpdateRouter, true},
		{"error", stubNLU{err: errors.New("boom")}, UpdateRouter, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			logs.Reset()
			r, err := WithFallback(tc.primary, builtin).Classify(context.Background(), "reinicia o modem pra mim")
			if err != nil {
				t.Fatal(err)
			}
			if got, want := r.Intent, tc.want; got != want {
				t.Fatalf("Intent=%q, want %q", got, want)
			}
			if got, want := strings.Contains(logs.String(), "level=WARN"), tc.warn; got != want {
				t.Fatalf("warned=%v, want %v; log %q", got, want, logs.String())
			}
		})
	}
	t.Run("both fail", func(t *testing.T) {
		_, err := WithFallback(stubNLU{err: errors.New("a")}, stubNLU{err: errors.New("b")}).Classify(context.Background(), "x")
		if err == nil || err.Error() != "b" {
			t.Fatalf("err=%v, want the fallback's error", err)
		}
	})
}
