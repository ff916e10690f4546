package mailproc

import (
	"strings"

	"github.com/ietf-tools/liaisond/liaison"
)

// ownMail marks mail the daemon itself sent.
func ownMail(x *liaison.Extraction, top *node, opt Options) {
	loop := opt.LoopHeader
	if loop == "" {
		loop = LoopHeaderName
	}
	if top.hdr.Has(loop) {
		x.OwnMail = true
	}
	for _, a := range opt.OwnAddresses {
		if x.From.Email != "" && strings.EqualFold(strings.TrimSpace(a), x.From.Email) {
			x.OwnMail = true
		}
	}
}
