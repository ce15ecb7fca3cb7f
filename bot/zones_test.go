package bot

import (
	"testing"
	"time"
	_ "time/tzdata" // the same zones on every machine
)

func TestZoneNamesAreRealZones(t *testing.T) {
	// every zone named is one the time zone database knows, legacy links included
	// (BOT_TIMEZONE=US/Eastern names the Eastern time as America/New_York does)
	for name := range zoneNames {
		if _, err := time.LoadLocation(name); err != nil {
			t.Errorf("%s: %v", name, err)
		}
	}
	for legacy, canonical := range map[string]string{"US/Eastern": "America/New_York", "Brazil/West": "America/Manaus",
		"Canada/Pacific": "America/Vancouver", "Mexico/General": "America/Mexico_City"} {
		if zoneNames[legacy] != zoneNames[canonical] {
			t.Errorf("%s is named %q, %s %q", legacy, zoneNames[legacy], canonical, zoneNames[canonical])
		}
	}
}
