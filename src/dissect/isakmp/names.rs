//! The names tcpdump prints for ISAKMP's and IKE's codes: payload types,
//! protocol and transform ids, SA attributes and their values, identity,
//! certificate, notification and authentication types. Read off what
//! `tcpdump -n -v` 4.99 prints for each code (the tables stop where its
//! names stop; a code past them prints as `#N`).

/// Payload types as tcpdump names them in a cut mark (`[|hash]`) and in
/// the `--json` payload list.
pub(super) const PAYLOADS: &[(u8, &str)] = &[
    (1, "sa"),
    (2, "p"),
    (3, "t"),
    (4, "ke"),
    (5, "id"),
    (6, "cert"),
    (7, "cr"),
    (8, "hash"),
    (9, "sig"),
    (10, "nonce"),
    (11, "n"),
    (12, "d"),
    (13, "vid"),
    (33, "v2sa"),
    (34, "v2ke"),
    (35, "v2IDi"),
    (36, "v2IDr"),
    (37, "v2cert"),
    (38, "v2cr"),
    (39, "v2auth"),
    (40, "v2nonce"),
    (41, "v2n"),
    (42, "v2d"),
    (43, "v2vid"),
    (44, "v2TSi"),
    (45, "v2TSr"),
    (46, "v2e"),
    (47, "v2cp"),
    (48, "v2eap"),
];

/// `table[n]`, where the table starts at code 0 (`""`: no name).
pub(super) fn at(table: &[&'static str], n: impl Into<usize>) -> Option<&'static str> {
    table.get(n.into()).copied().filter(|s| !s.is_empty())
}

/// Protocol ids (IKEv1's `protoid=`, IKEv2's `prot_id=`).
pub(super) const PROTOCOLS: &[&str] = &["", "isakmp", "ipsec-ah", "ipsec-esp", "ipcomp"];

/// Encryption algorithms (IKEv1's ESP transforms, IKEv2's `encr` ids).
const ENCRYPTION: &[&str] = &[
    "",
    "1des-iv64",
    "1des",
    "3des",
    "rc5",
    "idea",
    "cast",
    "blowfish",
    "3idea",
    "1des-iv32",
    "rc4",
    "null",
    "aes",
];

/// IKEv1 transform ids, by protocol id (1 ISAKMP, 2 AH, 3 ESP, 4 IPComp).
pub(super) const V1_TRANSFORMS: [&[&str]; 5] = [
    &[],
    &["", "ike"],
    &[
        "",
        "(reserved)",
        "md5",
        "sha",
        "1des",
        "sha2-256",
        "sha2-384",
        "sha2-512",
    ],
    ENCRYPTION,
    &["", "oui", "deflate", "lzs"],
];

/// Diffie-Hellman groups (IKEv1's `group desc` values; IKEv2's `dh` ids
/// go one further).
pub(super) const GROUPS: &[&str] = &[
    "",
    "modp768",
    "modp1024",
    "EC2N 2^155",
    "EC2N 2^185",
    "modp1536",
    "iana-grp06",
    "iana-grp07",
    "iana-grp08",
    "iana-grp09",
    "iana-grp10",
    "iana-grp11",
    "iana-grp12",
    "iana-grp13",
    "modp2048",
    "modp3072",
    "modp4096",
    "modp6144",
    "modp8192",
];

/// The IKEv1 groups end one before IKEv2's.
pub(super) const V1_GROUPS: usize = 18;

/// One SA attribute type: its name and the names of its values (empty:
/// the value prints in hex).
pub(super) type Attr = (&'static str, &'static [&'static str]);

/// Oakley (phase 1) attributes, by type.
pub(super) const OAKLEY_ATTRS: &[Attr] = &[
    ("", &[]),
    (
        "enc",
        &["", "1des", "idea", "blowfish", "rc5", "3des", "cast", "aes"],
    ),
    (
        "hash",
        &[
            "", "md5", "sha1", "tiger", "sha2-256", "sha2-384", "sha2-512",
        ],
    ),
    (
        "auth",
        &[
            "",
            "preshared",
            "dss",
            "rsa sig",
            "rsa enc",
            "rsa enc revised",
        ],
    ),
    ("group desc", &[]),
    ("group type", &["", "MODP", "ECP", "EC2N"]),
    ("group prime", &[]),
    ("group gen1", &[]),
    ("group gen2", &[]),
    ("group curve A", &[]),
    ("group curve B", &[]),
    ("lifetype", &["", "sec", "kb"]),
    ("lifeduration", &[]),
    ("prf", &[]),
    ("keylen", &[]),
    ("field", &[]),
    ("order", &[]),
];

/// IPsec DOI (phase 2) attributes, by type.
pub(super) const IPSEC_ATTRS: &[Attr] = &[
    ("", &[]),
    ("lifetype", &["", "sec", "kb"]),
    ("life", &[]),
    ("group desc", &[]),
    ("enc mode", &["", "tunnel", "transport"]),
    ("auth", &["", "hmac-md5", "hmac-sha1", "1des-mac", "keyed"]),
    ("keylen", &[]),
    ("rounds", &[]),
    ("dictsize", &[]),
    ("privalg", &[]),
];

/// The attribute type whose values are [`GROUPS`] (in both tables).
pub(super) fn is_group(table: &[Attr], t: u16) -> bool {
    table
        .get(usize::from(t))
        .is_some_and(|(n, _)| *n == "group desc")
}

/// IKEv1 identity types.
pub(super) const V1_IDS: &[&str] = &[
    "",
    "IPv4",
    "FQDN",
    "user FQDN",
    "IPv4net",
    "IPv6",
    "IPv6net",
    "IPv4range",
    "IPv6range",
    "ASN1 DN",
    "ASN1 GN",
    "keyid",
];

/// Certificate encodings (CERT and CR).
pub(super) const CERTS: &[&str] = &[
    "none", "pkcs7", "pgp", "dns", "x509sign", "x509ke", "kerberos", "crl", "arl", "spki",
    "x509attr",
];

/// IKEv1 notification types below 8192 (errors).
pub(super) const V1_ERRORS: &[&str] = &[
    "",
    "INVALID-PAYLOAD-TYPE",
    "DOI-NOT-SUPPORTED",
    "SITUATION-NOT-SUPPORTED",
    "INVALID-COOKIE",
    "INVALID-MAJOR-VERSION",
    "INVALID-MINOR-VERSION",
    "INVALID-EXCHANGE-TYPE",
    "INVALID-FLAGS",
    "INVALID-MESSAGE-ID",
    "INVALID-PROTOCOL-ID",
    "INVALID-SPI",
    "INVALID-TRANSFORM-ID",
    "ATTRIBUTES-NOT-SUPPORTED",
    "NO-PROPOSAL-CHOSEN",
    "BAD-PROPOSAL-SYNTAX",
    "PAYLOAD-MALFORMED",
    "INVALID-KEY-INFORMATION",
    "INVALID-ID-INFORMATION",
    "INVALID-CERT-ENCODING",
    "INVALID-CERTIFICATE",
    "CERT-TYPE-UNSUPPORTED",
    "INVALID-CERT-AUTHORITY",
    "INVALID-HASH-INFORMATION",
    "AUTHENTICATION-FAILED",
    "INVALID-SIGNATURE",
    "ADDRESS-NOTIFICATION",
    "NOTIFY-SA-LIFETIME",
    "CERTIFICATE-UNAVAILABLE",
    "UNSUPPORTED-EXCHANGE-TYPE",
    "UNEQUAL-PAYLOAD-LENGTHS",
];

/// IKEv1 IPsec DOI notification types, from 24576.
pub(super) const V1_IPSEC_NOTIFY: &[&str] =
    &["RESPONDER-LIFETIME", "REPLAY-STATUS", "INITIAL-CONTACT"];

/// IKEv2 transform types.
pub(super) const V2_TRANSFORM_TYPES: &[&str] = &["", "encr", "prf", "integ", "dh", "esn"];

/// IKEv2 transform ids, by transform type (`dh`'s are [`GROUPS`]).
pub(super) const V2_TRANSFORMS: [&[&str]; 6] = [
    &[],
    ENCRYPTION,
    &["", "hmac-md5", "hmac-sha", "hmac-tiger", "aes128_xcbc"],
    &[
        "", "hmac-md5", "hmac-sha", "dec-mac", "kpdk-md5", "aes-xcbc",
    ],
    GROUPS,
    &["no-esn", "esn"],
];

/// IKEv2 authentication methods.
pub(super) const V2_AUTH: &[&str] = &["invalid", "rsasig", "shared-secret", "dsssig"];

/// IKEv2 notification types with a name, and whether tcpdump prints the
/// SPI of each (it does for a type without a name).
pub(super) const V2_NOTIFY: &[(u16, &str, bool)] = &[
    (1, "unsupported_critical_payload", false),
    (4, "invalid_ike_spi", true),
    (5, "invalid_major_version", false),
    (7, "invalid_syntax", true),
    (9, "invalid_message_id", true),
    (11, "invalid_spi", true),
    (14, "no_protocol_chosen", true),
    (17, "invalid_ke_payload", true),
    (24, "authentication_failed", true),
    (34, "single_pair_required", true),
    (35, "no_additional_sas", false),
    (36, "internal_address_failure", false),
    (37, "failed:cp_required", false),
    (39, "invalid_selectors", false),
    (16384, "initial_contact", false),
    (16385, "set_window_size", false),
    (16386, "additional_ts_possible", false),
    (16387, "ipcomp_supported", false),
    (16388, "nat_detection_source_ip", true),
    (16389, "nat_detection_destination_ip", true),
    (16390, "cookie", true),
    (16391, "use_transport_mode", false),
    (16392, "http_cert_lookup_supported", false),
    (16393, "rekey_sa", true),
    (16394, "tfc_padding_not_supported", false),
    (16395, "non_first_fragment_also", false),
];

/// IKEv2 identity types and the word before the identity's data; `true`
/// where the data prints as text.
pub(super) const V2_IDS: &[(u8, &str, bool)] = &[
    (1, "ipv4", false),
    (2, "fqdn", true),
    (3, "rfc822", true),
    (5, "ipv6", false),
    (9, "dn", false),
    (10, "gn", false),
    (11, "keyid", false),
];

/// IKEv2 transform attributes: only the key length (14) has a name.
pub(super) const V2_ATTRS: [Attr; 15] = {
    let mut table: [Attr; 15] = [("", &[]); 15];
    table[14] = ("keylen", &[]);
    table
};
