package intents

import (
	"context"
	"regexp"
	"slices"
	"testing"
)

// The letter l in a group of digits is a one ("zx 9900 ab l2"), with the default pattern,
// a custom one and none; joined in the usual shape when there is one. A serial a
// character short of the shape is told (SerialShort), never with no shape.
func TestSerialOnesAndShort(t *testing.T) {
	custom := regexp.MustCompile(`^[A-Z]{2}-?[0-9]{4}-?[A-Z]{2}[0-9]{2}$`)
	for _, tc := range []struct {
		name    string
		pattern *regexp.Regexp
		shape   string
		text    string
		want    string
		ones    bool
		short   bool
	}{
		{"default, shape", DefaultSerialPattern, "AA-0000-AA00", "ya me mando la foto dice zx 9900 ab l2", "ZX-9900-AB12", true, false},
		{"default, no shape", DefaultSerialPattern, "", "dice zx 9900 ab l2", "ZX-9900-AB-12", true, false},
		{"none", nil, "", "dice zx 9900 ab l2", "ZX-9900-AB-12", true, false},
		{"custom", custom, "", "zx 9900 ab l2", "ZX9900AB12", true, false},
		{"digits typed", DefaultSerialPattern, "AA-0000-AA00", "zx 9900 ab 12", "ZX-9900-AB12", false, false},
		{"short, no dashes", DefaultSerialPattern, "AA-0000-AA00", "Ya estoy. Pone S/N: ZX9900AB1", "ZX9900AB1", false, true},
		{"short, dashes", DefaultSerialPattern, "AA-0000-AA00", "fine. zx-990-ab12", "ZX-990-AB12", false, true},
		{"short, none", nil, "AA-0000-AA00", "zx-990-ab12", "ZX-990-AB12", false, true},
		{"short, no shape", DefaultSerialPattern, "", "zx-990-ab12", "ZX-990-AB12", false, false},
		{"whole", DefaultSerialPattern, "AA-0000-AA00", "ZX-9900-AB12", "ZX-9900-AB12", false, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rd := Reader{SerialPattern: tc.pattern, SerialShape: tc.shape, ListsOnly: true}
			r := rd.Read(context.Background(), tc.text, Context{State: "ask_serial"})
			if !slices.Equal(r.Serials, []string{tc.want}) || r.SerialOnes != tc.ones || r.SerialShort != tc.short {
				t.Errorf("%q: serials %v, ones %v, short %v; want [%s], %v, %v", tc.text, r.Serials, r.SerialOnes, r.SerialShort, tc.want, tc.ones, tc.short)
			}
		})
	}
}
