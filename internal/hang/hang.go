// Package hang tells tests how long to wait for something that must happen before they
// call it a hang.
package hang

import (
	"flag"
	"time"
)

// Guard is how long a test waits before it calls a wait a hang: at least min, or a sixth
// of the test binary's own deadline (go test -timeout) when that is longer. It is no
// measure of speed: a loaded machine may take many times longer than an idle one (a load
// of 18 on 2 cores took over a minute to start a child), and the deadline stays the
// backstop for a real hang. Call it in TestMain, after flag.Parse.
func Guard(min time.Duration) time.Duration {
	if f := flag.Lookup("test.timeout"); f != nil {
		if d, ok := f.Value.(flag.Getter).Get().(time.Duration); ok && d/6 > min {
			return d / 6
		}
	}
	return min
}
