# SPDX-License-Identifier: LGPL-2.1-or-later
"""An NSS application that logs in to a token explicitly, then signs with a certificate it
finds only after that login: what Thunderbird does after Settings → Certificates → Security
Devices → Log In. NSS's command-line tools cannot show this: they log in to a token by
themselves only when it is not "friendly", and each tool is a process of its own.

usage: nss-login-sign.py DB TOKEN NICKNAME PWFILE IN OUT

DB is an NSS database ("sql:DIR") with the module; PWFILE holds the token's password (first
line). Logs in to TOKEN (PK11_Authenticate), looks for NICKNAME ("TOKEN:label"), then writes a
CMS SignedData of IN (content included, SHA-256, signing time, the signer's certificate) made
by NSS's CMS library to OUT. The password callback answers once per request and never on a
retry, so a wrong password costs one try. Prints one line per step; exit status 0 when the
certificate was found and the signature made. Uses the NSS runtime libraries through ctypes
(no headers needed).

The login comes first on purpose: NSS (3.87) caches the certificates of a friendly token the
first time it looks for one by nickname, and a later login does not refresh that cache, so a
lookup before the login would hide the private certificate for the rest of the process.
"""

import ctypes
import sys

NSS = ctypes.CDLL("libnss3.so")
SMIME = ctypes.CDLL("libsmime3.so")
NSPR = ctypes.CDLL("libnspr4.so")

# Values from NSS's secoidt.h, certt.h and cmst.h (stable ABI enums).
SEC_OID_SHA256 = 191
CERT_USAGE_EMAIL_SIGNER = 4
NSSCMSCM_CERT_ONLY = 1
SEC_SUCCESS = 0


class SECItem(ctypes.Structure):
    _fields_ = [("type", ctypes.c_int), ("data", ctypes.POINTER(ctypes.c_ubyte)),
                ("len", ctypes.c_uint)]


PASSWORD_FUNC = ctypes.CFUNCTYPE(ctypes.c_void_p, ctypes.c_void_p, ctypes.c_int,
                                 ctypes.c_void_p)
P = ctypes.c_void_p


def declare(lib, name, restype, *argtypes):
    fn = getattr(lib, name)
    fn.restype = restype
    fn.argtypes = list(argtypes)
    return fn


NSS_Init = declare(NSS, "NSS_Init", ctypes.c_int, ctypes.c_char_p)
NSS_Shutdown = declare(NSS, "NSS_Shutdown", ctypes.c_int)
PK11_SetPasswordFunc = declare(NSS, "PK11_SetPasswordFunc", None, PASSWORD_FUNC)
PK11_FindSlotByName = declare(NSS, "PK11_FindSlotByName", P, ctypes.c_char_p)
PK11_FreeSlot = declare(NSS, "PK11_FreeSlot", None, P)
PK11_Authenticate = declare(NSS, "PK11_Authenticate", ctypes.c_int, P, ctypes.c_int, P)
PK11_FindCertFromNickname = declare(NSS, "PK11_FindCertFromNickname", P, ctypes.c_char_p, P)
CERT_DestroyCertificate = declare(NSS, "CERT_DestroyCertificate", None, P)
PORT_Strdup = declare(NSS, "PORT_Strdup", P, ctypes.c_char_p)
PORT_NewArena = declare(NSS, "PORT_NewArena", P, ctypes.c_ulong)
PORT_FreeArena = declare(NSS, "PORT_FreeArena", None, P, ctypes.c_int)
PORT_GetError = declare(NSS, "PORT_GetError", ctypes.c_int)
PR_Now = declare(NSPR, "PR_Now", ctypes.c_int64)
CMS_MessageCreate = declare(SMIME, "NSS_CMSMessage_Create", P, P)
CMS_MessageDestroy = declare(SMIME, "NSS_CMSMessage_Destroy", None, P)
CMS_MessageContentInfo = declare(SMIME, "NSS_CMSMessage_GetContentInfo", P, P)
CMS_SignedDataCreate = declare(SMIME, "NSS_CMSSignedData_Create", P, P)
CMS_SignedDataContentInfo = declare(SMIME, "NSS_CMSSignedData_GetContentInfo", P, P)
CMS_SignedDataAddSigner = declare(SMIME, "NSS_CMSSignedData_AddSignerInfo", ctypes.c_int, P, P)
CMS_SetSignedData = declare(SMIME, "NSS_CMSContentInfo_SetContent_SignedData", ctypes.c_int,
                            P, P, P)
CMS_SetData = declare(SMIME, "NSS_CMSContentInfo_SetContent_Data", ctypes.c_int, P, P, P,
                      ctypes.c_int)
CMS_SignerCreate = declare(SMIME, "NSS_CMSSignerInfo_Create", P, P, P, ctypes.c_int)
CMS_SignerIncludeCerts = declare(SMIME, "NSS_CMSSignerInfo_IncludeCerts", ctypes.c_int, P,
                                 ctypes.c_int, ctypes.c_int)
CMS_SignerSigningTime = declare(SMIME, "NSS_CMSSignerInfo_AddSigningTime", ctypes.c_int, P,
                                ctypes.c_int64)
CMS_EncoderStart = declare(SMIME, "NSS_CMSEncoder_Start", P, P, P, P, ctypes.POINTER(SECItem),
                           P, PASSWORD_FUNC, P, P, P, P, P)
CMS_EncoderUpdate = declare(SMIME, "NSS_CMSEncoder_Update", ctypes.c_int, P, ctypes.c_char_p,
                            ctypes.c_ulong)
CMS_EncoderFinish = declare(SMIME, "NSS_CMSEncoder_Finish", ctypes.c_int, P)


def fail(msg):
    print(f"nss-login-sign: {msg} (NSS error {PORT_GetError()})")
    sys.exit(1)


def find(nick):
    cert = PK11_FindCertFromNickname(nick, None)
    if cert:
        CERT_DestroyCertificate(cert)
    return bool(cert)


def sign(nick, data):
    """The CMS SignedData of data (DER bytes), as cmsutil -S -G -Y NONE makes it."""
    arena = PORT_NewArena(2048)
    cmsg = CMS_MessageCreate(None)
    cert = PK11_FindCertFromNickname(nick, None)
    if not (arena and cmsg and cert):
        fail("cannot set up the CMS message")
    try:
        sigd = CMS_SignedDataCreate(cmsg)
        if not sigd or CMS_SetSignedData(cmsg, CMS_MessageContentInfo(cmsg), sigd):
            fail("NSS_CMSSignedData_Create")
        if CMS_SetData(cmsg, CMS_SignedDataContentInfo(sigd), None, 0):
            fail("NSS_CMSContentInfo_SetContent_Data")
        signer = CMS_SignerCreate(cmsg, cert, SEC_OID_SHA256)
        if (not signer or CMS_SignerIncludeCerts(signer, NSSCMSCM_CERT_ONLY,
                                                 CERT_USAGE_EMAIL_SIGNER) or
                CMS_SignerSigningTime(signer, PR_Now()) or
                CMS_SignedDataAddSigner(sigd, signer)):
            fail("NSS_CMSSignerInfo_Create")
        out = SECItem()
        ecx = CMS_EncoderStart(cmsg, None, None, ctypes.byref(out), arena, PASSWORD, None,
                               None, None, None, None)
        if not ecx:
            fail("NSS_CMSEncoder_Start")
        if CMS_EncoderUpdate(ecx, data, len(data)) != SEC_SUCCESS:
            fail("NSS_CMSEncoder_Update")
        if CMS_EncoderFinish(ecx) != SEC_SUCCESS:
            fail("NSS_CMSEncoder_Finish (the signature)")
        return ctypes.string_at(out.data, out.len)
    finally:
        CERT_DestroyCertificate(cert)
        CMS_MessageDestroy(cmsg)
        PORT_FreeArena(arena, 0)


def main():
    global PASSWORD
    if len(sys.argv) != 7:
        print(__doc__)
        return 2
    db, token, nick, pwfile, infile, outfile = sys.argv[1:]
    with open(pwfile, "rb") as f:
        password = f.readline().rstrip(b"\r\n")

    def answer(_slot, retry, _arg):
        return None if retry else PORT_Strdup(password)

    PASSWORD = PASSWORD_FUNC(answer)  # kept referenced while NSS may call it
    if NSS_Init(db.encode()) != SEC_SUCCESS:
        fail(f"NSS_Init {db}")
    PK11_SetPasswordFunc(PASSWORD)
    nick_b = nick.encode()
    slot = PK11_FindSlotByName(token.encode())
    if not slot:
        fail(f"no token {token!r}")
    if PK11_Authenticate(slot, 1, None) != SEC_SUCCESS:
        fail(f"login to {token!r} failed")
    PK11_FreeSlot(slot)
    print(f"explicit login to {token!r}: ok")
    if not find(nick_b):
        fail(f"{nick!r} not found after the login")
    print(f"after the login: {nick!r} found")
    with open(infile, "rb") as f:
        der = sign(nick_b, f.read())
    with open(outfile, "wb") as f:
        f.write(der)
    print(f"CMS signature by {nick!r}: {len(der)} bytes")
    NSS_Shutdown()
    return 0


PASSWORD = None
sys.exit(main())
