package actions

import (
	"errors"
	"fmt"
	"net/http"
)

// Code classifies why an action was refused, so that every channel can
// answer in its own terms (an HTTP status, an exit code, a line of mail).
type Code int

// The refusal codes.
const (
	// Invalid: the request is malformed (unknown action, missing or bad
	// argument, unknown group or organization, a date in the past).
	Invalid Code = iota + 1
	// Forbidden: the actor plays no role that allows the action.
	Forbidden
	// NotFound: there is no such statement.
	NotFound
	// Conflict: the statement's state does not allow the action (reopen an
	// open statement, close a closed one, delay an answered one).
	Conflict
)

// String names the code.
func (c Code) String() string {
	switch c {
	case Invalid:
		return "invalid"
	case Forbidden:
		return "forbidden"
	case NotFound:
		return "not found"
	case Conflict:
		return "conflict"
	}
	return fmt.Sprintf("code(%d)", int(c))
}

// HTTPStatus is the HTTP status an API answers a refusal with (400, 403,
// 404, 409; 500 for an unknown code).
func (c Code) HTTPStatus() int {
	switch c {
	case Invalid:
		return http.StatusBadRequest
	case Forbidden:
		return http.StatusForbidden
	case NotFound:
		return http.StatusNotFound
	case Conflict:
		return http.StatusConflict
	}
	return http.StatusInternalServerError
}

// Error is a refused action. Any other error from Apply is a store error.
type Error struct {
	Code Code
	// ID is the statement, Verb the action asked for.
	ID   string
	Verb Verb
	// Msg says why, in words a person acting can act on.
	Msg string
}

// Error implements error.
func (e *Error) Error() string {
	if e.ID == "" {
		return fmt.Sprintf("%s: %s", e.Verb, e.Msg)
	}
	return fmt.Sprintf("%s %s: %s", e.Verb, e.ID, e.Msg)
}

// CodeOf returns the refusal code anywhere in err's chain, and false when
// err is not a refusal (nil, or a store error).
func CodeOf(err error) (Code, bool) {
	var e *Error
	if errors.As(err, &e) {
		return e.Code, true
	}
	return 0, false
}

func refuse(code Code, id string, v Verb, format string, args ...any) error {
	return &Error{Code: code, ID: id, Verb: v, Msg: fmt.Sprintf(format, args...)}
}
