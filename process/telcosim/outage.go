package telcosim

import (
	"encoding/json"
	"net/http"
	"time"

	"github.com/cwbot/cwbot/process"
)

// Outage is a network outage the simulator reports on GET /outages (the Outage API).
type Outage struct {
	ID      string    // default: a new "out_..." id
	Message string    // default: "fibre cut in the area, crews on site"
	ETA     time.Time // zero: no estimate
}

// SetOutage puts routerID ("" for every router and phone) in an outage, and returns it.
func (s *Sim) SetOutage(routerID string, o Outage) Outage {
	if o.ID == "" {
		o.ID = "out_" + newID()[len("upd_"):]
	}
	if o.Message == "" {
		o.Message = "fibre cut in the area, crews on site"
	}
	s.mu.Lock()
	s.outages[routerID] = o
	s.mu.Unlock()
	s.opts.Logf("telcosim: outage %s for router %q", o.ID, routerID)
	return o
}

// EndOutage ends routerID's outage ("" the one for everyone): GET /outages answers
// inactive from now on, and the end is posted, signed, to the callback_url the bot sent
// with its last question about it (none when it sent none). ok is false when there was
// no such outage.
func (s *Sim) EndOutage(routerID string) (Outage, bool) {
	s.mu.Lock()
	o, ok := s.outages[routerID]
	delete(s.outages, routerID)
	url := s.outageCBs[o.ID]
	delete(s.outageCBs, o.ID)
	if !ok || s.closed {
		s.mu.Unlock()
		return o, ok
	}
	s.wg.Add(1)
	s.mu.Unlock()
	defer s.wg.Done()
	s.opts.Logf("telcosim: outage %s over for router %q", o.ID, routerID)
	if url != "" {
		s.deliverOutageEnd(url, o.ID)
	}
	return o, true
}

// OutageOf is the outage GET /outages reports for routerID now.
func (s *Sim) OutageOf(routerID string) (Outage, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.outageLocked(routerID)
}

func (s *Sim) outageLocked(routerID string) (Outage, bool) {
	if o, ok := s.outages[routerID]; ok && routerID != "" {
		return o, true
	}
	o, ok := s.outages[""]
	return o, ok
}

// handleOutages answers GET /outages?router_id=...&phone=... (either or both).
func (s *Sim) handleOutages(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	router, phone := q.Get("router_id"), q.Get("phone")
	if router == "" && phone == "" {
		writeJSON(w, http.StatusBadRequest, map[string]string{"error": "router_id or phone is required"})
		return
	}
	s.mu.Lock()
	o, ok := s.outageLocked(router)
	if ok && q.Get("callback_url") != "" {
		s.outageCBs[o.ID] = q.Get("callback_url")
	}
	s.mu.Unlock()
	if !ok {
		writeJSON(w, http.StatusOK, map[string]any{"active": false})
		return
	}
	body := map[string]any{"active": true, "id": o.ID, "message": o.Message}
	if !o.ETA.IsZero() {
		body["eta"] = o.ETA.Format(time.RFC3339) // in its own time zone
	}
	writeJSON(w, http.StatusOK, body)
}

// deliverOutageEnd posts the signed end of an outage to url and records the answer.
func (s *Sim) deliverOutageEnd(url, id string) {
	body, _ := json.Marshal(process.OutageCallback{Event: process.OutageEndedEvent, ID: id})
	rec := CallbackRecord{OutageID: id, URL: url, Body: body, Timestamp: s.opts.Now().Unix()}
	s.post(url, body, &rec)
	s.opts.Logf("telcosim: callback outage %s ended -> %d %s", id, rec.HTTPStatus, rec.Err)
	s.mu.Lock()
	s.callbacks = append(s.callbacks, rec)
	s.mu.Unlock()
}
