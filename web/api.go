package web

import (
	"encoding/json"
	"net/http"
	"time"

	"github.com/ietf-tools/liaisond/liaison"
	"github.com/ietf-tools/liaisond/store"
)

// StatementsPage is the JSON of /api/v1/statements: one page of records in
// the CLI's `list --json` shape (liaison.RecordView, with "status"). A page
// past the last one is a 404.
type StatementsPage struct {
	Total      int                  `json:"total"`
	Page       int                  `json:"page"`
	PerPage    int                  `json:"per_page"`
	Statements []liaison.RecordView `json:"statements"`
}

// StatementDetail is the JSON of /api/v1/statements/{id}: the same shape
// as the CLI's `show --json` (both come from the store's read API).
type StatementDetail = store.Detail

// OutboxLine is an outbox entry without its raw bytes (the CLI's `outbox
// --json` shape).
type OutboxLine = store.OutboxView

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
	if err == nil {
		err = mineFor(&f, r)
	}
	if err != nil {
		s.apiError(w, r, http.StatusBadRequest, err.Error(), nil)
		return
	}
	sel, err := s.Select(f)
	if err != nil {
		s.apiError(w, r, http.StatusInternalServerError, "internal error", err)
		return
	}
	if msg := f.pastEnd(len(sel)); msg != "" {
		s.apiError(w, r, http.StatusNotFound, msg, nil)
		return
	}
	cfg, now := s.opt.Config(), s.opt.Now()
	out := StatementsPage{Total: len(sel), Page: f.Page, PerPage: f.PerPage, Statements: []liaison.RecordView{}}
	err = s.opt.DB.View(func(tx *store.Tx) error {
		for _, sm := range page(sel, f) {
			rec, err := tx.Record(sm.ID)
			if err != nil {
				return err
			}
			out.Statements = append(out.Statements, rec.ViewAt(cfg.Location, now))
		}
		return nil
	})
	if err != nil {
		s.apiError(w, r, http.StatusInternalServerError, "internal error", err)
		return
	}
	writeJSON(w, http.StatusOK, out)
}

// Detail returns the API detail of a record, with its status now.
func (s *Server) Detail(id string) (*StatementDetail, error) {
	var d *StatementDetail
	var rec *liaison.Record
	err := s.opt.DB.View(func(tx *store.Tx) (err error) {
		d, rec, err = tx.Detail(id)
		return err
	})
	if err == nil {
		d.Status = rec.StatusAt(s.opt.Config().Location, s.opt.Now())
	}
	return d, err
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
				out = append(out, e.View())
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
