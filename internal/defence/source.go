package defence

import (
	"net"
	"net/netip"
)

// Source is what a connection is counted under.
type Source struct {
	Addr   string // the IPv4 address, or the /64 of an IPv6 address (one subscriber usually holds a whole /64)
	Subnet string // the IPv4 or IPv6 subnet around it, as configured
}

// SourceOf is the source of a connection from addr, with subnets of v4Bits
// and v6Bits. An address that is not IP (a test's pipe) is its own subnet.
func SourceOf(addr net.Addr, v4Bits, v6Bits int) Source {
	ip := ClientIP(addr)
	if !ip.IsValid() {
		return Source{Addr: addr.String(), Subnet: addr.String()}
	}
	if ip.Is6() {
		return Source{Addr: prefix(ip, 64), Subnet: prefix(ip, v6Bits)}
	}
	return Source{Addr: ip.String(), Subnet: prefix(ip, v4Bits)}
}

// ClientIP is the IP address of a connection's client (IPv4-mapped IPv6
// addresses as IPv4), or the zero Addr if addr is not IP. A connection
// through a trusted balancer has the address its PROXY header named
// (ReadProxyHeader reads it before anything else).
func ClientIP(addr net.Addr) netip.Addr {
	if a, ok := addr.(*net.TCPAddr); ok {
		return a.AddrPort().Addr().Unmap()
	}
	ap, err := netip.ParseAddrPort(addr.String())
	if err != nil {
		return netip.Addr{}
	}
	return ap.Addr().Unmap()
}

// prefix is the network of ip with bits bits, as text ("192.0.2.0/24").
func prefix(ip netip.Addr, bits int) string {
	p, err := ip.Prefix(bits)
	if err != nil {
		return ip.String() // bits out of range: config validation prevents it
	}
	return p.String()
}
