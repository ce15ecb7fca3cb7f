package pipeline

import (
	"context"
	"log/slog"
	"strconv"
	"strings"
	"time"

	"github.com/cwbot/cwbot/bot"
	"github.com/cwbot/cwbot/store"
)

// The turn window. On WhatsApp a customer types one thought as several messages a second
// or two apart ("hola" / "mi router" / "no anda"). With Processor.TurnWindow set, a lane
// whose next events are customer messages holds them until the conversation has been
// quiet for the window, measured from the last one's arrival (its ReceivedAt), and hands
// the bot one CustomerMessage: the texts joined with "\n", the last message's snapshot,
// contact and time. The bot reads, classifies and answers the whole turn once, and counts
// it once against the conversation's reply budget.
//
// Rules:
//   - Held events stay unhandled in the database until the turn is handled; all of them
//     are marked handled in the commit of the turn's outcome. A crash while holding loses
//     nothing: the next start reads them again and answers the turn once.
//   - Anything else of the conversation (job progress, a conversation change, an agent's
//     message, a failed delivery, an attachment without text) ends the window at once:
//     the held turn is handled first, then the event, so order is kept and nothing waits
//     behind a customer's typing.
//   - A button tap ends the window too and is answered alone, at once: a web-widget
//     input_select submission (message_updated), or a message whose text is the title
//     of an item of the bot's open menu (what WhatsApp sends for a reply button) or its
//     number (customers type "1"). A held turn before it is handled first.
//   - A chatty customer is still answered: the hold ends turnHoldWindows windows after
//     the turn's first message, and a turn has at most laneBatch messages.
//   - A held lane takes no worker: it is parked with a timer, and any new event of its
//     conversation wakes it at once.
//
// Known limit: Chatwoot's message_updated for a delivery or read receipt of the bot's own
// message is such an "anything else": one landing between two fragments splits the turn
// there (each part is answered, in order). Letting receipts through while holding would
// reorder them after the turn.

// sourceChatwoot is the source of the events Chatwoot's webhooks store.
const sourceChatwoot = "chatwoot"

// turnHoldWindows caps a turn's hold: a customer who keeps typing is answered this many
// windows after their first message, though they did not pause.
const turnHoldWindows = 3

// TurnClock is the time source of the turn window. Tests give a fake one; nil is the
// database's clock (DB.Now, which stamps each event's ReceivedAt) and time.AfterFunc.
type TurnClock interface {
	Now() time.Time
	// AfterFunc calls f in its own goroutine after d; stop cancels it and reports whether
	// it did so before f was called.
	AfterFunc(d time.Duration, f func()) (stop func() bool)
}

// dbClock is the default TurnClock: the database's Now, so that windows are measured on the
// clock that stamped the events.
type dbClock struct{ db *store.DB }

func (c dbClock) Now() time.Time {
	if c.db != nil && c.db.Now != nil {
		return c.db.Now()
	}
	return time.Now()
}

func (dbClock) AfterFunc(d time.Duration, f func()) func() bool {
	return time.AfterFunc(d, f).Stop
}

func (p *Processor) clock() TurnClock {
	if p.Clock != nil {
		return p.Clock
	}
	return dbClock{p.DB}
}

// decoded is a stored event read into the domain's terms.
type decoded struct {
	ev      *bot.Event
	account int64
}

// run handles the lane's batch evs in order; more says the lane has events beyond the
// batch. With a turn window, a run of customer messages at the end of the batch that may
// still grow is held: run returns how long to wait before looking at it again, the
// events before it handled, and the run left unhandled.
func (p *Processor) run(ctx context.Context, l *lane, evs []*store.Event, more bool) (hold time.Duration, err error) {
	for i := 0; i < len(evs); {
		ev := evs[i]
		if ev.ID <= l.last {
			i++
			continue
		}
		if p.TurnWindow <= 0 {
			if err := p.handle(ctx, ev); err != nil {
				return 0, err
			}
			l.last = ev.ID
			i++
			continue
		}
		turn, err := p.fragments(ctx, evs[i:])
		if err != nil {
			return 0, err
		}
		if len(turn) == 0 {
			if err := p.handle(ctx, ev); err != nil {
				return 0, err
			}
			l.last = ev.ID
			i++
			continue
		}
		end := i + len(turn)
		if end == len(evs) {
			// Nothing of the conversation follows the turn in this batch.
			if more && i > 0 {
				// The batch cut the turn: look again from its first message.
				return 0, nil
			}
			if !more {
				if wait := p.holdFor(evs[i:end]); wait > 0 {
					return wait, nil
				}
			}
			// more with the turn filling the batch: laneBatch messages, answer them.
		}
		if err := p.handleUnit(ctx, evs[i:end], mergeTurn(turn)); err != nil {
			return 0, err
		}
		l.last = evs[end-1].ID
		i = end
	}
	return 0, nil
}

// fragments returns the customer messages at the head of evs that make one turn: text
// messages (message_created), not button taps. It stops at the first other event; none
// when the first is not such a message.
func (p *Processor) fragments(ctx context.Context, evs []*store.Event) ([]decoded, error) {
	var turn []decoded
	var conv *bot.Conversation // the state the turn answers, read at its first message
	for _, ev := range evs {
		if ev.Source != sourceChatwoot || ev.Name != "message_created" {
			break
		}
		// Repairs of its payload are logged when the event is handled, alone or in the turn.
		bev, account, err := p.decode(ev, func() *slog.Logger { return slog.New(slog.DiscardHandler) })
		if err != nil || bev == nil || bev.Kind != bot.CustomerMessage || strings.TrimSpace(bev.Text) == "" {
			break // handled alone: an error is recorded on the event, an attachment answered
		}
		if conv == nil {
			if account, err = p.accountOf(ctx, ev.ConversationID, account); err != nil {
				return nil, err
			}
			if account == 0 {
				break // ignored alone
			}
			if conv, err = p.conversation(ctx, account, ev.ConversationID); err != nil {
				return nil, err
			}
		}
		if isTap(conv, bev.Text) {
			break
		}
		turn = append(turn, decoded{ev: bev, account: account})
	}
	return turn, nil
}

// isTap reports whether text answers the bot's open menu as a button does: the title of
// one of its items (a WhatsApp reply-button tap sends the title) or the item's number.
func isTap(c *bot.Conversation, text string) bool {
	if c == nil || c.Menu == nil {
		return false
	}
	text = strings.TrimSpace(text)
	for i, it := range c.Menu.Items {
		if strings.EqualFold(text, strings.TrimSpace(it.Title)) || text == strconv.Itoa(i+1) {
			return true
		}
	}
	return false
}

// holdFor says how long the turn evs may still wait for more: until the window has passed
// since its last message, and at most turnHoldWindows windows since its first. 0: answer
// it now.
func (p *Processor) holdFor(evs []*store.Event) time.Duration {
	first, last := evs[0].ReceivedAt, evs[0].ReceivedAt
	for _, ev := range evs[1:] {
		if ev.ReceivedAt.After(last) {
			last = ev.ReceivedAt
		}
		if ev.ReceivedAt.Before(first) {
			first = ev.ReceivedAt
		}
	}
	deadline := last.Add(p.TurnWindow)
	if limit := first.Add(turnHoldWindows * p.TurnWindow); limit.Before(deadline) {
		deadline = limit
	}
	if wait := deadline.Sub(p.clock().Now()); wait > 0 {
		return wait
	}
	return 0
}

// mergeTurn makes one customer message of a turn: the texts joined with "\n", the rest
// from the last message (a snapshot or contact from the latest that had one).
func mergeTurn(turn []decoded) *decoded {
	if len(turn) == 1 {
		return &turn[0]
	}
	last := turn[len(turn)-1]
	ev := *last.ev
	texts := make([]string, len(turn))
	for i, d := range turn {
		texts[i] = d.ev.Text
	}
	for i := len(turn) - 1; i >= 0 && (ev.Snapshot == nil || ev.Contact == nil); i-- {
		if ev.Snapshot == nil {
			ev.Snapshot = turn[i].ev.Snapshot
		}
		if ev.Contact == nil {
			ev.Contact = turn[i].ev.Contact
		}
	}
	ev.Text = strings.Join(texts, "\n")
	for i := len(turn) - 1; i >= 0 && ev.Media == ""; i-- {
		ev.Media = turn[i].ev.Media // a photo's caption among the fragments: the turn carries the photo
	}
	account := last.account
	for i := len(turn) - 1; i >= 0 && account == 0; i-- {
		account = turn[i].account
	}
	return &decoded{ev: &ev, account: account}
}

// parkLocked leaves a lane holding a turn until wait has passed or an event of its
// conversation arrives (enqueue). p.mu is held.
func (p *Processor) parkLocked(id int64, l *lane, wait time.Duration) {
	if p.ctx.Err() != nil {
		p.dropLocked(id, l)
		return
	}
	l.parked = true
	l.parks++
	gen := l.parks
	l.stopTimer = p.clock().AfterFunc(wait, func() { p.wake(id, l, gen) })
}

// wake puts a parked lane back in line when its window has passed.
func (p *Processor) wake(id int64, l *lane, gen uint64) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.lanes[id] != l || !l.parked || l.parks != gen {
		return // woken earlier by an event, or dropped
	}
	l.parked, l.stopTimer = false, nil
	if p.ctx.Err() != nil {
		p.dropLocked(id, l)
		return
	}
	p.readyLocked(id)
}

// unparkLocked puts a parked lane back in line now: an event of its conversation arrived.
// p.mu is held.
func (p *Processor) unparkLocked(id int64, l *lane) {
	if !l.parked {
		return
	}
	if l.stopTimer != nil {
		l.stopTimer()
	}
	l.parked, l.stopTimer = false, nil
	p.readyLocked(id)
}

// dropParked forgets the parked lanes when the processor stops: their turns stay
// unhandled in the database for the next start.
func (p *Processor) dropParked() {
	p.mu.Lock()
	defer p.mu.Unlock()
	for id, l := range p.lanes {
		if !l.parked {
			continue
		}
		if l.stopTimer != nil {
			l.stopTimer()
		}
		l.parked, l.stopTimer = false, nil
		p.dropLocked(id, l)
	}
}

// logTurn notes a turn of several messages handled as one.
func (p *Processor) logTurn(ctx context.Context, evs []*store.Event) {
	if len(evs) > 1 && p.Logger.Enabled(ctx, slog.LevelDebug) {
		p.Logger.Debug("customer messages handled as one turn", slog.Int64("conversation_id", evs[0].ConversationID),
			slog.Int64("first_event_id", evs[0].ID), slog.Int64("last_event_id", evs[len(evs)-1].ID), slog.Int("messages", len(evs)))
	}
}
