package config

import (
	"fmt"
	"net/netip"
	"strings"
)

// ProxyRanges parses ProxyFrom: each comma-separated entry is a CIDR range
// or a single address (a /32 or /128). Empty means no trusted balancer.
func (c Config) ProxyRanges() ([]netip.Prefix, error) {
	var out []netip.Prefix
	for _, f := range strings.Split(c.ProxyFrom, ",") {
		f = strings.TrimSpace(f)
		if f == "" {
			continue
		}
		if p, err := netip.ParsePrefix(f); err == nil {
			out = append(out, p.Masked())
			continue
		}
		a, err := netip.ParseAddr(f)
		if err != nil {
			return nil, fmt.Errorf("%q is not a CIDR range or an address", f)
		}
		a = a.Unmap()
		out = append(out, netip.PrefixFrom(a, a.BitLen()))
	}
	return out, nil
}
