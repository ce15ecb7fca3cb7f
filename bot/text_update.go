package bot

// Texts of router updates and restarts: the start, an offline router, and failures told in
// plain words (what failed, and whether the internet should work now). The texts are in
// content.yaml.

// A cancel during an update: called off before it was sent, or not (cancelUpdate).
const (
	msgCannotStopSent          msgKey = "cannot_stop_sent"
	msgCannotStopWaitingRouter msgKey = "cannot_stop_waiting_router"
	msgCannotStopRunning       msgKey = "cannot_stop_running"
	msgDropAtRestart           msgKey = "drop_at_restart"
	msgUpdateCancelled         msgKey = "update_cancelled"
	msgRestartCancelled        msgKey = "restart_cancelled"
	msgLastUpdateCancelled     msgKey = "last_update_cancelled"
	msgLastRestartCancelled    msgKey = "last_restart_cancelled"
	// "what if it drops again tomorrow?": no promise, what to do then.
	msgComesBack         msgKey = "comes_back"
	msgComesBackNoUpdate msgKey = "comes_back_no_update"
	// Still trouble within a day of an update that worked: an agent first, the update second.
	msgStillTroubleAfterUpdate msgKey = "still_trouble_after_update"
	// Still trouble after two or more updates that worked: the router most likely not the cause, an agent.
	msgStillTroubleAfterUpdates msgKey = "still_trouble_after_updates"
	btnUpdateAgain              msgKey = "button_update_again"
	msgStillTroubleNoted        msgKey = "still_trouble_noted"
)

const (
	msgRestartStarted         msgKey = "restart_started"
	msgRestartDone            msgKey = "restart_done"
	msgRouterOffline          msgKey = "router_offline"
	msgStepQueuedRestart      msgKey = "step_queued_restart"
	msgUpdateWaitingRouter    msgKey = "update_waiting_router"
	msgUpdateQueuedNow        msgKey = "update_queued_now"
	msgRestartQueuedNow       msgKey = "restart_queued_now"
	msgRestartInProgress      msgKey = "restart_in_progress"
	msgRestartAt              msgKey = "restart_at"
	msgLastRestartOK          msgKey = "last_restart_ok"
	msgLastRestartFailed      msgKey = "last_restart_failed"
	msgRetryHint              msgKey = "retry_hint"
	msgAgentHint              msgKey = "agent_hint"
	msgFailRestart            msgKey = "fail_restart"
	msgFailRestartDetail      msgKey = "fail_restart_detail"
	msgFailRejectedRestart    msgKey = "fail_rejected_restart"
	msgFailUnsupported        msgKey = "fail_unsupported"
	msgFailUnsupportedRestart msgKey = "fail_unsupported_restart"
	msgFailOffline            msgKey = "fail_offline"
	msgFailUnavailableMidway  msgKey = "fail_unavailable_midway"
	msgFailTimeoutNoAnswer    msgKey = "fail_timeout_no_answer"
	msgFailTimeoutNotBack     msgKey = "fail_timeout_not_back"
	msgFailDownload           msgKey = "fail_download"
	msgFailInstall            msgKey = "fail_install"
	msgFailNotBack            msgKey = "fail_not_back"
	msgFailUnconfirmed        msgKey = "fail_unconfirmed"
	msgInternetAsBefore       msgKey = "internet_as_before"
	msgInternetSwitchOff      msgKey = "internet_switch_off"
	msgInternetLeaveOn        msgKey = "internet_leave_on"
	msgInternetShouldWork     msgKey = "internet_should_work"
	msgInternetToldDown       msgKey = "internet_told_down"
	msgInternetUnchanged      msgKey = "internet_unchanged"
	msgInternetUnchangedAsked msgKey = "failed_internet_unchanged_asked"
	msgCheckSerial            msgKey = "check_serial"
	// For confirmMenu, once the bot knows the operation is a restart before the job runs
	// (a Bot setting from GENIEACS_FIRMWARE_FILE being empty): not used yet.
	msgConfirmRestart msgKey = "confirm_restart"
	btnYesRestart     msgKey = "button_yes_restart"
)

// Texts of questions about an update and complaints around it: what the update means before
// it starts, the settings it keeps, a serial that is not the router on the account, and the
// internet not back after a failed update. The texts are in content.yaml.
const (
	msgConfirmMeaning    msgKey = "confirm_meaning"
	msgSettingsKept      msgKey = "settings_kept"
	msgSettingsKeptYes   msgKey = "settings_kept_yes"
	msgSettingsKeptPlan  msgKey = "settings_kept_plan"
	msgSettingsKeptAgain msgKey = "settings_kept_again"
	// "Is there anything else I need to do now?" right after an update (a restart) that worked.
	msgNothingToDoUpdated   msgKey = "nothing_to_do_updated"
	msgNothingToDoRestarted msgKey = "nothing_to_do_restarted"
	msgSerialNotOnRecord    msgKey = "serial_not_on_record"
	msgFailedStillDown      msgKey = "failed_still_down"
	// "not yet" to the confirmation, a detail after the offer of an update, "why did it
	// fail?", "ok, I'm waiting" while it runs, and "it's still the old router" once more.
	msgUpdateLater              msgKey = "update_later"
	msgAgentLater               msgKey = "agent_later"
	msgRestartWithUpdate        msgKey = "restart_with_update"
	msgConfirmRestartWithUpdate msgKey = "confirm_restart_with_update"
	msgOfferKeptDetail          msgKey = "offer_kept_detail"
	// The trouble sent again word for word after the offer; and once more ({update},
	// {agent}: the buttons' titles).
	msgOfferSameMessage      msgKey = "offer_same_message"
	msgOfferSameMessageAgain msgKey = "offer_same_message_again"
	msgOfferKeptAnnoyed      msgKey = "offer_kept_annoyed"
	// "q tengo q hacer" right after the offer: the next step, the buttons named.
	msgOfferWhatNow       msgKey = "offer_what_now"
	msgFailedWhy          msgKey = "failed_why"
	msgFailedNotYourFault msgKey = "failed_not_your_fault"
	msgNotYourFault       msgKey = "not_your_fault"
	msgFailedWhyRetry     msgKey = "failed_why_retry"
	msgFailedWhyAgent     msgKey = "failed_why_agent"
	msgUpdatingWaiting    msgKey = "updating_waiting"
	msgStillNotYourRouter msgKey = "still_not_your_router"
)

// "is it done now?" where no update ran (the customer believes one did), and "¿ya terminó?
// ¿tengo que hacer algo?" at a confirmation asked right after one that worked.
const (
	msgNotUpdatedYet         msgKey = "not_updated_yet"
	msgUpdateDoneNothingToDo msgKey = "update_done_nothing_to_do"
)

// "is it safe? what is this software?" asked of the update; "do it once more just to be
// sure it took" after one that worked; the router asked for at an agent offered for
// something else; a topic asked beside the yes that starts the update.
const (
	msgUpdateSafe       msgKey = "update_safe"
	msgUpdateTook       msgKey = "update_already_took"
	msgRouterFirst      msgKey = "router_first"
	msgAgentAfterUpdate msgKey = "agent_after_update"
	msgAgentAfterDone   msgKey = "agent_after_done"
	msgAgentAfterAsked  msgKey = "agent_after_asked"
)

// An "ok" at the failure's question: the question stays open, put again with its buttons;
// with a try left, or with an agent only.
const (
	msgFailedAckRetry msgKey = "failed_ack_retry"
	msgFailedAckAgent msgKey = "failed_ack_agent"
)

// "otra vez???" in disbelief, and a bare "sí", at the failure's question (failed_again.go).
const (
	msgFailedAgainAsked  msgKey = "failed_again_asked"
	msgFailedAskedOnce   msgKey = "failed_asked_once"
	msgFailedAgainChoice msgKey = "failed_again_choice"
	msgFailedAgainAgent  msgKey = "failed_again_agent"
	msgFailedYesRetry    msgKey = "failed_yes_retry"
	msgFailedYesAgent    msgKey = "failed_yes_agent"
)

// msgMobileDataMeanwhile answers mobile data asked about during an update (askMobileData).
const msgMobileDataMeanwhile msgKey = "mobile_data_meanwhile"

// askMobileData is the acts files' asks_about name of the phone's mobile data asked about
// ("can I use my mobile data meanwhile?", "puedo usar los datos del celular?").
const askMobileData = "mobile_data"
