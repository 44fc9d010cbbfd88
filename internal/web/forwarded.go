package web

import (
	"net"
	"net/http"
	"net/netip"
	"strings"
)

// maxForwardedHops bounds the X-Forwarded-For entries looked at: a client
// can put anything at the front of the list, so only the nearest hops count.
const maxForwardedHops = 16

// clientAddr is the address r is counted under: the connection's, or, when
// the connection comes from a trusted balancer (Options.TrustedProxies), the
// nearest X-Forwarded-For entry that is not itself a trusted balancer. An
// entry added by the client itself, left of the balancers', is never used
// unless every balancer in between is trusted. From anybody else the header
// is ignored.
func clientAddr(r *http.Request, trusted []netip.Prefix) string {
	if len(trusted) == 0 {
		return r.RemoteAddr
	}
	peer := clientOf(r.RemoteAddr)
	if !peer.IsValid() || !inRanges(trusted, peer) {
		return r.RemoteAddr
	}
	hops := forwardedHops(r.Header.Values("X-Forwarded-For"))
	for i := len(hops) - 1; i >= 0 && i >= len(hops)-maxForwardedHops; i-- {
		a, err := netip.ParseAddr(hops[i])
		if err != nil {
			break // a garbled hop: trust nothing left of it
		}
		a = a.Unmap().WithZone("")
		if !inRanges(trusted, a) {
			return net.JoinHostPort(a.String(), "0")
		}
	}
	return r.RemoteAddr
}

// forwardedHops splits X-Forwarded-For header lines into addresses, left
// (the client's claim) to right (the nearest balancer's).
func forwardedHops(lines []string) []string {
	var hops []string
	for _, l := range lines {
		for _, h := range strings.Split(l, ",") {
			if h = strings.TrimSpace(h); h != "" {
				hops = append(hops, h)
			}
		}
	}
	return hops
}

func inRanges(ranges []netip.Prefix, a netip.Addr) bool {
	for _, p := range ranges {
		if p.Contains(a) {
			return true
		}
	}
	return false
}
