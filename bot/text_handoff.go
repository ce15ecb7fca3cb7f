package bot

// Texts of the handoff that tell the customer what becomes of what they said: passed on to
// the agent, or the handoff called off for the update. The texts are in content.yaml.
const (
	msgHandoffNoted     msgKey = "handoff_noted"
	msgWaitingNoted     msgKey = "waiting_noted"
	msgHandoffCalledOff msgKey = "handoff_called_off"
	// msgIntakeTopicInstead leads the answer to a question asked instead of the intake's answer.
	msgIntakeTopicInstead msgKey = "intake_topic_instead"
	// "antes disso da pra vc mesmo reiniciar?" at the intake: the update first, the agent
	// still there after it.
	msgUpdateBeforeAgent msgKey = "update_before_agent"
	// The handoff, or the line, after a failed update the bot did not ask about: the agent
	// has what happened.
	msgHandoffFailureNoted msgKey = "handoff_failure_noted"
	msgWaitingFailureNoted msgKey = "waiting_failure_noted"
	msgLineNoted           msgKey = "line_noted"
	msgLineNotedUpdate     msgKey = "line_noted_update"
	msgByeInLine           msgKey = "bye_in_line"
	msgAckInLine           msgKey = "ack_in_line"
	msgByeInLineUntil      msgKey = "bye_in_line_until"
	// "why do you need that?" to an intake question: why it is asked.
	msgIntakeWhy msgKey = "intake_why"
	// msgIntakeExample answers "what do you need to know?" at the intake.
	msgIntakeExample msgKey = "intake_example"
	// msgIntakeWait and msgIntakeWaitUntil answer "how long until someone answers?" at
	// the intake, with the agents there or away until {when}.
	msgIntakeWait      msgKey = "intake_wait"
	msgIntakeWaitUntil msgKey = "intake_wait_until"
	// msgOfferWaitSoon and msgOfferWaitUntil answer it at "wait or keep chatting?".
	msgOfferWaitSoon  msgKey = "offer_wait_soon"
	msgOfferWaitUntil msgKey = "offer_wait_until"
	// The wait for an agent offered again, after a question answered in between.
	msgWaitAsk      msgKey = "wait_ask"
	msgWaitAskUntil msgKey = "wait_ask_until"
	// A thanks or a goodbye at "wait or keep chatting?", the choice not made: no agent
	// will write until they choose to wait.
	msgWaitNotYet      msgKey = "wait_not_yet"
	msgWaitNotYetUntil msgKey = "wait_not_yet_until"
	// Trouble told at "wait or keep chatting?": the update offered now, the line kept.
	msgOfferWaitTrouble      msgKey = "offer_wait_trouble"
	msgOfferWaitTroubleUntil msgKey = "offer_wait_trouble_until"
	// More of the same trouble told right after: taken in, the choice in fewer words.
	msgOfferWaitTroubleMore      msgKey = "offer_wait_trouble_more"
	msgOfferWaitTroubleMoreUntil msgKey = "offer_wait_trouble_more_until"
	// "hello? anyone there?" after the first message: the bot is here; in line, that
	// they still are, and when an agent writes ({when}: the agents are away now).
	msgStillHere            msgKey = "still_here"
	msgStillHereAgain       msgKey = "still_here_again"
	msgStillHereUpdated     msgKey = "still_here_updated"
	msgStillHereInLine      msgKey = "still_here_in_line"
	msgStillHereInLineUntil msgKey = "still_here_in_line_until"
	// Anger from a customer already in line ("sábado??? hj eh segunda", "this is a joke"):
	// sorry, their place is kept and when an agent writes; never a second offer of the
	// agent they wait for. Right after, in fewer words.
	msgLineSorry      msgKey = "line_sorry"
	msgLineSorryUntil msgKey = "line_sorry_until"
	msgLineSorryMore  msgKey = "line_sorry_more"
	// In line out of hours: when the agents are back, as the offer said (and, with the
	// customer's own words in the intake, that these are passed on).
	msgWaitingBack       msgKey = "waiting_back"
	msgWaitingNotedUntil msgKey = "waiting_noted_until"
	// A matter for the agent told in line ("moving on the 15th, need it shifted"): noted
	// for them, still in line ({when}: the agents are away now); more of it, in short.
	msgLineTopicNoted      msgKey = "line_topic_noted"
	msgLineTopicNotedUntil msgKey = "line_topic_noted_until"
	msgLineNotedToo        msgKey = "line_noted_too"
	// The matter told at "wait or keep chatting?": kept for the agent (the choice follows).
	msgWaitDetailNoted msgKey = "wait_detail_noted"
)
