package bot

// Texts that keep the update's confirmation open, and say something new, when the customer
// asks something else, asks again or puts it off: the question again in short, the answer
// to what they asked, and plainly that the update was not done when they leave before it.
// The texts are in content.yaml.
const (
	// the confirmation asked again in short, after a side question's answer
	msgConfirmUpdateAgain  msgKey = "confirm_update_again"
	msgConfirmRestartAgain msgKey = "confirm_restart_again"
	// a second question in a row at the confirmation ("?", then "e agora?"): what to tap
	msgConfirmTapYes msgKey = "confirm_tap_yes"
	// "hang on, will it cut his call off?": what the update cuts, and that the bot waits
	msgUpdateLaterMeaning msgKey = "update_later_meaning"
	// a second "not now" in a row: not the same sentence again
	msgUpdateLaterAgain msgKey = "update_later_again"
	// a goodbye at the confirmation: the router was not updated
	msgByeNotUpdated msgKey = "bye_not_updated"
	// "I typed it wrong" at the confirmation of a typed serial
	msgSerialRetype msgKey = "serial_retype"
	// a complaint from a customer who restarted the router already, to no avail
	msgRestartedNotUpdate msgKey = "restarted_not_update"
	// the trouble told a second time in a row ("el internet", then "lento")
	msgConnectionTroubleMore msgKey = "connection_trouble_more"
)
