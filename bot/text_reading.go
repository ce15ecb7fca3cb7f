package bot

// Texts of what a turn says beside a request: a question about an update already done,
// a sentence left unfinished, a grievance. The texts are in content.yaml.

const (
	msgInternetAfterUpdate msgKey = "internet_after_update"
	msgGoOn                msgKey = "go_on"
	msgSorryFrustratedMore msgKey = "sorry_frustrated_more"
	msgCalledOffSorry      msgKey = "called_off_sorry"
)
