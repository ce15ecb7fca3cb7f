package main

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/cwbot/cwbot/chatwoot/chatwoottest"
)

// BOT_TURN_WINDOW: 2s by default, 0 switches it off, and serve's processor gets it.
func TestTurnWindowConfig(t *testing.T) {
	if got := DefaultConfig().TurnWindow; got != 2*time.Second {
		t.Fatalf("BOT_TURN_WINDOW's default: %v, want 2s", got)
	}
	for _, tc := range []struct {
		value string
		want  time.Duration
	}{{"0", 0}, {"1500ms", 1500 * time.Millisecond}} {
		serveEnv(t, "http://chat.example.com", map[string]string{"BOT_TURN_WINDOW": tc.value})
		cfg, err := LoadConfig()
		if err == nil {
			err = cfg.ValidateServe()
		}
		if err != nil {
			t.Fatalf("BOT_TURN_WINDOW=%s: %v", tc.value, err)
		}
		cw := chatwoottest.NewServer(t, nil)
		cfg.ChatwootURL = cw.URL
		app, err := NewApp(context.Background(), cfg, testLogger(t))
		if err != nil {
			t.Fatal(err)
		}
		got := app.Processor.TurnWindow
		app.Close()
		if got != tc.want {
			t.Errorf("BOT_TURN_WINDOW=%s: the processor's window is %v, want %v", tc.value, got, tc.want)
		}
	}
	for _, bad := range []string{"-1s", "1m"} {
		serveEnv(t, "http://chat.example.com", map[string]string{"BOT_TURN_WINDOW": bad})
		cfg, err := LoadConfig()
		if err == nil {
			err = cfg.ValidateServe()
		}
		if err == nil || !strings.Contains(err.Error(), "BOT_TURN_WINDOW") {
			t.Errorf("BOT_TURN_WINDOW=%s: error %v, want one naming the variable", bad, err)
		}
	}
}

// The piped shell answers each line even with a window set: each line waits for the bot
// to be quiet, held turn included, before the next is sent.
func TestShellTurnWindowPiped(t *testing.T) {
	lines := shellRun(t, "hi\nupdate my router\n", "--turn-window", "100ms")
	shellExpect(t, lines,
		"you> hi",
		"bot> Hi You!",
		"you> update my router",
		"bot> I'll update the software of router ZX-9900-AB12",
	)
}

func TestShellTurnWindowFlag(t *testing.T) {
	for _, bad := range []string{"-1s", "1h"} {
		err := runShell(context.Background(), []string{"--turn-window", bad}, strings.NewReader(""), &strings.Builder{}, &strings.Builder{})
		if err == nil || exitCode(err) != 2 || !strings.Contains(err.Error(), "--turn-window") {
			t.Errorf("--turn-window %s: %v (exit code %d), want a usage error naming the flag", bad, err, exitCode(err))
		}
	}
}
