package bot

// msgProblemAsked asks what the problem is (content.yaml).
const msgProblemAsked msgKey = "problem_asked"

// problemUntoldRule answers "tengo un problema", "hi, I have an issue", "tô com um
// problema": a problem told and nothing of what it is. What it is, asked, with what the
// bot can do for the connection and the agent for anything else, on the menu's buttons;
// never a topic's answer (the classifier hears an area outage in "problema") nor a request
// for a person read into it. Where a question is open on something else (the serial, the
// confirmation, the handoff's questions), or an update runs or was tried all it may be,
// the other rules answer.
var problemUntoldRule = rule{"problem_untold", func(t *turn) bool {
	switch t.c.State {
	case StateIdle, StateMainMenu, StateAnythingElse:
	default:
		return false
	}
	return t.r.ProblemUntold && !t.r.Question && !t.r.Tapped && !t.c.Waiting && !t.b.retriesSpent(t.c)
}, func(t *turn) []Action {
	t.c.Misunderstood = 0
	m := t.b.mainMenu(t.c)
	m.Text = t.text(msgProblemAsked)
	return []Action{m}
}}
