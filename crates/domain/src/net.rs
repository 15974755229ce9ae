//! Which network addresses an outbound request from the server may reach.
//!
//! Webhooks (and later channels) call URLs that admins type in. Without a check, such a URL
//! reaches into the server's own network: its loopback, the cloud's metadata service at
//! 169.254.169.254, the database on a private address. These are refused unless the
//! configuration allows private addresses (a test, or an install that posts to its intranet).

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

/// Whether `ip` is an address on the public internet (not loopback, private, link-local,
/// shared, documentation, multicast, unspecified or reserved).
pub fn is_public(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => is_public_v4(v4),
        IpAddr::V6(v6) => is_public_v6(v6),
    }
}

fn is_public_v4(ip: Ipv4Addr) -> bool {
    let [a, b, c, _] = ip.octets();
    !(ip.is_unspecified()
        || ip.is_loopback()
        || ip.is_private()
        || ip.is_link_local()
        || ip.is_broadcast()
        || ip.is_documentation()
        || ip.is_multicast()
        || a == 0
        // Shared address space (carrier-grade NAT), 100.64.0.0/10.
        || (a == 100 && (64..128).contains(&b))
        // IETF protocol assignments, 192.0.0.0/24; benchmarking, 198.18.0.0/15.
        || (a == 192 && b == 0 && c == 0)
        || (a == 198 && (b == 18 || b == 19))
        // Reserved, 240.0.0.0/4.
        || a >= 240)
}

fn is_public_v6(ip: Ipv6Addr) -> bool {
    if let Some(v4) = ip.to_ipv4_mapped() {
        return is_public_v4(v4);
    }
    let first = ip.segments()[0];
    !(ip.is_unspecified()
        || ip.is_loopback()
        || ip.is_multicast()
        // Unique local fc00::/7, link-local fe80::/10, site-local fec0::/10.
        || (first & 0xfe00) == 0xfc00
        || (first & 0xffc0) == 0xfe80
        || (first & 0xffc0) == 0xfec0
        // Documentation 2001:db8::/32; the NAT64 prefix 64:ff9b::/96 reaches IPv4 inside.
        || (first == 0x2001 && ip.segments()[1] == 0x0db8)
        || (first == 0x0064 && ip.segments()[1] == 0xff9b))
}

/// Whether a host name is one that always means this machine.
pub fn is_local_name(host: &str) -> bool {
    let h = host.trim_end_matches('.').to_ascii_lowercase();
    h == "localhost" || h.ends_with(".localhost")
}

/// An address range as admins write it to block visitors: one address (`203.0.113.7`) or a
/// CIDR block (`203.0.113.0/24`, `2001:db8::/32`). Kept in its canonical form (the network's
/// first address, the prefix), so `203.0.113.9/24` reads `203.0.113.0/24`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct IpRange {
    net: IpAddr,
    prefix: u8,
}

impl IpRange {
    pub fn parse(s: &str) -> Result<IpRange, crate::DomainError> {
        let bad = || crate::DomainError::invalid("ip_range", "an address or a CIDR block, e.g. 203.0.113.0/24");
        let s = s.trim();
        let (addr, prefix) = match s.split_once('/') {
            Some((a, p)) => (a, Some(p.parse::<u8>().map_err(|_| bad())?)),
            None => (s, None),
        };
        let ip: IpAddr = addr.parse().map_err(|_| bad())?;
        let max = if ip.is_ipv4() { 32 } else { 128 };
        let prefix = prefix.unwrap_or(max);
        // A range wider than a /8 (or an IPv6 /16) would shut out much of the internet.
        let min = if ip.is_ipv4() { 8 } else { 16 };
        if prefix > max || prefix < min {
            return Err(crate::DomainError::invalid("ip_range", "a prefix of /8–/32 (IPv4) or /16–/128 (IPv6)"));
        }
        Ok(IpRange { net: mask(ip, prefix), prefix })
    }

    pub fn contains(&self, ip: IpAddr) -> bool {
        // An IPv4 address seen as IPv6 (`::ffff:203.0.113.7`) is the IPv4 one.
        let ip = match ip {
            IpAddr::V6(v6) => v6.to_ipv4_mapped().map_or(ip, IpAddr::V4),
            v4 => v4,
        };
        ip.is_ipv4() == self.net.is_ipv4() && mask(ip, self.prefix) == self.net
    }
}

impl std::fmt::Display for IpRange {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let max = if self.net.is_ipv4() { 32 } else { 128 };
        if self.prefix == max { write!(f, "{}", self.net) } else { write!(f, "{}/{}", self.net, self.prefix) }
    }
}

fn mask(ip: IpAddr, prefix: u8) -> IpAddr {
    match ip {
        IpAddr::V4(v4) => {
            let bits = u32::from(v4) & u32::MAX.checked_shl(32 - u32::from(prefix)).unwrap_or(0);
            IpAddr::V4(Ipv4Addr::from(bits))
        }
        IpAddr::V6(v6) => {
            let bits = u128::from(v6) & u128::MAX.checked_shl(128 - u32::from(prefix)).unwrap_or(0);
            IpAddr::V6(Ipv6Addr::from(bits))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn private_and_special_addresses_are_not_public() {
        for ip in [
            "127.0.0.1",
            "10.1.2.3",
            "172.16.0.1",
            "192.168.1.1",
            "169.254.169.254",
            "100.64.0.1",
            "0.0.0.0",
            "255.255.255.255",
            "224.0.0.1",
            "::1",
            "::",
            "fe80::1",
            "fd00::1",
            "::ffff:127.0.0.1",
            "::ffff:10.0.0.1",
            "64:ff9b::7f00:1",
        ] {
            assert!(!is_public(ip.parse().expect("ip")), "{ip}");
        }
        for ip in ["93.184.216.34", "1.1.1.1", "2606:4700:4700::1111", "::ffff:8.8.8.8"] {
            assert!(is_public(ip.parse().expect("ip")), "{ip}");
        }
        assert!(
            is_local_name("LOCALHOST.") && is_local_name("api.localhost") && !is_local_name("localhost.example.com")
        );
    }

    #[test]
    fn ranges_hold_their_addresses_and_no_others() {
        let r = IpRange::parse(" 203.0.113.9/24 ").expect("range");
        assert_eq!(r.to_string(), "203.0.113.0/24");
        assert!(r.contains("203.0.113.200".parse().expect("ip")));
        assert!(r.contains("::ffff:203.0.113.7".parse().expect("mapped")));
        assert!(!r.contains("203.0.114.1".parse().expect("ip")));
        let one = IpRange::parse("198.51.100.7").expect("one");
        assert_eq!(one.to_string(), "198.51.100.7");
        assert!(
            one.contains("198.51.100.7".parse().expect("ip")) && !one.contains("198.51.100.8".parse().expect("ip"))
        );
        let v6 = IpRange::parse("2001:db8::1/32").expect("v6");
        assert_eq!(v6.to_string(), "2001:db8::/32");
        assert!(
            v6.contains("2001:db8:ffff::2".parse().expect("ip")) && !v6.contains("203.0.113.1".parse().expect("ip"))
        );
        for bad in ["", "203.0.113.0/33", "203.0.113.0/4", "::/0", "example.com", "1.2.3.4/x"] {
            assert!(IpRange::parse(bad).is_err(), "{bad}");
        }
    }
}
