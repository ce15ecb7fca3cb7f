package pipeline

import (
	"log/slog"

	"github.com/cwbot/cwbot/chatwoot"
)

// repaired logs and counts the values of a webhook that were not in Chatwoot's shape and
// were read leniently or ignored (chatwoot.ParseEvent): the event is answered all the same,
// and whoever sends such payloads can be found.
func (p *Processor) repaired(ce *chatwoot.Event, log func() *slog.Logger) {
	for _, r := range ce.Repairs {
		log().Warn("webhook value not in Chatwoot's shape: read leniently", slog.String("field", r.Field),
			slog.String("reason", r.Reason), slog.String("value", r.Detail))
		if p.PayloadProblem != nil {
			p.PayloadProblem(false, r.Reason)
		}
	}
}
