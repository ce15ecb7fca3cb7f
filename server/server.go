// Package server is the bot's HTTP face: Chatwoot's webhooks, the telco's callbacks,
// health and metrics. A webhook is verified, stored and acknowledged; nothing else happens
// on the request path.
package server

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/cwbot/cwbot/chatwoot"
	"github.com/cwbot/cwbot/process"
	"github.com/cwbot/cwbot/store"
)

// MaxBody is the largest webhook body accepted. Chatwoot's payloads are a few kilobytes.
const MaxBody = 1 << 20

// Config is what the intake needs to know.
type Config struct {
	// WebhookSecret is the AgentBot's secret (Chatwoot 4.13+); when set, every webhook must
	// carry a valid X-Chatwoot-Signature.
	WebhookSecret string
	// WebhookToken is checked against ?token= when no secret is set (older Chatwoot).
	WebhookToken string
	// AccountID and InboxIDs, when set, are the only account and inboxes served.
	AccountID int64
	InboxIDs  []int64
}

// Server routes the bot's HTTP endpoints.
type Server struct {
	cfg    Config
	db     *store.DB
	echo   *echo.Echo
	logger *slog.Logger
	now    func() time.Time

	// Observe, when set, is told each webhook's outcome and how long the answer took.
	Observe func(event, outcome string, d time.Duration)

	// OutageEnded, when set, takes the telco's callback that ends an outage (posted to
	// /webhooks/telco, signed the same way): it tells the customers waiting to hear of
	// it, and returns how many there were. Without it such callbacks are acknowledged and
	// dropped (polling, if any, finds the end).
	OutageEnded func(ctx context.Context, id string) (int, error)
}

// New builds the server. The database hands each newly stored event on to its handler
// (store.DB.OnEvents).
func New(cfg Config, db *store.DB, logger *slog.Logger) *Server {
	if logger == nil {
		logger = slog.Default()
	}
	s := &Server{cfg: cfg, db: db, logger: logger, now: time.Now}
	e := echo.New()
	e.HideBanner, e.HidePort = true, true
	e.HTTPErrorHandler = s.errorHandler
	e.POST("/webhooks/chatwoot", s.chatwootWebhook)
	e.GET("/healthz", func(c echo.Context) error { return c.JSON(http.StatusOK, map[string]string{"status": "ok"}) })
	e.GET("/readyz", s.ready)
	s.echo = e
	return s
}

// Echo exposes the router so that other endpoints (telco callbacks, metrics) can be added.
func (s *Server) Echo() *echo.Echo { return s.echo }

// ServeHTTP makes the server an http.Handler.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) { s.echo.ServeHTTP(w, r) }

// SetClock replaces the clock used for signature windows (tests).
func (s *Server) SetClock(now func() time.Time) { s.now = now }

// HTTPServer wraps h with the timeouts that keep slow or hostile clients from holding
// connections.
func HTTPServer(addr string, h http.Handler) *http.Server {
	return &http.Server{
		Addr:              addr,
		Handler:           h,
		ReadHeaderTimeout: 5 * time.Second,
		ReadTimeout:       15 * time.Second,
		WriteTimeout:      15 * time.Second,
		IdleTimeout:       60 * time.Second,
		MaxHeaderBytes:    64 << 10,
	}
}

// ready answers whether the bot can take webhooks now: the database answers, is migrated,
// and can store (store.DB.Writable: a disk full or an unwritable WAL fail it, so a load
// balancer sends the traffic elsewhere until it recovers).
func (s *Server) ready(c echo.Context) error {
	ctx, cancel := context.WithTimeout(c.Request().Context(), 2*time.Second)
	defer cancel()
	err := s.db.Ready(ctx)
	if err == nil {
		err = s.db.Writable(ctx)
	}
	if err != nil {
		s.logger.Warn("not ready", slog.Any("error", err))
		return c.JSON(http.StatusServiceUnavailable, map[string]string{"status": "unavailable"})
	}
	return c.JSON(http.StatusOK, map[string]string{"status": "ready"})
}

func (s *Server) errorHandler(err error, c echo.Context) {
	if c.Response().Committed {
		return
	}
	code, msg := http.StatusInternalServerError, "internal error"
	var he *echo.HTTPError
	if errors.As(err, &he) {
		code = he.Code
		msg = http.StatusText(code)
		if m, ok := he.Message.(string); ok {
			msg = m
		}
	}
	_ = c.JSON(code, map[string]string{"error": msg})
}

// Webhook outcomes, for logs and metrics.
const (
	outcomeStored       = "stored"
	outcomeDuplicate    = "duplicate"
	outcomeIgnored      = "ignored"
	outcomeUnauthorized = "unauthorized"
	outcomeTooLarge     = "too_large"
	outcomeBadRequest   = "bad_request"
	outcomeUnavailable  = "unavailable"
)

// unauthorized is one body whatever failed, so a caller learns nothing about why.
var unauthorized = map[string]string{"error": "unauthorized"}

// StatusStoreUnavailable answers a webhook that could not be stored. Chatwoot retries only
// 429 and 500 (three tries, 3 s apart); on a final failure it opens the conversation for the
// agents. 500 earns those retries, so a database that is busy for a moment loses nothing,
// and one that stays down still puts the customer in front of a human.
const StatusStoreUnavailable = http.StatusInternalServerError

// envelope is the little of a payload the intake reads: enough to authenticate, route and
// dedupe. The worker parses the whole payload later.
type envelope struct {
	Event       string          `json:"event"`
	ID          json.RawMessage `json:"id"`
	MessageType json.RawMessage `json:"message_type"`
	Private     bool            `json:"private"`
	Status      string          `json:"status"`
	InboxID     flexID          `json:"inbox_id"`
	Sender      *struct {
		Type string `json:"type"`
	} `json:"sender"`
	Account *struct {
		ID flexID `json:"id"`
	} `json:"account"`
	Inbox *struct {
		ID flexID `json:"id"`
	} `json:"inbox"`
	Conversation *struct {
		ID       flexID `json:"id"`
		InboxID  flexID `json:"inbox_id"`
		Messages []struct {
			ID     flexID `json:"id"`
			Status string `json:"status"`
		} `json:"messages"`
	} `json:"conversation"`
	Messages []struct {
		AccountID flexID `json:"account_id"`
	} `json:"messages"`
	// ContentAttributes is read only for message_updated, leniently: its shape varies.
	ContentAttributes json.RawMessage `json:"content_attributes"`
}

// flexID is an id of the envelope: a number, or a number sent as text ("318"), which the
// worker reads too (chatwoot.ParseEvent); anything else fails the envelope.
type flexID int64

func (f *flexID) UnmarshalJSON(b []byte) error {
	if string(b) == "null" {
		return nil
	}
	n, ok := rawID(b)
	if !ok {
		return fmt.Errorf("not an id: %.40s", b)
	}
	*f = flexID(n)
	return nil
}

// rawID reads an id kept raw: a number, or a number sent as text.
func rawID(raw []byte) (int64, bool) {
	s := strings.TrimSpace(string(raw))
	if len(s) >= 2 && s[0] == '"' && s[len(s)-1] == '"' {
		s = strings.TrimSpace(s[1 : len(s)-1])
	}
	n, err := strconv.ParseInt(s, 10, 64)
	return n, err == nil
}

func (s *Server) chatwootWebhook(c echo.Context) error {
	start := time.Now()
	event, outcome := "", ""
	defer func() {
		if s.Observe != nil {
			s.Observe(event, outcome, time.Since(start))
		}
	}()
	req := c.Request()
	body, err := readBody(c)
	if err != nil {
		if errors.Is(err, errTooLarge) {
			outcome = outcomeTooLarge
			return tooLargeAnswer(c)
		}
		outcome = outcomeBadRequest
		return c.JSON(http.StatusBadRequest, map[string]string{"error": "could not read body"})
	}
	if !s.authentic(req, body) {
		outcome = outcomeUnauthorized
		s.logger.Warn("webhook rejected: authentication failed", slog.String("remote", c.RealIP()))
		return c.JSON(http.StatusUnauthorized, unauthorized)
	}
	var env envelope
	if err := chatwoot.DecodeJSON(body, &env); err != nil {
		outcome = outcomeBadRequest
		s.logger.Warn("webhook refused: its envelope cannot be read", slog.Any("error", err))
		return c.JSON(http.StatusBadRequest, map[string]string{"error": "body is not a JSON object in Chatwoot's shape"})
	}
	if env.Event == "" {
		outcome = outcomeBadRequest
		return c.JSON(http.StatusBadRequest, map[string]string{"error": "no event in body"})
	}
	event = env.Event
	ev, use := s.route(&env)
	if !use {
		outcome = outcomeIgnored
		return c.JSON(http.StatusOK, map[string]string{"status": "ignored"})
	}
	ev.DeliveryID = req.Header.Get(chatwoot.HeaderDelivery)
	if ev.DedupeKey == "" {
		// Events with no message id (conversation events, delivery failures) are known
		// again by their content: the delivery id is not signed, and Chatwoot before 4.13
		// sends none, so a replay or a double dispatch would otherwise be handled twice.
		sum := sha256.Sum256(body)
		ev.DedupeKey = "body:" + hex.EncodeToString(sum[:16])
	}
	ev.Body = body
	inserted, err := s.ingest(req.Context(), ev)
	if err != nil {
		outcome = outcomeUnavailable
		s.logger.Error("webhook not stored", slog.String("event", env.Event), slog.Int64("conversation_id", ev.ConversationID), slog.Any("error", err))
		return c.JSON(StatusStoreUnavailable, map[string]string{"error": "could not store the event, retry"})
	}
	if !inserted {
		outcome = outcomeDuplicate
		return c.JSON(http.StatusOK, map[string]string{"status": "duplicate"})
	}
	outcome = outcomeStored
	return c.JSON(http.StatusOK, map[string]string{"status": "stored"})
}

// StoreWait bounds how long a webhook waits for the database. Chatwoot gives up on a
// webhook after 5 s, and a timeout is not retried: the conversation goes to the agents at
// once. The store waits up to 5 s for a locked database, so without this bound a busy
// database would be answered too late for the retries StatusStoreUnavailable earns.
const StoreWait = 3 * time.Second

var errStoreSlow = errors.New("the database did not answer in time")

// ingest stores ev, waiting at most StoreWait. A write still under way then goes on: if it
// lands, the event is handled all the same, and Chatwoot's retry is a duplicate.
func (s *Server) ingest(ctx context.Context, ev *store.Event) (bool, error) {
	type result struct {
		inserted bool
		err      error
	}
	done := make(chan result, 1)
	go func() {
		inserted, err := s.db.Ingest(ctx, ev)
		done <- result{inserted, err}
	}()
	timer := time.NewTimer(StoreWait)
	defer timer.Stop()
	select {
	case r := <-done:
		return r.inserted, r.err
	case <-timer.C:
		return false, errStoreSlow
	}
}

var errTooLarge = errors.New("body larger than MaxBody")

// readBody reads a request body of at most MaxBody bytes. A body announced larger by its
// Content-Length is refused before a byte of it is read; a chunked or lying one is cut
// after MaxBody+1 bytes.
func readBody(c echo.Context) ([]byte, error) {
	req := c.Request()
	if req.ContentLength > MaxBody {
		return nil, errTooLarge
	}
	body, err := io.ReadAll(http.MaxBytesReader(c.Response(), req.Body, MaxBody))
	var tooLarge *http.MaxBytesError
	if errors.As(err, &tooLarge) {
		return nil, errTooLarge
	}
	return body, err
}

// tooLargeAnswer answers 413 and closes the connection: the rest of the body is not read,
// so it cannot be taken for the next request.
func tooLargeAnswer(c echo.Context) error {
	c.Response().Header().Set("Connection", "close")
	return c.JSON(http.StatusRequestEntityTooLarge, map[string]string{"error": "body larger than 1 MiB"})
}

func (s *Server) authentic(req *http.Request, body []byte) bool {
	if s.cfg.WebhookSecret != "" {
		err := chatwoot.VerifySignature(s.cfg.WebhookSecret, req.Header.Get(chatwoot.HeaderTimestamp),
			req.Header.Get(chatwoot.HeaderSignature), body, s.now())
		return err == nil
	}
	if s.cfg.WebhookToken != "" {
		return chatwoot.VerifyToken(s.cfg.WebhookToken, req.URL.Query().Get("token"))
	}
	return false
}

// route decides whether the bot has a use for the event, and under which conversation and
// dedupe key it is stored. The bot's own messages (half of all traffic), private notes,
// templates and activities are answered 200 and dropped here: they change nothing.
func (s *Server) route(env *envelope) (*store.Event, bool) {
	ev := &store.Event{Source: "chatwoot", Name: env.Event}
	// Conversation events carry no account object: the account is their last message's
	// (messages[0].account_id). One without messages has none, passes the account filter
	// (the inbox filter still applies: inbox_id) and is stored under its conversation id;
	// the worker takes the account it already knows for that conversation, or
	// BOT_ACCOUNT_ID. The signature, not this filter, is what keeps other senders out.
	account, inbox := int64(0), int64(env.InboxID)
	if env.Account != nil {
		account = int64(env.Account.ID)
	} else if len(env.Messages) > 0 {
		account = int64(env.Messages[0].AccountID)
	}
	switch env.Event {
	case "message_created", "message_updated":
		if env.Conversation == nil || env.Conversation.ID == 0 {
			s.logger.Warn("webhook ignored: a message event without a conversation id", slog.String("event", env.Event))
			return nil, false
		}
		ev.ConversationID = int64(env.Conversation.ID)
		if env.Inbox != nil {
			inbox = int64(env.Inbox.ID)
		} else {
			inbox = int64(env.Conversation.InboxID)
		}
		var mtype string
		_ = json.Unmarshal(env.MessageType, &mtype)
		if env.Event == "message_updated" {
			id, _ := rawID(env.ID)
			// A web-widget visitor's choice in the bot's input_select is written into that
			// message (content_attributes.submitted_values). Every later update of the
			// message carries it again, so it is stored once per message.
			if id != 0 && mtype == "outgoing" && !env.Private && bytes.Contains(env.ContentAttributes, []byte(`"submitted_values"`)) {
				var ca chatwoot.ContentAttributes
				_ = ca.UnmarshalJSON(env.ContentAttributes)
				if len(ca.SubmittedValues) > 0 {
					ev.DedupeKey = "submitted:" + strconv.FormatInt(id, 10)
					break
				}
			}
			// Otherwise only a failed delivery (Meta refused it) tells the bot something.
			// The status is on the message's copy in conversation.messages, which holds
			// only the last message; the message itself carries
			// content_attributes.external_error.
			status := env.Status
			for _, m := range env.Conversation.Messages {
				if status == "" && int64(m.ID) == id {
					status = m.Status
				}
			}
			if status == "" {
				var ca chatwoot.ContentAttributes
				_ = ca.UnmarshalJSON(env.ContentAttributes) // keeps what it understands, never fails
				if ca.ExternalError != "" {
					status = "failed"
				}
			}
			if status != "failed" {
				return nil, false
			}
		} else {
			fromAgent := mtype == "outgoing" && env.Sender != nil && env.Sender.Type == "user"
			if env.Private || (mtype != "incoming" && !fromAgent) {
				return nil, false
			}
			if id, ok := rawID(env.ID); ok && id != 0 {
				ev.DedupeKey = "message:" + strconv.FormatInt(id, 10)
			}
		}
	case "conversation_opened", "conversation_resolved", "conversation_status_changed", "conversation_updated":
		id, ok := rawID(env.ID)
		if !ok || id == 0 {
			s.logger.Warn("webhook ignored: a conversation event without a readable id", slog.String("event", env.Event),
				slog.String("id", strings.ToValidUTF8(string(env.ID[:min(len(env.ID), 40)]), "")))
			return nil, false
		}
		ev.ConversationID = id
	default:
		return nil, false
	}
	if s.cfg.AccountID != 0 && account != 0 && account != s.cfg.AccountID {
		return nil, false
	}
	if len(s.cfg.InboxIDs) > 0 && !slices.Contains(s.cfg.InboxIDs, inbox) {
		return nil, false
	}
	return ev, true
}

// TelcoCallbacks serves POST /webhooks/telco: the telco's signed progress reports. observe
// records the status (moving the job forward only) and reports whether a job follows it.
func (s *Server) TelcoCallbacks(secret string, observe func(ctx context.Context, st process.Status) (bool, error)) {
	s.echo.POST("/webhooks/telco", func(c echo.Context) error {
		req := c.Request()
		// Read here, not in process.ReadCallback: its own limit would cut a large body
		// silently (and answer 401 for the truncated signature) instead of 413.
		body, err := readBody(c)
		if errors.Is(err, errTooLarge) {
			return tooLargeAnswer(c)
		} else if err != nil {
			return c.JSON(http.StatusBadRequest, map[string]string{"error": "could not read body"})
		}
		req.Body = io.NopCloser(bytes.NewReader(body))
		if err := process.VerifyCallback(secret, req.Header.Get(process.HeaderTimestamp), req.Header.Get(process.HeaderSignature), body, s.now()); err != nil {
			s.logger.Warn("telco callback rejected: bad signature", slog.String("remote", c.RealIP()))
			return c.JSON(http.StatusUnauthorized, unauthorized)
		}
		if id, ok, err := process.ParseOutageCallback(body); ok {
			return s.outageEnded(c, id, err)
		}
		st, err := process.ParseStatus(body)
		if err != nil {
			return c.JSON(http.StatusBadRequest, map[string]string{"error": "bad status document"})
		}
		known, err := observe(req.Context(), st)
		if err != nil {
			s.logger.Error("telco callback not stored", slog.String("operation_id", st.ID), slog.Any("error", err))
			return c.JSON(http.StatusServiceUnavailable, map[string]string{"error": "could not store the status, retry"})
		}
		if !known {
			return c.JSON(http.StatusOK, map[string]string{"status": "unknown operation"})
		}
		return c.JSON(http.StatusOK, map[string]string{"status": "stored"})
	})
}

// outageEnded answers the (verified) callback that ends outage id.
func (s *Server) outageEnded(c echo.Context, id string, bad error) error {
	if bad != nil {
		return c.JSON(http.StatusBadRequest, map[string]string{"error": "bad outage document"})
	}
	if s.OutageEnded == nil {
		return c.JSON(http.StatusOK, map[string]string{"status": "outages not followed"})
	}
	n, err := s.OutageEnded(c.Request().Context(), id)
	if err != nil {
		s.logger.Error("outage callback not stored", slog.String("outage_id", id), slog.Any("error", err))
		return c.JSON(http.StatusServiceUnavailable, map[string]string{"error": "could not store the end, retry"})
	}
	if n == 0 {
		return c.JSON(http.StatusOK, map[string]string{"status": "nobody waits for this outage"})
	}
	return c.JSON(http.StatusOK, map[string]string{"status": "stored"})
}
