package main

import (
	"net/http"
	"strings"
	"testing"

	"github.com/cwbot/cwbot/chatwoot/chatwoottest"
)

// Commit 238e4bc makes setup refuse --account N when BOT_ACCOUNT_ID names another account:
// "printing BOT_ACCOUNT_ID=2 beside BOT_INBOX_IDS of account 1 would leave account 1's
// inboxes connected to a bot that ignores them". The check only looks at BOT_ACCOUNT_ID.
// An environment that serves every account (BOT_ACCOUNT_ID unset, as deploy/env.example
// leaves it: "or nothing for every account") with BOT_INBOX_IDS=7 (an inbox of account 1)
// gets, from "cwbot setup --account 2 --inbox 9", BOT_ACCOUNT_ID=2 and BOT_INBOX_IDS=7,9
// without a word: the very mix the check was written to stop. Setup even lists account
// 2's inboxes now (otherInboxes) and can see that 7 is not one of them. Expected: refused
// (exit 2), or inbox 7 left out of the printed list, or a warning naming inbox 7.
func TestSetupOtherAccountWithoutBotAccountID(t *testing.T) {
	fake := chatwoottest.NewServer(t, &chatwoottest.Options{AccountID: 2, InboxID: 9, NoEcho: true})
	setupTestEnv(t, fake, "https://cwbot.example.com")
	t.Setenv("BOT_INBOX_IDS", "7") // account 1's inbox; BOT_ACCOUNT_ID unset
	r := runSetupCmd(t, "--account", "2", "--inbox", "9")
	if r.err != nil {
		if exitCode(r.err) != 2 {
			t.Fatalf("refused with %v (exit %d), want a usage error", r.err, exitCode(r.err))
		}
		return
	}
	if r.env["BOT_ACCOUNT_ID"] == "2" && strings.Contains(","+r.env["BOT_INBOX_IDS"]+",", ",7,") && !strings.Contains(r.stderr, "inbox 7") {
		t.Fatalf("setup printed BOT_ACCOUNT_ID=2 with BOT_INBOX_IDS=%s (inbox 7 is not in account 2) and no warning:\n%s",
			r.env["BOT_INBOX_IDS"], r.stderr)
	}
}

// Commit 238e4bc made setup keep, in the printed BOT_INBOX_IDS, every inbox the
// bot serves: "an env file that gets the list of this run alone would make the service
// ignore them". It ran only after a successful set_agent_bot. When the connection failed
// after --reset-secret issued a new secret, run prints the variables first ("keep the
// variables printed": the new secret is already the only valid one) with the list of this
// run alone. Appended to the env file, as the README has it, the restarted service takes
// the new secret and answers inbox 7's webhooks "ignored", while the bot stays connected
// there: inbox 7's customers get silence. The inboxes are now read before any change.
func TestSetupFailedAttachKeepsOtherInboxes(t *testing.T) {
	fake := chatwoottest.NewServer(t, &chatwoottest.Options{NoEcho: true})
	fake.SetInbox(chatwoottest.Inbox{ID: 9, Name: "WhatsApp Sales", Timezone: "UTC"})
	setupTestEnv(t, fake, "https://cwbot.example.com")
	if r := runSetupCmd(t, "--inbox", "7"); r.err != nil || r.env["BOT_INBOX_IDS"] != "7" {
		t.Fatalf("first run: %v %v", r.err, r.env)
	}
	fake.FailPath("/set_agent_bot", 1, http.StatusInternalServerError)
	r := runSetupCmd(t, "--inbox", "9", "--reset-secret")
	if r.err == nil {
		t.Fatal("the failing set_agent_bot was not reported")
	}
	if r.env["CHATWOOT_WEBHOOK_SECRET"] == "" {
		t.Fatalf("the new secret was not printed:\n%s", r.stdout)
	}
	if b7 := inboxBot(t, fake, 7); b7 == nil {
		t.Fatal("inbox 7 lost its bot")
	}
	if !strings.Contains(","+r.env["BOT_INBOX_IDS"]+",", ",7,") && !strings.Contains(r.stderr, "inbox 7") {
		t.Fatalf("printed BOT_INBOX_IDS=%s with the new secret, while the bot still serves inbox 7, and said nothing of it", r.env["BOT_INBOX_IDS"])
	}
}
