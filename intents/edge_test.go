package intents

import (
	"bytes"
	"context"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"regexp"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// A one-letter reply is "too short to tell": menu.go itself reads "y" and "k" as an
// English yes and "n" as a no in every language, yet DetectLanguage decides on them, so an
// English customer answering "y" to "Update your router?" is answered in Spanish from then on.
func TestShortRepliesKeepLanguage(t *testing.T) {
	for _, s := range []string{"y", "Y", "k", "K", "n"} {
		t.Run(s, func(t *testing.T) {
			if got, conf := DetectLanguage(s); got != "" {
				t.Fatalf("DetectLanguage(%q)=%q (%.2f), want \"\" (too short: keep the last language)", s, got, conf)
			}
		})
	}
}

// Shorthand keys that are real words of another of the three languages are expanded
// regardless of language, changing what the customer wrote.
func TestNormalizeKeepsRealWords(t *testing.T) {
	for _, tc := range []struct{ in, bad string }{
		{"my son's toy is broken", "estoy"},             // English "toy" -> Spanish "estoy"
		{"upgrade me to the pro plan", "para o"},        // English "pro" -> Portuguese "para o"
		{"k thanks", "que"},                             // English "k" (ok) -> "que"
		{"eu tb quero atualizar o roteador", "tambien"}, // Portuguese "tb" (tambem) -> Spanish "tambien"
	} {
		t.Run(tc.in, func(t *testing.T) {
			if got := Normalize(tc.in); strings.Contains(" "+got+" ", " "+tc.bad+" ") {
				t.Fatalf("Normalize(%q)=%q: meaning changed (%q)", tc.in, got, tc.bad)
			}
		})
	}
}

var fileLineReason = regexp.MustCompile(`^bad\.yaml:\d+: \S`)

// Duplicate mapping keys are invalid YAML; here a second "intents:" block defines an intent
// again and a second "oos:" block silently drops the first one.
func TestParseDuplicateTopLevelKeys(t *testing.T) {
	for _, tc := range []struct{ name, data string }{
		{"intents twice", "intents:\n  a: {en: [hi]}\n  b: {en: [bye]}\nintents:\n  a: {en: [hello]}\n"},
		{"oos twice", "intents:\n  a: {en: [hi]}\n  b: {en: [bye]}\noos:\n  en: [weather]\noos:\n  es: [clima]\n"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ds, err := Parse("bad.yaml", []byte(tc.data))
			if err == nil {
				t.Fatalf("Parse accepted a duplicate key: intents %+v, oos %v", ds.Intents, ds.OOS)
			}
			if !fileLineReason.MatchString(err.Error()) {
				t.Fatalf("error %q lacks file:line: reason", err)
			}
		})
	}
}

// Some YAML errors come without a line: an error on the first line, and reader errors
// anywhere, such as a file saved as Latin-1 (common for Spanish/Portuguese examples).
func TestParseErrorHasLine(t *testing.T) {
	for _, tc := range []struct{ name, data string }{
		{"latin1 on line 5", "intents:\n  a:\n    en: [hi]\n  b:\n    pt: [atualiza\xe7\xe3o]\n"},
		{"control char on line 3", "intents:\n  a: {en: [hi]}\n  b: {en: [by\x01e]}\n"},
		{"error on line 1", "intents: a: b\n"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Parse("bad.yaml", []byte(tc.data))
			if err == nil {
				t.Fatal("Parse succeeded")
			}
			if !fileLineReason.MatchString(err.Error()) {
				t.Fatalf("error %q lacks the line (want bad.yaml:LINE: reason)", err)
			}
		})
	}
}

// hangingServer never answers: it waits until the client gives up.
func hangingServer(t *testing.T) *httptest.Server {
	t.Helper()
	done := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.Copy(io.Discard, r.Body) // lets the server notice the client hanging up
		select {
		case <-r.Context().Done():
		case <-done:
		}
	}))
	t.Cleanup(srv.Close)
	t.Cleanup(func() { close(done) }) // runs first
	return srv
}

// stuckTransport holds every request until release is closed, whatever the request's
// context says, then passes it on to next (or fails it): an embedding that takes as long
// as the test wants, so that a Classify that returns before release returned by its own
// timeout, on any machine.
type stuckTransport struct {
	release chan struct{}
	next    http.RoundTripper
	calls   atomic.Int64
}

func (s *stuckTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	s.calls.Add(1)
	<-s.release
	if s.next == nil {
		return nil, errors.New("released")
	}
	return s.next.RoundTrip(r)
}

// In embeddings mode the first Classify embeds the examples (one HTTP request per batch,
// each with its own timeout) once for all callers, in the background; each caller waits
// only as long as NLU_TIMEOUT allows. Concurrent callers queued on a mutex behind the
// embedding instead: with the endpoint down (hanging), the k-th concurrent message waited
// about k times NLU_TIMEOUT before the fallback answered. Here the endpoint hangs until
// every caller is back: each must have given up on its own.
func TestOpenAIEmbeddingsHonoursTimeout(t *testing.T) {
	const timeout = 200 * time.Millisecond
	o := NewOpenAI("http://openai.invalid/v1", "sk-test", "m", "embeddings",
		[]string{UpdateRouter, UpdateStatus, HumanAgent, Cancel, Greeting, Thanks, Help}, timeout)
	stuck := &stuckTransport{release: make(chan struct{})}
	t.Cleanup(func() { close(stuck.release) })
	o.client = &http.Client{Transport: stuck}
	const n = 4
	var wg sync.WaitGroup
	errs := make(chan error, n)
	for range n {
		wg.Go(func() {
			_, err := o.Classify(context.Background(), "actualizar el router")
			errs <- err
		})
	}
	done := make(chan struct{})
	go func() { wg.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(hangGuard):
		t.Fatalf("Classify still waiting %v after its %v timeout, behind an embedding that never ends", hangGuard, timeout)
	}
	close(errs)
	for err := range errs {
		if err == nil {
			t.Error("Classify succeeded against a hanging server")
		}
	}
	if c := stuck.calls.Load(); c != 1 {
		t.Errorf("%d requests under way, want the one embedding for all callers", c)
	}
}

// An endpoint slow on every request (each within the timeout): the first Classify makes
// one request per batch of 256 examples plus the query, so waiting for them all takes
// several timeouts. The first Classify returns by its timeout, with the embedding still
// under way; once the endpoint answers, the embedding is done and Classify answers.
func TestOpenAIEmbeddingsFirstCallTimeout(t *testing.T) {
	const timeout = 300 * time.Millisecond
	srv := fakeServer(t, "/v1/embeddings", 0, func(body map[string]any) (int, string) {
		in := body["input"].([]any)
		var b strings.Builder
		b.WriteString(`{"data":[`)
		for i := range in {
			if i > 0 {
				b.WriteString(",")
			}
			b.WriteString(`{"embedding":[1,0.5],"index":` + itoa(i) + `}`)
		}
		b.WriteString(`]}`)
		return 200, b.String()
	})
	o := NewOpenAI(srv.URL+"/v1", "sk-test", "m", "embeddings",
		[]string{UpdateRouter, UpdateStatus, HumanAgent, Cancel, Greeting, Thanks, Help}, timeout)
	stuck := &stuckTransport{release: make(chan struct{}), next: http.DefaultTransport}
	var released sync.Once
	release := func() { released.Do(func() { close(stuck.release) }) }
	t.Cleanup(release)
	o.client = &http.Client{Transport: stuck}
	first := make(chan error, 1)
	go func() { _, err := o.Classify(context.Background(), "actualizar el router"); first <- err }()
	select {
	case err := <-first:
		if err == nil {
			t.Fatal("the first Classify succeeded with the examples not embedded")
		}
	case <-time.After(hangGuard):
		t.Fatalf("first Classify still waiting %v after its %v timeout (%d examples)", hangGuard, timeout, len(o.Examples))
	}
	release()
	// The embedding now goes through, on its first try or a later one (a loaded machine
	// may need a few calls).
	deadline := time.Now().Add(hangGuard)
	for {
		_, err := o.Classify(context.Background(), "actualizar el router")
		if err == nil {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("Classify still failing once the endpoint answers: %v", err)
		}
	}
	// The held batch may fail (past its own timeout when let go) and the embedding start
	// again, or go through and the embedding go on: either way every batch and the query
	// were asked for.
	if c, batches := stuck.calls.Load(), int64((len(o.Examples)+255)/256); c < batches+1 {
		t.Errorf("%d requests, want at least the %d batches and the query", c, batches)
	}
}

func itoa(i int) string {
	if i == 0 {
		return "0"
	}
	var b []byte
	for ; i > 0; i /= 10 {
		b = append([]byte{byte('0' + i%10)}, b...)
	}
	return string(b)
}

// An error answer puts the raw URL, credentials included, in the error that WithFallback
// logs at warn level. (net/http itself strips the password from its own errors.)
func TestExternalErrorRedactsURLCredentials(t *testing.T) {
	var logs bytes.Buffer
	old := slog.Default()
	slog.SetDefault(slog.New(slog.NewTextHandler(&logs, nil)))
	t.Cleanup(func() { slog.SetDefault(old) })
	srv := fakeServer(t, "/model/parse", 0, func(map[string]any) (int, string) { return 503, `{"error":"loading"}` })
	u := strings.Replace(srv.URL, "http://", "http://bot:s3cr3t-pass@", 1)
	if _, err := WithFallback(NewRasa(u, time.Second), defaultClassifier(t)).Classify(context.Background(), "hola"); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(logs.String(), "s3cr3t-pass") {
		t.Fatalf("warn log leaks the URL password: %s", logs.String())
	}
}

// Rasa's answer is passed through whatever its name: an intent the bot has not configured
// ("affirm", Rasa's conventional "out_of_scope") reaches the bot, which resets its
// misunderstanding count on any non-oos intent and so never offers an agent.
func TestRasaIntentNotConfigured(t *testing.T) {
	builtin := defaultClassifier(t)
	for _, name := range []string{"affirm", "out_of_scope"} {
		t.Run(name, func(t *testing.T) {
			srv := fakeServer(t, "/model/parse", 0, func(map[string]any) (int, string) {
				return 200, `{"text":"x","intent":{"id":1,"name":"` + name + `","confidence":0.97},"entities":[],"intent_ranking":[{"id":1,"name":"` + name + `","confidence":0.97}]}`
			})
			r, err := WithFallback(NewRasa(srv.URL, hangGuard), builtin).Classify(context.Background(), "what's the weather")
			if err != nil {
				t.Fatal(err)
			}
			if r.Intent != OutOfScope && !slices.Contains(builtin.Intents(), r.Intent) {
				t.Fatalf("Intent=%q, not one of the configured %v nor %q", r.Intent, builtin.Intents(), OutOfScope)
			}
		})
	}
}

// "kkkk" is how Brazilians laugh. squeeze turns it into "k", which menu.go reads as a yes
// and the shorthand table as Spanish "que": a customer laughing at "Update your router?"
// confirms the update, and the conversation switches to Spanish.
func TestBrazilianLaughter(t *testing.T) {
	yesNo := []MenuItem{{"Sim, atualize", "yes"}, {"Não", "no"}}
	for _, s := range []string{"kkkk", "kkkkkkk", "KKKKK"} {
		t.Run(s, func(t *testing.T) {
			if i, ok := MatchMenu(s, yesNo); ok {
				t.Errorf("MatchMenu(%q) chose %q: laughter taken as an answer", s, yesNo[i].Title)
			}
			if got, _ := DetectLanguage(s); got == "es" {
				t.Errorf("DetectLanguage(%q)=%q: Brazilian laughter read as Spanish", s, got)
			}
		})
	}
}
