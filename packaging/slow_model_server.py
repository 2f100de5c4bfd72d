#!/usr/bin/env python3
"""A slow Hugging Face-shaped file server for packaging/screenshots.sh.

Serves the files of one model folder at /{repo}/resolve/{revision}/{file}
(HEAD and GET, with X-Linked-Size / X-Linked-Etag like the Hub's LFS files),
sending each body in small chunks with pauses, so that a screenshot can catch
the window's download in progress. Loopback only; run on purpose, never in CI.

usage: slow_model_server.py MODEL_DIR PORT_FILE
Writes the port it listens on to PORT_FILE.
"""
import hashlib
import http.server
import os
import sys
import time

MODEL_DIR = sys.argv[1]
CHUNK = 8192
PAUSE_S = 0.1  # about 80 kB/s


class Handler(http.server.BaseHTTPRequestHandler):
    def _file(self):
        name = self.path.rsplit("/", 1)[-1]
        path = os.path.join(MODEL_DIR, name)
        return path if "/resolve/" in self.path and os.path.isfile(path) else None

    def _headers(self, path):
        data = open(path, "rb").read()
        self.send_response(200)
        self.send_header("Content-Length", str(len(data)))
        self.send_header("X-Linked-Size", str(len(data)))
        self.send_header("X-Linked-Etag", '"%s"' % hashlib.sha256(data).hexdigest())
        self.end_headers()
        return data

    def do_HEAD(self):
        path = self._file()
        if path is None:
            self.send_error(404)
            return
        self._headers(path)

    def do_GET(self):
        path = self._file()
        if path is None:
            self.send_error(404)
            return
        data = self._headers(path)
        for start in range(0, len(data), CHUNK):
            try:
                self.wfile.write(data[start:start + CHUNK])
                self.wfile.flush()
            except (BrokenPipeError, ConnectionResetError):
                return
            time.sleep(PAUSE_S)

    def log_message(self, *args):
        pass


server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
with open(sys.argv[2], "w") as f:
    f.write(str(server.server_address[1]))
server.serve_forever()
