package bot

// The keys of the content catalog (content.yaml), which holds the texts in every language.
// A key whose name has "button" in it is a button title.

// defaultLanguage is the language of a conversation that tells none, and the fallback of a
// text missing in a language.
const defaultLanguage = "en"

type msgKey string

const (
	msgHello                msgKey = "hello"
	msgHelloName            msgKey = "hello_name"
	msgGreeting             msgKey = "greeting"
	msgMenuPrompt           msgKey = "menu_prompt"
	msgNotUnderstood        msgKey = "not_understood"
	msgLanguageSwitched     msgKey = "language_switched"
	msgSerialHint           msgKey = "serial_hint"
	msgConnectionTrouble    msgKey = "connection_trouble"
	msgStillTrouble         msgKey = "still_trouble"
	msgDropExpected         msgKey = "drop_expected"
	msgWaitingUntil         msgKey = "waiting_until"
	msgOfferAgent           msgKey = "offer_agent"
	msgThanks               msgKey = "thanks"
	msgHelp                 msgKey = "help"
	msgHandoff              msgKey = "handoff"
	msgBackWithBot          msgKey = "back_with_bot"
	msgNothingToCancel      msgKey = "nothing_to_cancel"
	msgCancelled            msgKey = "cancelled"
	msgHandoffFailed        msgKey = "handoff_failed"
	msgSlowDown             msgKey = "slow_down"
	msgTooManyUpdates       msgKey = "too_many_updates"
	msgAlreadyWaiting       msgKey = "already_waiting"
	msgClosedOpenAnyway     msgKey = "closed_open_anyway"
	msgNobodyOnline         msgKey = "nobody_online"
	msgClosed               msgKey = "closed"
	msgWaiting              msgKey = "waiting"
	msgAgentAvailable       msgKey = "agent_available"
	msgSoon                 msgKey = "soon"
	msgTodayAt              msgKey = "today_at"
	msgTomorrowAt           msgKey = "tomorrow_at"
	msgDayAt                msgKey = "day_at"
	msgOnSunday             msgKey = "on_sunday"
	msgOnMonday             msgKey = "on_monday"
	msgOnTuesday            msgKey = "on_tuesday"
	msgOnWednesday          msgKey = "on_wednesday"
	msgOnThursday           msgKey = "on_thursday"
	msgOnFriday             msgKey = "on_friday"
	msgOnSaturday           msgKey = "on_saturday"
	btnWait                 msgKey = "button_wait"
	btnSkip                 msgKey = "button_skip"
	msgUpdateDeclined       msgKey = "update_declined"
	msgUpdateAlreadyRunning msgKey = "update_already_running"
	msgAskSerial            msgKey = "ask_serial"
	msgBadSerial            msgKey = "bad_serial"
	msgConfirmUpdate        msgKey = "confirm_update"
	msgUpdateStarted        msgKey = "update_started"
	msgNoMoreRetries        msgKey = "no_more_retries"
	msgUpdateAt             msgKey = "update_at"
	msgGoodbye              msgKey = "goodbye"
	msgLeftLine             msgKey = "left_line"
	msgBusyOpenAnyway       msgKey = "busy_open_anyway"
	msgUpdateInProgress     msgKey = "update_in_progress"
	msgUpdateRunningNoStep  msgKey = "update_running_no_step"
	msgLastUpdateOK         msgKey = "last_update_ok"
	msgLastUpdateFailed     msgKey = "last_update_failed"
	msgNoUpdate             msgKey = "no_update"
	msgCannotStop           msgKey = "cannot_stop"
	msgTelcoSlow            msgKey = "telco_slow"
	msgUpdateDone           msgKey = "update_done"
	msgWhatNow              msgKey = "what_now"
	msgStepQueued           msgKey = "step_queued"
	msgStepDownloading      msgKey = "step_downloading"
	msgStepInstalling       msgKey = "step_installing"
	msgStepRebooting        msgKey = "step_rebooting"
	msgStepBackOnline       msgKey = "step_back_online"
	msgFailUnknownRouter    msgKey = "fail_unknown_router"
	msgFailTimeout          msgKey = "fail_timeout"
	msgFailUnavailable      msgKey = "fail_unavailable"
	msgFailRejected         msgKey = "fail_rejected"
	msgFailDetail           msgKey = "fail_detail"
	msgFailGeneric          msgKey = "fail_generic"

	btnYesUpdate msgKey = "button_yes_update"
	btnRetry     msgKey = "button_retry"
	btnCancel    msgKey = "button_cancel"

	btnUpdateRouter msgKey = "button_update_router"
	btnAgent        msgKey = "button_agent"
	btnYes          msgKey = "button_yes"
	btnNo           msgKey = "button_no"
	btnKeepChatting msgKey = "button_keep_chatting"
)

// catalogue holds texts still defined in Go, by language: a file may add its own at init
// (catalogue[lang][key] = text), and they join the default catalog before it is checked.
// Their placeholders are Go's %s, filled in with fmt.Sprintf(b.t(lang, key), ...). New
// texts belong in content.yaml instead, with named placeholders.
var catalogue = map[string]map[msgKey]string{"en": {}, "es": {}, "pt": {}}
