package intents

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math"
	"net/http"
	neturl "net/url"
	"slices"
	"sort"
	"strings"
	"sync"
	"time"
)

// postJSON sends in as JSON and decodes the reply into out, bounded by timeout.
func postJSON(ctx context.Context, client *http.Client, timeout time.Duration, url, apiKey string, in, out any) error {
	if timeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, timeout)
		defer cancel()
	}
	body, err := json.Marshal(in)
	if err != nil {
		return err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, url, bytes.NewReader(body))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")
	if apiKey != "" {
		req.Header.Set("Authorization", "Bearer "+apiKey)
	}
	resp, err := client.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(io.LimitReader(resp.Body, 16<<20))
	if err != nil {
		return err
	}
	if resp.StatusCode/100 != 2 {
		return fmt.Errorf("POST %s: %s: %.200s", redacted(url), resp.Status, data)
	}
	if err := json.Unmarshal(data, out); err != nil {
		return fmt.Errorf("POST %s: bad answer: %w", redacted(url), err)
	}
	return nil
}

// redacted is raw with any password replaced by "xxxxx": errors are logged.
func redacted(raw string) string {
	u, err := neturl.Parse(raw)
	if err != nil {
		return "(an unparsable URL)"
	}
	return u.Redacted()
}

type rasa struct {
	url     string
	timeout time.Duration
	client  *http.Client
}

// NewRasa returns an NLU backed by a Rasa server's /model/parse endpoint. Rasa's
// "nlu_fallback" intent becomes OutOfScope.
func NewRasa(baseURL string, timeout time.Duration) NLU {
	return &rasa{url: strings.TrimRight(baseURL, "/") + "/model/parse", timeout: timeout, client: &http.Client{}}
}

func (r *rasa) Classify(ctx context.Context, text string) (Result, error) {
	type intent struct {
		Name       string   `json:"name"`
		Confidence *float64 `json:"confidence"`
	}
	var out struct {
		Intent        *intent  `json:"intent"`
		IntentRanking []intent `json:"intent_ranking"`
	}
	if err := postJSON(ctx, r.client, r.timeout, r.url, "", map[string]string{"text": text}, &out); err != nil {
		return Result{}, fmt.Errorf("rasa: %w", err)
	}
	if out.Intent == nil || out.Intent.Confidence == nil {
		return Result{}, errors.New("rasa: answer has no intent")
	}
	name := func(n string) string {
		if n == "" || n == "nlu_fallback" {
			return OutOfScope
		}
		return n
	}
	lang, _ := DetectLanguage(text)
	res := Result{Intent: name(out.Intent.Name), Confidence: *out.Intent.Confidence, Language: lang}
	for _, in := range out.IntentRanking {
		if in.Confidence != nil {
			res.Ranked = append(res.Ranked, Scored{name(in.Name), *in.Confidence})
		}
	}
	return res, nil
}

// OpenAI is an NLU backed by an OpenAI-compatible API, in one of two modes: "chat" asks a
// chat model to pick one of the intents (a JSON schema enum constrains the answer),
// "embeddings" compares the text's embedding to those of the training examples.
type OpenAI struct {
	// Examples are embedded, once, in embeddings mode. NewOpenAI sets them from the default
	// intents file; out-of-scope ones choose the threshold.
	Examples []Example
	// Threshold is the cosine similarity below which a text is out of scope in embeddings
	// mode; zero chooses it from the out-of-scope examples.
	Threshold float64

	url, key, model, mode string
	intents               []string
	timeout               time.Duration
	client                *http.Client

	mu        sync.Mutex
	centroids map[string][]float64
	threshold float64
	preparing chan struct{} // closed when the embedding of the examples under way ends
	prepErr   error         // how the last one failed
}

// NewOpenAI returns an NLU for an OpenAI-compatible endpoint. mode is "chat" or
// "embeddings"; intents are the allowed answers (OutOfScope is always allowed).
func NewOpenAI(baseURL, apiKey, model, mode string, intents []string, timeout time.Duration) *OpenAI {
	o := &OpenAI{url: strings.TrimRight(baseURL, "/"), key: apiKey, model: model, mode: mode,
		intents: slices.Clone(intents), timeout: timeout, client: &http.Client{}}
	for _, e := range Default().Examples() {
		if e.Intent == OutOfScope || slices.Contains(intents, e.Intent) {
			o.Examples = append(o.Examples, e)
		}
	}
	return o
}

// Classify implements NLU. The timeout bounds the whole call, however many requests it
// makes.
func (o *OpenAI) Classify(ctx context.Context, text string) (Result, error) {
	if o.timeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, o.timeout)
		defer cancel()
	}
	var res Result
	var err error
	switch o.mode {
	case "chat":
		res, err = o.chat(ctx, text)
	case "embeddings":
		res, err = o.nearest(ctx, text)
	default:
		err = fmt.Errorf("unknown mode %q (want chat or embeddings)", o.mode)
	}
	if err != nil {
		return Result{}, fmt.Errorf("openai %s: %w", o.mode, err)
	}
	res.Language, _ = DetectLanguage(text)
	return res, nil
}

func (o *OpenAI) chat(ctx context.Context, text string) (Result, error) {
	allowed := append(slices.Clone(o.intents), OutOfScope)
	prompt := "You classify messages that customers of a telecom company send on WhatsApp, in English, " +
		"Spanish or Portuguese, often with typos and chat spelling. Answer with the one intent that fits: " +
		strings.Join(allowed, ", ") + `. Answer "` + OutOfScope + `" when none fits. ` +
		`Reply only with JSON: {"intent": "<name>"}.`
	req := map[string]any{
		"model":       o.model,
		"temperature": 0,
		"messages": []map[string]string{
			{"role": "system", "content": prompt},
			{"role": "user", "content": text},
		},
		"response_format": map[string]any{
			"type": "json_schema",
			"json_schema": map[string]any{
				"name":   "intent",
				"strict": true,
				"schema": map[string]any{
					"type":                 "object",
					"properties":           map[string]any{"intent": map[string]any{"type": "string", "enum": allowed}},
					"required":             []string{"intent"},
					"additionalProperties": false,
				},
			},
		},
	}
	var out struct {
		Choices []struct {
			Message struct {
				Content string `json:"content"`
			} `json:"message"`
		} `json:"choices"`
	}
	if err := postJSON(ctx, o.client, o.timeout, o.url+"/chat/completions", o.key, req, &out); err != nil {
		return Result{}, err
	}
	if len(out.Choices) == 0 {
		return Result{}, errors.New("answer has no choices")
	}
	// A model ignoring the schema may answer a bare name; a JSON intent off the list is oos.
	// Anything else (prose, a refusal, an empty or cut answer) is no answer: the fallback
	// classifier is asked instead of taking it for "none of them".
	content := strings.TrimSpace(out.Choices[0].Message.Content)
	var ans struct {
		Intent string `json:"intent"`
	}
	if json.Unmarshal([]byte(content), &ans) != nil {
		ans.Intent = strings.Trim(content, "\"'` .")
		if ans.Intent != OutOfScope && !slices.Contains(o.intents, ans.Intent) {
			return Result{}, fmt.Errorf("answer is not an intent: %.100q", content)
		}
	}
	intent := OutOfScope
	if slices.Contains(o.intents, ans.Intent) {
		intent = ans.Intent
	}
	return Result{Intent: intent, Confidence: 1, Ranked: []Scored{{intent, 1}}}, nil
}

// embed returns unit-length embeddings of texts, in order.
func (o *OpenAI) embed(ctx context.Context, texts []string) ([][]float64, error) {
	const batch = 256
	out := make([][]float64, 0, len(texts))
	for s := 0; s < len(texts); s += batch {
		part := texts[s:min(s+batch, len(texts))]
		var resp struct {
			Data []struct {
				Embedding []float64 `json:"embedding"`
				Index     int       `json:"index"`
			} `json:"data"`
		}
		req := map[string]any{"model": o.model, "input": part}
		if err := postJSON(ctx, o.client, o.timeout, o.url+"/embeddings", o.key, req, &resp); err != nil {
			return nil, err
		}
		if len(resp.Data) != len(part) {
			return nil, fmt.Errorf("asked %d embeddings, got %d", len(part), len(resp.Data))
		}
		vs := make([][]float64, len(part))
		for _, d := range resp.Data {
			if d.Index < 0 || d.Index >= len(part) || len(d.Embedding) == 0 || vs[d.Index] != nil {
				return nil, fmt.Errorf("bad embedding index %d", d.Index)
			}
			vs[d.Index] = unit(d.Embedding)
		}
		out = append(out, vs...)
	}
	return out, nil
}

func unit(v []float64) []float64 {
	var n float64
	for _, x := range v {
		n += x * x
	}
	out := make([]float64, len(v))
	if n == 0 {
		return out
	}
	n = math.Sqrt(n)
	for i, x := range v {
		out[i] = x / n
	}
	return out
}

func dot(a, b []float64) float64 {
	var s float64
	for i := range min(len(a), len(b)) {
		s += a[i] * b[i]
	}
	return s
}

// prepare returns the per-intent centroids, embedding the examples on first use. The
// embedding runs in the background, once for all callers, each of whom waits only as long
// as its own context allows. A failure is not kept: the next call tries again.
func (o *OpenAI) prepare(ctx context.Context) (map[string][]float64, float64, error) {
	o.mu.Lock()
	if o.centroids != nil {
		defer o.mu.Unlock()
		return o.centroids, o.threshold, nil
	}
	ch := o.preparing
	if ch == nil {
		ch = make(chan struct{})
		o.preparing, o.prepErr = ch, nil
		go func() {
			cent, th, err := o.embedExamples(context.Background())
			o.mu.Lock()
			o.centroids, o.threshold, o.prepErr, o.preparing = cent, th, err, nil
			o.mu.Unlock()
			close(ch)
		}()
	}
	o.mu.Unlock()
	select {
	case <-ch:
	case <-ctx.Done():
		return nil, 0, fmt.Errorf("embedding examples: %w", ctx.Err())
	}
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.centroids == nil {
		return nil, 0, o.prepErr
	}
	return o.centroids, o.threshold, nil
}

// embedExamples embeds the examples and returns the per-intent centroids and threshold.
func (o *OpenAI) embedExamples(ctx context.Context) (map[string][]float64, float64, error) {
	texts := make([]string, len(o.Examples))
	for i, e := range o.Examples {
		texts[i] = e.Text
	}
	vs, err := o.embed(ctx, texts)
	if err != nil {
		return nil, 0, fmt.Errorf("embedding examples: %w", err)
	}
	sums := map[string][]float64{}
	for i, e := range o.Examples {
		if e.Intent == OutOfScope {
			continue
		}
		if sums[e.Intent] == nil {
			sums[e.Intent] = make([]float64, len(vs[i]))
		}
		for j, x := range vs[i] {
			sums[e.Intent][j] += x
		}
	}
	if len(sums) == 0 {
		return nil, 0, errors.New("no in-scope examples to embed")
	}
	cent := map[string][]float64{}
	for in, s := range sums {
		cent[in] = unit(s)
	}
	th := o.Threshold
	if th == 0 {
		th = o.chooseThreshold(vs, sums)
	}
	return cent, th, nil
}

// chooseThreshold scores each example against the centroids leaving itself out, then
// picks the cosine that best separates in-scope from out-of-scope examples.
func (o *OpenAI) chooseThreshold(vs [][]float64, sums map[string][]float64) float64 {
	var in, oos []scored
	for i, e := range o.Examples {
		best, bestIn := -1.0, ""
		for name, s := range sums {
			c := s
			if name == e.Intent {
				c = slices.Clone(s)
				for j, x := range vs[i] {
					c[j] -= x
				}
			}
			if cos := dot(unit(c), vs[i]); cos > best {
				best, bestIn = cos, name
			}
		}
		if e.Intent == OutOfScope {
			oos = append(oos, scored{p: best})
		} else {
			in = append(in, scored{best, bestIn == e.Intent})
		}
	}
	if len(oos) == 0 || len(in) == 0 {
		return 0
	}
	return chooseThreshold(in, oos, 1)
}

func (o *OpenAI) nearest(ctx context.Context, text string) (Result, error) {
	cent, th, err := o.prepare(ctx)
	if err != nil {
		return Result{}, err
	}
	vs, err := o.embed(ctx, []string{text})
	if err != nil {
		return Result{}, err
	}
	var res Result
	for name, c := range cent {
		res.Ranked = append(res.Ranked, Scored{name, max(0, dot(c, vs[0]))})
	}
	sort.Slice(res.Ranked, func(i, j int) bool {
		a, b := res.Ranked[i], res.Ranked[j]
		return a.Confidence > b.Confidence || a.Confidence == b.Confidence && a.Intent < b.Intent
	})
	res.Ranked = res.Ranked[:min(len(res.Ranked), maxRanked)]
	res.Intent, res.Confidence = OutOfScope, res.Ranked[0].Confidence
	if res.Confidence >= th {
		res.Intent = res.Ranked[0].Intent
	}
	return res, nil
}

// WithFallback returns an NLU that answers with primary, or with fallback when primary
// fails (an error, a timeout, a garbled answer), logging the failure at warn level.
func WithFallback(primary, fallback NLU) NLU {
	return &fallbackNLU{primary, fallback}
}

type fallbackNLU struct{ primary, fallback NLU }

func (f *fallbackNLU) Classify(ctx context.Context, text string) (Result, error) {
	res, err := f.primary.Classify(ctx, text)
	if err == nil {
		// An intent the bot does not have (Rasa's "affirm" or "out_of_scope") is out of
		// scope to it: passed on, it would count as understood.
		if k, ok := f.fallback.(interface{ Intents() []string }); ok {
			known := k.Intents()
			if res.Intent != OutOfScope && !slices.Contains(known, res.Intent) {
				res.Intent = OutOfScope
			}
			res.Ranked = slices.DeleteFunc(res.Ranked, func(s Scored) bool { return !slices.Contains(known, s.Intent) })
		}
		return res, nil
	}
	slog.WarnContext(ctx, "external NLU failed, using fallback", slog.Any("error", err))
	return f.fallback.Classify(ctx, text)
}
