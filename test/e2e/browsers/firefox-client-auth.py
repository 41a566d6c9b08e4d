# SPDX-License-Identifier: LGPL-2.1-or-later
"""Loads pages that demand a TLS client certificate in a headless Firefox, answering the
security-device password prompts from inside the browser, and records every prompt.

usage: firefox-client-auth.py --profile DIR --answers FILE --out PREFIX [--port N]
                              [--wait-token LABEL] [--login-token LABEL] [URL...]

ANSWERS is a JSON object {token label: PIN}. A prompt for a token in it is filled and
accepted; a prompt for any other token (or any other prompt) is cancelled. Nothing
else is ever typed, so no wrong PIN can reach a card. Writes PREFIX.json:
{"prompts": [{"text", "token", "action", "page"}], "pages": [{"url", "uri", "text"}]}
for the shell: PREFIX.prompts (one "PAGE<TAB>ACTION<TAB>TOKEN" line per prompt, in order) and
PREFIX.pageN.txt (the N-th page's address, then its text); Firefox's output goes to
PREFIX.firefox.log. --login-token logs in to a token first, as Settings → Security Devices →
Log In does (the prompt is answered like any other), and writes the certificates NSS shows
before and after (base64 DER, one per line) to PREFIX.certs-before and PREFIX.certs-after.
Prints one summary line per prompt and per page.
The exit status is 0 when every page was loaded (whatever it shows), else 1.
"""

import argparse
import json
import os
import signal
import subprocess
import sys
import time
import urllib.parse

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from marionette import Marionette, MarionetteError  # noqa: E402

# Runs in the chrome context. Firefox opens the token password prompt as a common dialog
# (chrome://global/content/commonDialog.xhtml, promptType "promptPassword") whose text
# names the token; "common-dialog-loaded" fires once per dialog with its window.
PROMPT_OBSERVER = r"""
const [answers] = arguments;
// Kept on the browser window: every chrome script runs in a fresh global.
const store = Services.wm.getMostRecentWindow("navigator:browser");
const log = [];
store.jpkiPrompts = log;
store.jpkiPage = -1;
Services.obs.addObserver({
  observe(win) {
    const args = (win.Dialog && win.Dialog.args) || {};
    const text = args.text || "";
    const entry = { text, type: args.promptType || "", token: null, action: "cancel",
                    page: store.jpkiPage };
    // "Please authenticate to the security device (LABEL)."
    const named = /security device \((.*)\)\.?$/.exec(text);
    if (named) entry.token = named[1];
    log.push(entry);
    const dialog = win.document.getElementById("commonDialog");
    if (entry.type === "promptPassword" && typeof answers[entry.token] === "string") {
      entry.action = "accept";
      win.document.getElementById("password1Textbox").value = answers[entry.token];
      dialog.acceptDialog();
    } else {
      dialog.cancelDialog();
    }
  },
}, "common-dialog-loaded");
return true;
"""

# The labels of every token Firefox sees (from its module list), for the record.
LIST_TOKENS = r"""
const db = Cc["@mozilla.org/security/pkcs11moduledb;1"].getService(Ci.nsIPKCS11ModuleDB);
return (async () => {
  const names = [];
  for (const mod of await db.listModules())
    for (const slot of mod.slots)
      if (slot.tokenName) names.push(slot.tokenName);
  return names;
})();
"""

# The certificates NSS shows (base64 DER).
LIST_CERTS = r"""
const certdb = Cc["@mozilla.org/security/x509certdb;1"].getService(Ci.nsIX509CertDB);
return certdb.getCerts().map(c => c.getBase64DERString());
"""

# Security Devices → Log In: nsIPK11Token.login() opens the token's password prompt (a script
# during which a prompt opens returns null, so the outcome is read afterwards).
TOKEN_SCRIPT = r"""
const [label, login] = arguments;
const modules = Cc["@mozilla.org/security/pkcs11moduledb;1"].getService(Ci.nsIPKCS11ModuleDB);
return (async () => {
  for (const mod of await modules.listModules())
    for (const slot of mod.slots)
      if (slot.tokenName === label) {
        const token = slot.getToken();
        if (login) token.login(false);
        return token.isLoggedIn;
      }
  return null;
})();
"""

SET_PAGE = r"""
Services.wm.getMostRecentWindow("navigator:browser").jpkiPage = arguments[0];
"""

GET_PROMPTS = r"""
return Services.wm.getMostRecentWindow("navigator:browser").jpkiPrompts;
"""

# A failed load shows about:neterror, whose error code (e.g.
# SSL_ERROR_RX_CERTIFICATE_REQUIRED_ALERT) the page itself can ask for.
PAGE_STATE = r"""
let error = "";
if (document.documentURI.startsWith("about:neterror") && document.getNetErrorInfo) {
  try { error = document.getNetErrorInfo().errorCodeString || ""; } catch (e) { error = ""; }
}
return [document.documentURI, document.readyState,
        document.body ? document.body.innerText : "", error];
"""


def wait_page(client, url, timeout):
    """The loaded page, [documentURI, readyState, text, error code], once it is loaded."""
    deadline = time.monotonic() + timeout
    state = ["", "", "", ""]
    while time.monotonic() < deadline:
        try:
            # null while a modal prompt blocks the page
            state = client.script(PAGE_STATE) or state
        except MarionetteError:
            pass
        uri, ready, text, _ = state
        # The previous page stays until the new one replaces it; an error page names the
        # address it failed to load.
        if uri.startswith("about:neterror") and url in urllib.parse.unquote(uri):
            return state
        if uri.startswith(url) and ready == "complete" and text.strip():
            return state
        time.sleep(0.1)
    return state


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--profile", required=True)
    ap.add_argument("--answers", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--port", type=int, default=2828)
    ap.add_argument("--page-timeout", type=float, default=20)
    # A module added by the SecurityDevices policy is loaded after start-up.
    ap.add_argument("--wait-token")
    ap.add_argument("--login-token")
    ap.add_argument("urls", nargs="*")
    opt = ap.parse_args()
    # "timeout" sends SIGTERM: leave through the finally clause that stops Firefox.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))

    with open(opt.answers) as f:
        answers = json.load(f)
    with open(os.path.join(opt.profile, "user.js"), "a") as f:
        f.write(f'user_pref("marionette.port", {opt.port});\n')

    t0 = time.monotonic()
    log = open(opt.out + ".firefox.log", "w")
    # --remote-allow-system-access: chrome-context scripts (the prompt observer) need it.
    firefox = subprocess.Popen(
        ["firefox-esr", "--headless", "--marionette", "--remote-allow-system-access",
         "--no-remote", "--profile", opt.profile],
        stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
        start_new_session=True)
    result = {"prompts": [], "pages": [], "tokens": []}
    ok = quit_sent = False
    try:
        client = Marionette(opt.port, timeout=30)
        # A prompt open while a command runs would be dismissed unless told to ignore it.
        client.new_session({"unhandledPromptBehavior": "ignore"})
        startup = time.monotonic() - t0
        client.set_context("chrome")
        result["tokens"] = client.script(LIST_TOKENS)
        deadline = time.monotonic() + 15
        while opt.wait_token and opt.wait_token not in result["tokens"]:
            if time.monotonic() > deadline:
                raise RuntimeError(f"token {opt.wait_token!r} did not appear")
            time.sleep(0.1)
            result["tokens"] = client.script(LIST_TOKENS)
        client.script(PROMPT_OBSERVER, [answers])
        if opt.login_token:
            if client.script(TOKEN_SCRIPT, [opt.login_token, False]) is None:
                raise RuntimeError(f"no token {opt.login_token!r}")
            certs = {"before": client.script(LIST_CERTS)}
            client.script(TOKEN_SCRIPT, [opt.login_token, True])
            logged_in = client.script(TOKEN_SCRIPT, [opt.login_token, False])
            certs["after"] = client.script(LIST_CERTS)
            for name, ders in certs.items():
                with open(f"{opt.out}.certs-{name}", "w") as f:
                    f.write("".join(der + "\n" for der in ders))
            print(f"login to {opt.login_token!r}: logged in {logged_in}, certificates "
                  f"{len(certs['before'])} -> {len(certs['after'])}")
        for i, url in enumerate(opt.urls):
            client.set_context("chrome")
            client.script(SET_PAGE, [i])
            client.set_context("content")
            t1 = time.monotonic()
            try:
                client.navigate(url)
            except MarionetteError as e:
                # An error page or a prompt seen during the load is reported as an error.
                print(f"navigate {url}: {e}", file=sys.stderr)
            uri, _, text, error = wait_page(client, url, opt.page_timeout)
            result["pages"].append({"url": url, "uri": uri, "text": text, "error": error,
                                    "seconds": round(time.monotonic() - t1, 2)})
        client.set_context("chrome")
        result["prompts"] = client.script(GET_PROMPTS) or []
        ok = all(p["uri"] for p in result["pages"])
        result["startup_seconds"] = round(startup, 2)
        client.quit()
        quit_sent = True
    finally:
        if not quit_sent:
            firefox.terminate()
        try:
            firefox.wait(timeout=15)
        except subprocess.TimeoutExpired:
            firefox.kill()
            firefox.wait()
        # Firefox's child processes are in the process group it leads; none may outlive it.
        try:
            os.killpg(firefox.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        result["total_seconds"] = round(time.monotonic() - t0, 2)
        with open(opt.out + ".json", "w") as f:
            json.dump(result, f, indent=1, ensure_ascii=False)
    with open(opt.out + ".prompts", "w") as f:
        for p in result["prompts"]:
            f.write(f"{p['page']}\t{p['action']}\t{p['token']}\n")
    for i, p in enumerate(result["pages"]):
        with open(f"{opt.out}.page{i}.txt", "w") as f:
            f.write(f"URI: {p['uri']}\nERROR: {p['error']}\n{p['text']}\n")
    for p in result["prompts"]:
        print(f"prompt (page {p['page']}): {p['action']} {p['token']!r}: {p['text']!r}")
    for p in result["pages"]:
        first = p["text"].strip().splitlines()[:1]
        print(f"page {p['url']}: {p['seconds']}s {p['error'] or first}")
    print(f"firefox: startup {result.get('startup_seconds')}s, total {result['total_seconds']}s")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
