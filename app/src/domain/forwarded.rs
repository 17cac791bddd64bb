//! Which address a request comes from. Behind a reverse proxy the connection's peer is the proxy,
//! and the client's address is in `X-Forwarded-For` (or RFC 7239 `Forwarded`), which anyone can
//! also write. So those headers are read only when the peer is a proxy we were told to trust
//! (`CODELINK_TRUSTED_PROXIES`), and only as far as trusted proxies wrote them: each proxy appends
//! the address it received from, so the list is walked from the right, past our own proxies, and
//! the first address that is not one of them is the client. Whatever a client put further left
//! is ignored.
//!
//! When both headers arrive, `X-Forwarded-For` wins: it is what nginx, Caddy, Traefik and cloud
//! load balancers write. A proxy that writes only `Forwarded` must drop `X-Forwarded-For` from
//! the requests it receives.

use std::net::IpAddr;

/// The resolved client address, put into each request's extensions once by the server, so every
/// reader (rate limits, sign-up counters, self-dealing checks) gets the same answer.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ClientAddress(pub IpAddr);

/// An address block: `10.0.0.0/8`, `fd00::/8`, or a single address (`192.0.2.1`, `::1`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct IpBlock {
    network: IpAddr,
    prefix: u8,
}

impl IpBlock {
    pub fn parse(text: &str) -> Option<Self> {
        let (address, prefix) = match text.trim().split_once('/') {
            Some((address, prefix)) => (address, Some(prefix.parse::<u8>().ok()?)),
            None => (text.trim(), None),
        };
        let network = address.parse::<IpAddr>().ok()?.to_canonical();
        let bits = if network.is_ipv4() { 32 } else { 128 };
        let prefix = prefix.unwrap_or(bits);
        (prefix <= bits).then_some(IpBlock { network, prefix })
    }

    pub fn contains(&self, address: IpAddr) -> bool {
        match (self.network, address.to_canonical()) {
            (IpAddr::V4(net), IpAddr::V4(ip)) => {
                same_prefix(u32::from(net).into(), u32::from(ip).into(), 32, self.prefix)
            }
            (IpAddr::V6(net), IpAddr::V6(ip)) => same_prefix(net.into(), ip.into(), 128, self.prefix),
            _ => false,
        }
    }
}

fn same_prefix(a: u128, b: u128, bits: u8, prefix: u8) -> bool {
    prefix == 0 || (a ^ b) >> (bits - prefix) == 0
}

/// The proxies whose forwarding headers are believed. Empty (the default): nobody's.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct TrustedProxies(Vec<IpBlock>);

impl TrustedProxies {
    /// A comma-separated list of addresses and CIDR blocks; the error is the first entry that is
    /// neither.
    pub fn parse(list: &str) -> Result<Self, String> {
        list.split(',')
            .map(str::trim)
            .filter(|entry| !entry.is_empty())
            .map(|entry| IpBlock::parse(entry).ok_or_else(|| entry.to_string()))
            .collect::<Result<_, _>>()
            .map(TrustedProxies)
    }

    pub fn trusts(&self, address: IpAddr) -> bool {
        self.0.iter().any(|block| block.contains(address))
    }

    /// The client's address for a connection from `peer` carrying these `X-Forwarded-For` and
    /// `Forwarded` header values (each header may appear several times; they are one list).
    pub fn client_address(&self, peer: IpAddr, x_forwarded_for: &[&str], forwarded: &[&str]) -> IpAddr {
        let peer = peer.to_canonical();
        if !self.trusts(peer) {
            return peer;
        }
        let hops: Vec<&str> = if x_forwarded_for.iter().any(|v| !v.trim().is_empty()) {
            x_forwarded_for.iter().flat_map(|value| value.split(',')).collect()
        } else {
            forwarded.iter().flat_map(|value| value.split(',')).filter_map(forwarded_for).collect()
        };
        // Walk from the proxy nearest to us outwards. An entry we cannot read ("unknown", an
        // obfuscated id) ends the walk at the last address a trusted proxy vouched for.
        let mut client = peer;
        for hop in hops.iter().rev() {
            let Some(address) = parse_hop(hop) else { break };
            client = address;
            if !self.trusts(address) {
                break;
            }
        }
        client
    }
}

/// The `for=` parameter of one `Forwarded` element (`for=192.0.2.60;proto=https;by=…`).
fn forwarded_for(element: &str) -> Option<&str> {
    element.split(';').find_map(|pair| {
        let (key, value) = pair.split_once('=')?;
        key.trim().eq_ignore_ascii_case("for").then(|| value.trim().trim_matches('"'))
    })
}

/// One hop's address: `192.0.2.1`, `192.0.2.1:4711`, `2001:db8::1`, `[2001:db8::1]:4711`.
fn parse_hop(hop: &str) -> Option<IpAddr> {
    let hop = hop.trim();
    if let Ok(address) = hop.parse::<IpAddr>() {
        return Some(address.to_canonical());
    }
    let host = match hop.strip_prefix('[') {
        Some(bracketed) => bracketed.split_once(']')?.0,
        None => hop.rsplit_once(':')?.0,
    };
    host.parse::<IpAddr>().ok().map(|address| address.to_canonical())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(text: &str) -> IpAddr {
        text.parse().unwrap()
    }

    #[test]
    fn blocks_match_their_addresses_only() {
        let block = IpBlock::parse("10.0.0.0/8").unwrap();
        assert!(block.contains(ip("10.200.3.4")));
        assert!(!block.contains(ip("11.0.0.1")));
        assert!(block.contains(ip("::ffff:10.0.0.1")), "IPv4-mapped IPv6 is the IPv4 address");
        assert!(IpBlock::parse("fd00::/8").unwrap().contains(ip("fd12::1")));
        assert!(!IpBlock::parse("fd00::/8").unwrap().contains(ip("10.0.0.1")));
        assert!(IpBlock::parse("192.0.2.7").unwrap().contains(ip("192.0.2.7")));
        assert!(!IpBlock::parse("192.0.2.7").unwrap().contains(ip("192.0.2.8")));
        assert!(IpBlock::parse("0.0.0.0/0").unwrap().contains(ip("203.0.113.1")));
        for bad in ["10.0.0.0/33", "::/129", "proxy", "10.0.0.0/", "/8", ""] {
            assert_eq!(IpBlock::parse(bad), None, "{bad}");
        }
    }

    #[test]
    fn the_list_parses_or_names_the_bad_entry() {
        assert_eq!(TrustedProxies::parse(""), Ok(TrustedProxies::default()));
        let list = TrustedProxies::parse(" 127.0.0.1, 10.0.0.0/8 ,::1").unwrap();
        assert!(list.trusts(ip("10.1.1.1")) && list.trusts(ip("::1")) && !list.trusts(ip("192.0.2.1")));
        assert_eq!(TrustedProxies::parse("10.0.0.0/8, lb.internal"), Err("lb.internal".into()));
    }

    #[test]
    fn headers_from_an_untrusted_peer_are_ignored() {
        let nobody = TrustedProxies::default();
        assert_eq!(nobody.client_address(ip("198.51.100.9"), &["203.0.113.7"], &[]), ip("198.51.100.9"));
        let some = TrustedProxies::parse("10.0.0.0/8").unwrap();
        assert_eq!(some.client_address(ip("198.51.100.9"), &["203.0.113.7"], &[]), ip("198.51.100.9"));
    }

    #[test]
    fn the_rightmost_address_that_is_not_a_trusted_proxy_is_the_client() {
        let proxies = TrustedProxies::parse("10.0.0.0/8").unwrap();
        let peer = ip("10.0.0.2");
        assert_eq!(proxies.client_address(peer, &["203.0.113.7"], &[]), ip("203.0.113.7"));
        // The client wrote 1.2.3.4 itself; our proxies appended what they saw.
        assert_eq!(proxies.client_address(peer, &["1.2.3.4, 203.0.113.7, 10.0.0.5"], &[]), ip("203.0.113.7"));
        assert_eq!(
            proxies.client_address(peer, &["1.2.3.4", "203.0.113.7"], &[]),
            ip("203.0.113.7"),
            "repeated headers are one list"
        );
        assert_eq!(
            proxies.client_address(peer, &["10.0.0.9, 10.0.0.5"], &[]),
            ip("10.0.0.9"),
            "all proxies: the farthest"
        );
        assert_eq!(proxies.client_address(peer, &["203.0.113.7:4711"], &[]), ip("203.0.113.7"));
        assert_eq!(proxies.client_address(peer, &["[2001:db8::1]:4711"], &[]), ip("2001:db8::1"));
        assert_eq!(proxies.client_address(peer, &[], &[]), peer, "no header: the peer");
        assert_eq!(proxies.client_address(peer, &["1.2.3.4, garbage"], &[]), peer, "unreadable: stop at our proxy");
        assert_eq!(proxies.client_address(ip("::ffff:10.0.0.2"), &["203.0.113.7"], &[]), ip("203.0.113.7"));
    }

    #[test]
    fn forwarded_is_read_when_there_is_no_x_forwarded_for() {
        let proxies = TrustedProxies::parse("10.0.0.0/8").unwrap();
        let peer = ip("10.0.0.2");
        let forwarded = ["for=1.2.3.4, for=\"[2001:db8:cafe::17]:4711\";proto=https, For=10.0.0.3;by=10.0.0.2"];
        assert_eq!(proxies.client_address(peer, &[], &forwarded), ip("2001:db8:cafe::17"));
        assert_eq!(
            proxies.client_address(peer, &["203.0.113.7"], &forwarded),
            ip("203.0.113.7"),
            "X-Forwarded-For wins"
        );
        assert_eq!(proxies.client_address(peer, &[], &["for=unknown"]), peer);
    }
}
