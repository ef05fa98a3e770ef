"""Scripted FTP, SMTP, POP3, IMAP, RTSP and Telnet servers on 127.0.0.1,
each answering a real client (curl) with fixed replies: enough of each
protocol for curl to finish its exchange, so that a capture holds both
sides' real lines. Port 2999 accepts once all of them listen. Used by tests/dissect_apps_live.rs."""

import re
import socket
import socketserver
import threading
import time


def lines(rfile):
    while True:
        line = rfile.readline()
        if not line:
            return
        yield line.rstrip(b"\r\n")


class Ftp(socketserver.StreamRequestHandler):
    def handle(self):
        w = self.wfile.write
        w(b"220 (sockscope test FTP)\r\n")
        replies = {
            b"USER": b"331 Please specify the password.\r\n",
            b"PASS": b"230-Welcome.\r\n230 Login successful.\r\n",
            b"PWD": b'257 "/" is the current directory\r\n',
            b"TYPE": b"200 Switching to Binary mode.\r\n",
            b"SIZE": b"213 12\r\n",
            b"MDTM": b"213 20260101000000\r\n",
            b"REST": b"350 Restart position accepted (0).\r\n",
            b"CWD": b"250 Directory successfully changed.\r\n",
        }
        for line in lines(self.rfile):
            cmd = line.split(b" ")[0].upper()
            if cmd == b"QUIT":
                w(b"221 Goodbye.\r\n")
                return
            w(replies.get(cmd, b"502 Command not implemented.\r\n"))


class Smtp(socketserver.StreamRequestHandler):
    def handle(self):
        w = self.wfile.write
        w(b"220 mx.test ESMTP sockscope\r\n")
        data = False
        for line in lines(self.rfile):
            if data:
                if line == b".":
                    data = False
                    w(b"250 2.0.0 Ok: queued as 1\r\n")
                continue
            cmd = line.split(b" ")[0].upper()
            if cmd == b"EHLO":
                w(b"250-mx.test\r\n250-SIZE 10240000\r\n250 8BITMIME\r\n")
            elif cmd == b"DATA":
                data = True
                w(b"354 End data with <CR><LF>.<CR><LF>\r\n")
            elif cmd == b"QUIT":
                w(b"221 2.0.0 Bye\r\n")
                return
            else:
                w(b"250 2.1.0 Ok\r\n")


class Pop3(socketserver.StreamRequestHandler):
    def handle(self):
        w = self.wfile.write
        w(b"+OK POP3 ready\r\n")
        for line in lines(self.rfile):
            cmd = line.split(b" ")[0].upper()
            if cmd == b"CAPA":
                w(b"+OK\r\nUSER\r\nUIDL\r\n.\r\n")
            elif cmd == b"LIST":
                w(b"+OK 1 messages\r\n1 24\r\n.\r\n")
            elif cmd == b"RETR" and line.split(b" ")[1:] == [b"2"]:
                # Long enough to span segments at a small MTU; its lines
                # look like replies and commands.
                body = b"".join(b"+OK line %d\r\nLIST %d\r\n" % (i, i) for i in range(60))
                w(b"+OK %d octets\r\nSubject: long\r\n\r\n%s.\r\n" % (len(body) + 17, body))
            elif cmd == b"RETR":
                w(b"+OK 24 octets\r\nSubject: hi\r\n\r\nhello\r\n.\r\n")
            elif cmd == b"QUIT":
                w(b"+OK bye\r\n")
                return
            else:
                w(b"+OK\r\n")


class Imap(socketserver.StreamRequestHandler):
    def handle(self):
        w = self.wfile.write
        w(b"* OK [CAPABILITY IMAP4rev1] ready\r\n")
        for line in lines(self.rfile):
            parts = line.split(b" ")
            tag, cmd = parts[0], (parts[1].upper() if len(parts) > 1 else b"")
            if cmd == b"CAPABILITY":
                w(b"* CAPABILITY IMAP4rev1 AUTH=PLAIN\r\n" + tag + b" OK done\r\n")
            elif cmd == b"SELECT" or cmd == b"EXAMINE":
                w(b"* 1 EXISTS\r\n* FLAGS (\\Seen)\r\n" + tag + b" OK [READ-WRITE] done\r\n")
            elif cmd in (b"FETCH", b"UID"):
                w(b"* 1 FETCH (UID 1 BODY[] {7}\r\nhello\r\n)\r\n" + tag + b" OK done\r\n")
            elif cmd == b"LOGOUT":
                w(b"* BYE\r\n" + tag + b" OK done\r\n")
                return
            else:
                w(tag + b" OK done\r\n")


class Rtsp(socketserver.StreamRequestHandler):
    def handle(self):
        w = self.wfile.write
        while True:
            head = []
            for line in lines(self.rfile):
                if not line:
                    break
                head.append(line)
            if not head:
                return
            cseq = b"0"
            for h in head:
                m = re.match(rb"(?i)cseq:\s*(\d+)", h)
                if m:
                    cseq = m.group(1)
            method = head[0].split(b" ")[0]
            extra = b""
            body = b""
            if method == b"DESCRIBE":
                body = b"v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=test\r\n"
                extra = b"Content-Type: application/sdp\r\nContent-Length: %d\r\n" % len(body)
            elif method == b"OPTIONS":
                extra = b"Public: OPTIONS, DESCRIBE, SETUP, PLAY, TEARDOWN\r\n"
            w(b"RTSP/1.0 200 OK\r\nCSeq: " + cseq + b"\r\n" + extra + b"\r\n" + body)


class Telnet(socketserver.BaseRequestHandler):
    def handle(self):
        s = self.request
        s.sendall(b"\xff\xfd\x18\xff\xfd\x1f\xff\xfb\x01\xff\xfb\x03")
        s.settimeout(1.0)
        try:
            s.recv(512)
            s.sendall(b"\xff\xfa\x18\x01\xff\xf0")
            s.recv(512)
        except OSError:
            pass
        s.sendall(b"login: ")
        time.sleep(0.3)


class Server(socketserver.ThreadingTCPServer):
    allow_reuse_address = True
    daemon_threads = True


for port, handler in [(21, Ftp), (25, Smtp), (110, Pop3), (143, Imap), (554, Rtsp), (23, Telnet)]:
    server = Server(("127.0.0.1", port), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
# Ready: a port outside the capture's filter that the test waits for.
ready = socket.create_server(("127.0.0.1", 2999))
while True:
    time.sleep(60)
