package bot

import (
	"fmt"
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

// whenText says when t is, from now, in lang: "today at 09:00", "on Monday at 09:00".
func (b *Bot) whenText(lang string, at, now time.Time) string {
	if at.IsZero() {
		return b.t(lang, msgSoon)
	}
	lt, ln := at, now.In(at.Location())
	clock := lt.Format("15:04")
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
