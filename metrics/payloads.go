package metrics

import "github.com/prometheus/client_golang/prometheus"

func (m *Metrics) registerPayloads() {
	m.payloadsDropped = prometheus.NewCounterVec(prometheus.CounterOpts{
		Namespace: Namespace, Name: "payloads_dropped_total",
		Help: "Stored webhooks dropped without an answer because they could not be read, by reason (not_json, unreadable_<field> such as unreadable_id or unreadable_content, too_many_repairs, unreadable).",
	}, []string{"reason"})
	m.payloadRepairs = prometheus.NewCounterVec(prometheus.CounterOpts{
		Namespace: Namespace, Name: "payload_repairs_total",
		Help: "Webhook values not in Chatwoot's shape that were read leniently (number_as_text, text_as_other) or ignored (bad_time, ignored); the event was answered.",
	}, []string{"reason"})
	m.reg.MustRegister(m.payloadsDropped, m.payloadRepairs)
}

// PayloadProblem is pipeline.Processor's PayloadProblem hook.
func (m *Metrics) PayloadProblem(dropped bool, reason string) {
	if dropped {
		m.payloadsDropped.WithLabelValues(reason).Inc()
		return
	}
	m.payloadRepairs.WithLabelValues(reason).Inc()
}
