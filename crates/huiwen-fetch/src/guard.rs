//! The SSRF guard: which addresses a fetch may never reach.
//!
//! huiwen fetches URLs that other people wrote — feed entries, links in
//! pages, `Location` headers. Without a guard, one such URL (`http://10.0.0.5/admin`,
//! or a public name whose DNS answer is `127.0.0.1`) turns the fetcher into a
//! proxy into the network it runs in. The check therefore runs on the
//! **addresses actually connected to**: the guarded resolver is the only
//! resolver the client has, so a name that resolves to a forbidden address is
//! refused at connect time, after DNS, where rebinding tricks cannot slip past
//! an earlier check. IP-literal hosts never reach a resolver, so the fetcher
//! checks them itself before the first request and on every redirect hop.

use std::fmt;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};

use reqwest::dns::{Addrs, Name, Resolve, Resolving};

/// Why an address is off limits. The name is what an operator reads in the
/// error message.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum AddressClass {
    /// `0.0.0.0/8`, `::` — "this host", which most stacks route to loopback.
    Unspecified,
    /// `127.0.0.0/8`, `::1`.
    Loopback,
    /// RFC 1918: `10/8`, `172.16/12`, `192.168/16`.
    Private,
    /// `100.64.0.0/10`, carrier-grade NAT, often a cloud's internal network.
    SharedCgnat,
    /// `169.254/16` (cloud metadata services live here), `fe80::/10`.
    LinkLocal,
    /// `fc00::/7`, and the deprecated site-local `fec0::/10`.
    UniqueLocal,
    /// `224/4`, `ff00::/8`.
    Multicast,
    /// `255.255.255.255`.
    Broadcast,
    /// `192.0.2/24`, `198.51.100/24`, `203.0.113/24`, `2001:db8::/32`,
    /// `3fff::/20`: never routed, so a URL pointing there is a mistake or a probe.
    Documentation,
    /// `192.0.0/24` (IETF protocol assignments), `198.18/15` (benchmarking),
    /// `240/4` (reserved): not on the public internet.
    Reserved,
}

impl fmt::Display for AddressClass {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            AddressClass::Unspecified => "unspecified",
            AddressClass::Loopback => "loopback",
            AddressClass::Private => "private (RFC 1918)",
            AddressClass::SharedCgnat => "shared (carrier-grade NAT)",
            AddressClass::LinkLocal => "link-local",
            AddressClass::UniqueLocal => "unique-local",
            AddressClass::Multicast => "multicast",
            AddressClass::Broadcast => "broadcast",
            AddressClass::Documentation => "documentation",
            AddressClass::Reserved => "reserved",
        })
    }
}

/// The class of a forbidden address, or `None` for an address on the public
/// internet. IPv6 forms that embed an IPv4 address (mapped `::ffff:a.b.c.d`,
/// compatible `::a.b.c.d`, NAT64 `64:ff9b::/96`, 6to4 `2002::/16`) are judged
/// by the IPv4 address inside, because that is where the packets end up.
pub fn classify(ip: IpAddr) -> Option<AddressClass> {
    match ip {
        IpAddr::V4(v4) => classify_v4(v4),
        IpAddr::V6(v6) => classify_v6(v6),
    }
}

fn classify_v4(ip: Ipv4Addr) -> Option<AddressClass> {
    let [a, b, c, _] = ip.octets();
    let class = match (a, b, c) {
        (0, _, _) => AddressClass::Unspecified,
        (127, _, _) => AddressClass::Loopback,
        (10, _, _) | (192, 168, _) => AddressClass::Private,
        (172, 16..=31, _) => AddressClass::Private,
        (100, 64..=127, _) => AddressClass::SharedCgnat,
        (169, 254, _) => AddressClass::LinkLocal,
        (192, 0, 2) | (198, 51, 100) | (203, 0, 113) => AddressClass::Documentation,
        (192, 0, 0) | (198, 18..=19, _) => AddressClass::Reserved,
        _ if ip.is_broadcast() => AddressClass::Broadcast,
        (224..=239, _, _) => AddressClass::Multicast,
        (240..=255, _, _) => AddressClass::Reserved,
        _ => return None,
    };
    Some(class)
}

fn classify_v6(ip: Ipv6Addr) -> Option<AddressClass> {
    if ip.is_unspecified() {
        return Some(AddressClass::Unspecified);
    }
    if ip.is_loopback() {
        return Some(AddressClass::Loopback);
    }
    let segments = ip.segments();
    let octets = ip.octets();
    let embedded =
        |at: usize| Ipv4Addr::new(octets[at], octets[at + 1], octets[at + 2], octets[at + 3]);
    // ::ffff:a.b.c.d (mapped) and ::a.b.c.d (the deprecated "compatible" form).
    if segments[..5] == [0; 5] && (segments[5] == 0xffff || segments[5] == 0) {
        return classify_v4(embedded(12));
    }
    // NAT64 well-known prefix: the gateway connects to the IPv4 address inside.
    if segments[..6] == [0x64, 0xff9b, 0, 0, 0, 0] {
        return classify_v4(embedded(12));
    }
    // 6to4: the IPv4 address of the relay follows the prefix.
    if segments[0] == 0x2002 {
        return classify_v4(embedded(2));
    }
    let class = match segments[0] {
        s if s & 0xff00 == 0xff00 => AddressClass::Multicast,
        s if s & 0xfe00 == 0xfc00 => AddressClass::UniqueLocal,
        s if s & 0xffc0 == 0xfe80 => AddressClass::LinkLocal,
        s if s & 0xffc0 == 0xfec0 => AddressClass::UniqueLocal,
        0x2001 if segments[1] == 0x0db8 => AddressClass::Documentation,
        s if s & 0xfff0 == 0x3ff0 => AddressClass::Documentation,
        _ => return None,
    };
    Some(class)
}

/// A refusal by the guard, carried as the source of the transport error so
/// the fetcher can turn it back into [`crate::FetchError::PrivateAddress`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct GuardRefusal {
    pub(crate) host: String,
    pub(crate) addr: IpAddr,
    pub(crate) class: AddressClass,
}

impl fmt::Display for GuardRefusal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "host {} resolves to {}, a {} address",
            self.host, self.addr, self.class
        )
    }
}

impl std::error::Error for GuardRefusal {}

/// Checks an IP-literal host (`http://10.1.2.3/`, `http://[::1]/`), which no
/// resolver sees. Names are left to the [`GuardedResolver`].
pub(crate) fn check_literal_host(url: &url::Url) -> Result<(), GuardRefusal> {
    let ip = match url.host() {
        Some(url::Host::Ipv4(v4)) => IpAddr::V4(v4),
        Some(url::Host::Ipv6(v6)) => IpAddr::V6(v6),
        _ => return Ok(()),
    };
    match classify(ip) {
        Some(class) => Err(GuardRefusal {
            host: url.host_str().unwrap_or_default().to_owned(),
            addr: ip,
            class,
        }),
        None => Ok(()),
    }
}

/// The client's only resolver: resolves with the system resolver (through
/// tokio) and drops every forbidden address. When nothing is left the lookup
/// fails with a [`GuardRefusal`] naming the first forbidden address, so the
/// operator sees *why* rather than "no addresses". reqwest keeps that error
/// in the source chain of its own, where the fetcher finds it again.
#[derive(Debug, Default)]
pub(crate) struct GuardedResolver;

impl Resolve for GuardedResolver {
    fn resolve(&self, name: Name) -> Resolving {
        let host = name.as_str().to_owned();
        Box::pin(async move {
            // Port 0: the connector sets the URL's port on each address.
            let resolved: Vec<SocketAddr> =
                tokio::net::lookup_host((host.as_str(), 0)).await?.collect();
            let mut first_refusal = None;
            let allowed: Vec<SocketAddr> = resolved
                .into_iter()
                .filter(|addr| match classify(addr.ip()) {
                    None => true,
                    Some(class) => {
                        first_refusal.get_or_insert(GuardRefusal {
                            host: host.clone(),
                            addr: addr.ip(),
                            class,
                        });
                        false
                    }
                })
                .collect();
            match (allowed.is_empty(), first_refusal) {
                (true, Some(refusal)) => {
                    tracing::warn!(%refusal, "fetch refused by the private-network guard");
                    Err(Box::new(refusal) as Box<dyn std::error::Error + Send + Sync>)
                }
                // A mixed answer connects to the public addresses only.
                _ => Ok(Box::new(allowed.into_iter()) as Addrs),
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn class(s: &str) -> Option<AddressClass> {
        classify(s.parse().expect("test address"))
    }

    #[test]
    fn forbidden_ipv4_ranges() {
        use AddressClass::*;
        let cases = [
            ("0.0.0.0", Unspecified),
            ("127.0.0.1", Loopback),
            ("127.255.255.254", Loopback),
            ("10.0.0.1", Private),
            ("172.16.0.1", Private),
            ("172.31.255.255", Private),
            ("192.168.1.1", Private),
            ("100.64.0.1", SharedCgnat),
            ("100.127.255.255", SharedCgnat),
            ("169.254.169.254", LinkLocal),
            ("192.0.2.10", Documentation),
            ("198.51.100.1", Documentation),
            ("203.0.113.99", Documentation),
            ("224.0.0.1", Multicast),
            ("239.255.255.250", Multicast),
            ("255.255.255.255", Broadcast),
            ("240.0.0.1", Reserved),
            ("198.18.0.1", Reserved),
        ];
        for (addr, expected) in cases {
            assert_eq!(class(addr), Some(expected), "{addr}");
        }
    }

    #[test]
    fn public_ipv4_is_allowed() {
        for addr in [
            "1.1.1.1",
            "8.8.8.8",
            "172.15.255.255",
            "172.32.0.1",
            "100.63.255.255",
            "100.128.0.1",
            "192.169.0.1",
            "223.5.5.5",
            "114.114.114.114",
        ] {
            assert_eq!(class(addr), None, "{addr}");
        }
    }

    #[test]
    fn forbidden_ipv6_ranges_and_embedded_ipv4() {
        use AddressClass::*;
        let cases = [
            ("::", Unspecified),
            ("::1", Loopback),
            ("fe80::1", LinkLocal),
            ("fc00::1", UniqueLocal),
            ("fd12:3456::1", UniqueLocal),
            ("fec0::1", UniqueLocal),
            ("ff02::1", Multicast),
            ("2001:db8::1", Documentation),
            ("::ffff:127.0.0.1", Loopback),
            ("::ffff:10.1.2.3", Private),
            ("::ffff:169.254.169.254", LinkLocal),
            ("::127.0.0.1", Loopback),
            ("64:ff9b::192.168.0.1", Private),
            ("2002:7f00:1::", Loopback),
        ];
        for (addr, expected) in cases {
            assert_eq!(class(addr), Some(expected), "{addr}");
        }
    }

    #[test]
    fn public_ipv6_is_allowed() {
        for addr in [
            "2400:3200::1",
            "2001:4860:4860::8888",
            "::ffff:8.8.8.8",
            "64:ff9b::808:808",
        ] {
            assert_eq!(class(addr), None, "{addr}");
        }
    }

    #[test]
    fn literal_hosts_are_checked_and_names_are_not() {
        let refused = |s: &str| check_literal_host(&url::Url::parse(s).expect("test url"));
        let refusal = refused("http://127.0.0.1:8080/x").expect_err("loopback literal");
        assert_eq!(refusal.addr, IpAddr::from([127, 0, 0, 1]));
        assert_eq!(refusal.class, AddressClass::Loopback);
        assert!(refused("http://[::ffff:192.168.0.1]/").is_err());
        assert!(refused("http://[fd00::1]/").is_err());
        // Decimal and hex IPv4 spellings are normalised by the URL parser.
        assert!(refused("http://2130706433/").is_err());
        assert!(refused("http://0x7f.1/").is_err());
        assert!(refused("http://93.184.216.34/").is_ok());
        assert!(
            refused("http://localhost/").is_ok(),
            "names go to the resolver"
        );
    }
}
