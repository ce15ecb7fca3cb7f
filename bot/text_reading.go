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
	msgWelcome               msgKey = "welcome"
	msgMenuDeclined          msgKey = "menu_declined"
	msgThanksQuestionUnclear msgKey = "thanks_question_unclear"
	// "so it should be faster now?" after an update that worked: what it usually does,
	// and what to do if it does not.
	msgUpdatedShouldHelp msgKey = "updated_should_help"
)
