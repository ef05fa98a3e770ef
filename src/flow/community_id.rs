//! Community ID v1 (Corelight's published spec, `corelight/community-id-spec`):
//! one string per flow that Zeek, Suricata, Arkime, Wireshark and Elastic
//! compute the same way, so a flow found here can be looked up there by a
//! plain string comparison.
//!
//! The hash input is the 2-byte seed, both addresses, the IP protocol, one
//! zero byte and both ports (all big-endian), with the endpoints ordered so
//! the smaller (address, port) comes first; the result is `1:` and the
//! base64 of its SHA-1. ICMP and ICMPv6 have no ports: type and code stand
//! in for them as Zeek maps them (a request and its reply become one flow;
//! any other type is one-way and keeps its direction).

use base64::Engine;
use std::net::IpAddr;

/// IP protocol numbers the spec names.
const TCP: u8 = 6;
const UDP: u8 = 17;
const ICMP: u8 = 1;
const ICMPV6: u8 = 58;
const SCTP: u8 = 132;

/// The port-equivalents of an ICMP type and code, and whether the message
/// is one-way (then the endpoints are not reordered). Request/reply pairs
/// map to (type, counterpart type); any other type to (type, code).
pub fn icmp_ports(v6: bool, kind: u8, code: u8) -> (u16, u16, bool) {
    // Zeek's ICMP4_counterpart / ICMP6_counterpart, as pycommunityid copies them.
    let counterpart = if v6 {
        match kind {
            128 => Some(129), // echo request → reply
            129 => Some(128),
            130 => Some(131), // MLD listener query → report
            131 => Some(130),
            133 => Some(134), // router solicitation → advertisement
            134 => Some(133),
            135 => Some(136), // neighbour solicitation → advertisement
            136 => Some(135),
            139 => Some(140), // who-are-you request → reply
            140 => Some(139),
            144 => Some(145), // home agent address discovery request → reply
            145 => Some(144),
            _ => None,
        }
    } else {
        match kind {
            8 => Some(0), // echo → echo reply
            0 => Some(8),
            13 => Some(14), // timestamp → reply
            14 => Some(13),
            15 => Some(16), // information → reply
            16 => Some(15),
            10 => Some(9), // router solicitation → advertisement
            9 => Some(10),
            17 => Some(18), // address mask → reply
            18 => Some(17),
            _ => None,
        }
    };
    match counterpart {
        Some(c) => (kind as u16, c, false),
        None => (kind as u16, code as u16, true),
    }
}

/// The Community ID of a flow from `saddr` to `daddr` of IP protocol
/// `proto`; `ports` are the transport ports (or ICMP's port-equivalents
/// from [`icmp_ports`]), `None` for a protocol without ports. `one_way`
/// keeps the direction as given (ICMP messages without a counterpart).
/// `None` when the two addresses are of different families.
pub fn community_id_v1(
    seed: u16,
    saddr: IpAddr,
    daddr: IpAddr,
    proto: u8,
    ports: Option<(u16, u16)>,
    one_way: bool,
) -> Option<String> {
    let (sp, dp) = ports.unwrap_or((0, 0));
    let swap = !one_way && (octets(daddr), dp) < (octets(saddr), sp);
    let (a, b, ap, bp) = if swap {
        (daddr, saddr, dp, sp)
    } else {
        (saddr, daddr, sp, dp)
    };
    let mut h = sha1_smol::Sha1::new();
    h.update(&seed.to_be_bytes());
    match (a, b) {
        (IpAddr::V4(a), IpAddr::V4(b)) => {
            h.update(&a.octets());
            h.update(&b.octets());
        }
        (IpAddr::V6(a), IpAddr::V6(b)) => {
            h.update(&a.octets());
            h.update(&b.octets());
        }
        _ => return None,
    }
    h.update(&[proto, 0]);
    if ports.is_some() {
        h.update(&ap.to_be_bytes());
        h.update(&bp.to_be_bytes());
    }
    let digest = h.digest().bytes();
    Some(format!(
        "1:{}",
        base64::engine::general_purpose::STANDARD.encode(digest)
    ))
}

/// Which protocols hash with ports: the spec's TCP, UDP and SCTP (ICMP's
/// port-equivalents are handled by the caller).
pub fn has_ports(proto: u8) -> bool {
    matches!(proto, TCP | UDP | SCTP)
}

/// Whether `proto` is ICMP or ICMPv6.
pub fn is_icmp(proto: u8) -> bool {
    matches!(proto, ICMP | ICMPV6)
}

/// The address bytes in network order, for ordering (IPv4 and IPv6 never
/// meet in one flow).
fn octets(a: IpAddr) -> [u8; 16] {
    match a {
        IpAddr::V4(v4) => v4.to_ipv6_mapped().octets(),
        IpAddr::V6(v6) => v6.octets(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(s: &str) -> IpAddr {
        s.parse().unwrap()
    }

    /// The spec's baseline table (corelight/community-id-spec,
    /// baseline/README.md, "Default settings" and "A custom seed=1 value"):
    /// proto, source, destination, `ports` and the two ports, or `icmp` and
    /// type and code, or `- - -` (RSVP has no ports), then the seed 0 and
    /// seed 1 results.
    const TABLE: &str = "
6 1.2.3.4 5.6.7.8 ports 1122 3344 1:wCb3OG7yAFWelaUydu0D+125CLM= 1:HhA1B+6CoLbiKPEs5nhNYN4XWfk=
6 5.6.7.8 1.2.3.4 ports 3344 1122 1:wCb3OG7yAFWelaUydu0D+125CLM= 1:HhA1B+6CoLbiKPEs5nhNYN4XWfk=
17 1.2.3.4 5.6.7.8 ports 1122 3344 1:0Mu9InQx6z4ZiCZM/7HXi2WMhOg= 1:OShq+iKDAMVouh/4bMxB9Sz4amw=
17 5.6.7.8 1.2.3.4 ports 3344 1122 1:0Mu9InQx6z4ZiCZM/7HXi2WMhOg= 1:OShq+iKDAMVouh/4bMxB9Sz4amw=
132 1.2.3.4 5.6.7.8 ports 1122 3344 1:EKt4MsxuyaE6mL+hmrEkQ9csDD8= 1:uitchpn5MMGAQKBJh7bIr/bAr7s=
132 5.6.7.8 1.2.3.4 ports 3344 1122 1:EKt4MsxuyaE6mL+hmrEkQ9csDD8= 1:uitchpn5MMGAQKBJh7bIr/bAr7s=
1 1.2.3.4 5.6.7.8 icmp 8 0 1:crodRHL2FEsHjbv3UkRrfbs4bZ0= 1:9pr4ZGTICiuZoIh90RRYE2RyXpU=
1 5.6.7.8 1.2.3.4 icmp 0 0 1:crodRHL2FEsHjbv3UkRrfbs4bZ0= 1:9pr4ZGTICiuZoIh90RRYE2RyXpU=
1 1.2.3.4 5.6.7.8 icmp 11 0 1:f/YiSyWqczrTgfUCZlBUnvHRcPk= 1:1DD7cWGC/Yg91YGsQeni8du3pIA=
58 fe80:0001:0203:0405:0607:0809:0A0B:0C0D fe80:1011:1213:1415:1617:1819:1A1B:1C1D icmp 128 0 1:0bf7hyMJUwt3fMED7z8LIfRpBeo= 1:IO27GQzPuCtNnwFvjWALMHu5tJE=
58 fe80:1011:1213:1415:1617:1819:1A1B:1C1D fe80:0001:0203:0405:0607:0809:0A0B:0C0D icmp 129 0 1:0bf7hyMJUwt3fMED7z8LIfRpBeo= 1:IO27GQzPuCtNnwFvjWALMHu5tJE=
58 fe80:0001:0203:0405:0607:0809:0A0B:0C0D fe80:1011:1213:1415:1617:1819:1A1B:1C1D icmp 146 0 1:fYC8+pz24E+EhANP1EZhpX0Dw10= 1:Cv4IKJe56BNkF0MBW2YxQ3Nwc3s=
46 1.2.3.4 5.6.7.8 - - - 1:ikv3kmf89luf73WPz1jOs49S768= 1:/buhqeOmaRCopOZFy9HnoJd5XW8=
46 5.6.7.8 1.2.3.4 - - - 1:ikv3kmf89luf73WPz1jOs49S768= 1:/buhqeOmaRCopOZFy9HnoJd5XW8=
46 fe80:0001:0203:0405:0607:0809:0A0B:0C0D fe80:1011:1213:1415:1617:1819:1A1B:1C1D - - - 1:wQ/2mwrnXP4lmJcHdGL5ePjR+e0= 1:j6EyyfBzL4vWKHFXgUqb5Az3OxM=
46 fe80:1011:1213:1415:1617:1819:1A1B:1C1D fe80:0001:0203:0405:0607:0809:0A0B:0C0D - - - 1:wQ/2mwrnXP4lmJcHdGL5ePjR+e0= 1:j6EyyfBzL4vWKHFXgUqb5Az3OxM=
";

    /// corelight/community-id-spec, baseline/baseline_deflt.json (made by
    /// pycommunityid's community-id-pcap from pcaps/combined.pcap.gz):
    /// proto, source, destination, port-equivalents (ICMP types already
    /// mapped there), result. The SCTP and RSVP rows are in the table above.
    const BASELINE_JSON: &str = "
58 fe80::200:86ff:fe05:80da fe80::260:97ff:fe07:69ea 135 136 1:dGHyGvjMfljg6Bppwm3bg0LO8TY=
58 fe80::260:97ff:fe07:69ea fe80::200:86ff:fe05:80da 136 135 1:dGHyGvjMfljg6Bppwm3bg0LO8TY=
58 fe80::260:97ff:fe07:69ea fe80::200:86ff:fe05:80da 135 136 1:zavyT/cezQr1fmImYCwYnMXbgck=
58 fe80::200:86ff:fe05:80da fe80::260:97ff:fe07:69ea 136 135 1:zavyT/cezQr1fmImYCwYnMXbgck=
58 3ffe:501:1800:2345::2 3ffe:507:0:1:200:86ff:fe05:80da 3 0 1:2ObVBgIn28oZvibYZhZMBgh7WdQ=
58 3ffe:501:410:0:2c0:dfff:fe47:33e 3ffe:507:0:1:200:86ff:fe05:80da 1 4 1:hLZd0XGWojozrvxqE0dWB1iM6R0=
58 3ffe:507:0:1:200:86ff:fe05:80da 3ffe:501:0:1001::2 128 129 1:+TW+HtLHvV1xnGhV1lv7XoJrqQg=
58 3ffe:501:0:1001::2 3ffe:507:0:1:200:86ff:fe05:80da 129 128 1:+TW+HtLHvV1xnGhV1lv7XoJrqQg=
58 fe80::200:86ff:fe05:80da ff02::2 133 134 1:hO+sN4H+MG5MY/8hIrXPqc4ZQz0=
58 fe80::260:97ff:fe07:69ea ff02::1 134 133 1:pkvHqCL88/tg1k4cPigmZXUtL00=
1 192.168.0.89 192.168.0.1 8 0 1:X0snYXpgwiv9TZtqg64sgzUn6Dk=
1 192.168.0.1 192.168.0.89 0 8 1:X0snYXpgwiv9TZtqg64sgzUn6Dk=
1 10.0.0.1 10.0.0.2 11 0 1:YHxtAirCG//0OzkcVAukqKQN9xM=
6 2001:470:e5bf:dead:4957:2174:e82c:4887 2607:f8b0:400c:c03::1a 63943 25 1:/qFaeAR+gFe1KYjMzVDsMv+wgU4=
6 2607:f8b0:400c:c03::1a 2001:470:e5bf:dead:4957:2174:e82c:4887 25 63943 1:/qFaeAR+gFe1KYjMzVDsMv+wgU4=
6 128.232.110.120 66.35.250.204 34855 80 1:LQU9qZlK+B5F3KDmev6m5PMibrg=
6 66.35.250.204 128.232.110.120 80 34855 1:LQU9qZlK+B5F3KDmev6m5PMibrg=
17 192.168.1.52 8.8.8.8 54585 53 1:d/FP5EW3wiY1vCndhwleRRKHowQ=
17 8.8.8.8 192.168.1.52 53 54585 1:d/FP5EW3wiY1vCndhwleRRKHowQ=
";

    fn rows(table: &str) -> impl Iterator<Item = Vec<&str>> {
        table
            .lines()
            .filter(|l| !l.is_empty())
            .map(|l| l.split(' ').collect())
    }

    fn num(s: &str) -> u16 {
        s.parse().unwrap()
    }

    #[test]
    fn the_spec_baseline_table_default_seed_and_seed_1() {
        assert_eq!(rows(TABLE).count(), 16);
        for r in rows(TABLE) {
            let proto: u8 = r[0].parse().unwrap();
            let (ports, one_way) = match r[3] {
                "icmp" => {
                    let (a, b, one_way) =
                        icmp_ports(proto == 58, r[4].parse().unwrap(), r[5].parse().unwrap());
                    (Some((a, b)), one_way)
                }
                "ports" => (Some((num(r[4]), num(r[5]))), false),
                _ => (None, false),
            };
            for (seed, want) in [(0, r[6]), (1, r[7])] {
                let got = community_id_v1(seed, ip(r[1]), ip(r[2]), proto, ports, one_way);
                assert_eq!(got.as_deref(), Some(want), "seed {seed}: {r:?}");
            }
        }
    }

    #[test]
    fn the_spec_baseline_json_vectors() {
        assert_eq!(rows(BASELINE_JSON).count(), 19);
        for r in rows(BASELINE_JSON) {
            let proto: u8 = r[0].parse().unwrap();
            let (sp, dp) = (num(r[3]), num(r[4]));
            // The JSON gives port-equivalents; a one-way ICMP type (its
            // second number is a code, not a counterpart) keeps its order.
            let one_way = is_icmp(proto) && icmp_ports(proto == 58, sp as u8, 0).2;
            let got = community_id_v1(0, ip(r[1]), ip(r[2]), proto, Some((sp, dp)), one_way);
            assert_eq!(got.as_deref(), Some(r[5]), "{r:?}");
        }
    }

    #[test]
    fn a_one_way_icmp_type_keeps_its_direction() {
        let (a, b) = (ip("5.6.7.8"), ip("1.2.3.4"));
        let (sp, dp, one_way) = icmp_ports(false, 3, 1);
        assert!(one_way);
        let there = community_id_v1(0, a, b, 1, Some((sp, dp)), true);
        let back = community_id_v1(0, b, a, 1, Some((sp, dp)), true);
        assert_ne!(there, back);
    }

    #[test]
    fn mixed_address_families_have_no_id() {
        assert_eq!(
            community_id_v1(0, ip("1.2.3.4"), ip("::1"), 6, Some((1, 2)), false),
            None
        );
    }
}
