package web

import (
	"encoding/json"
	"net/http"
	"time"

	"github.com/ietf-tools/liaisond/liaison"
	"github.com/ietf-tools/liaisond/store"
)

// StatementsPage is the JSON of /api/v1/statements: one page of records in
// the CLI's `list --json` shape (liaison.RecordView).
type StatementsPage struct {
	Total      int                  `json:"total"`
	Page       int                  `json:"page"`
	PerPage    int                  `json:"per_page"`
	Statements []liaison.RecordView `json:"statements"`
}

// StatementDetail is the JSON of /api/v1/statements/{id}: the CLI's `show
// --json` shape.
type StatementDetail struct {
	liaison.RecordView
	Sources map[string]liaison.Source `json:"sources"`
	Reasons []liaison.Reason          `json:"routing_reasons"`
	History []liaison.Event           `json:"history"`
	Outbox  []OutboxLine              `json:"outbox"`
}

// OutboxLine is an outbox entry without its raw bytes (the CLI's `outbox
// --json` shape).
type OutboxLine struct {
	Key         string    `json:"key"`
	RecordID    string    `json:"record_id,omitempty"`
	Kind        string    `json:"kind"`
	Recipient   string    `json:"recipient"`
	Subject     string    `json:"subject"`
	MessageID   string    `json:"message_id"`
	State       string    `json:"state"`
	Created     time.Time `json:"created"`
	Attempts    int       `json:"attempts"`
	NextAttempt time.Time `json:"next_attempt,omitzero"`
	Sent        time.Time `json:"sent,omitzero"`
	LastError   string    `json:"last_error,omitempty"`
	Bounce      string    `json:"bounce,omitempty"`
}

// ToOutboxLine converts a store entry.
func ToOutboxLine(e *store.OutboxEntry) OutboxLine {
	l := OutboxLine{Key: e.Key, RecordID: e.RecordID, Kind: e.Kind, Recipient: e.Recipient, Subject: e.Subject, MessageID: e.MessageID,
		State: string(e.State), Created: e.Created, Attempts: e.Attempts, Sent: e.Sent, LastError: e.LastError, Bounce: e.Bounce}
	if e.State == store.OutboxQueued {
		l.NextAttempt = e.NextAttempt
	}
	return l
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	_ = enc.Encode(v)
}

func (s *Server) apiError(w http.ResponseWriter, r *http.Request, status int, msg string, err error) {
	if err != nil {
		s.opt.Log.Error("api request failed", "path", r.URL.Path, "err", err)
	}
	writeJSON(w, status, map[string]string{"error": msg})
}

func (s *Server) handleAPIList(w http.ResponseWriter, r *http.Request) {
	f, err := ParseFilter(r.URL.Query())
	if err != nil {
		s.apiError(w, r, http.StatusBadRequest, err.Error(), nil)
		return
	}
	sel, err := s.Select(f)
	if err != nil {
		s.apiError(w, r, http.StatusInternalServerError, "internal error", err)
		return
	}
	out := StatementsPage{Total: len(sel), Page: f.Page, PerPage: f.PerPage, Statements: []liaison.RecordView{}}
	err = s.opt.DB.View(func(tx *store.Tx) error {
		for _, sm := range page(sel, f) {
			rec, err := tx.Record(sm.ID)
			if err != nil {
				return err
			}
			out.Statements = append(out.Statements, rec.View())
		}
		return nil
	})
	if err != nil {
		s.apiError(w, r, http.StatusInternalServerError, "internal error", err)
		return
	}
	writeJSON(w, http.StatusOK, out)
}

// Detail returns the API detail of a record.
func (s *Server) Detail(id string) (*StatementDetail, error) {
	d, err := s.loadDetail(id)
	if err != nil {
		return nil, err
	}
	out := &StatementDetail{RecordView: d.R.View(), Sources: d.R.Extraction.Sources, Reasons: d.R.Routing.Reasons, History: d.History, Outbox: []OutboxLine{}}
	for _, e := range d.Outbox {
		out.Outbox = append(out.Outbox, ToOutboxLine(e))
	}
	return out, nil
}

func (s *Server) handleAPIStatement(w http.ResponseWriter, r *http.Request) {
	d, err := s.Detail(r.PathValue("id"))
	if err != nil {
		if isNotFound(err) {
			s.apiError(w, r, http.StatusNotFound, "no such record", nil)
			return
		}
		s.apiError(w, r, http.StatusInternalServerError, "internal error", err)
		return
	}
	writeJSON(w, http.StatusOK, d)
}

func (s *Server) handleAPIRelationships(w http.ResponseWriter, r *http.Request) {
	rows, err := s.Relationships()
	if err != nil {
		s.apiError(w, r, http.StatusInternalServerError, "internal error", err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"relationships": rows})
}

func (s *Server) handleAPIOutbox(w http.ResponseWriter, r *http.Request) {
	state := r.URL.Query().Get("state")
	out := []OutboxLine{}
	err := s.opt.DB.View(func(tx *store.Tx) error {
		return tx.ForEachOutbox(func(e *store.OutboxEntry) error {
			if state == "" || state == "all" || string(e.State) == state {
				out = append(out, ToOutboxLine(e))
			}
			return nil
		})
	})
	if err != nil {
		s.apiError(w, r, http.StatusInternalServerError, "internal error", err)
		return
	}
	n, oldest := 0, time.Time{}
	_ = s.opt.DB.View(func(tx *store.Tx) error { n, oldest = tx.QueuedOutbox(); return nil })
	resp := map[string]any{"queued": n, "outbox": out}
	if !oldest.IsZero() {
		resp["oldest_queued"] = oldest
	}
	writeJSON(w, http.StatusOK, resp)
}
