# SPDX-License-Identifier: LGPL-2.1-or-later
"""Loads pages that demand a TLS client certificate in Chromium on a private X server (Xvfb),
answering Chromium's "Unlock Security Device" dialogs, and records every dialog.

usage: chromium-client-auth.py --answers FILE --out PREFIX URL...

Chromium cannot run headless here: its PIN dialog is a native window, and headless Chromium
waits for it forever. The dialog's title does not name the token; its text ("Please unlock
LABEL to authenticate to HOST with your certificate.") is read through Chromium's UI DevTools
(--enable-ui-devtools), which serve the views tree over the DevTools protocol. A dialog for a
token in ANSWERS (JSON {token label: PIN}) gets the PIN typed with xdotool; any other dialog
is cancelled (Escape). Nothing else is typed, so no wrong PIN can reach a card.
Pages are loaded one after the other and read over the DevTools protocol.

Writes PREFIX.prompts ("PAGE<TAB>ACTION<TAB>TOKEN" per dialog), PREFIX.pageN.txt (the page's
address, then its text) and the logs PREFIX.chromium.log, PREFIX.xvfb.log. The exit status is
0 when every page was read, else 1.
"""

import argparse
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from cdp import DevTools, page_targets  # noqa: E402

DIALOG_TITLE = "Unlock Security Device"
DIALOG_VIEW = "CryptoModulePasswordDialogView"
UNLOCK_TEXT = re.compile(r"Please unlock (.+) to authenticate to ")

# Keeps every request off the network; loopback bypasses the proxy.
CHROMIUM_FLAGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--disable-default-apps", "--disable-extensions", "--no-default-browser-check",
    "--proxy-server=http://127.0.0.1:1", "--window-size=1200,800",
    "--remote-debugging-address=127.0.0.1",
]

PAGE_STATE = ("JSON.stringify([document.URL, document.readyState, "
              "document.body ? document.body.innerText : ''])")


def start(argv, log, **kw):
    """A child in its own process group (stopped as a group: nothing outlives the test)."""
    return subprocess.Popen(argv, stdout=log, stderr=subprocess.STDOUT,
                            stdin=subprocess.DEVNULL, start_new_session=True, **kw)


def stop(proc):
    """Ends a child started by start() and whatever is left of its process group."""
    if proc is None:
        return
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass


def start_xvfb(log):
    """Xvfb on the first free display number (it writes the number to a pipe). Clients reach
    it through the abstract socket only, which exists in this network namespace alone."""
    read_end, write_end = os.pipe()
    xvfb = start(["Xvfb", "-displayfd", str(write_end), "-screen", "0", "1280x900x24",
                  "-nolisten", "tcp", "-nolisten", "unix"], log, pass_fds=(write_end,))
    os.close(write_end)
    number = b""
    with os.fdopen(read_end, "rb") as pipe:
        while not number.endswith(b"\n"):
            chunk = pipe.read(1)
            if not chunk:
                raise RuntimeError("Xvfb did not start")
            number += chunk
    return xvfb, ":" + number.decode().strip()


def xdotool(*args):
    """Runs xdotool on the Xvfb display; its output split into words (window ids)."""
    out = subprocess.run(["xdotool", *args], capture_output=True, text=True, timeout=10)
    return out.stdout.split()


def view_properties(ui, node):
    styles = ui.call("CSS.getMatchedStylesForNode", nodeId=node["nodeId"])
    return {prop["name"]: prop["value"] for rule in styles.get("matchedCSSRules", [])
            for prop in rule["rule"]["style"]["cssProperties"]}


def open_dialogs(ui_port):
    """Every open PIN dialog, read from the UI DevTools views tree: its message ("Please
    unlock ...") and what its password field holds."""
    ui = DevTools(f"ws://127.0.0.1:{ui_port}/0")
    try:
        root = ui.call("DOM.getDocument", depth=-1)["root"]

        def find(node, view_class, found):
            a = node.get("attributes", [])
            attrs = dict(zip(a[::2], a[1::2]))
            if attrs.get("class") == view_class:
                found.append(node)
            for child in node.get("children", []):
                find(child, view_class, found)
            return found

        dialogs = []
        for view in find(root, DIALOG_VIEW, []):
            labels = [view_properties(ui, n).get("Text", "") for n in find(view, "Label", [])]
            fields = [view_properties(ui, n).get("Text", "") for n in find(view, "Textfield", [])]
            dialogs.append({"text": " ".join(t for t in labels if "unlock" in t),
                            "field": fields[0] if fields else None})
        return dialogs
    finally:
        ui.sock.close()


def load(page, url, out):
    """Navigates and waits for the new document; out gets "state" ([URL, readyState, text])
    and "error" (the navigation's errorText, e.g. net::ERR_SSL_CLIENT_AUTH_...)."""
    try:
        reply = page.call("Page.navigate", url=url)
        out["error"] = reply.get("errorText", "")
        for _ in range(100):
            value = page.call("Runtime.evaluate", expression=PAGE_STATE,
                              returnByValue=True).get("result", {}).get("value")
            out["state"] = json.loads(value) if value else ["", "", ""]
            if out["state"][1] == "complete" and out["state"][2].strip():
                return
            time.sleep(0.1)
    except (OSError, RuntimeError) as e:
        out["error"] = out.get("error") or str(e)


def answer_dialog(window, page_index, answers, ui_port):
    """Reads which token a PIN dialog is for; types its PIN, or cancels the dialog.

    The PIN is submitted only once the dialog's field holds exactly the PIN: a keystroke lost
    on its way must not turn into a wrong PIN. Otherwise the dialog is cancelled ("lost")."""
    dialogs = open_dialogs(ui_port)
    named = [m.group(1) for m in (UNLOCK_TEXT.search(d["text"]) for d in dialogs) if m]
    entry = {"page": page_index, "window": window, "text": " | ".join(d["text"] for d in dialogs),
             "token": named[0] if named else None, "action": "cancel"}
    pin = answers.get(entry["token"]) if len(dialogs) == 1 else None
    # Without a window manager the dialog has the focus already; typing goes through XTEST.
    xdotool("windowfocus", window)
    if isinstance(pin, str):
        entry["action"] = "lost"
        xdotool("type", "--delay", "20", pin)
        for _ in range(20):
            if [d["field"] for d in open_dialogs(ui_port)] == [pin]:
                entry["action"] = "accept"
                break
            time.sleep(0.1)
    xdotool("key", "Return" if entry["action"] == "accept" else "Escape")
    return entry


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--answers", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--cdp-port", type=int, default=9222)
    ap.add_argument("--ui-port", type=int, default=9223)
    ap.add_argument("--page-timeout", type=float, default=20)
    ap.add_argument("urls", nargs="+")
    opt = ap.parse_args()
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    with open(opt.answers) as f:
        answers = json.load(f)

    t0 = time.monotonic()
    xvfb = chromium = None
    profile = tempfile.mkdtemp(prefix="chromium-", dir=os.path.dirname(os.path.abspath(opt.out)))
    prompts, pages = [], []
    ok = False
    try:
        xvfb, os.environ["DISPLAY"] = start_xvfb(open(opt.out + ".xvfb.log", "w"))
        chromium = start(["chromium", *CHROMIUM_FLAGS,
                          f"--remote-debugging-port={opt.cdp_port}",
                          f"--enable-ui-devtools={opt.ui_port}",
                          f"--user-data-dir={profile}", "about:blank"],
                         open(opt.out + ".chromium.log", "w"))
        deadline = time.monotonic() + 30
        while True:
            try:
                target = page_targets(opt.cdp_port)[0]
                break
            except (OSError, IndexError):
                if time.monotonic() > deadline or chromium.poll() is not None:
                    raise RuntimeError("Chromium's DevTools did not come up")
                time.sleep(0.1)
        page = DevTools(target["webSocketDebuggerUrl"], timeout=opt.page_timeout)
        page.call("Page.enable")
        startup = time.monotonic() - t0
        handled = set()
        for i, url in enumerate(opt.urls):
            t1 = time.monotonic()
            # Page.navigate returns once the page has its answer, which may wait for a
            # dialog: it runs in a thread while this one answers the dialogs.
            loaded = {}
            loader = threading.Thread(target=load, args=(page, url, loaded), daemon=True)
            loader.start()
            while loader.is_alive() and time.monotonic() < t1 + opt.page_timeout:
                for window in xdotool("search", "--name", DIALOG_TITLE):
                    if window not in handled:
                        handled.add(window)
                        prompts.append(answer_dialog(window, i, answers, opt.ui_port))
                time.sleep(0.1)
            loader.join(timeout=0)
            state = loaded.get("state", ["", "", ""])
            pages.append({"url": url, "uri": state[0], "text": state[2],
                          "error": loaded.get("error", ""),
                          "seconds": round(time.monotonic() - t1, 2)})
            if loader.is_alive():
                break  # the DevTools connection is still busy with this page
        ok = len(pages) == len(opt.urls) and all(p["text"].strip() for p in pages)
        print(f"chromium: startup {startup:.2f}s")
    finally:
        stop(chromium)
        stop(xvfb)
        shutil.rmtree(profile, ignore_errors=True)
        with open(opt.out + ".prompts", "w") as f:
            for p in prompts:
                f.write(f"{p['page']}\t{p['action']}\t{p['token']}\n")
        for i, p in enumerate(pages):
            with open(f"{opt.out}.page{i}.txt", "w") as f:
                f.write(f"URI: {p['uri']}\nERROR: {p['error']}\n{p['text']}\n")
        print(f"chromium: total {time.monotonic() - t0:.2f}s")
    for p in prompts:
        print(f"dialog (page {p['page']}): {p['action']} {p['token']!r}: {p['text']!r}")
    for p in pages:
        first = p["text"].strip().splitlines()[:1]
        print(f"page {p['url']}: {p['seconds']}s {p['error'] or first}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
