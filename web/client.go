package web

import (
	"net/http"
	"net/netip"
	"strings"
)

// ClientAddr is the address a request comes from, the one anonymous access
// and the sign-in limiter judge:
//
//   - the direct peer (RemoteAddr), unless it is one of the trusted proxies;
//   - when the peer is a trusted proxy, the right-most address of
//     X-Forwarded-For (all such headers, in order) that is not itself a
//     trusted proxy: each proxy appends the address it received from, so
//     entries left of the first untrusted one were written by the client
//     and prove nothing; when every entry is a trusted proxy, the left-most.
//
// It returns the zero Addr (which is no loopback address) when the client
// cannot be told: a trusted proxy sent no X-Forwarded-For, or an entry to
// be read is not an address. A peer that is not an IP address (a Unix
// socket) is also the zero Addr.
func ClientAddr(r *http.Request, trusted []netip.Prefix) netip.Addr {
	peer, ok := parseHost(r.RemoteAddr)
	if !ok || !inPrefixes(peer, trusted) {
		return peer
	}
	var hops []string
	for _, v := range r.Header.Values("X-Forwarded-For") {
		hops = append(hops, strings.Split(v, ",")...)
	}
	if len(hops) == 0 {
		return netip.Addr{}
	}
	for i := len(hops) - 1; i >= 0; i-- {
		a, ok := parseHost(strings.TrimSpace(hops[i]))
		if !ok {
			return netip.Addr{}
		}
		if !inPrefixes(a, trusted) || i == 0 {
			return a
		}
	}
	return netip.Addr{}
}

// parseHost reads "addr", "addr:port" or "[v6]:port", IPv4-mapped IPv6
// addresses as IPv4.
func parseHost(s string) (netip.Addr, bool) {
	if ap, err := netip.ParseAddrPort(s); err == nil {
		return ap.Addr().Unmap(), true
	}
	if a, err := netip.ParseAddr(strings.Trim(s, "[]")); err == nil && a.Zone() == "" {
		return a.Unmap(), true
	}
	return netip.Addr{}, false
}

func inPrefixes(a netip.Addr, ps []netip.Prefix) bool {
	for _, p := range ps {
		if p.Contains(a) {
			return true
		}
	}
	return false
}
