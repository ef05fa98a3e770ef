//! The names `tcpdump` gives link types in its `reading from file …, link-type
//! NAME (Description)` line: libpcap's table, as Debian's tcpdump 4.99 /
//! libpcap 1.10 print it (read off the tool itself for every number from 0
//! to 300). A number not here is printed bare (`link-type 147`).

/// One line per link type: `number|NAME|Description`, by number.
pub(super) static LINK_NAMES: &str = "\
0|NULL|BSD loopback\n\
1|EN10MB|Ethernet\n\
6|IEEE802|Token ring\n\
7|ARCNET|BSD ARCNET\n\
8|SLIP|SLIP\n\
9|PPP|PPP\n\
10|FDDI|FDDI\n\
11|ATM_RFC1483|RFC 1483 LLC-encapsulated ATM\n\
12|RAW|Raw IP\n\
15|SLIP_BSDOS|BSD/OS SLIP\n\
16|PPP_BSDOS|BSD/OS PPP\n\
19|ATM_CLIP|Linux Classical IP over ATM\n\
50|PPP_SERIAL|PPP over serial\n\
51|PPP_ETHER|PPPoE\n\
99|SYMANTEC_FIREWALL|Symantec Firewall\n\
100|ATM_RFC1483|RFC 1483 LLC-encapsulated ATM\n\
101|RAW|Raw IP\n\
102|SLIP_BSDOS|BSD/OS SLIP\n\
103|PPP_BSDOS|BSD/OS PPP\n\
104|C_HDLC|Cisco HDLC\n\
105|IEEE802_11|802.11\n\
106|ATM_CLIP|Linux Classical IP over ATM\n\
107|FRELAY|Frame Relay\n\
108|LOOP|OpenBSD loopback\n\
109|ENC|OpenBSD encapsulated IP\n\
113|LINUX_SLL|Linux cooked v1\n\
114|LTALK|Localtalk\n\
117|PFLOG|OpenBSD pflog file\n\
119|PRISM_HEADER|802.11 plus Prism header\n\
122|IP_OVER_FC|RFC 2625 IP-over-Fibre Channel\n\
123|SUNATM|Sun raw ATM\n\
127|IEEE802_11_RADIO|802.11 plus radiotap header\n\
129|ARCNET_LINUX|Linux ARCNET\n\
130|JUNIPER_MLPPP|Juniper Multi-Link PPP\n\
131|JUNIPER_MLFR|Juniper Multi-Link Frame Relay\n\
132|JUNIPER_ES|Juniper Encryption Services PIC\n\
133|JUNIPER_GGSN|Juniper GGSN PIC\n\
134|JUNIPER_MFR|Juniper FRF.16 Frame Relay\n\
135|JUNIPER_ATM2|Juniper ATM2 PIC\n\
136|JUNIPER_SERVICES|Juniper Advanced Services PIC\n\
137|JUNIPER_ATM1|Juniper ATM1 PIC\n\
138|APPLE_IP_OVER_IEEE1394|Apple IP-over-IEEE 1394\n\
139|MTP2_WITH_PHDR|SS7 MTP2 with Pseudo-header\n\
140|MTP2|SS7 MTP2\n\
141|MTP3|SS7 MTP3\n\
142|SCCP|SS7 SCCP\n\
143|DOCSIS|DOCSIS\n\
144|LINUX_IRDA|Linux IrDA\n\
163|IEEE802_11_RADIO_AVS|802.11 plus AVS radio information header\n\
164|JUNIPER_MONITOR|Juniper Passive Monitor PIC\n\
165|BACNET_MS_TP|BACnet MS/TP\n\
166|PPP_PPPD|PPP for pppd, with direction flag\n\
167|JUNIPER_PPPOE|Juniper PPPoE\n\
168|JUNIPER_PPPOE_ATM|Juniper PPPoE/ATM\n\
169|GPRS_LLC|GPRS LLC\n\
170|GPF_T|GPF-T\n\
171|GPF_F|GPF-F\n\
174|JUNIPER_PIC_PEER|Juniper PIC Peer\n\
175|ERF_ETH|Ethernet with Endace ERF header\n\
176|ERF_POS|Packet-over-SONET with Endace ERF header\n\
177|LINUX_LAPD|Linux vISDN LAPD\n\
178|JUNIPER_ETHER|Juniper Ethernet\n\
179|JUNIPER_PPP|Juniper PPP\n\
180|JUNIPER_FRELAY|Juniper Frame Relay\n\
181|JUNIPER_CHDLC|Juniper C-HDLC\n\
182|MFR|FRF.16 Frame Relay\n\
183|JUNIPER_VP|Juniper Voice PIC\n\
184|A429|Arinc 429\n\
185|A653_ICM|Arinc 653 Interpartition Communication\n\
186|USB_FREEBSD|USB with FreeBSD header\n\
187|BLUETOOTH_HCI_H4|Bluetooth HCI UART transport layer\n\
188|IEEE802_16_MAC_CPS|IEEE 802.16 MAC Common Part Sublayer\n\
189|USB_LINUX|USB with Linux header\n\
190|CAN20B|Controller Area Network (CAN) v. 2.0B\n\
191|IEEE802_15_4_LINUX|IEEE 802.15.4 with Linux padding\n\
192|PPI|Per-Packet Information\n\
193|IEEE802_16_MAC_CPS_RADIO|IEEE 802.16 MAC Common Part Sublayer plus radiotap header\n\
194|JUNIPER_ISM|Juniper Integrated Service Module\n\
195|IEEE802_15_4|IEEE 802.15.4 with FCS\n\
196|SITA|SITA pseudo-header\n\
197|ERF|Endace ERF header\n\
198|RAIF1|Ethernet with u10 Networks pseudo-header\n\
199|IPMB_KONTRON|IPMB with Kontron pseudo-header\n\
200|JUNIPER_ST|Juniper Secure Tunnel\n\
201|BLUETOOTH_HCI_H4_WITH_PHDR|Bluetooth HCI UART transport layer plus pseudo-header\n\
202|AX25_KISS|AX.25 with KISS header\n\
209|IPMB_LINUX|IPMB with Linux/Pigeon Point pseudo-header\n\
215|IEEE802_15_4_NONASK_PHY|IEEE 802.15.4 with non-ASK PHY data\n\
216|LINUX_EVDEV|Linux evdev events\n\
219|MPLS|MPLS with label as link-layer header\n\
220|USB_LINUX_MMAPPED|USB with padded Linux header\n\
221|DECT|DECT\n\
222|AOS|AOS Space Data Link protocol\n\
223|WIHART|Wireless HART\n\
224|FC_2|Fibre Channel FC-2\n\
225|FC_2_WITH_FRAME_DELIMS|Fibre Channel FC-2 with frame delimiters\n\
226|IPNET|Solaris ipnet\n\
227|CAN_SOCKETCAN|CAN-bus with SocketCAN headers\n\
228|IPV4|Raw IPv4\n\
229|IPV6|Raw IPv6\n\
230|IEEE802_15_4_NOFCS|IEEE 802.15.4 without FCS\n\
231|DBUS|D-Bus\n\
232|JUNIPER_VS|Juniper Virtual Server\n\
233|JUNIPER_SRX_E2E|Juniper SRX E2E\n\
234|JUNIPER_FIBRECHANNEL|Juniper Fibre Channel\n\
235|DVB_CI|DVB-CI\n\
236|MUX27010|MUX27010\n\
237|STANAG_5066_D_PDU|STANAG 5066 D_PDUs\n\
238|JUNIPER_ATM_CEMIC|Juniper ATM CEMIC\n\
239|NFLOG|Linux netfilter log messages\n\
240|NETANALYZER|Ethernet with Hilscher netANALYZER pseudo-header\n\
241|NETANALYZER_TRANSPARENT|Ethernet with Hilscher netANALYZER pseudo-header and with preamble and SFD\n\
242|IPOIB|RFC 4391 IP-over-Infiniband\n\
243|MPEG_2_TS|MPEG-2 transport stream\n\
244|NG40|ng40 protocol tester Iub/Iur\n\
245|NFC_LLCP|NFC LLCP PDUs with pseudo-header\n\
246|PFSYNC|Packet filter state syncing\n\
247|INFINIBAND|InfiniBand\n\
248|SCTP|SCTP\n\
249|USBPCAP|USB with USBPcap header\n\
250|RTAC_SERIAL|Schweitzer Engineering Laboratories RTAC packets\n\
251|BLUETOOTH_LE_LL|Bluetooth Low Energy air interface\n\
253|NETLINK|Linux netlink\n\
254|BLUETOOTH_LINUX_MONITOR|Bluetooth Linux Monitor\n\
255|BLUETOOTH_BREDR_BB|Bluetooth Basic Rate/Enhanced Data Rate baseband packets\n\
256|BLUETOOTH_LE_LL_WITH_PHDR|Bluetooth Low Energy air interface with pseudo-header\n\
257|PROFIBUS_DL|PROFIBUS data link layer\n\
258|PKTAP|Apple DLT_PKTAP\n\
259|EPON|Ethernet with 802.3 Clause 65 EPON preamble\n\
260|IPMI_HPM_2|IPMI trace packets\n\
261|ZWAVE_R1_R2|Z-Wave RF profile R1 and R2 packets\n\
262|ZWAVE_R3|Z-Wave RF profile R3 packets\n\
263|WATTSTOPPER_DLM|WattStopper Digital Lighting Management (DLM) and Legrand Nitoo Open protocol\n\
264|ISO_14443|ISO 14443 messages\n\
265|RDS|IEC 62106 Radio Data System groups\n\
266|USB_DARWIN|USB with Darwin header\n\
267|OPENFLOW|OpenBSD DLT_OPENFLOW\n\
268|SDLC|IBM SDLC frames\n\
269|TI_LLN_SNIFFER|TI LLN sniffer frames\n\
271|VSOCK|Linux vsock\n\
272|NORDIC_BLE|Nordic Semiconductor Bluetooth LE sniffer frames\n\
273|DOCSIS31_XRA31|Excentis XRA-31 DOCSIS 3.1 RF sniffer frames\n\
274|ETHERNET_MPACKET|802.3br mPackets\n\
275|DISPLAYPORT_AUX|DisplayPort AUX channel monitoring data\n\
276|LINUX_SLL2|Linux cooked v2\n\
278|OPENVIZSLA|OpenVizsla USB\n\
279|EBHSCR|Elektrobit High Speed Capture and Replay (EBHSCR)\n\
280|VPP_DISPATCH|VPP graph dispatch tracer\n\
281|DSA_TAG_BRCM|Broadcom tag\n\
282|DSA_TAG_BRCM_PREPEND|Broadcom tag (prepended)\n\
283|IEEE802_15_4_TAP|IEEE 802.15.4 with pseudo-header\n\
284|DSA_TAG_DSA|Marvell DSA\n\
285|DSA_TAG_EDSA|Marvell EDSA\n\
286|ELEE|ELEE lawful intercept packets\n\
287|Z_WAVE_SERIAL|Z-Wave serial frames between host and chip\n\
288|USB_2_0|USB 2.0/1.1/1.0 as transmitted over the cable\n\
289|ATSC_ALP|ATSC Link-Layer Protocol packets";
