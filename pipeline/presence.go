package pipeline

import (
	"context"
	"fmt"
	"sync"
	"time"

	"github.com/cwbot/cwbot/bot"
	"github.com/cwbot/cwbot/chatwoot"
)

// Presence answers whether agents can take a conversation. With a user token it reads the
// inbox's working hours and time zone and the inbox members' availability from Chatwoot,
// cached; without one it uses the configured schedule (BOT_BUSINESS_HOURS) and counts
// unknown presence as present. Neither: always open.
type Presence struct {
	Client *chatwoot.Client
	// UserToken tells whether Client may read inboxes and agents.
	UserToken bool
	// Schedule is the fallback schedule; nil means always open.
	Schedule *bot.Schedule
	// HoursTTL and AgentsTTL bound how stale the cached answers may be.
	HoursTTL, AgentsTTL time.Duration

	hours  ttlCache[*bot.Schedule]
	online ttlCache[bool]
}

// ttlCache keeps answers of Chatwoot's API for a while, by account and inbox or team.
type ttlCache[V any] struct {
	mu sync.Mutex
	m  map[[2]int64]cached[V]
}

type cached[V any] struct {
	v  V
	at time.Time
}

func (c *ttlCache[V]) get(key [2]int64, now time.Time, ttl time.Duration) (V, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.m[key]
	if !ok || now.Sub(e.at) >= ttl {
		var zero V
		return zero, false
	}
	return e.v, true
}

func (c *ttlCache[V]) put(key [2]int64, v V, now time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.m == nil {
		c.m = map[[2]int64]cached[V]{}
	}
	c.m[key] = cached[V]{v: v, at: now}
}

var _ bot.Presence = (*Presence)(nil)

// Availability implements bot.Presence.
func (p *Presence) Availability(ctx context.Context, accountID, inboxID, teamID int64, now time.Time) (bot.Availability, error) {
	sched, err := p.schedule(ctx, accountID, inboxID, now)
	if err != nil {
		return bot.Availability{}, err
	}
	av := bot.Availability{Open: sched.OpenAt(now), Online: true, Hours: sched}
	if !av.Open {
		av.NextOpening = sched.NextOpening(now)
		return av, nil
	}
	if av.Online, err = p.anyoneOnline(ctx, accountID, inboxID, teamID, now); err != nil {
		return bot.Availability{}, err
	}
	return av, nil
}

func (p *Presence) schedule(ctx context.Context, accountID, inboxID int64, now time.Time) (*bot.Schedule, error) {
	if !p.UserToken || inboxID == 0 {
		return p.Schedule, nil
	}
	key := [2]int64{accountID, inboxID}
	ttl := p.HoursTTL
	if ttl <= 0 {
		ttl = 5 * time.Minute
	}
	if s, ok := p.hours.get(key, now, ttl); ok {
		return s, nil
	}
	in, err := p.Client.GetInbox(ctx, accountID, inboxID)
	if err != nil {
		return nil, fmt.Errorf("presence: inbox %d working hours: %w", inboxID, err)
	}
	s, err := ScheduleFromInbox(in)
	if err != nil {
		return nil, err
	}
	p.hours.put(key, s, now)
	return s, nil
}

// ScheduleFromInbox turns Chatwoot's working hours into a schedule; nil when the inbox does
// not use working hours (always open).
func ScheduleFromInbox(in *chatwoot.Inbox) (*bot.Schedule, error) {
	if !in.WorkingHoursEnabled {
		return nil, nil
	}
	loc := time.UTC
	if in.Timezone != "" {
		l, err := time.LoadLocation(in.Timezone)
		if err != nil {
			return nil, fmt.Errorf("presence: inbox %d time zone %q: %w", in.ID, in.Timezone, err)
		}
		loc = l
	}
	s := &bot.Schedule{Loc: loc}
	for _, wh := range in.WorkingHours {
		if wh.DayOfWeek < 0 || wh.DayOfWeek > 6 || wh.ClosedAllDay {
			continue
		}
		sp := bot.Span{Start: wh.OpenHour*60 + wh.OpenMinutes, End: wh.CloseHour*60 + wh.CloseMinutes}
		if wh.OpenAllDay {
			sp = bot.Span{Start: 0, End: 24 * 60}
		}
		if sp.End > sp.Start {
			s.Days[wh.DayOfWeek] = append(s.Days[wh.DayOfWeek], sp)
		}
	}
	return s, nil
}

// anyoneOnline asks whether an agent of the handoff team (or, with no team, of the inbox)
// is online.
func (p *Presence) anyoneOnline(ctx context.Context, accountID, inboxID, teamID int64, now time.Time) (bool, error) {
	if !p.UserToken {
		return true, nil
	}
	key := [2]int64{accountID, inboxID}
	if teamID != 0 {
		key = [2]int64{accountID, -teamID}
	}
	ttl := p.AgentsTTL
	if ttl <= 0 {
		ttl = 30 * time.Second
	}
	if online, ok := p.online.get(key, now, ttl); ok {
		return online, nil
	}
	var agents []chatwoot.Agent
	var err error
	switch {
	case teamID != 0:
		agents, err = p.Client.ListTeamMembers(ctx, accountID, teamID)
	case inboxID != 0:
		agents, err = p.Client.ListInboxMembers(ctx, accountID, inboxID)
	}
	if teamID == 0 && inboxID == 0 || err != nil {
		if agents, err = p.Client.ListAgents(ctx, accountID); err != nil {
			return false, fmt.Errorf("presence: agents: %w", err)
		}
	}
	online := false
	for _, a := range agents {
		if a.AvailabilityStatus == "online" {
			online = true
			break
		}
	}
	p.online.put(key, online, now)
	return online, nil
}
