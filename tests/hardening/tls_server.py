"""A one-page HTTPS server for hardening_tls: answers {"exp": -1} to every GET.
usage: tls_server.py CERT KEY; prints its port on the first line, serves until stdin closes."""
import http.server
import ssl
import sys
import threading


class Handler(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        body = b'{"exp": -1}'
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):  # quiet: failed handshakes are expected
        pass


class Server(http.server.ThreadingHTTPServer):
    def handle_error(self, request, client_address):  # a refused handshake is the point
        pass


ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
ctx.load_cert_chain(sys.argv[1], sys.argv[2])
httpd = Server(("127.0.0.1", 0), Handler)
httpd.socket = ctx.wrap_socket(httpd.socket, server_side=True)
threading.Thread(target=httpd.serve_forever, daemon=True).start()
print(httpd.server_address[1], flush=True)
sys.stdin.read()  # the test closes our stdin to stop us
httpd.shutdown()
