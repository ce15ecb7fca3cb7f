package bot

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Schedule is when agents work, in the business's time zone. A nil Schedule is always open.
type Schedule struct {
	Loc  *time.Location
	Days [7][]Span // by time.Weekday
}

// Span is an opening within one day, in minutes after midnight; End 1440 is midnight.
type Span struct{ Start, End int }

var dayNames = map[string]time.Weekday{"sun": 0, "mon": 1, "tue": 2, "wed": 3, "thu": 4, "fri": 5, "sat": 6}

// ParseSchedule reads BOT_BUSINESS_HOURS, such as "mon-fri 09:00-18:00; sat 09:00-13:00".
// Days not named are closed. "24h" opens a whole day: "sun 24h".
func ParseSchedule(spec string, loc *time.Location) (*Schedule, error) {
	if loc == nil {
		loc = time.UTC
	}
	s := &Schedule{Loc: loc}
	for _, part := range strings.Split(spec, ";") {
		part = strings.TrimSpace(strings.ToLower(part))
		if part == "" {
			continue
		}
		f := strings.Fields(part)
		if len(f) < 2 {
			return nil, fmt.Errorf("business hours %q: want days and hours, such as \"mon-fri 09:00-18:00\"", part)
		}
		days, err := parseDays(f[0])
		if err != nil {
			return nil, fmt.Errorf("business hours %q: %w", part, err)
		}
		for _, h := range f[1:] {
			h = strings.TrimSuffix(h, ",")
			var sp Span
			if h == "24h" {
				sp = Span{0, 24 * 60}
			} else if sp, err = parseSpan(h); err != nil {
				if _, err := parseDays(h); err == nil {
					// "mon-fri 09:00-18:00, sat 09:00-13:00": a second group of days
					return nil, fmt.Errorf("business hours %q: %q is a day: separate each group of days with \";\", such as \"mon-fri 09:00-18:00; sat 09:00-13:00\"", part, h)
				}
				return nil, fmt.Errorf("business hours %q: %w", part, err)
			}
			for _, d := range days {
				s.Days[d] = append(s.Days[d], sp)
			}
		}
	}
	return s, nil
}

func parseDays(s string) ([]time.Weekday, error) {
	var out []time.Weekday
	for _, r := range strings.Split(s, ",") {
		from, to, isRange := strings.Cut(r, "-")
		a, ok := dayNames[from]
		if !ok {
			return nil, fmt.Errorf("unknown day %q (use mon, tue, wed, thu, fri, sat, sun)", from)
		}
		if !isRange {
			out = append(out, a)
			continue
		}
		b, ok := dayNames[to]
		if !ok {
			return nil, fmt.Errorf("unknown day %q (use mon, tue, wed, thu, fri, sat, sun)", to)
		}
		for d := a; ; d = (d + 1) % 7 {
			out = append(out, d)
			if d == b {
				break
			}
		}
	}
	return out, nil
}

func parseSpan(s string) (Span, error) {
	from, to, ok := strings.Cut(s, "-")
	if !ok {
		return Span{}, fmt.Errorf("hours %q: want HH:MM-HH:MM", s)
	}
	a, err := parseClock(from)
	if err != nil {
		return Span{}, err
	}
	b, err := parseClock(to)
	if err != nil {
		return Span{}, err
	}
	if b <= a {
		return Span{}, fmt.Errorf("hours %q: closing must come after opening", s)
	}
	return Span{a, b}, nil
}

func parseClock(s string) (int, error) {
	hh, mm, ok := strings.Cut(s, ":")
	h, err1 := strconv.Atoi(hh)
	m, err2 := strconv.Atoi(mm)
	if !ok || err1 != nil || err2 != nil || h < 0 || h > 24 || m < 0 || m > 59 || h*60+m > 24*60 {
		return 0, fmt.Errorf("time %q: want HH:MM", s)
	}
	return h*60 + m, nil
}

// OpenAt reports whether t falls in an opening.
func (s *Schedule) OpenAt(t time.Time) bool {
	if s == nil {
		return true
	}
	lt := t.In(s.Loc)
	m := lt.Hour()*60 + lt.Minute()
	for _, sp := range s.Days[lt.Weekday()] {
		if m >= sp.Start && m < sp.End {
			return true
		}
	}
	return false
}

// NextOpening is the start of the first opening after t; zero when the schedule never opens.
func (s *Schedule) NextOpening(t time.Time) time.Time {
	if s == nil {
		return time.Time{}
	}
	lt := t.In(s.Loc)
	day := time.Date(lt.Year(), lt.Month(), lt.Day(), 0, 0, 0, 0, s.Loc)
	for i := 0; i < 8; i++ {
		d := day.AddDate(0, 0, i)
		for _, sp := range s.Days[d.Weekday()] {
			// From the wall clock, not midnight plus minutes: on the days clocks change,
			// 09:00 is not 9 hours after midnight.
			start := time.Date(d.Year(), d.Month(), d.Day(), sp.Start/60, sp.Start%60, 0, 0, s.Loc)
			if start.After(t) {
				return start
			}
		}
	}
	return time.Time{}
}

// weekdays are the texts of the days, by time.Weekday, as said in "back on Monday at 09:00".
var weekdays = [7]msgKey{msgOnSunday, msgOnMonday, msgOnTuesday, msgOnWednesday, msgOnThursday, msgOnFriday, msgOnSaturday}

// whenText says when t is, from now, in lang: "today at 9:00", "segunda-feira às 9h".
func (b *Bot) whenText(lang string, at, now time.Time) string { return b.whenIn(lang, at, now, false) }

// whenIn is whenText, the zone named with the time when named is set and the zone's
// country has several (zones.go).
func (b *Bot) whenIn(lang string, at, now time.Time, named bool) string {
	if at.IsZero() {
		return b.t(lang, msgSoon)
	}
	if b.Zone != nil {
		at = at.In(b.Zone) // the business's clock, whatever clock at came in (the hourly limit's is now's)
	}
	lt, ln := at, now.In(at.Location())
	clock := b.clockText(lang, lt.Hour()*60+lt.Minute())
	if lt.Hour() < 6 {
		clock = b.tf(lang, msgSmallHours, "time", clock) // "el sábado a las 3:00" read as 3 p.m.
	}
	if named {
		clock = b.zoned(lang, clock, lt)
	}
	switch {
	case sameDay(lt, ln):
		return b.tf(lang, msgTodayAt, "time", clock)
	case sameDay(lt, ln.AddDate(0, 0, 1)):
		return b.tf(lang, msgTomorrowAt, "time", clock)
	}
	return b.tf(lang, msgDayAt, "day", b.t(lang, weekdays[lt.Weekday()]), "time", clock)
}

func sameDay(a, b time.Time) bool {
	ay, am, ad := a.Date()
	by, bm, bd := b.Date()
	return ay == by && am == bm && ad == bd
}

// The days as said in a range ("Monday to Friday") and alone, recurring ("on Saturdays"),
// by time.Weekday.
var (
	dayNames7     = [7]msgKey{msgDaySunday, msgDayMonday, msgDayTuesday, msgDayWednesday, msgDayThursday, msgDayFriday, msgDaySaturday}
	recurringDays = [7]msgKey{msgOnSundays, msgOnMondays, msgOnTuesdays, msgOnWednesdays, msgOnThursdays, msgOnFridays, msgOnSaturdays}
)

// hoursText says when agents work, in lang, as a customer expects it: "Monday to Friday,
// 9:00 to 18:00 and on Saturdays, 9:00 to 13:00". Days in a row with the same hours go
// together, the week starting on Monday. A nil schedule is always open; so, for want of
// anything truer to say, is one that never opens.
func (b *Bot) hoursText(lang string, s *Schedule) string {
	if s == nil {
		return b.t(lang, msgHoursAlways)
	}
	type days struct {
		first, last time.Weekday
		n           int
		spans       []Span
	}
	var groups []days
	for _, d := range []time.Weekday{time.Monday, time.Tuesday, time.Wednesday, time.Thursday, time.Friday, time.Saturday, time.Sunday} {
		spans := s.Days[d]
		if len(spans) == 0 {
			continue
		}
		if n := len(groups); n > 0 && (groups[n-1].last+1)%7 == d && slices.Equal(groups[n-1].spans, spans) {
			groups[n-1].last = d
			groups[n-1].n++
			continue
		}
		groups = append(groups, days{first: d, last: d, n: 1, spans: spans})
	}
	if len(groups) == 0 {
		return b.t(lang, msgHoursAlways)
	}
	allDay := func(spans []Span) bool { return len(spans) == 1 && spans[0] == Span{0, 24 * 60} }
	var parts []string
	for _, g := range groups {
		var when string
		switch {
		case g.n == 7 && allDay(g.spans):
			return b.t(lang, msgHoursAlways)
		case g.n == 7:
			when = b.t(lang, msgHoursEveryDay)
		case g.n == 1:
			when = b.t(lang, recurringDays[g.first])
		default:
			when = b.tf(lang, msgHoursDays, "first", b.t(lang, dayNames7[g.first]), "last", b.t(lang, dayNames7[g.last]))
		}
		times := b.t(lang, msgHoursAllDay)
		if !allDay(g.spans) {
			var spans []string
			for _, sp := range g.spans {
				spans = append(spans, b.tf(lang, msgHoursTimes, "from", b.clockText(lang, sp.Start), "to", b.clockText(lang, sp.End)))
			}
			times = b.andText(lang, spans)
		}
		parts = append(parts, b.tf(lang, msgHoursWhen, "days", when, "times", times))
	}
	return b.andText(lang, parts)
}

// clockText says a time of day, minutes after midnight, in lang, as the catalog's clock
// texts write it: on a 24-hour clock ("9:00", "13h30", and "00:47" after midnight, never
// "0:47") with {hour}, or on a 12-hour one ("9 AM", "4:21 PM") with {hour12} and {ampm}.
func (b *Bot) clockText(lang string, minutes int) string {
	h24, m := minutes/60, minutes%60
	h := strconv.Itoa(h24)
	if h24 == 0 {
		h = "00"
	}
	h12, ampm := h24%12, b.t(lang, msgAM)
	if h12 == 0 {
		h12 = 12
	}
	if h24 >= 12 {
		ampm = b.t(lang, msgPM)
	}
	args := []string{"hour", h, "hour12", strconv.Itoa(h12), "ampm", ampm}
	if m == 0 {
		return b.tf(lang, msgClockOnTheHour, args...)
	}
	return b.tf(lang, msgClock, append(args, "minute", fmt.Sprintf("%02d", m))...)
}

// andText joins items in lang: "a", "a and b", "a; b and c".
func (b *Bot) andText(lang string, items []string) string {
	if len(items) < 2 {
		return strings.Join(items, "")
	}
	return b.tf(lang, msgHoursAnd, "list", strings.Join(items[:len(items)-1], "; "), "last", items[len(items)-1])
}
