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

// The step of a running update, to the update asked for again meanwhile ("update my
// router", a photo's caption heard as that): already under way, where it is, in one
// sentence, never the step's progress line pasted into it.
const (
	msgAlreadyDownloading msgKey = "already_downloading"
	msgAlreadyInstalling  msgKey = "already_installing"
	msgAlreadyRebooting   msgKey = "already_rebooting"
	msgAlreadyVerifying   msgKey = "already_verifying"
)

// stepTexts are the texts of an update's steps: as its status (updateStatus) and to the
// update asked for again meanwhile (askUpdate).
var stepTexts = map[string]struct{ status, already msgKey }{
	"downloading": {msgStatusDownloading, msgAlreadyDownloading},
	"installing":  {msgStatusInstalling, msgAlreadyInstalling},
	"rebooting":   {msgStatusRebooting, msgAlreadyRebooting},
	"verifying":   {msgStatusVerifying, msgAlreadyVerifying},
}

// runningStep is the texts of running update u's step; ok is false for a step with none,
// and for the download and install of a restart alone, which does neither.
func runningStep(u *RouterUpdate) (texts struct{ status, already msgKey }, ok bool) {
	if u == nil || !u.Active {
		return texts, false
	}
	texts, ok = stepTexts[u.Step]
	if cur := u.current(); ok && cur != nil && cur.Restart && (u.Step == "downloading" || u.Step == "installing") {
		return texts, false
	}
	return texts, ok
}
