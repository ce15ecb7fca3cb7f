package bot

// Texts of serials the telco refused and of retries: the serial to check and type again
// (not found, not the contact's), and an update tried again right after it failed, told in
// short. The texts are in content.yaml; those of another router than the one on record are
// in other_router.go.
const (
	// a typed serial the telco says is another customer's: check it, or an agent
	msgCheckSerialNotYours msgKey = "check_serial_not_yours"
	// "but it IS mine, it's on the label" after that: maybe not linked yet, an agent
	msgNotYoursInsisted msgKey = "not_yours_insisted"
	// the update (restart) asked for again right after one the customer heard start failed
	msgUpdateRetried  msgKey = "update_retried"
	msgRestartRetried msgKey = "restart_retried"
)
