package bot

// Texts of the dialogue's newer answers: goodbyes, anger, area outages, a router that is
// not the contact's. The texts are in content.yaml.
const (
	msgBye                msgKey = "bye"
	msgSorryFrustrated    msgKey = "sorry_frustrated"
	msgAreaOutage         msgKey = "area_outage"
	msgNoOutageKnown      msgKey = "no_outage_known"
	msgNoOutageReported   msgKey = "no_outage_reported"
	msgNoOutageUpdated    msgKey = "no_outage_updated"
	msgOnlyYourRouter     msgKey = "only_your_router"
	msgTriedEnough        msgKey = "tried_enough"
	msgTakeYourTime       msgKey = "take_your_time"
	msgSorryWaitAgents    msgKey = "sorry_wait_agents"
	msgSerialTakeYourTime msgKey = "serial_take_your_time"
	msgTopicAgain         msgKey = "topic_again"
	msgIAmBot             msgKey = "i_am_bot"
	msgUpdateNotWanted    msgKey = "update_not_wanted"
	msgBotWritesBack      msgKey = "bot_writes_back"
	msgUpdateHelps        msgKey = "update_often_helps"
	msgNeedsUpdate        msgKey = "needs_update"
)

// Anger over the connection, the first time: an agent first, and the update the bot can do.
const msgSorryFrustratedUpdate msgKey = "sorry_frustrated_update"

// The main menu when the update is not on offer (mainMenu), the no-outage answer during
// an update, and why "Try again" is gone after the failure that spends the retries.
const (
	msgMenuUpdating     msgKey = "menu_updating"
	msgMenuNoUpdate     msgKey = "menu_no_update"
	msgNoOutageUpdating msgKey = "no_outage_updating"
	msgRetriesSpentTold msgKey = "retries_spent_told"
)
