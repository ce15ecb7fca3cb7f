package bot_test

import (
	"strings"
	"testing"
	"time"

	"github.com/cwbot/cwbot/bot"
)

func TestSchedule(t *testing.T) {
	loc, err := time.LoadLocation("America/Sao_Paulo")
	if err != nil {
		t.Skip("no time zone database")
	}
	s, err := bot.ParseSchedule("mon-fri 09:00-18:00; sat 09:00-13:00", loc)
	if err != nil {
		t.Fatal(err)
	}
	at := func(d, h, m int) time.Time { return time.Date(2026, 11, d, h, m, 0, 0, loc) } // 2026-11-16 is a Monday
	for _, tc := range []struct {
		name string
		t    time.Time
		open bool
		next time.Time
	}{
		{"MondayMorning", at(16, 10, 0), true, at(17, 9, 0)},
		{"MondayBeforeOpening", at(16, 8, 59), false, at(16, 9, 0)},
		{"MondayClosing", at(16, 18, 0), false, at(17, 9, 0)},
		{"FridayNight", at(20, 22, 0), false, at(21, 9, 0)},
		{"SaturdayAfternoon", at(21, 14, 0), false, at(23, 9, 0)},
		{"Sunday", at(22, 12, 0), false, at(23, 9, 0)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := s.OpenAt(tc.t); got != tc.open {
				t.Fatalf("OpenAt=%v, want %v", got, tc.open)
			}
			if got := s.NextOpening(tc.t); !got.Equal(tc.next) {
				t.Fatalf("NextOpening=%v, want %v", got, tc.next)
			}
		})
	}
	t.Run("OtherZone", func(t *testing.T) {
		// 12:00 UTC on a Monday is 09:00 in São Paulo: open.
		if !s.OpenAt(time.Date(2026, 11, 16, 12, 0, 0, 0, time.UTC)) {
			t.Fatal("want open at 12:00 UTC")
		}
	})
	t.Run("NilAlwaysOpen", func(t *testing.T) {
		var none *bot.Schedule
		if !none.OpenAt(time.Now()) {
			t.Fatal("a nil schedule must be open")
		}
	})
	for _, bad := range []string{"mon", "funday 09:00-10:00", "mon 9-10", "mon 18:00-09:00", "mon 25:00-26:00"} {
		if _, err := bot.ParseSchedule(bad, time.UTC); err == nil {
			t.Errorf("ParseSchedule(%q): want an error", bad)
		}
	}
	t.Run("CommaBetweenGroupsSaysSemicolon", func(t *testing.T) {
		// the day groups' separator is ";": a comma before a second group says so
		_, err := bot.ParseSchedule("mon-fri 09:00-18:00, sat 09:00-13:00", time.UTC)
		if err == nil || !strings.Contains(err.Error(), `separate each group of days with ";"`) {
			t.Fatalf("err = %v, want the separator named", err)
		}
	})
}
