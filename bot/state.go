package bot

// State is where the dialogue is: the question the bot has open, or, when none is, what
// the conversation is doing. Each customer message is read once and answered by the
// rules of its state (see dialogue.go).
type State string

// The dialogue's states. The last four are rest states: no question is open, and which
// one holds follows from the conversation (see Conversation.rest).
const (
	StateMainMenu      State = "main_menu"      // Update my router / Talk to an agent
	StateAskSerial     State = "ask_serial"     // the router's serial number, typed
	StateConfirmUpdate State = "confirm_update" // Yes, update it / No
	StateUpdateFailed  State = "update_failed"  // Try again / Talk to an agent / Cancel
	StateOfferAgent    State = "offer_agent"    // Talk to an agent / Keep chatting
	StateOfferWait     State = "offer_wait"     // Wait for an agent / Keep chatting
	StateIntake        State = "intake"         // an intake question, with Skip when skippable
	StateAnythingElse  State = "anything_else"  // "Anything else I can do for you?"

	StateIdle      State = "idle"       // nothing open, nothing running
	StateUpdating  State = "updating"   // a router update runs; nothing open
	StateInLine    State = "in_line"    // waiting for an agent; nothing open
	StateWithAgent State = "with_agent" // a human has the conversation: the bot is silent
	// StateAgentLine: the bot handed the conversation to the agents (open) and none has
	// written yet: the customer waits for the agent they were handed to, and only a question
	// about the wait, or leaving the line, is answered (agent_line.go).
	StateAgentLine State = "agent_line"
)

// States lists every state, questions first.
var States = []State{
	StateMainMenu, StateAskSerial, StateConfirmUpdate, StateUpdateFailed, StateOfferAgent, StateOfferWait,
	StateIntake, StateAnythingElse, StateIdle, StateUpdating, StateInLine, StateWithAgent, StateAgentLine,
}

// resting reports a state in which no question is open.
func (s State) Resting() bool {
	switch s {
	case StateIdle, StateUpdating, StateInLine, StateWithAgent, StateAgentLine, "":
		return true
	}
	return false
}

// rest is the state of a conversation with no question open: handed to the agents and
// waiting for the first to write, with an agent, updating, in line, or idle. A running update comes before the line: what the customer asks then
// is mostly about the update.
func (c *Conversation) rest() State {
	switch {
	case c.waitsForAgent():
		return StateAgentLine
	case !c.BotOwns():
		return StateWithAgent
	case c.Update != nil && c.Update.Active:
		return StateUpdating
	case c.Waiting:
		return StateInLine
	}
	return StateIdle
}

// settle brings a rest state up to date with the conversation (an update ended, the
// customer left the line) and reads the dialogue of a conversation stored before states
// were explicit.
func (c *Conversation) settle() {
	if c.State == "" {
		c.State = legacyState(c.Menu, c.Awaiting)
		c.Awaiting = ""
		if c.Menu != nil {
			c.Menu.Kind = ""
		}
	}
	if c.State.Resting() {
		c.State = c.rest()
	}
}

// legacyState maps the menu kind and awaited answer of a conversation stored by an
// earlier version to its state.
func legacyState(m *Menu, awaiting string) State {
	switch awaiting {
	case "router_id":
		return StateAskSerial
	case "anything_else":
		return StateAnythingElse
	case "intake":
		return StateIntake
	}
	if m == nil {
		return ""
	}
	switch m.Kind {
	case "main":
		return StateMainMenu
	case "offer_agent":
		return StateOfferAgent
	case "confirm_update":
		return StateConfirmUpdate
	case "update_failed":
		return StateUpdateFailed
	case "handoff_wait":
		return StateOfferWait
	}
	return ""
}

// ask opens a question: the state and the buttons that answer it (none for a typed
// answer).
func (c *Conversation) ask(s State, items []Item) {
	c.State = s
	c.Menu = nil
	c.Interrupted = ""
	if len(items) > 0 {
		c.Menu = &Menu{Items: items}
	}
}

// closeQuestion leaves the open question: the conversation rests.
func (c *Conversation) closeQuestion() {
	c.Menu = nil
	c.Interrupted = ""
	c.BadAnswers = 0
	c.State = c.rest()
}
