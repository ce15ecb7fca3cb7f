package bot

// Texts of what a turn says beside a request: a question about an update already done,
// a sentence left unfinished, a grievance. The texts are in content.yaml.

const (
	msgInternetAfterUpdate msgKey = "internet_after_update"
	msgGoOn                msgKey = "go_on"
	msgSorryFrustratedMore msgKey = "sorry_frustrated_more"
	msgCalledOffSorry      msgKey = "called_off_sorry"
	// Thanks beside a question: "You're welcome!" leads the answer; a question not
	// understood gets the thanks taken and the question owned up to.
	msgWelcome      msgKey = "welcome"
	msgMenuDeclined msgKey = "menu_declined"
	// "Please" alone at the menu: what they need, asked again in other words.
	msgMenuPolite            msgKey = "menu_polite"
	msgNotStartedYet         msgKey = "not_started_yet"
	msgThanksQuestionUnclear msgKey = "thanks_question_unclear"
	// "so it should be faster now?" after an update that worked: what it usually does,
	// and what to do if it does not.
	msgUpdatedShouldHelp msgKey = "updated_should_help"
)

const (
	// "is it my fault?" after an update: what it does, or, with the trouble going on after
	// it, the agent; "will this happen again?" then: no promise, and the agent.
	msgNotYourFaultUpdated      msgKey = "not_your_fault_updated"
	msgNotYourFaultStillTrouble msgKey = "not_your_fault_still_trouble"
	msgComesBackStillTrouble    msgKey = "comes_back_still_trouble"
	// "3" to a menu of two buttons: which there are.
	msgNoSuchOptionTwo msgKey = "no_such_option_two"
	msgNoSuchOption    msgKey = "no_such_option"
)
