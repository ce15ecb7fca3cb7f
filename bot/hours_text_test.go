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
