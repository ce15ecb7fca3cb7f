package bot

// Texts of a running update asked about, and of other things asked meanwhile. The texts
// are in content.yaml.

// The step of a running update as its status ("how's it going?"): said as where it is,
// not the step's own announcement pasted after "in progress".
const (
	msgStatusDownloading msgKey = "status_downloading"
	msgStatusInstalling  msgKey = "status_installing"
	msgStatusRebooting   msgKey = "status_rebooting"
	msgStatusVerifying   msgKey = "status_verifying"
)

// stepStatusKeys are the status texts of an update's steps (updateStatus).
var stepStatusKeys = map[string]msgKey{
	"downloading": msgStatusDownloading,
	"installing":  msgStatusInstalling,
	"rebooting":   msgStatusRebooting,
	"verifying":   msgStatusVerifying,
}

// The step of a running update, to the update asked for again meanwhile ("update my
// router", a photo's caption heard as that): already under way, where it is, in one
// sentence, never the step's progress line pasted into it.
const (
	msgAlreadyDownloading msgKey = "already_downloading"
	msgAlreadyInstalling  msgKey = "already_installing"
	msgAlreadyRebooting   msgKey = "already_rebooting"
	msgAlreadyVerifying   msgKey = "already_verifying"
)

// stepAlreadyKeys are those texts of an update's steps (askUpdate).
var stepAlreadyKeys = map[string]msgKey{
	"downloading": msgAlreadyDownloading,
	"installing":  msgAlreadyInstalling,
	"rebooting":   msgAlreadyRebooting,
	"verifying":   msgAlreadyVerifying,
}
