# SPDX-License-Identifier: LGPL-2.1-or-later
"""A small client of Firefox's built-in remote protocol (Marionette), standard library only.

Firefox started with --marionette listens on 127.0.0.1:<marionette.port>. Each message is
"<length>:<JSON>"; a command is [0, id, name, params], its answer [1, id, error, result].
Firefox greets a new connection with {"applicationType": "gecko", "marionetteProtocol": 3}.
"""

import json
import socket
import time


class MarionetteError(RuntimeError):
    """Firefox answered a command with an error object."""

    def __init__(self, command, error):
        self.error = error.get("error", "") if isinstance(error, dict) else str(error)
        message = error.get("message", "") if isinstance(error, dict) else ""
        super().__init__(f"{command}: {self.error}: {message}")


class Marionette:
    def __init__(self, port, timeout=30.0, host="127.0.0.1"):
        deadline = time.monotonic() + timeout
        while True:
            try:
                self.sock = socket.create_connection((host, port), timeout=timeout)
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.1)
        self.pending = b""
        self.last_id = 0
        self.greeting = self._read_message()

    def _read_message(self):
        while b":" not in self.pending:
            self._fill()
        size, rest = self.pending.split(b":", 1)
        size = int(size)
        self.pending = rest
        while len(self.pending) < size:
            self._fill()
        body, self.pending = self.pending[:size], self.pending[size:]
        return json.loads(body)

    def _fill(self):
        chunk = self.sock.recv(65536)
        if not chunk:
            raise ConnectionError("Firefox closed the Marionette connection")
        self.pending += chunk

    def command(self, name, params=None):
        self.last_id += 1
        body = json.dumps([0, self.last_id, name, params or {}]).encode()
        self.sock.sendall(str(len(body)).encode() + b":" + body)
        while True:
            reply = self._read_message()
            if reply[0] == 1 and reply[1] == self.last_id:
                if reply[2]:
                    raise MarionetteError(name, reply[2])
                return reply[3]

    # Marionette takes flat capabilities (no alwaysMatch/firstMatch).
    def new_session(self, capabilities):
        return self.command("WebDriver:NewSession", capabilities)

    def set_context(self, context):
        self.command("Marionette:SetContext", {"value": context})

    def script(self, source, args=None):
        reply = self.command("WebDriver:ExecuteScript", {"script": source, "args": args or []})
        return reply["value"]

    def navigate(self, url):
        self.command("WebDriver:Navigate", {"url": url})

    def quit(self):
        try:
            self.command("Marionette:Quit", {"flags": ["eForceQuit"]})
        except (OSError, ConnectionError, MarionetteError):
            pass
