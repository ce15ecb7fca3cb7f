package bot

import (
	"testing"
	"time"
)

// The agents' hours are said as a customer expects them in each language: days in a row
// with the same hours together, a break in the day, a day open all day, every day.
func TestHoursTextSaysTheScheduleInEachLanguage(t *testing.T) {
	b := &Bot{}
	for _, tc := range []struct {
		spec, lang, want string
	}{
		{"", "en", "at any time, every day"},
		{"mon-sun 24h", "es", "a cualquier hora, todos los días"},
		{"mon-fri 09:00-18:00; sat 09:00-13:00", "en", "Monday to Friday, 9 AM to 6 PM and on Saturdays, 9 AM to 1 PM"},
		{"mon-fri 09:00-14:00 15:30-19:00", "es", "de lunes a viernes, de 9:00 a 14:00 y de 15:30 a 19:00"},
		{"mon-fri 09:00-18:00; sat 09:00-12:00; sun 24h", "pt", "de segunda a sexta, das 9h às 18h; aos sábados, das 9h às 12h e aos domingos, o dia todo"},
		{"mon-sun 08:30-20:00", "pt", "todos os dias, das 8h30 às 20h"},
		{"mon,wed 10:00-16:00", "en", "on Mondays, 10 AM to 4 PM and on Wednesdays, 10 AM to 4 PM"},
	} {
		t.Run(tc.lang+"/"+tc.spec, func(t *testing.T) {
			var s *Schedule
			if tc.spec != "" {
				var err error
				if s, err = ParseSchedule(tc.spec, time.UTC); err != nil {
					t.Fatal(err)
				}
			}
			if got := b.hoursText(tc.lang, s); got != tc.want {
				t.Fatalf("hoursText=%q, want %q", got, tc.want)
			}
		})
	}
}

// When the agents are back is said with its day, and a time before 6 in the morning as the
// small hours: a bare 24-hour "3:00" reads as the afternoon to many.
func TestWhenTextSaysTheSmallHours(t *testing.T) {
	b := &Bot{}
	now := time.Date(2026, 12, 7, 22, 0, 0, 0, time.UTC) // a Monday night
	for _, tc := range []struct {
		lang string
		at   time.Time
		want string
	}{
		{"es", time.Date(2026, 12, 12, 3, 0, 0, 0, time.UTC), "el sábado a las 3:00 de la madrugada"},
		{"pt", time.Date(2026, 12, 12, 3, 0, 0, 0, time.UTC), "no sábado às 3h da madrugada"},
		{"pt-PT", time.Date(2026, 12, 8, 5, 30, 0, 0, time.UTC), "amanhã às 5h30 da madrugada"},
		{"en", time.Date(2026, 12, 8, 3, 0, 0, 0, time.UTC), "tomorrow at 3 AM"},
		{"es", time.Date(2026, 12, 8, 9, 0, 0, 0, time.UTC), "mañana a las 9:00"},
		{"pt", time.Date(2026, 12, 8, 6, 0, 0, 0, time.UTC), "amanhã às 6h"},
	} {
		if got := b.whenText(tc.lang, tc.at, now); got != tc.want {
			t.Errorf("%s %s: whenText=%q, want %q", tc.lang, tc.at.Format("Mon 15:04"), got, tc.want)
		}
	}
}
