package publish

import (
	"errors"
	"fmt"
	"net/netip"
	"strconv"
	"strings"
	"time"
)

// fromAllows reports whether a from= pattern list lets addr in, as sshd's
// match_host_and_ip does with UseDNS off (its default): each
// comma-separated pattern is an address, a CIDR network, or a wildcard
// pattern (* and ?) matched against the address's text, and a "!" in front
// negates it. A negated match refuses whatever else matches; otherwise any
// match admits. A hostname pattern (*.example.com) never matches: the blog
// never resolves names. The list was checked by checkFrom when read.
func fromAllows(list string, addr netip.Addr) bool {
	addr = addr.Unmap()
	if !addr.IsValid() {
		return false
	}
	text := addr.String()
	allowed := false
	for _, p := range strings.Split(list, ",") {
		neg := strings.HasPrefix(p, "!")
		p = strings.TrimPrefix(p, "!")
		var match bool
		if network, isNet, _ := parseNet(p); isNet {
			match = network.Contains(addr)
		} else {
			match = globMatch(strings.ToLower(p), text)
		}
		if match && neg {
			return false
		}
		allowed = allowed || match
	}
	return allowed
}

// checkFrom refuses a from= list sshd would refuse: an empty pattern, or a
// network whose mask is too long or leaves host bits set (10.0.0.1/8).
func checkFrom(list string) error {
	for _, p := range strings.Split(list, ",") {
		p = strings.TrimPrefix(p, "!")
		if p == "" {
			return errors.New("from= has an empty pattern")
		}
		if _, _, err := parseNet(p); err != nil {
			return err
		}
	}
	return nil
}

// sourceAllows reports whether a certificate's source-address list (CIDR
// networks and addresses only, as sshd's addr_match_cidr_list) holds addr;
// an entry that is not one refuses.
func sourceAllows(list string, addr netip.Addr) (bool, error) {
	addr = addr.Unmap()
	allowed := false
	for _, p := range strings.Split(list, ",") {
		if p == "" || strings.Trim(p, "0123456789abcdefABCDEF.:/") != "" {
			return false, fmt.Errorf("source-address entry %q is not an address or network", p)
		}
		network, isNet, err := parseNet(p)
		if err != nil {
			return false, err
		}
		if !isNet {
			return false, fmt.Errorf("source-address entry %q is not an address or network", p)
		}
		allowed = allowed || (addr.IsValid() && network.Contains(addr))
	}
	return allowed, nil
}

// parseNet reads "addr" or "addr/bits" (isNet false when p is not one: a
// wildcard or hostname pattern). A mask longer than the address, or host
// bits set under it, is an error, as for sshd.
func parseNet(p string) (network netip.Prefix, isNet bool, err error) {
	addrText, bitsText, hasBits := strings.Cut(p, "/")
	addr, err := netip.ParseAddr(addrText)
	if err != nil || addr.Zone() != "" {
		return netip.Prefix{}, false, nil
	}
	bits := addr.BitLen()
	if hasBits {
		n, err := strconv.Atoi(bitsText)
		if err != nil || bitsText == "" || strings.Trim(bitsText, "0123456789") != "" {
			return netip.Prefix{}, false, nil
		}
		if n > addr.BitLen() {
			return netip.Prefix{}, false, fmt.Errorf("network %q: mask longer than the address", p)
		}
		bits = n
	}
	network = netip.PrefixFrom(addr, bits)
	if network.Masked().Addr() != addr {
		return netip.Prefix{}, false, fmt.Errorf("network %q: host bits set under the mask", p)
	}
	return network, true, nil
}

// hostnamePattern reports whether a from= pattern can only name hosts: a
// character no address's text holds. It is allowed, as sshd allows it,
// but never matches.
func hostnamePattern(p string) bool {
	if _, isNet, _ := parseNet(p); isNet {
		return false
	}
	return strings.Trim(p, "0123456789abcdefABCDEF.:*?") != ""
}

// globMatch matches s against an sshd wildcard pattern: * is any run of
// bytes, ? any one byte, everything else itself.
func globMatch(pattern, s string) bool {
	px, sx := 0, 0
	star, mark := -1, 0
	for sx < len(s) {
		switch {
		case px < len(pattern) && (pattern[px] == '?' || pattern[px] == s[sx]):
			px++
			sx++
		case px < len(pattern) && pattern[px] == '*':
			star, mark = px, sx
			px++
		case star >= 0:
			px = star + 1
			mark++
			sx = mark
		default:
			return false
		}
	}
	for px < len(pattern) && pattern[px] == '*' {
		px++
	}
	return px == len(pattern)
}

// parseExpiry reads an expiry-time= value as sshd does: YYYYMMDD,
// YYYYMMDDHHMM or YYYYMMDDHHMMSS, in local time unless it ends in Z (or
// UTC).
func parseExpiry(v string, local *time.Location) (time.Time, error) {
	s, loc := v, local
	switch {
	case len(s) > 1 && strings.EqualFold(s[len(s)-1:], "z"):
		s, loc = s[:len(s)-1], time.UTC
	case len(s) > 3 && strings.EqualFold(s[len(s)-3:], "utc"):
		s, loc = s[:len(s)-3], time.UTC
	}
	layout := map[int]string{8: "20060102", 12: "200601021504", 14: "20060102150405"}[len(s)]
	if layout == "" || strings.Trim(s, "0123456789") != "" {
		return time.Time{}, fmt.Errorf("expiry-time %q: not YYYYMMDD[HHMM[SS]][Z]", v)
	}
	t, err := time.ParseInLocation(layout, s, loc)
	if err != nil {
		return time.Time{}, fmt.Errorf("expiry-time %q: %w", v, err)
	}
	return t, nil
}
